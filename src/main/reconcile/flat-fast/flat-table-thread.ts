import { Worker } from 'node:worker_threads';
import { UserError } from '../../../shared/errors';
import type { Side } from '../../../shared/model';
import { builtEntry } from '../../built-entry';
import type { Task, WorkerMessage } from '../../jobs/types';
import { type FlatTable, readFlatTable } from './flat-table';

/** What the `flat-table` task posts: the table, and the buffers to move (not copy) to the caller. */
export interface FlatTableMessage {
  table: FlatTable | null;
  transfer: ArrayBuffer[];
}

/** The `flat-table` task: one file read into a FlatTable on a worker thread. */
export const flatTableTask: Task<{ file: string; side: Side }, FlatTableMessage> = async ({ file, side }) => {
  const table = readFlatTable(file, side);
  const transfer = new Set<ArrayBuffer>();
  if (table) {
    for (const value of Object.values(table)) {
      if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) transfer.add(value.buffer);
    }
  }
  return { table, transfer: [...transfer] };
};

/**
 * Reads the file into a FlatTable on a worker thread (the jobs worker running `flat-table`): the
 * file's bytes and the typed columns arrive as transferred ArrayBuffers, nothing is copied or
 * cloned string by string.
 */
export function readFlatTableOnThread(file: string, side: Side, signal?: AbortSignal): Promise<FlatTable | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(builtEntry('worker'), {
      workerData: { name: 'flat-table', input: { file, side }, workspacePath: '' },
    });
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
        const { table } = message.value as FlatTableMessage;
        // A Buffer arrives as a plain Uint8Array: the same memory, wrapped again.
        if (table) table.bytes = Buffer.from(table.bytes.buffer, table.bytes.byteOffset, table.bytes.length);
        settle(() => resolve(table));
      } else if (message.type === 'error') settle(() => reject(new Error(message.error.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`The flat-table thread stopped (exit code ${code}).`))));
  });
}
