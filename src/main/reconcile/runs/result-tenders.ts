import type { ResultTenders, TenderClass } from '../../../shared/contract/run';
import type { RecordType, Side, Tender } from '../../../shared/model';
import { formatAmount } from '../../../shared/money';
import type { Db } from '../../store/open';
import { parseTenders } from '../../store/tender-columns';
import { tenderClassOf } from '../../tenders/classes';
import { remapTenders, type TenderKindRules } from '../../tenders/kind-rules';
import { readRefundsByRowIds, type StoredRefund } from '../snapshot-reader';
import { resultTendersFromRecords } from '../tender-output';
import { hasMatchedResults, MATCHED_NETSUITE_LINKS_SQL, MATCHED_ROWS_SQL } from './matched-results';
import { ensureNetsuiteLinksView } from './writer';

/**
 * The tender split of many stored results at once (tenders.md §6), for exports: the split stored
 * with the result (migration 016), else rebuilt from its records. A result stores none when it is a
 * plain match whose records each paid back in one class (the engine's quick path): most of a run.
 * Those are rebuilt from the records' `tenders` column alone (no lines, no parsing of the rest);
 * only a Credit Memo with its Customer Refunds, or a record with credit detail (applications, an
 * exchange block), goes through the full rebuild the result detail uses.
 */

interface ResultRowText {
  id: number;
  currency: string;
  storefront_refund_id: number | null;
  detail: string | null;
  tenders?: string | null;
}

interface LightRefund {
  id: number;
  snapshot_id: number;
  side: Side;
  record_type: RecordType;
  total: number;
  tenders: string | null;
  credit_detail: string | null;
}

const CLASSES: TenderClass[] = ['money', 'stored_value', 'exchange', 'other'];

function parseStored(text: string | null | undefined): ResultTenders | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    // Text this app wrote (tender-output.ts storedTendersText); the shape is checked where it is shown.
    const v = JSON.parse(text) as ResultTenders;
    return v && Array.isArray(v.byClass) && Array.isArray(v.detail?.storefront) && Array.isArray(v.detail?.netsuite)
      ? v
      : null;
  } catch {
    return null;
  }
}

function storefrontRowIds(row: ResultRowText): number[] {
  if (row.detail?.includes('storefrontRowIds')) {
    try {
      const ids = (JSON.parse(row.detail) as { storefrontRowIds?: unknown }).storefrontRowIds;
      if (Array.isArray(ids)) return ids.filter((x): x is number => typeof x === 'number');
    } catch {
      // an unreadable detail: the result's first storefront refund stands for its side
    }
  }
  return row.storefront_refund_id === null ? [] : [row.storefront_refund_id];
}

function amountText(minor: number, currency: string): string {
  try {
    return formatAmount(minor, currency);
  } catch {
    return String(minor);
  }
}

/** Each side's own tenders, summed per class: what resultTenders gives for records that need no resolving. */
function lightTenders(storefront: Tender[][], netsuite: Tender[][], currency: string): ResultTenders {
  const sums = (sides: Tender[][]) => {
    if (sides.length === 0) return null;
    const s: Record<TenderClass, number> = { money: 0, stored_value: 0, exchange: 0, other: 0 };
    for (const ts of sides) for (const t of ts) s[tenderClassOf(t.kind)] += t.amount;
    return s;
  };
  const sf = sums(storefront);
  const ns = sums(netsuite);
  const out = (t: Tender, withState: boolean) => ({
    kind: t.kind,
    gateway: t.gateway,
    amount: amountText(t.amount, currency),
    ref: t.ref,
    ...(withState ? { state: t.state } : {}),
  });
  return {
    byClass: CLASSES.filter((k) => (sf?.[k] ?? 0) > 0 || (ns?.[k] ?? 0) > 0).map((k) => ({
      class: k,
      storefront: sf ? amountText(sf[k], currency) : null,
      netsuite: ns ? amountText(ns[k], currency) : null,
    })),
    detail: {
      storefront: storefront.flat().map((t) => out(t, false)),
      netsuite: netsuite.flat().map((t) => out(t, true)),
    },
    exchange: null,
    dispute: null,
  };
}

/** Statements by placeholder count, per connection: an export asks for pages of the same size. */
interface AllStatement {
  all(...params: unknown[]): unknown[];
}
const statements = new WeakMap<Db, Map<string, AllStatement>>();
function prepared(db: Db, key: string, sql: () => string): AllStatement {
  let byKey = statements.get(db);
  if (!byKey) {
    byKey = new Map();
    statements.set(db, byKey);
  }
  let stmt = byKey.get(key);
  if (!stmt) {
    if (byKey.size > 16) byKey.clear();
    stmt = db.prepare(sql()) as unknown as AllStatement;
    byKey.set(key, stmt);
  }
  return stmt;
}

type Joined = LightRefund & { result_id: number };

/**
 * Result id → its tender split; a workspace older than migration 015 has none (empty map).
 * `tenderKinds` is the workspace's tender mapping (tenders/kind-rules.ts), applied to the records'
 * tenders of a rebuilt split as the comparison applied it (a stored split was mapped then).
 */
export function resultTendersByIds(
  db: Db,
  resultIds: readonly number[],
  tenderKinds?: TenderKindRules,
): Map<number, ResultTenders> {
  const out = new Map<number, ResultTenders>();
  if (resultIds.length === 0) return out;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < 15) return out;
  const n = resultIds.length;
  const marks = () => resultIds.map(() => '?').join(',');
  // The results with their first storefront refund's tender columns, then the NetSuite records':
  // two statements a page, each a walk of primary keys.
  const rowsFrom = (from: string) => () =>
    `SELECT r.id, r.currency, r.storefront_refund_id, r.detail${version >= 16 ? ', r.tenders' : ''},
              x.id AS sf_id, x.snapshot_id AS sf_snapshot_id, x.record_type, x.total, x.tenders AS sf_tenders, x.credit_detail
       ${from} LEFT JOIN refunds x ON x.id = r.storefront_refund_id WHERE r.id IN (${marks()})`;
  const rows = prepared(db, `r${version >= 16}:${n}`, rowsFrom('FROM results r')).all(...resultIds) as Array<
    ResultRowText & {
      sf_id: number | null;
      sf_snapshot_id: number;
      record_type: RecordType;
      total: number;
      sf_tenders: string | null;
      credit_detail: string | null;
    }
  >;
  // Matched results stored as ids (migration 026): the ids not found in `results`.
  const compact =
    rows.length < n && hasMatchedResults(db)
      ? (prepared(db, `m:${n}`, rowsFrom(`FROM (${MATCHED_ROWS_SQL}) r`)).all(...resultIds) as typeof rows)
      : [];
  for (const row of compact) rows.push(row);
  const light = new Map<number, LightRefund>();
  const rebuild: Array<{ row: ResultRowText; sf: number[]; ns: number[] }> = [];
  for (const row of rows) {
    const stored = parseStored(row.tenders);
    if (stored) {
      out.set(row.id, stored);
      continue;
    }
    if (row.sf_id !== null) {
      light.set(row.sf_id, {
        id: row.sf_id,
        snapshot_id: row.sf_snapshot_id,
        side: 'storefront',
        record_type: row.record_type,
        total: row.total,
        tenders: row.sf_tenders,
        credit_detail: row.credit_detail,
      });
    }
    rebuild.push({ row, sf: storefrontRowIds(row), ns: [] });
  }
  if (rebuild.length === 0) return out;
  const byResult = new Map(rebuild.map((r) => [r.row.id, r]));
  ensureNetsuiteLinksView(db);
  const linksFrom = (from: string) => () =>
    `SELECT l.result_id, x.id, x.snapshot_id, 'netsuite' AS side, x.record_type, x.total, x.tenders, x.credit_detail
       ${from} l JOIN refunds x ON x.id = l.refund_id
       WHERE l.result_id IN (${marks()}) ORDER BY l.result_id, l.refund_id`;
  const links = prepared(db, `l:${n}`, linksFrom('FROM result_netsuite_refunds')).all(...resultIds) as Joined[];
  if (compact.length > 0) {
    for (const link of prepared(db, `ml:${n}`, linksFrom(`FROM (${MATCHED_NETSUITE_LINKS_SQL})`)).all(
      ...resultIds,
    ) as Joined[]) {
      links.push(link);
    }
  }
  for (const link of links) {
    const item = byResult.get(link.result_id);
    if (!item) continue;
    item.ns.push(link.id);
    light.set(link.id, link);
  }
  // A roll-up's other storefront refunds (rare): read on their own.
  const missing = [...new Set(rebuild.flatMap((r) => r.sf).filter((id) => !light.has(id)))];
  for (let i = 0; i < missing.length; i += 5000) {
    const part = missing.slice(i, i + 5000);
    for (const r of db
      .prepare(
        `SELECT id, snapshot_id, 'storefront' AS side, record_type, total, tenders, credit_detail FROM refunds WHERE id IN (${part.map(() => '?').join(',')})`,
      )
      .all(...part) as LightRefund[]) {
      light.set(r.id, r);
    }
  }
  const needsFull = (id: number) => {
    const r = light.get(id);
    return !!r && (r.credit_detail !== null || r.record_type === 'creditMemo' || r.record_type === 'customerRefund');
  };
  const full: typeof rebuild = [];
  const tendersOf = (id: number): Tender[] | null => {
    const r = light.get(id);
    if (!r) return null;
    const tenders = parseTenders(r.tenders, { recordType: r.record_type, total: r.total });
    return tenderKinds ? remapTenders(tenders, tenderKinds(r.side, r.snapshot_id)) : tenders;
  };
  for (const item of rebuild) {
    if (item.sf.some(needsFull) || item.ns.some(needsFull)) {
      full.push(item);
      continue;
    }
    const side = (ids: number[]) => ids.map(tendersOf).filter((t): t is Tender[] => t !== null);
    out.set(item.row.id, lightTenders(side(item.sf), side(item.ns), item.row.currency));
  }
  if (full.length === 0) return out;
  const refunds = new Map<number, StoredRefund>();
  const fullIds = [...new Set(full.flatMap((r) => [...r.sf, ...r.ns]))];
  for (let i = 0; i < fullIds.length; i += 5000) {
    for (const r of readRefundsByRowIds(db, fullIds.slice(i, i + 5000))) refunds.set(r.rowId, r);
  }
  const pick = (ids: number[]) =>
    ids
      .map((id) => {
        const r = refunds.get(id);
        const l = light.get(id);
        if (!r || !tenderKinds || !l) return r;
        const tenders = remapTenders(r.tenders, tenderKinds(l.side, l.snapshot_id));
        return tenders === r.tenders ? r : { ...r, tenders };
      })
      .filter((r): r is StoredRefund => r !== undefined);
  for (const { row, sf, ns } of full) out.set(row.id, resultTendersFromRecords(pick(sf), pick(ns), row.currency));
  return out;
}
