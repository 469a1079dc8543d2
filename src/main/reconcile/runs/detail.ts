import type { ResultCode } from '../../../shared/codes';
import { type ResultDetail, ResultTenders } from '../../../shared/contract/run';
import { UserError } from '../../../shared/errors';
import { sumMinor } from '../../../shared/money';
import type { Db } from '../../store/open';
import { remapTenders, type TenderKindOf, type TenderKindRules } from '../../tenders/kind-rules';
import { compareLines } from '../lines';
import { withSides } from '../side-amounts';
import { readRefundsByRowIds, type StoredRefund } from '../snapshot-reader';
import { resultTendersFromRecords } from '../tender-output';
import { amount } from './amount';
import { annotationHistory } from './annotations';
import { hasMatchedResults, MATCHED_ROWS_SQL } from './matched-results';
import { LATEST_ANNOTATION } from './results-filter';
import { toResultRow } from './results-page';
import { getRun } from './runs';
import { ensureNetsuiteLinksView } from './writer';

/**
 * One result's detail: both sides' records, the aligned lines, provenance and annotations.
 * `tenderKinds` is the workspace's tender mapping (tenders/kind-rules.ts): a result stored without
 * its tender split (a plain match) has it rebuilt from the records, whose tenders are then mapped
 * as the comparison mapped them, not shown as imported.
 */
export function resultDetail(db: Db, resultId: number, tenderKinds?: TenderKindRules): ResultDetail {
  const select = (from: string) =>
    db
      .prepare(
        `SELECT r.*, sf.source_id AS sf_id, ${LATEST_ANNOTATION} AS annotation ${from}
         LEFT JOIN refunds sf ON sf.id = r.storefront_refund_id WHERE r.id = ?`,
      )
      .get(resultId) as Record<string, unknown> | undefined;
  // A matched result stored as ids (migration 026) when it is not a `results` row.
  const full = select('FROM results r');
  const row = full ?? (hasMatchedResults(db) ? select(`FROM (${MATCHED_ROWS_SQL}) r`) : undefined);
  if (!row) throw new UserError('result_not_found', `There is no result ${resultId} in this workspace.`);
  const run = getRun(db, row.run_id as number);
  const detail = JSON.parse(row.detail as string) as {
    issues?: ResultCode[];
    storefrontRowIds?: number[];
    lines?: unknown;
  };
  ensureNetsuiteLinksView(db);
  const nsRowIds = full
    ? (
        db
          .prepare('SELECT refund_id FROM result_netsuite_refunds WHERE result_id = ? ORDER BY refund_id')
          .all(resultId) as Array<{
          refund_id: number;
        }>
      ).map((r) => r.refund_id)
    : [row.netsuite_refund_id as number, row.netsuite_refund_id_2 as number | null]
        .filter((id): id is number => id !== null)
        .sort((a, b) => a - b);
  const sfRowIds = detail.storefrontRowIds ?? (row.storefront_refund_id ? [row.storefront_refund_id as number] : []);
  const storefront = readRefundsByRowIds(db, sfRowIds);
  const netsuite = readRefundsByRowIds(db, nsRowIds);
  const docs = new Map<number, string[]>([[resultId, netsuite.map((n) => n.documentNumber || n.id)]]);
  const currency = row.currency as string;
  const lines =
    storefront.length > 0 && netsuite.length > 0
      ? compareLines(storefront, netsuite, run.rules.itemMapping, 0, true).lines
      : [];
  const fmt = (r: StoredRefund) => amount(r.total, r.currency)!;
  // Each side's shipping, tax and adjustment, summed in that side's currency (none when it has no
  // record, or its records are in more than one currency).
  const parts = (refunds: StoredRefund[]) => {
    const c = refunds[0]?.currency;
    if (!c || refunds.some((r) => r.currency !== c)) return null;
    const sum = (pick: (r: StoredRefund) => number) => amount(sumMinor(refunds.map(pick)), c)!;
    return {
      currency: c,
      shipping: sum((r) => r.shipping),
      tax: sum((r) => r.tax),
      adjustment: sum((r) => r.adjustment),
    };
  };
  return {
    row: withSides(db, [toResultRow(row, docs)])[0]!,
    issues: detail.issues ?? [row.code as ResultCode],
    matchedBy: row.matched_by as string,
    storefront: storefront.map((s) => ({
      id: s.id,
      documentNumber: s.documentNumber,
      total: fmt(s),
      date: s.date,
      kind: s.kind,
    })),
    netsuite: netsuite.map((n) => ({
      id: n.id,
      documentNumber: n.documentNumber,
      recordType: n.recordType,
      total: fmt(n),
      date: n.date,
      createdFrom: n.createdFrom ? `${n.createdFrom.type} ${n.createdFrom.ref}` : null,
    })),
    // A Customer Refund only pays out its Credit Memo: the memo carries the parts.
    parts: {
      storefront: parts(storefront),
      netsuite: parts(netsuite.filter((n) => n.recordType !== 'customerRefund')),
    },
    lines: lines.map((l) => ({
      sku: l.sku,
      role: l.role,
      status: l.status,
      storefront: l.storefront
        ? { quantity: l.storefront.quantity, amount: amount(l.storefront.amount, currency)! }
        : null,
      netsuite: l.netsuite ? { quantity: l.netsuite.quantity, amount: amount(l.netsuite.amount, currency)! } : null,
    })),
    tenders:
      storedTenders(row.tenders) ??
      resultTendersFromRecords(
        mapped(storefront, tenderKinds?.('storefront', run.storefrontSnapshotId)),
        mapped(netsuite, tenderKinds?.('netsuite', run.netsuiteSnapshotId)),
        currency,
      ),
    annotations: annotationHistory(db, row.result_key as string).map((a) => ({
      status: a.status,
      reason: a.reason,
      note: a.note,
      author: a.author,
      createdAt: a.createdAt,
    })),
  };
}

/** The records with their tenders as the mapping names them (a run compares one snapshot per side). */
function mapped(refunds: StoredRefund[], kindOf: TenderKindOf | undefined): StoredRefund[] {
  if (!kindOf) return refunds;
  return refunds.map((r) => {
    const tenders = remapTenders(r.tenders, kindOf);
    return tenders === r.tenders ? r : { ...r, tenders };
  });
}

/** The tender split stored with the result (migration 016), or undefined when none was stored. */
function storedTenders(text: unknown): ResultDetail['tenders'] {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const parsed = ResultTenders.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
