import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../shared/errors';
import type { AppContext } from '../context';
import type { TaskInput, TaskName, TaskOutput } from './tasks';
import type { WorkerMessage } from './types';

/**
 * Where the worker entry is: beside this module when bundled (out/main/worker.js), or the
 * TypeScript source run through tsx in development, tests and the CLI.
 */
export function workerEntry(): { file: string; execArgv: string[] } {
  const override = process.env.REFUND_RECON_WORKER;
  if (override) return { file: override, execArgv: override.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [] };
  if (__filename.endsWith('.ts'))
    return { file: path.join(__dirname, 'worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  // Bundled, this module may sit in a shared chunk (out/main/chunks/…) when a task imports it
  // (the import's parse thread): the entry is then one folder up.
  const beside = path.join(__dirname, 'worker.js');
  if (path.basename(__dirname) === 'chunks' && !fs.existsSync(beside)) {
    return { file: path.join(__dirname, '..', 'worker.js'), execArgv: [] };
  }
  return { file: beside, execArgv: [] };
}

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
  const { file, execArgv } = workerEntry();
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new UserError('cancelled', `The ${name} job was cancelled.`));
      return;
    }
    const worker = new Worker(file, { workerData: { name, input, workspacePath: ctx.workspacePath }, execArgv });
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
