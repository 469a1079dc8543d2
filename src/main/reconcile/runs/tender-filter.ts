import type { TenderClass, TenderProblem } from '../../../shared/contract/run';
import { TenderKind } from '../../../shared/model';
import { tenderClassOf } from '../../tenders/classes';

/**
 * The review's tender filter (tenders.md §6) as fixed SQL over `results r`, with bound values only.
 *
 * Problems read the result's code and its issues (`detail.issues`): a chargeback during a refund is
 * an issue of an amount mismatch when that is more severe (§3 (b)). `any` adds the amount
 * mismatches whose hint names the tender clue of §2 rule 6 (hints.ts/tender-hints.ts write those
 * phrases, as the action list's groups read theirs).
 *
 * Classes read the tender split stored with the result (`results.tenders`, migration 016). A plain
 * match stores none (its sides agreed in one class each, the engine's quick path): then the
 * tenders of its records (`refunds.tenders`, migration 015; NULL is one `other` tender) answer.
 */

const TENDER_CODES = ['tender_mismatch', 'credit_not_paid_out', 'exchange', 'chargeback'] as const;

/** Phrases of the tender clue an amount mismatch's hint carries (tender-hints.ts tenderDifferenceClue). */
const CLUE_PHRASES = [
  '% is missing: record %',
  '%The difference equals the % NetSuite recorded, which the storefront refund does not show.%',
  '%export or pull the refunds with GraphQL so the exchange value can be compared.%',
];

export interface SqlPart {
  sql: string;
  params: unknown[];
}

const marks = (n: number) => new Array(n).fill('?').join(',');

/** The code is one of `codes`, or one of the result's issues is. */
function codeOrIssue(codes: readonly string[]): SqlPart {
  const m = marks(codes.length);
  return {
    // CASE, not AND: json_each must never see text that is not JSON.
    sql: `(r.code IN (${m}) OR CASE WHEN json_valid(r.detail) THEN EXISTS (SELECT 1 FROM json_each(r.detail, '$.issues') i WHERE i.value IN (${m})) ELSE 0 END)`,
    params: [...codes, ...codes],
  };
}

export function tenderProblemSql(problem: TenderProblem): SqlPart {
  if (problem !== 'any') return codeOrIssue([problem]);
  const named = codeOrIssue(TENDER_CODES);
  return {
    sql: `(${named.sql} OR (r.code = 'amount_mismatch' AND (${CLUE_PHRASES.map(() => 'r.hint LIKE ?').join(' OR ')})))`,
    params: [...named.params, ...CLUE_PHRASES],
  };
}

/** The tender kinds of the given classes (money: card and cash; stored value: store credit and gift card; …). */
function kindsOf(classes: readonly TenderClass[]): string[] {
  return TenderKind.options.filter((k) => classes.includes(tenderClassOf(k)));
}

/** A refund row `x` has a positive tender of one of `kinds` (NULL tenders: one `other` tender of its total). */
function refundHasKind(kinds: readonly string[]): SqlPart {
  const other = kinds.includes('other') ? 'x.tenders IS NULL OR ' : '';
  return {
    sql: `(${other}CASE WHEN json_valid(x.tenders) THEN EXISTS (SELECT 1 FROM json_each(x.tenders) t WHERE json_extract(t.value, '$.kind') IN (${marks(kinds.length)}) AND json_extract(t.value, '$.amount') > 0) ELSE 0 END)`,
    params: [...kinds],
  };
}

/**
 * `schemaVersion`: a workspace read before migration 016 has no stored split (the records answer),
 * before 015 no tenders at all (every refund is one `other` tender).
 */
export function tenderClassesSql(classes: readonly TenderClass[], schemaVersion: number): SqlPart {
  const unique = [...new Set(classes)];
  if (schemaVersion < 15) return { sql: unique.includes('other') ? '1' : '0', params: [] };
  const kinds = kindsOf(unique);
  const sf = refundHasKind(kinds);
  const ns = refundHasKind(kinds);
  const fromRecords = `(EXISTS (SELECT 1 FROM refunds x WHERE x.id = r.storefront_refund_id AND ${sf.sql})
         OR EXISTS (SELECT 1 FROM result_netsuite_records l JOIN refunds x ON x.id = l.refund_id
                    WHERE l.result_id = r.id AND ${ns.sql}))`;
  if (schemaVersion < 16) return { sql: fromRecords, params: [...sf.params, ...ns.params] };
  const stored = `EXISTS (SELECT 1 FROM json_each(r.tenders, '$.byClass') c WHERE json_extract(c.value, '$.class') IN (${marks(unique.length)}))`;
  // An exchange block (returned and exchanged values) is exchange data even with no exchange tender (§1.1).
  const exchangeBlock = unique.includes('exchange') ? ` OR json_type(r.tenders, '$.exchange') = 'object'` : '';
  return {
    sql: `(CASE WHEN json_valid(r.tenders) THEN (${stored}${exchangeBlock}) ELSE ${fromRecords} END)`,
    params: [...unique, ...sf.params, ...ns.params],
  };
}
