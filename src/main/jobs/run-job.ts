import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../shared/errors';
import { builtEntry } from '../built-entry';
import type { AppContext } from '../context';
import type { TaskInput, TaskName, TaskOutput } from './tasks';
import type { WorkerMessage } from './types';

export interface RunJobOptions {
  signal?: AbortSignal;
  jobId?: string;
  /** Grace period for a cancelled task to roll back before the worker is terminated. */
  cancelGraceMs?: number;
}

/**
 * Runs a registered task in a worker thread so SQLite work never blocks the main process;
 * forwards progress as `job:progress` events and turns cancellation into a UserError.
 */
export function runJob<N extends TaskName>(
  ctx: Pick<AppContext, 'workspacePath' | 'emit'>,
  name: N,
  input: TaskInput<N>,
  options: RunJobOptions = {},
): Promise<TaskOutput<N>> {
  const jobId = options.jobId ?? randomUUID();
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new UserError('cancelled', `The ${name} job was cancelled.`));
      return;
    }
    const worker = new Worker(builtEntry('worker'), { workerData: { name, input, workspacePath: ctx.workspacePath } });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
      killTimer = setTimeout(
        () => finish(() => reject(new UserError('cancelled', `The ${name} job was cancelled.`))),
        options.cancelGraceMs ?? 5000,
      );
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        ctx.emit('job:progress', { jobId, kind: name, ...message.update });
      } else if (message.type === 'done') {
        finish(() => resolve(message.value as TaskOutput<N>));
      } else {
        const { code, message: text, location, details, user } = message.error;
        finish(() =>
          reject(
            user || code === 'cancelled'
              ? new UserError(code, text, location as UserError['location'], details)
              : new Error(text),
          ),
        );
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => {
      finish(() => reject(new Error(`The ${name} job stopped unexpectedly (worker exit code ${code}).`)));
    });
  });
}
