import type { Db } from '../store/open';
import { nowIso } from '../store/open';
import type { SyncDirection } from './catalogue';
import type { PushScope } from './push-scope';

export type JournalState = 'pending' | 'sending' | 'confirmed' | 'already_synced' | 'failed';

/** One write to a vendor, recorded before it is sent (push_journal). */
export interface JournalEntry {
  id: number;
  accountId: number;
  direction: SyncDirection;
  /** The account this write goes to (see push-scope.ts): never sent anywhere else. */
  destination: string;
  batchId: number | null;
  refundKey: string;
  step: number;
  idempotencyKey: string;
  target: string;
  payload: unknown;
  state: JournalState;
  attempts: number;
  lastError: string | null;
  remoteId: string | null;
  orderRef: string;
  currency: string;
  amount: number;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  storefront_account_id: number;
  direction: SyncDirection;
  destination: string;
  batch_id: number | null;
  refund_key: string;
  step: number;
  idempotency_key: string;
  target: string;
  payload: string;
  state: JournalState;
  attempts: number;
  last_error: string | null;
  remote_id: string | null;
  order_ref: string;
  currency: string;
  amount: number;
  created_at: string;
  updated_at: string;
}

function toEntry(r: Row): JournalEntry {
  return {
    id: r.id,
    accountId: r.storefront_account_id,
    direction: r.direction,
    destination: r.destination,
    batchId: r.batch_id,
    refundKey: r.refund_key,
    step: r.step,
    idempotencyKey: r.idempotency_key,
    target: r.target,
    payload: JSON.parse(r.payload) as unknown,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    remoteId: r.remote_id,
    orderRef: r.order_ref,
    currency: r.currency,
    amount: r.amount,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface NewJournalEntry {
  refundKey: string;
  step: number;
  idempotencyKey: string;
  target: string;
  payload: unknown;
  orderRef: string;
  currency: string;
  amount: number;
  /** Known to be on the target already (found while planning): recorded, never sent. */
  alreadySynced?: string | null;
}

/** Inserts the planned writes in one transaction; a key already journaled is left alone. */
export function journalWrites(
  db: Db,
  accountId: number,
  scope: PushScope,
  batchId: number,
  entries: readonly NewJournalEntry[],
): number {
  const now = nowIso();
  const insert = db.prepare(
    `INSERT INTO push_journal (storefront_account_id, direction, destination, batch_id, refund_key, step, idempotency_key, target, payload,
       state, attempts, remote_id, order_ref, currency, amount, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(idempotency_key) DO NOTHING`,
  );
  let added = 0;
  db.transaction(() => {
    for (const e of entries) {
      const info = insert.run(
        accountId,
        scope.direction,
        scope.destination,
        batchId,
        e.refundKey,
        e.step,
        e.idempotencyKey,
        e.target,
        JSON.stringify(e.payload),
        e.alreadySynced ? 'already_synced' : 'pending',
        e.alreadySynced ?? null,
        e.orderRef,
        e.currency,
        e.amount,
        now,
        now,
      );
      added += info.changes;
    }
  })();
  return added;
}

export function journalKeys(db: Db, accountId: number): Set<string> {
  const rows = db
    .prepare('SELECT idempotency_key FROM push_journal WHERE storefront_account_id = ?')
    .all(accountId) as {
    idempotency_key: string;
  }[];
  return new Set(rows.map((r) => r.idempotency_key));
}

/**
 * Writes not finished yet (pending, or in flight when the process stopped), in journal order.
 * With a scope: only the rows of that direction and destination (the ones a push may send).
 */
export function unfinished(db: Db, accountId: number, scope?: PushScope): JournalEntry[] {
  const rows = scope
    ? db
        .prepare(
          "SELECT * FROM push_journal WHERE storefront_account_id = ? AND direction = ? AND destination = ? AND state IN ('pending','sending') ORDER BY id",
        )
        .all(accountId, scope.direction, scope.destination)
    : db
        .prepare(
          "SELECT * FROM push_journal WHERE storefront_account_id = ? AND state IN ('pending','sending') ORDER BY id",
        )
        .all(accountId);
  return (rows as Row[]).map(toEntry);
}

/** Unfinished or failed rows of another direction or destination than `scope`: a push never sends them. */
export function outsideScope(db: Db, accountId: number, scope: PushScope): JournalEntry[] {
  return (
    db
      .prepare(
        "SELECT * FROM push_journal WHERE storefront_account_id = ? AND (direction != ? OR destination != ?) AND state IN ('pending','sending','failed') ORDER BY id",
      )
      .all(accountId, scope.direction, scope.destination) as Row[]
  ).map(toEntry);
}

export function listJournal(db: Db, accountId: number, states?: readonly JournalState[]): JournalEntry[] {
  const rows = states?.length
    ? (db
        .prepare(
          `SELECT * FROM push_journal WHERE storefront_account_id = ? AND state IN (${states.map(() => '?').join(',')}) ORDER BY id`,
        )
        .all(accountId, ...states) as Row[])
    : (db.prepare('SELECT * FROM push_journal WHERE storefront_account_id = ? ORDER BY id').all(accountId) as Row[]);
  return rows.map(toEntry);
}

export function getEntry(db: Db, id: number): JournalEntry | undefined {
  const row = db.prepare('SELECT * FROM push_journal WHERE id = ?').get(id) as Row | undefined;
  return row ? toEntry(row) : undefined;
}

/** Marks a write as being sent, before the request leaves: a crash after this line means "maybe sent". */
export function markSending(db: Db, id: number): void {
  db.prepare("UPDATE push_journal SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?").run(
    nowIso(),
    id,
  );
}

export function markDone(db: Db, id: number, state: 'confirmed' | 'already_synced', remoteId: string | null): void {
  db.prepare('UPDATE push_journal SET state = ?, remote_id = ?, last_error = NULL, updated_at = ? WHERE id = ?').run(
    state,
    remoteId,
    nowIso(),
    id,
  );
}

export function markFailed(db: Db, id: number, error: string): void {
  db.prepare("UPDATE push_journal SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?").run(
    error.slice(0, 2000),
    nowIso(),
    id,
  );
}

/**
 * Puts failed writes of `scope` back in the queue (the exception list's "retry"). Rows of another
 * direction or destination are never requeued (push.ts refuses them by name first).
 */
export function requeueFailed(db: Db, accountId: number, scope: PushScope, ids?: readonly number[]): number {
  const now = nowIso();
  if (ids && ids.length > 0) {
    let n = 0;
    const stmt = db.prepare(
      "UPDATE push_journal SET state = 'pending', updated_at = ? WHERE id = ? AND storefront_account_id = ? AND direction = ? AND destination = ? AND state = 'failed'",
    );
    db.transaction(() => {
      for (const id of ids) n += stmt.run(now, id, accountId, scope.direction, scope.destination).changes;
    })();
    return n;
  }
  return db
    .prepare(
      "UPDATE push_journal SET state = 'pending', updated_at = ? WHERE storefront_account_id = ? AND direction = ? AND destination = ? AND state = 'failed'",
    )
    .run(now, accountId, scope.direction, scope.destination).changes;
}

/** Steps before `step` of a refund that are not done yet: a later step waits for them. */
export function unfinishedEarlierSteps(
  db: Db,
  accountId: number,
  refundKey: string,
  step: number,
): { id: number; state: string }[] {
  return db
    .prepare(
      "SELECT id, state FROM push_journal WHERE storefront_account_id = ? AND refund_key = ? AND step < ? AND state NOT IN ('confirmed','already_synced')",
    )
    .all(accountId, refundKey, step) as { id: number; state: string }[];
}

/** The first steps of refunds the journal records as done in a direction (sent, or found there). */
export function doneFirstSteps(
  db: Db,
  accountId: number,
  direction: SyncDirection,
): { refund_key: string; remote_id: string | null; state: string }[] {
  return db
    .prepare(
      "SELECT refund_key, remote_id, state FROM push_journal WHERE storefront_account_id = ? AND direction = ? AND step = 0 AND state IN ('confirmed','already_synced')",
    )
    .all(accountId, direction) as { refund_key: string; remote_id: string | null; state: string }[];
}

/** How many writes of an account were sent or are being sent (they keep the account from removal). */
export function sentOrSendingCount(db: Db, accountId: number): number {
  const pushed = db
    .prepare(
      "SELECT COUNT(*) AS n FROM push_journal WHERE storefront_account_id = ? AND state IN ('pending','sending','confirmed')",
    )
    .get(accountId) as { n: number };
  return pushed.n;
}

export interface NewPushBatch {
  accountId: number;
  direction: SyncDirection;
  environment: string;
  refundCount: number;
  totals: unknown;
  confirmedBy: string;
}

/** Opens a push batch (status running); returns its id. */
export function insertPushBatch(db: Db, batch: NewPushBatch): number {
  const info = db
    .prepare(
      `INSERT INTO push_batches (storefront_account_id, direction, environment, refund_count, totals, confirmed_by, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`,
    )
    .run(
      batch.accountId,
      batch.direction,
      batch.environment,
      batch.refundCount,
      JSON.stringify(batch.totals),
      batch.confirmedBy,
      nowIso(),
    );
  return Number(info.lastInsertRowid);
}

/** Closes an account's open batches: complete when none of their writes is left to do. */
export function finishBatches(db: Db, accountId: number): void {
  db.prepare(
    `UPDATE push_batches SET status = CASE WHEN EXISTS (SELECT 1 FROM push_journal j WHERE j.batch_id = push_batches.id AND j.state IN ('pending','sending','failed')) THEN 'incomplete' ELSE 'complete' END,
       finished_at = ? WHERE storefront_account_id = ? AND status != 'complete'`,
  ).run(nowIso(), accountId);
}
