import type { Side } from '../../../shared/model';
import { runTaskOnThread } from '../../jobs/task-thread';
import type { Task } from '../../jobs/types';
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
  return runTaskOnThread({
    name: 'flat-table',
    input: { file, side },
    signal,
    receive: (value) => {
      const { table } = value as FlatTableMessage;
      // A Buffer arrives as a plain Uint8Array: the same memory, wrapped again.
      if (table) table.bytes = Buffer.from(table.bytes.buffer, table.bytes.byteOffset, table.bytes.length);
      return table;
    },
    stoppedMessage: (code) => `The flat-table thread stopped (exit code ${code}).`,
  });
}
