import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { runJob } from '../../../src/main/jobs/run-job';
import { diffRunsAddingUp } from '../../../src/main/reconcile/run-diff';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import {
  annotationHistory,
  getRun,
  listRuns,
  queryResults,
  resultDetail,
  setAnnotation,
  signOff,
} from '../../../src/main/reconcile/run-store';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openWorkspace } from '../../../src/main/store/open';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { ResultsQuery } from '../../../src/shared/contract/run';
import type { CanonicalRefund } from '../../../src/shared/model';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-runs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function demoWorkspace(file: string, tweak?: (sf: CanonicalRefund[], ns: CanonicalRefund[]) => void) {
  const db = openWorkspace(file);
  const { storefront, netsuite } = demoCanonical(generateDemo());
  tweak?.(storefront, netsuite);
  const meta = { label: 'demo', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };
  const sfId = await writeSnapshot(db, { ...meta, side: 'storefront' }, storefront);
  const nsId = await writeSnapshot(db, { ...meta, side: 'netsuite' }, netsuite);
  return { db, sfId, nsId };
}

const q = (input: Record<string, unknown>) => ResultsQuery.parse(input);

describe('comparison runs in the workspace', () => {
  it('stores a run with its rules and results, and reopens it', async () => {
    const { db, sfId, nsId } = await demoWorkspace(path.join(tmp, 'a.sqlite'));
    const { runId, output } = compareSnapshots(db, {
      storefrontSnapshotId: sfId,
      netsuiteSnapshotId: nsId,
      rules: { dateWindowDays: 5 },
    });
    const run = getRun(db, runId!);
    expect(run.status).toBe('complete');
    expect(run.rules.dateWindowDays).toBe(5);
    expect(run.summary!.byCode).toEqual(Object.fromEntries(Object.entries(output.summary.byCode).filter(([, n]) => n)));
    expect(listRuns(db).map((r) => r.id)).toEqual([runId]);
    const all = queryResults(db, q({ runId, limit: 1000 }));
    expect(all.total).toBe(output.results.length);
    // Every NetSuite record is linked to exactly one result.
    const links = db
      .prepare('SELECT count(*) AS n, count(DISTINCT refund_id) AS d FROM result_netsuite_refunds')
      .get() as { n: number; d: number };
    expect(links.n).toBe(links.d);
    db.close();
  });

  it('filters, searches, sorts (allow-listed) and pages, with totals that follow the filters', async () => {
    const { db, sfId, nsId } = await demoWorkspace(path.join(tmp, 'b.sqlite'));
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId });
    const errors = queryResults(db, q({ runId, severities: ['error'], limit: 5 }));
    expect(errors.rows).toHaveLength(5);
    expect(errors.total).toBe(13);
    expect(errors.rows.every((r) => r.severity === 'error')).toBe(true);
    const page2 = queryResults(db, q({ runId, severities: ['error'], limit: 5, offset: 5 }));
    expect(new Set([...errors.rows, ...page2.rows].map((r) => r.id)).size).toBe(10);
    const usd = queryResults(db, q({ runId, currencies: ['USD'], codes: ['matched'] }));
    expect(Object.keys(usd.totals)).toEqual(['USD']);
    expect(usd.rows.every((r) => r.currency === 'USD' && r.code === 'matched')).toBe(true);
    const byAbs = queryResults(db, q({ runId, sort: 'absDifference', direction: 'desc', currencies: ['USD'] }));
    const diffs = byAbs.rows.map((r) => Math.abs(Number(r.difference.replace('.', ''))));
    expect(diffs).toEqual([...diffs].sort((a, b) => b - a));
    const band = queryResults(db, q({ runId, minDifference: '5.00', currencies: ['USD', 'EUR', 'GBP'] }));
    expect(band.rows.every((r) => Math.abs(Number(r.difference)) >= 5)).toBe(true);
    const doc = errors.rows.find((r) => r.netsuiteDocuments.length > 0)!.netsuiteDocuments[0]!;
    const found = queryResults(db, q({ runId, search: doc.toLowerCase() }));
    expect(found.rows.some((r) => r.netsuiteDocuments.includes(doc))).toBe(true);
    const dated = queryResults(db, q({ runId, dateFrom: '2026-02-01', dateTo: '2026-02-10' }));
    expect(dated.rows.every((r) => r.date! >= '2026-02-01' && r.date! <= '2026-02-10')).toBe(true);
    expect(() => q({ runId, sort: 'hint; DROP TABLE results' })).toThrow();
    const detail = resultDetail(db, errors.rows[0]!.id);
    expect(detail.row.id).toBe(errors.rows[0]!.id);
    expect(detail.netsuite.length + detail.storefront.length).toBeGreaterThan(0);
    db.close();
  });

  it('annotations follow the same refund into a later run; diff shows new, resolved and changed', async () => {
    const file = path.join(tmp, 'c.sqlite');
    const { db, sfId, nsId } = await demoWorkspace(file);
    const first = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId });
    const missing = first.output.results.find((r) => r.code === 'missing_in_netsuite')!;
    expect(() =>
      setAnnotation(db, { resultKey: missing.key, status: 'explained', reason: '', note: '', author: 'ana' }),
    ).toThrow(/reason/);
    setAnnotation(db, {
      resultKey: missing.key,
      status: 'explained',
      reason: 'Synced next day',
      note: '',
      author: 'ana',
    });
    // A later export: the missing refund arrived in NetSuite, a matched one now differs by a cent.
    const { storefront, netsuite } = demoCanonical(generateDemo());
    const sfMissing = storefront.find((s) => s.id === missing.storefront[0]!.id)!;
    const arrived: CanonicalRefund = {
      ...sfMissing,
      side: 'netsuite',
      id: '99999',
      documentNumber: 'CR99999',
      recordType: 'cashRefund',
      externalId: `shopify-refund-${sfMissing.id}`,
      createdFrom: { type: 'cashSale', ref: 'CS1' },
    };
    const meta = { label: 'later', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };
    const nsLater = await writeSnapshot(db, { ...meta, side: 'netsuite' }, [...netsuite, arrived]);
    const second = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsLater });
    const diff = diffRunsAddingUp(db, first.runId!, second.runId!);
    expect(diff.resolved.map((e) => e.key)).toContain(missing.key);
    expect(diff.counts.new).toBe(0);
    const later = queryResults(db, q({ runId: second.runId, search: missing.storefront[0]!.id }));
    expect(later.rows[0]!.annotation).toBe('explained');
    expect(queryResults(db, q({ runId: second.runId, annotation: ['explained'] })).total).toBe(1);
    expect(annotationHistory(db, missing.key).map((a) => a.status)).toEqual(['explained']);
    db.close();
  });

  it('sign-off: preparer first, reviewer someone else; written to the audit log', async () => {
    const { db, sfId, nsId } = await demoWorkspace(path.join(tmp, 'd.sqlite'));
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId });
    expect(() => signOff(db, runId!, 'reviewer', 'Bo')).toThrow(/preparer/);
    signOff(db, runId!, 'preparer', 'Ana');
    expect(() => signOff(db, runId!, 'reviewer', 'ana')).toThrow(/other than/);
    const run = signOff(db, runId!, 'reviewer', 'Bo');
    expect(run.signoffs.map((s) => `${s.role}:${s.name}`)).toEqual(['preparer:Ana', 'reviewer:Bo']);
    expect(
      (db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'run.signoff.%'").get() as { n: number }).n,
    ).toBe(2);
    db.close();
  });

  it('runs the comparison in a worker with progress events', async () => {
    const file = path.join(tmp, 'e.sqlite');
    const { db, sfId, nsId } = await demoWorkspace(file);
    db.close();
    const events: Array<{ phase: string }> = [];
    const out = await runJob(
      { workspacePath: file, emit: (_e, payload) => events.push(payload as { phase: string }) },
      'reconcile',
      { storefrontSnapshotId: sfId, netsuiteSnapshotId: nsId },
    );
    // 28 matched cases and the chargeback case, a plain match without the demo's disputes.
    expect(out.summary.byCode.matched).toBe(29);
    expect(events.length).toBeGreaterThan(0);
    const again = openWorkspace(file);
    expect(getRun(again, out.runId).status).toBe('complete');
    again.close();
  });

  it('migration 002 keeps the data of a version-1 workspace', () => {
    const file = path.join(tmp, 'v1.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version === 1),
    );
    db.exec(`
      INSERT INTO snapshots (id, side, label, source, format, importer_version, created_at) VALUES
        (1, 'storefront', 's', 'file', 'shopify-json', '1', 'x'), (2, 'netsuite', 'n', 'file', 'saved-search-csv', '1', 'x');
      INSERT INTO refunds (id, snapshot_id, source_id, record_type, date, currency, total, kind) VALUES
        (1, 1, '900001', 'refund', '2026-01-01', 'USD', 1000, 'general'), (2, 2, '4711', 'cashRefund', '2026-01-01', 'USD', 1000, 'general');
      INSERT INTO comparison_runs (id, storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at) VALUES (1, 1, 2, '{}', 'complete', 'x');
      INSERT INTO results (id, run_id, result_key, code, severity, currency, storefront_refund_id, storefront_total, netsuite_total)
        VALUES (1, 1, 'sf:900001', 'matched', 'ok', 'USD', 1, 1000, 1000);
      INSERT INTO result_netsuite_records (result_id, refund_id) VALUES (1, 2);
      INSERT INTO annotations (result_key, status, reason, author, created_at) VALUES ('sf:900001', 'explained', 'ok', 'ana', 'x');
    `);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const row = db.prepare('SELECT result_key, code, matched_by, search_text FROM results WHERE id = 1').get();
    expect(row).toEqual({ result_key: 'sf:900001', code: 'matched', matched_by: '', search_text: '' });
    expect(db.prepare('SELECT count(*) AS n FROM result_netsuite_records').get()).toEqual({ n: 1 });
    const indexes = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as Array<{ name: string }>
    ).map((i) => i.name);
    // 002's (run_id, severity) index stays; its (run_id, result_key) one is dropped by 020 (no query reads it).
    expect(indexes).toContain('results_by_run_severity');
    expect(indexes).not.toContain('results_by_run_key');
    db.close();
    const reopened = openWorkspace(file);
    expect(queryResults(reopened, q({ runId: 1 })).rows[0]!.annotation).toBe('explained');
    reopened.close();
  });
});
