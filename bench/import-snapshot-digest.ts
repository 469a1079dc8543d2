import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFile } from '../src/main/importers/import-file';
import type { ParseThreadMode } from '../src/main/importers/parse-thread';
import { openWorkspace } from '../src/main/store/open';

/**
 * Correctness check for importer performance work: imports each file given (side:path) into a
 * fresh workspace with the parse thread off and on, and prints a SHA-256 of every row the import
 * wrote (refunds and refund_lines, all columns, in id order) plus the snapshot's counts. Run it
 * before and after a change: the digests must be identical.
 *
 *   node --require tsx/cjs bench/import-snapshot-digest.ts storefront:file.ndjson netsuite:file.csv
 */
function digest(db: ReturnType<typeof openWorkspace>, snapshotId: number): string {
  const hash = createHash('sha256');
  const refunds = db.prepare('SELECT * FROM refunds WHERE snapshot_id = ? ORDER BY id').raw().iterate(snapshotId);
  for (const row of refunds) hash.update(`${JSON.stringify(row)}\n`);
  const lines = db
    .prepare(
      'SELECT l.* FROM refund_lines l JOIN refunds r ON r.id = l.refund_id WHERE r.snapshot_id = ? ORDER BY l.refund_id, l.line_no',
    )
    .raw()
    .iterate(snapshotId);
  for (const row of lines) hash.update(`${JSON.stringify(row)}\n`);
  const snap = db
    .prepare('SELECT refund_count, line_count, row_count, file_sha256, format FROM snapshots WHERE id = ?')
    .raw()
    .get(snapshotId);
  hash.update(JSON.stringify(snap));
  return `${hash.digest('hex').slice(0, 16)} ${JSON.stringify(snap)}`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-digest-'));
  try {
    for (const arg of process.argv.slice(2)) {
      const [side, file] = [arg.slice(0, arg.indexOf(':')), arg.slice(arg.indexOf(':') + 1)];
      for (const mode of ['never', 'always'] as ParseThreadMode[]) {
        const db = openWorkspace(path.join(dir, `${mode}-${path.basename(file)}.sqlite`));
        try {
          const result = await importFile(db, {
            file,
            side: side as 'storefront' | 'netsuite',
            allowDuplicate: true,
            parseThread: mode,
          });
          console.log(`${path.basename(file)} ${mode.padEnd(6)} ${digest(db, result.snapshotId)}`);
        } catch (error) {
          console.log(`${path.basename(file)} ${mode.padEnd(6)} error: ${(error as Error).message}`);
        } finally {
          db.close();
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
