import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MATCHED_KINDS, PLANTED_KINDS } from '../../../src/main/demo/cases';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { importFile } from '../../../src/main/importers/import-file';
import type { ParseThreadMode } from '../../../src/main/importers/parse-thread';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { ensureLineSummaries, lineSummary } from '../../../src/main/store/line-summary';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { iterateSnapshotRefunds, readSnapshotRefunds } from '../../../src/main/store/refunds';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import type { CanonicalRefund, Side } from '../../../src/shared/model';
import { outputForm } from '../../unit/reconcile/forms';
import { fromCases } from '../../unit/reconcile/helpers';

/**
 * The snapshot writer fills `refunds.line_summary` at import — in the writing thread (add) and from
 * the parse thread's packed batches (addPacked) — with exactly `lineSummary()` of the refund as it
 * reads back, so a comparison has nothing left to fill and gives the same results as before.
 */

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'importers');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-summary-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MODES: ParseThreadMode[] = ['never', 'always'];

/** Every refund row of the snapshot: its stored summary next to lineSummary() of the refund read back. */
function storedAndExpected(db: Db, snapshotId: number): Array<{ stored: string | null; expected: string }> {
  const stored = db
    .prepare('SELECT line_summary FROM refunds WHERE snapshot_id = ? ORDER BY id')
    .pluck()
    .all(snapshotId) as Array<string | null>;
  const refunds = [...iterateSnapshotRefunds(db, snapshotId)];
  expect(stored.length).toBe(refunds.length);
  return refunds.map((r, i) => ({ stored: stored[i]!, expected: lineSummary(r) }));
}

function expectFilled(db: Db, snapshotId: number): void {
  const rows = storedAndExpected(db, snapshotId);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.stored).not.toBeNull();
    expect(row.stored).toBe(row.expected);
  }
  // Nothing left for the first comparison to fill.
  expect(ensureLineSummaries(db, snapshotId)).toBe(0);
}

function canonicalFile(name: string, refunds: CanonicalRefund[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(refunds));
  return file;
}

async function importBoth(file: string, db: Db, side: Side, parseThread: ParseThreadMode, format?: 'canonical-json') {
  const result = await importFile(db, { file, side, parseThread, format, allowDuplicate: true });
  if (parseThread === 'always') expect(result.parseThread).toBeDefined();
  else expect(result.parseThread).toBeUndefined();
  return result.snapshotId;
}

describe('line summaries written at import', () => {
  it.each([
    ['shopify-orders.json', 'storefront'],
    ['shopify-refunds.json', 'storefront'],
    ['shopify-bulk.jsonl', 'storefront'],
    ['shopify-orders-export.csv', 'storefront'],
    ['bigcommerce-refunds.json', 'storefront'],
    ['woocommerce-orders.json', 'storefront'],
    ['woocommerce-refunds.json', 'storefront'],
    ['netsuite-saved-search.csv', 'netsuite'],
    ['netsuite-suiteql.json', 'netsuite'],
    ['netsuite-records.json', 'netsuite'],
  ] as const)(
    '%s: every row has lineSummary() of its refund, in-thread and through the parse thread',
    async (name, side) => {
      const rows: Record<string, unknown> = {};
      for (const mode of MODES) {
        const db = openWorkspace(':memory:');
        const options =
          name === 'bigcommerce-refunds.json' || name === 'woocommerce-refunds.json' ? { currency: 'USD' } : {};
        const { snapshotId } = await importFile(db, {
          file: path.join(FIXTURES, name),
          side,
          parseThread: mode,
          ...options,
        });
        expectFilled(db, snapshotId);
        rows[mode] = db.prepare('SELECT * FROM refunds ORDER BY id').all();
        db.close();
      }
      expect(rows.always).toEqual(rows.never);
    },
    30_000,
  );

  it('demo and every case kind (shipping lines, blank SKUs, roll-ups): filled on both paths, same results as filling at comparison', async () => {
    const demo = demoCanonical(generateDemo());
    const cases = fromCases([...MATCHED_KINDS, ...PLANTED_KINDS, ...PLANTED_KINDS], 11);
    const sfFile = canonicalFile('sf.json', [...demo.storefront, ...cases.storefront]);
    const nsFile = canonicalFile('ns.json', [...demo.netsuite, ...cases.netsuite]);
    const outputs: unknown[] = [];
    for (const mode of MODES) {
      const file = path.join(tmp, `ws-${mode}.sqlite`);
      const db = openWorkspace(file);
      const sfId = await importBoth(sfFile, db, 'storefront', mode, 'canonical-json');
      const nsId = await importBoth(nsFile, db, 'netsuite', mode, 'canonical-json');
      expectFilled(db, sfId);
      expectFilled(db, nsId);
      const { output } = compareSnapshots(
        db,
        { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId },
        { store: false },
      );
      outputs.push(outputForm(output));
      db.close();

      // The same workspace as a writer that left the column NULL would have made it: the first
      // comparison fills the summaries itself (ensureLineSummaries) — same results.
      const copy = path.join(tmp, `ws-${mode}-null.sqlite`);
      fs.copyFileSync(file, copy);
      const raw = openWorkspace(copy);
      raw.exec('UPDATE refunds SET line_summary = NULL; DELETE FROM snapshot_match_cache;');
      const before = compareSnapshots(raw, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }, { store: false });
      outputs.push(outputForm(before.output));
      raw.close();
    }
    expect((outputs[0] as { results: unknown[] }).results.length).toBeGreaterThan(100);
    for (const o of outputs.slice(1)) expect(o).toEqual(outputs[0]);
  }, 60_000);

  it('the Pull path (writeSnapshot with refund objects) fills them too', async () => {
    const demo = demoCanonical(generateDemo());
    const db = openWorkspace(':memory:');
    const id = await writeSnapshot(
      db,
      { side: 'netsuite', label: 'pull', source: 'api', format: 'suiteql', importerVersion: 'test' },
      demo.netsuite,
    );
    expectFilled(db, id);
    db.close();
  });

  it('a workspace older than migration 005 (no line_summary column) still imports, on both paths', async () => {
    for (const mode of MODES) {
      const raw = new Database(':memory:');
      migrate(raw, MIGRATIONS.slice(0, 4));
      const { snapshotId } = await importFile(raw, {
        file: path.join(FIXTURES, 'netsuite-saved-search.csv'),
        side: 'netsuite',
        parseThread: mode,
      });
      expect(readSnapshotRefunds(raw, snapshotId).length).toBeGreaterThan(0);
      raw.close();
    }
  }, 30_000);
});
