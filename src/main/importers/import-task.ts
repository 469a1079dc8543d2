import type { ImportFormat, ImportOptions, ImportOutcome } from '../../shared/contract/snapshot';
import type { Side } from '../../shared/model';
import type { Task } from '../jobs/types';
import { BUSY_MESSAGE } from '../store/busy';
import { openWorkspace } from '../store/open';
import { importSnapshotFile } from '../use-cases/import-file';
import type { ImportFileResult } from './import-file';
import type { ParseThreadMode } from './parse-thread';

export interface ImportTaskInput {
  path: string;
  side: Side;
  format?: ImportFormat;
  options?: ImportOptions;
  /** Second thread for parsing (default `auto`: large files); see parse-thread.ts. */
  parseThread?: ParseThreadMode;
}

export function toOutcome(result: ImportFileResult): ImportOutcome {
  return {
    snapshot: result.created ? result.snapshot : null,
    format: result.format,
    formatReason: result.formatReason,
    refundCount: result.refundCount,
    lineCount: result.lineCount,
    rowCount: result.rowCount,
    alreadyImported: result.alreadyImported ?? null,
    notes: result.notes,
  };
}

/**
 * The `import` job: runs in a worker thread with its own connection to the workspace (the import
 * holds one write transaction for its whole length). Progress: bytes read, with rows and refunds
 * in the message. Cancellation rolls the transaction back: no snapshot is left.
 */
export const importTask: Task<ImportTaskInput, ImportOutcome> = async (input, ctx) => {
  const db = openWorkspace(ctx.workspacePath);
  try {
    const options = input.options ?? {};
    const result = await importSnapshotFile(
      { db, workspacePath: ctx.workspacePath },
      {
        file: input.path,
        side: input.side,
        format: input.format,
        ...options,
        parseThread: input.parseThread,
        onProgress: (p) =>
          ctx.progress({
            phase: p.phase,
            done: p.bytesRead,
            total: p.totalBytes,
            unit: 'bytes',
            message:
              p.phase === 'waiting'
                ? BUSY_MESSAGE
                : `${p.rows.toLocaleString('en-US')} rows, ${p.refunds.toLocaleString('en-US')} refunds`,
          }),
      },
      ctx.signal,
    );
    return toOutcome(result);
  } finally {
    db.close();
  }
};
