import fs from 'node:fs';
import { canonicalCsvHeader, canonicalCsvRows } from '../src/main/importers/canonical-csv';
import { importFile } from '../src/main/importers/import-file';
import { openWorkspace } from '../src/main/store/open';
import { iterateSnapshotRefunds } from '../src/main/store/refunds';

/**
 * Writes a richer canonical CSV than the flat benchmark's (lines, presentment, tenders, quoted
 * text) for the importer checks: imports `side:file` and writes its refunds with the canonical
 * CSV writer. node --require tsx/cjs bench/import-canonical-export.ts storefront:in.ndjson out.csv
 */
async function main(): Promise<void> {
  const [arg, out] = process.argv.slice(2) as [string, string];
  const side = arg.slice(0, arg.indexOf(':')) as 'storefront' | 'netsuite';
  const db = openWorkspace(':memory:');
  const { snapshotId } = await importFile(db, { file: arg.slice(arg.indexOf(':') + 1), side, parseThread: 'never' });
  const fd = fs.openSync(out, 'w');
  fs.writeSync(fd, canonicalCsvHeader());
  for (const refund of iterateSnapshotRefunds(db, snapshotId)) fs.writeSync(fd, canonicalCsvRows(refund));
  fs.closeSync(fd);
}

void main();
