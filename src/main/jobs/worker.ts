import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../shared/errors';
import { isBusyError, workspaceBusyError } from '../store/busy';
import { throttleProgress } from './progress-throttle';
import { TASKS, type TaskName } from './tasks';
import type { Task, WorkerMessage } from './types';

/** Worker-thread entry: runs one task from the registry, reports progress, obeys 'cancel'. */
interface WorkerInput {
  name: TaskName;
  input: unknown;
  workspacePath: string;
}

const port = parentPort;
if (!port) throw new Error('jobs/worker.ts must run in a worker thread');

const { name, input, workspacePath } = workerData as WorkerInput;
const controller = new AbortController();
port.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') controller.abort();
});

const post = (message: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

/** A task's value may name buffers to move to the caller instead of copying (`transfer`). */
const transferOf = (value: unknown): ArrayBuffer[] | undefined => {
  const list = (value as { transfer?: unknown } | null)?.transfer;
  return Array.isArray(list) && list.every((b) => b instanceof ArrayBuffer) ? list : undefined;
};
const task = TASKS[name] as Task<unknown, unknown>;

task(input, {
  workspacePath,
  signal: controller.signal,
  progress: throttleProgress((update) => post({ type: 'progress', update })),
})
  .then((value) => post({ type: 'done', value }, transferOf(value)))
  .catch((error: unknown) => {
    if (error instanceof UserError) {
      post({ type: 'error', error: { ...error.toShape(), user: true } });
    } else if (isBusyError(error)) {
      post({ type: 'error', error: { ...workspaceBusyError().toShape(), user: true } });
    } else {
      const message = error instanceof Error ? error.message : String(error);
      post({ type: 'error', error: { code: 'internal_error', message, user: false } });
    }
  });
