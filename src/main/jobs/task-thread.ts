import { Worker } from 'node:worker_threads';
import { UserError } from '../../shared/errors';
import { builtEntry } from '../built-entry';
import type { WorkerMessage } from './types';

/** How a one-off task on its own thread is named and its answer read. */
export interface TaskThreadOptions<T> {
  /** The task's name in tasks.ts. */
  name: string;
  input: unknown;
  /** Turns the posted value into the caller's (e.g. unpacks columns or rewraps a Buffer). */
  receive(value: unknown): T;
  /** Why the thread stopped without answering, worded for the user. */
  stoppedMessage(exitCode: number): string;
  signal?: AbortSignal;
}

/**
 * Runs one task of the jobs worker on a thread of its own and resolves with its answer, so a file
 * can be read on the second core while this thread reads the other. Cancelling terminates the
 * thread. Errors come back as they were thrown: a UserError keeps its code, message and location.
 */
export function runTaskOnThread<T>(options: TaskThreadOptions<T>): Promise<T> {
  const { name, input, receive, stoppedMessage, signal } = options;
  return new Promise((resolve, reject) => {
    const worker = new Worker(builtEntry('worker'), { workerData: { name, input, workspacePath: '' } });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = () =>
      settle(() => reject(new UserError('cancelled', 'The comparison was cancelled; nothing was saved.')));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') {
        // The answer is this thread's copy already: the worker's heap (the file's whole reading,
        // garbage included) is let go before `receive` builds on the copy, not after — at the
        // one-shot's handover both heaps were alive at once, its peak RSS (docs/benchmarks/import.md).
        const value = message.value;
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        worker.terminate().then(
          () => {
            try {
              resolve(receive(value));
            } catch (error) {
              reject(error);
            }
          },
          (error: unknown) => reject(error),
        );
      } else if (message.type === 'error') {
        const e = message.error;
        settle(() =>
          reject(
            e.user || e.code === 'cancelled'
              ? new UserError(e.code, e.message, e.location as UserError['location'], e.details)
              : new Error(e.message),
          ),
        );
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(stoppedMessage(code)))));
  });
}
