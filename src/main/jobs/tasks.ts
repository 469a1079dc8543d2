import { UserError } from '../../shared/errors';
import { importTask } from '../importers/import-task';
import { pullTask } from '../pull/pull-task';
import { reconcileTask } from '../reconcile/reconcile-task';
import { selfTestTask } from './self-test-task';
import type { Task } from './types';

function notBuilt(name: string): Task<unknown, never> {
  return async () => {
    throw new UserError('not_implemented', `The ${name} job is not built yet in this version.`);
  };
}

/**
 * Every job a worker can run, by name. The worker imports this registry statically so the
 * bundler includes each task in the worker bundle. Replace a placeholder with the real task.
 */
export const TASKS = {
  import: importTask,
  reconcile: reconcileTask,
  pull: pullTask,
  'self-test': selfTestTask,
} satisfies Record<string, Task<never, unknown>>;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
