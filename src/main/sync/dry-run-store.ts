import type { Db } from '../store/open';
import type { SyncDirection } from './catalogue';
import type { Check, RefundScope } from './checks';
import type { DryRunCoverage, DryRunOrderResult, DryRunRecord, DryRunSelection, RoundTrip } from './dry-run';

/**
 * The SQL of the `dry_runs` and `dry_run_orders` tables: a dry run is stored once, with the result
 * of each order it checked, and read back for the list, the detail and the readiness check.
 */

interface RunRow {
  id: number;
  storefront_account_id: number;
  direction: SyncDirection;
  selection: string;
  source_snapshot_id: number | null;
  status: 'pass' | 'fail' | 'empty';
  passed: number;
  failed: number;
  coverage: string;
  round_trip: string | null;
  actor: string;
  created_at: string;
}

export interface NewDryRun {
  accountId: number;
  direction: SyncDirection;
  selection: DryRunSelection;
  sourceSnapshotId: number;
  status: 'pass' | 'fail' | 'empty';
  passed: number;
  failed: number;
  coverage: DryRunCoverage;
  roundTrip: RoundTrip | null;
  actor: string;
  createdAt: string;
}

/** Stores a dry run and the result of each order it checked; returns the run's id. */
export function insertDryRun(db: Db, run: NewDryRun, orders: readonly DryRunOrderResult[]): number {
  const info = db
    .prepare(
      `INSERT INTO dry_runs (storefront_account_id, direction, selection, source_snapshot_id, status, passed, failed, coverage, round_trip, actor, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      run.accountId,
      run.direction,
      JSON.stringify(run.selection),
      run.sourceSnapshotId,
      run.status,
      run.passed,
      run.failed,
      JSON.stringify(run.coverage),
      run.roundTrip ? JSON.stringify(run.roundTrip) : null,
      run.actor,
      run.createdAt,
    );
  const runId = Number(info.lastInsertRowid);
  const insert = db.prepare(
    `INSERT INTO dry_run_orders (dry_run_id, order_ref, refund_id, scope, currency, total, status, reasons, checks, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of orders) {
    insert.run(
      runId,
      r.orderRef,
      r.refundId,
      r.scope,
      r.currency,
      r.total,
      r.status,
      JSON.stringify(r.reasons),
      JSON.stringify(r.checks),
      JSON.stringify(r.payload),
    );
  }
  return runId;
}

function toRecord(row: RunRow, orders: DryRunOrderResult[]): DryRunRecord {
  return {
    id: row.id,
    accountId: row.storefront_account_id,
    direction: row.direction,
    selection: JSON.parse(row.selection) as DryRunSelection,
    sourceSnapshotId: row.source_snapshot_id,
    status: row.status,
    passed: row.passed,
    failed: row.failed,
    coverage: JSON.parse(row.coverage) as DryRunCoverage,
    roundTrip: row.round_trip ? (JSON.parse(row.round_trip) as RoundTrip) : null,
    actor: row.actor,
    createdAt: row.created_at,
    orders,
  };
}

export function getDryRun(db: Db, id: number): DryRunRecord | undefined {
  const row = db.prepare('SELECT * FROM dry_runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!row) return undefined;
  const orders = (
    db.prepare('SELECT * FROM dry_run_orders WHERE dry_run_id = ? ORDER BY id').all(id) as {
      order_ref: string;
      refund_id: string;
      scope: RefundScope;
      currency: string;
      total: number;
      status: 'pass' | 'fail';
      reasons: string;
      checks: string;
      payload: string;
    }[]
  ).map((o) => ({
    orderRef: o.order_ref,
    refundId: o.refund_id,
    scope: o.scope,
    currency: o.currency,
    total: o.total,
    status: o.status,
    reasons: JSON.parse(o.reasons) as string[],
    checks: JSON.parse(o.checks) as Check[],
    payload: JSON.parse(o.payload) as unknown,
  }));
  return toRecord(row, orders);
}

export function listDryRuns(db: Db, accountId?: number): Omit<DryRunRecord, 'orders'>[] {
  const rows = (
    accountId === undefined
      ? db.prepare('SELECT * FROM dry_runs ORDER BY id DESC').all()
      : db.prepare('SELECT * FROM dry_runs WHERE storefront_account_id = ? ORDER BY id DESC').all(accountId)
  ) as RunRow[];
  return rows.map((r) => {
    const { orders: _orders, ...rest } = toRecord(r, []);
    return rest;
  });
}

/** The newest passing dry run of an account in a direction (readiness item 3), as stored. */
export function latestPassingDryRun(
  db: Db,
  accountId: number,
  direction: string,
): { id: number; direction: string; status: string; coverage: string; created_at: string } | undefined {
  return db
    .prepare(
      "SELECT id, direction, status, coverage, created_at FROM dry_runs WHERE storefront_account_id = ? AND direction = ? AND status = 'pass' ORDER BY id DESC LIMIT 1",
    )
    .get(accountId, direction) as
    | { id: number; direction: string; status: string; coverage: string; created_at: string }
    | undefined;
}
