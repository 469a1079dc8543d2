import type { SnapshotSummary } from '../../shared/contract/workspace';
import type { Side } from '../../shared/model';
import { type Db, nowIso } from './open';
import type { SnapshotMeta } from './snapshot-writer';

/**
 * The SQL of `snapshots`: one row per import or pull, with where it came from. The refunds it holds
 * are in store/refunds.ts; deleting a snapshot with them is store/snapshot-delete.ts.
 */

interface SnapshotRow {
  id: number;
  side: Side;
  label: string;
  source: 'file' | 'api' | 'demo';
  format: string;
  importer_version: string;
  file_name: string | null;
  file_size: number | null;
  file_sha256: string | null;
  refund_count: number;
  line_count: number;
  row_count: number;
  storefront_account_id: number | null;
  netsuite_account_id: number | null;
  created_at: string;
}

const SELECT = `SELECT id, side, label, source, format, importer_version, file_name, file_size, file_sha256,
  refund_count, line_count, row_count, storefront_account_id, netsuite_account_id, created_at FROM snapshots`;

function toSummary(row: SnapshotRow): SnapshotSummary {
  return {
    id: row.id,
    side: row.side,
    label: row.label,
    source: row.source,
    format: row.format,
    importerVersion: row.importer_version,
    fileName: row.file_name,
    fileSize: row.file_size,
    fileSha256: row.file_sha256,
    refundCount: row.refund_count,
    lineCount: row.line_count,
    rowCount: row.row_count,
    storefrontAccountId: row.storefront_account_id,
    netsuiteAccountId: row.netsuite_account_id,
    createdAt: row.created_at,
  };
}

export function listSnapshots(db: Db, side?: Side): SnapshotSummary[] {
  const rows = side
    ? (db.prepare(`${SELECT} WHERE side = ? ORDER BY id DESC`).all(side) as SnapshotRow[])
    : (db.prepare(`${SELECT} ORDER BY id DESC`).all() as SnapshotRow[]);
  return rows.map(toSummary);
}

export function getSnapshot(db: Db, id: number): SnapshotSummary | undefined {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id) as SnapshotRow | undefined;
  return row ? toSummary(row) : undefined;
}

/** Snapshots already made from a file with this SHA-256 on this side ("already imported"). */
export function findSnapshotsBySha(db: Db, side: Side, sha256: string): SnapshotSummary[] {
  return (
    db.prepare(`${SELECT} WHERE side = ? AND file_sha256 = ? ORDER BY id DESC`).all(side, sha256) as SnapshotRow[]
  ).map(toSummary);
}

/** The side of a snapshot, or undefined when there is no such snapshot. */
export function snapshotSide(db: Db, id: number): Side | undefined {
  const row = db.prepare('SELECT side FROM snapshots WHERE id = ?').get(id) as { side: Side } | undefined;
  return row?.side;
}

/** Files already imported on this side with the same size (candidates for "already imported"). */
export function snapshotsOfFileSize(db: Db, side: Side, size: number): { id: number; file_sha256: string }[] {
  return db
    .prepare(
      'SELECT id, file_sha256 FROM snapshots WHERE side = ? AND file_size = ? AND file_sha256 IS NOT NULL ORDER BY id DESC',
    )
    .all(side, size) as { id: number; file_sha256: string }[];
}

/** When the latest of these snapshots was captured (null when none exists). */
export function latestCaptureOf(db: Db, ids: readonly number[]): string | null {
  return db
    .prepare(`SELECT MAX(created_at) FROM snapshots WHERE id IN (${ids.map(() => '?').join(',')})`)
    .pluck()
    .get(...ids) as string | null;
}

/** Where a snapshot came from, as a run's comparison with an earlier run needs it. */
export interface SnapshotSource {
  source: 'file' | 'api' | 'demo';
  storefront_account_id: number | null;
  netsuite_account_id: number | null;
  file_name: string | null;
  label: string;
}

/** A reader of snapshots' sources: one prepared statement for any number of reads. */
export function snapshotSourceReader(db: Db): (id: number) => SnapshotSource | undefined {
  const snap = db.prepare(
    'SELECT source, storefront_account_id, netsuite_account_id, file_name, label FROM snapshots WHERE id = ?',
  );
  return (id) => snap.get(id) as SnapshotSource | undefined;
}

/**
 * The newest snapshot of a side linked to the storefront account, else (NetSuite side only) the
 * newest linked to its NetSuite account; undefined when there is none.
 */
export function newestAccountSnapshotId(
  db: Db,
  side: Side,
  storefrontAccountId: number,
  netsuiteAccountId: number | null,
): number | undefined {
  const row = (db
    .prepare('SELECT id FROM snapshots WHERE side = ? AND storefront_account_id = ? ORDER BY id DESC LIMIT 1')
    .get(side, storefrontAccountId) ??
    (side === 'netsuite' && netsuiteAccountId
      ? db
          .prepare('SELECT id FROM snapshots WHERE side = ? AND netsuite_account_id = ? ORDER BY id DESC LIMIT 1')
          .get(side, netsuiteAccountId)
      : undefined)) as { id: number } | undefined;
  return row?.id;
}

/** The newest storefront snapshot an account's refunds are in, or null. */
export interface SnapshotHead {
  id: number;
  label: string;
  createdAt: string;
}

/**
 * The account's newest storefront snapshot: one pulled through its connection (linked to it)
 * first; else the newest storefront snapshot linked to no account, which is what importing a
 * store's export file makes. A snapshot of another storefront account is never taken.
 */
export function newestStorefrontSnapshot(db: Db, accountId: number): SnapshotHead | null {
  const sql = `SELECT id, label, created_at AS createdAt FROM snapshots
    WHERE side = 'storefront' AND storefront_account_id IS ? ORDER BY id DESC LIMIT 1`;
  const row = (db.prepare(sql).get(accountId) ?? db.prepare(sql).get(null)) as SnapshotHead | undefined;
  return row ?? null;
}

/** The row of a snapshot being written (counts filled in by finishSnapshotRow); returns its id. */
export function insertSnapshotRow(db: Db, meta: SnapshotMeta): number {
  const info = db
    .prepare(
      `INSERT INTO snapshots (side, label, source, storefront_account_id, netsuite_account_id, format,
           importer_version, file_name, file_size, file_sha256, query_window, request_count, provenance, created_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    )
    .run(
      meta.side,
      meta.label,
      meta.source,
      meta.storefrontAccountId ?? null,
      meta.netsuiteAccountId ?? null,
      meta.format,
      meta.importerVersion,
      meta.fileName ?? null,
      meta.fileSize ?? null,
      meta.fileSha256 ?? null,
      meta.queryWindow ?? null,
      meta.requestCount ?? null,
      JSON.stringify(meta.provenance ?? {}),
      nowIso(),
    );
  return Number(info.lastInsertRowid);
}

/** The counts and the fields known only at the end of the stream, written before COMMIT. */
export function finishSnapshotRow(
  db: Db,
  snapshotId: number,
  counts: { refundCount: number; lineCount: number },
  final: SnapshotMeta,
): void {
  db.prepare(
    `UPDATE snapshots SET refund_count = ?, line_count = ?, row_count = ?, label = ?, format = ?,
         file_name = ?, file_size = ?, file_sha256 = ?, query_window = ?, request_count = ?, provenance = ?
       WHERE id = ?`,
  ).run(
    counts.refundCount,
    counts.lineCount,
    final.rowCount ?? counts.refundCount,
    final.label,
    final.format,
    final.fileName ?? null,
    final.fileSize ?? null,
    final.fileSha256 ?? null,
    final.queryWindow ?? null,
    final.requestCount ?? null,
    JSON.stringify(final.provenance ?? {}),
    snapshotId,
  );
}

export function deleteSnapshotRow(db: Db, snapshotId: number): { changes: number } {
  return db.prepare('DELETE FROM snapshots WHERE id = ?').run(snapshotId);
}
