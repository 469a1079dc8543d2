import type { SnapshotSummary } from '../../shared/contract/workspace';
import type { Side } from '../../shared/model';
import type { Db } from './open';

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
