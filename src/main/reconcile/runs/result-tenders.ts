import { ResultTenders } from '../../../shared/contract/run';
import type { Db } from '../../store/open';
import { readRefundsByRowIds, type StoredRefund } from '../snapshot-reader';
import { resultTendersFromRecords } from '../tender-output';

/**
 * The tender split of many stored results at once (tenders.md §6), for exports: the split stored
 * with the result (migration 016), else rebuilt from its records as the detail view does (a plain
 * match stores none). One query for the results, one read of the records the rebuilt ones need.
 */

interface Row {
  id: number;
  currency: string;
  storefront_refund_id: number | null;
  detail: string | null;
  tenders?: string | null;
}

function parseStored(text: string | null | undefined): ResultTenders | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    const parsed = ResultTenders.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function storefrontRowIds(row: Row): number[] {
  try {
    const ids = (JSON.parse(row.detail ?? '{}') as { storefrontRowIds?: unknown }).storefrontRowIds;
    if (Array.isArray(ids)) return ids.filter((x): x is number => typeof x === 'number');
  } catch {
    // an unreadable detail: the result's first storefront refund stands for its side
  }
  return row.storefront_refund_id === null ? [] : [row.storefront_refund_id];
}

/** Result id → its tender split; results of a workspace older than migration 015 are left out. */
export function resultTendersByIds(db: Db, resultIds: readonly number[]): Map<number, ResultTenders> {
  const out = new Map<number, ResultTenders>();
  if (resultIds.length === 0) return out;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < 15) return out;
  const marks = resultIds.map(() => '?').join(',');
  const rows = db
    .prepare(
      `SELECT id, currency, storefront_refund_id, detail${version >= 16 ? ', tenders' : ''}
       FROM results WHERE id IN (${marks})`,
    )
    .all(...resultIds) as Row[];
  const rebuild: Array<{ row: Row; sf: number[]; ns: number[] }> = [];
  const nsByResult = new Map<number, number[]>();
  for (const link of db
    .prepare(
      `SELECT result_id, refund_id FROM result_netsuite_records WHERE result_id IN (${marks}) ORDER BY refund_id`,
    )
    .all(...resultIds) as Array<{ result_id: number; refund_id: number }>) {
    const list = nsByResult.get(link.result_id);
    if (list) list.push(link.refund_id);
    else nsByResult.set(link.result_id, [link.refund_id]);
  }
  for (const row of rows) {
    const stored = parseStored(row.tenders);
    if (stored) out.set(row.id, stored);
    else rebuild.push({ row, sf: storefrontRowIds(row), ns: nsByResult.get(row.id) ?? [] });
  }
  if (rebuild.length === 0) return out;
  const refunds = new Map<number, StoredRefund>();
  const wanted = [...new Set(rebuild.flatMap((r) => [...r.sf, ...r.ns]))];
  // SQLite's limit on bound values is well above a page of 1,000 results, but stay far from it.
  for (let i = 0; i < wanted.length; i += 5000) {
    for (const r of readRefundsByRowIds(db, wanted.slice(i, i + 5000))) refunds.set(r.rowId, r);
  }
  const pick = (ids: number[]) => ids.map((id) => refunds.get(id)).filter((r): r is StoredRefund => r !== undefined);
  for (const { row, sf, ns } of rebuild) {
    out.set(row.id, resultTendersFromRecords(pick(sf), pick(ns), row.currency));
  }
  return out;
}
