import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ImportFileOptions, importFile } from '../../../src/main/importers/import-file';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { describeLocation, UserError } from '../../../src/shared/errors';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'importers');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

let tmp: string | undefined;
/** A file in a per-run temp folder with the given content (string or bytes). */
export function tempFile(name: string, content: string | Buffer): string {
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'importers-'));
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

export function memoryDb(): Db {
  return openWorkspace(':memory:');
}

export async function importRefunds(file: string, options: Omit<ImportFileOptions, 'file'>, db: Db = memoryDb()) {
  const result = await importFile(db, { file, ...options });
  return { result, refunds: readSnapshotRefunds(db, result.snapshotId), db };
}

export function counts(db: Db): { snapshots: number; refunds: number; lines: number } {
  return {
    snapshots: (db.prepare('SELECT COUNT(*) AS n FROM snapshots').get() as { n: number }).n,
    refunds: (db.prepare('SELECT COUNT(*) AS n FROM refunds').get() as { n: number }).n,
    lines: (db.prepare('SELECT COUNT(*) AS n FROM refund_lines').get() as { n: number }).n,
  };
}

/** The text the CLI prints for a user error: location, then message. */
export async function userErrorText(promise: Promise<unknown>): Promise<{ text: string; error: UserError }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return { text: `${describeLocation(error.location)}: ${error.message}`, error };
    throw error;
  }
  throw new Error('expected a UserError, but the import succeeded');
}
