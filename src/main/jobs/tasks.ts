import { importTask } from '../importers/import-task';
import { importMemoryTask } from '../importers/memory-import';
import { importParseTask } from '../importers/parse-thread';
import { pullTask } from '../pull/pull-task';
import { reconcileTask } from '../reconcile/reconcile-task';
import { selfTestTask } from './self-test-task';
import type { Task } from './types';

/**
 * Every job a worker can run, by name. The worker imports this registry statically so the
 * bundler includes each task in the worker bundle.
 */
export const TASKS = {
  import: importTask,
  /** The parse thread of a large import (started by importFile, not through runJob). */
  'import-parse': importParseTask,
  /** One file of a one-shot reconcile read into memory (memory-import.ts, not through runJob). */
  'import-memory': importMemoryTask,
  reconcile: reconcileTask,
  pull: pullTask,
  'self-test': selfTestTask,
} satisfies Record<string, Task<never, unknown>>;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
