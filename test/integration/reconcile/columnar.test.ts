import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MATCHED_KINDS, PLANTED_KINDS } from '../../../src/main/demo/cases';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import type { ReconcileOutput } from '../../../src/main/reconcile/engine';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { queryResults, resultDetail } from '../../../src/main/reconcile/run-store';
import { readRefundsForMatching } from '../../../src/main/reconcile/snapshot-reader';
import { computeLineSummaries, lineSummary } from '../../../src/main/store/line-summary';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openWorkspace } from '../../../src/main/store/open';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { ResultsQuery } from '../../../src/shared/contract/run';
import type { CanonicalRefund } from '../../../src/shared/model';
import { outputForm } from '../../unit/reconcile/forms';
import { fromCases } from '../../unit/reconcile/helpers';
import { reconcile as reference } from '../../unit/reconcile/reference-engine';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-columnar-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const meta = { label: 't', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };

async function workspace(file: string, storefront: CanonicalRefund[], netsuite: CanonicalRefund[]) {
  const db = openWorkspace(file);
  const sfId = await writeSnapshot(db, { ...meta, side: 'storefront' }, storefront);
  const nsId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, netsuite);
  return { db, sfId, nsId };
}

/** What the previous snapshot path gave: the object engine over `readRefundsForMatching`. */
function previous(db: Database.Database, sfId: number, nsId: number, rules = {}) {
  return reference(
    readRefundsForMatching(db, sfId, 'storefront'),
    readRefundsForMatching(db, nsId, 'netsuite'),
    rules,
  ) as unknown as ReconcileOutput;
}

describe('comparing snapshots through the columnar reader', () => {
  it('gives exactly the results, hints and summary of the previous snapshot path (demo workspace and every case kind)', async () => {
    const demo = demoCanonical(generateDemo());
    const cases = fromCases([...MATCHED_KINDS, ...PLANTED_KINDS, ...PLANTED_KINDS], 11);
    for (const [name, sfs, nss] of [
      ['demo', demo.storefront, demo.netsuite],
      ['cases', cases.storefront, cases.netsuite],
    ] as const) {
      const { db, sfId, nsId } = await workspace(path.join(tmp, `${name}.sqlite`), [...sfs], [...nss]);
      // A fixed `asOf`: the reference engine takes the newest NetSuite date, the app the snapshot's
      // capture date (tenders.md §2 rule 3); the demo's open Credit Memo is aged by it.
      const asOf = '2026-03-20';
      for (const rules of [
        { asOf },
        { asOf, tolerance: { default: '0.05', byCurrency: {} } },
        { asOf, storefrontLineItems: 'no' as const },
      ]) {
        const { output } = compareSnapshots(
          db,
          { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId, rules },
          { store: false },
        );
        expect(outputForm(output)).toEqual(outputForm(previous(db, sfId, nsId, rules)));
      }
      db.close();
    }
  });

  it('streams a stored run without keeping results, and the stored rows read back like before', async () => {
    const { storefront, netsuite } = demoCanonical(generateDemo());
    const { db, sfId, nsId } = await workspace(path.join(tmp, 'stream.sqlite'), storefront, netsuite);
    const seen: string[] = [];
    const { runId, output } = compareSnapshots(
      db,
      { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId },
      { keepResults: false, onResult: (r) => seen.push(r.key) },
    );
    expect(output.results).toEqual([]);
    const before = previous(db, sfId, nsId);
    expect(seen).toEqual(before.results.map((r) => r.key));
    expect(output.summary).toEqual(before.summary);
    const page = queryResults(db, ResultsQuery.parse({ runId, limit: 1000, sort: 'date' }));
    expect(page.total).toBe(before.results.length);
    const byKey = new Map(before.results.map((r) => [r.key, r]));
    for (const row of page.rows) {
      const r = byKey.get(row.key)!;
      expect(row.code).toBe(r.code);
      expect(row.orderRef).toBe(r.orderRef);
      const detail = resultDetail(db, row.id);
      expect(detail.netsuite.map((n) => n.id)).toEqual(
        r.netsuite.map((n) => n.id).sort((a, b) => Number(a) - Number(b)),
      );
    }
    db.close();
  });

  it('migration 005 keeps a version-4 workspace with data; line summaries are filled on the first comparison', async () => {
    const file = path.join(tmp, 'v4.sqlite');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    migrate(raw, MIGRATIONS.slice(0, 4));
    expect(raw.pragma('user_version', { simple: true })).toBe(4);
    const { storefront, netsuite } = demoCanonical(generateDemo());
    const sfId = await writeSnapshot(raw, { ...meta, side: 'storefront' }, storefront);
    const nsId = await writeSnapshot(raw, { ...meta, side: 'netsuite' }, netsuite);
    const count = (raw.prepare('SELECT count(*) AS n FROM refunds').get() as { n: number }).n;
    raw.close();

    const db = openWorkspace(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect((db.prepare('SELECT count(*) AS n FROM refunds').get() as { n: number }).n).toBe(count);
    expect((db.prepare('SELECT count(*) AS n FROM refunds WHERE line_summary IS NULL').get() as { n: number }).n).toBe(
      count,
    );
    const { output } = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId }, { store: false });
    expect(outputForm(output)).toEqual(outputForm(previous(db, sfId, nsId)));
    expect((db.prepare('SELECT count(*) AS n FROM refunds WHERE line_summary IS NULL').get() as { n: number }).n).toBe(
      0,
    );
    // The filled summary is what the writer would store at import.
    const stored = readRefundsForMatching(db, sfId, 'storefront');
    const sums = new Map(
      (db.prepare('SELECT id, line_summary FROM refunds').all() as Array<{ id: number; line_summary: string }>).map(
        (r) => [r.id, r.line_summary],
      ),
    );
    for (const r of stored) expect(sums.get(r.rowId)).toBe(lineSummary(r));
    db.close();
  });

  it('line summaries computed in memory (temporary workspace) are what the writer would store', async () => {
    const demo = demoCanonical(generateDemo());
    const cases = fromCases([...MATCHED_KINDS, ...PLANTED_KINDS], 5);
    const { db, sfId, nsId } = await workspace(
      path.join(tmp, 'computed.sqlite'),
      [...demo.storefront, ...cases.storefront],
      [...demo.netsuite, ...cases.netsuite],
    );
    // The writer now stores summaries at import; clear them to test the in-memory computation.
    db.exec('UPDATE refunds SET line_summary = NULL');
    for (const id of [sfId, nsId]) {
      const side = id === sfId ? 'storefront' : 'netsuite';
      const summaryOf = computeLineSummaries(db, id)!;
      for (const r of readRefundsForMatching(db, id, side)) expect(summaryOf(r.rowId, r.shipping)).toBe(lineSummary(r));
    }
    db.close();
  });
});
