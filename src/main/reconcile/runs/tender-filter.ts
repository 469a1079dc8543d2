import { ResultCode } from '../../../shared/codes';
import type { TenderClass, TenderProblem } from '../../../shared/contract/run';
import { TenderKind } from '../../../shared/model';
import { tenderClassOf } from '../../tenders/classes';
import { tenderClassMask } from '../tender-class-bits';
import { COMPACT_TENDER_CLASSES_SQL, MATCHED_RESULTS_VERSION } from './matched-results';

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
 * A compact row (migration 026) stores no split: the classes of the one dropped are in its
 * `tender_classes` (tender-class-bits.ts), NULL for a plain match (the records answer).
 */

const TENDER_CODES = ['tender_mismatch', 'credit_not_paid_out', 'exchange', 'chargeback'] as const;
/**
 * Every code but `matched`: a plain match never carries a tender issue (the engine adds `matched`
 * only when nothing else was found), so the problems are found on the `(run_id, code)` index
 * without reading the matches, most of a run.
 */
const NOT_MATCHED = ResultCode.options.filter((c) => c !== 'matched');

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

/**
 * The code is one of `codes`, or one of the result's issues is. The issues are JSON this app wrote
 * (`{"issues":["amount_mismatch","chargeback"]}`): a quoted code found in the text is confirmed by
 * reading the JSON, which only that row pays for.
 */
function codeOrIssue(codes: readonly string[]): SqlPart {
  const m = marks(codes.length);
  const quoted = codes.map((c) => `"${c}"`);
  return {
    // CASE, not AND: json_each must never see text that is not JSON.
    sql: `(r.code IN (${marks(NOT_MATCHED.length)}) AND (r.code IN (${m}) OR ((${quoted.map(() => 'instr(r.detail, ?) > 0').join(' OR ')}) AND CASE WHEN json_valid(r.detail) THEN EXISTS (SELECT 1 FROM json_each(r.detail, '$.issues') i WHERE i.value IN (${m})) ELSE 0 END)))`,
    params: [...NOT_MATCHED, ...codes, ...quoted, ...codes],
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

/**
 * Refund rows of a side's snapshot with a tender of one of `kinds`: their `tenders` text is JSON
 * this app wrote (store/tender-columns.ts, `"kind":"store_credit"`, tenders of amount 0 dropped),
 * so it is searched, not parsed (as the matcher's quick class reads it); NULL is one `other` tender.
 */
function refundsWithKind(kinds: readonly string[], side: 'storefront' | 'netsuite'): SqlPart {
  const other = kinds.includes('other') ? 'x.tenders IS NULL OR ' : '';
  return {
    sql: `SELECT x.id FROM refunds x
      WHERE x.snapshot_id = (SELECT ${side === 'storefront' ? 'storefront_snapshot_id' : 'netsuite_snapshot_id'} FROM comparison_runs WHERE id = ?)
        AND (${other}${kinds.map(() => 'instr(x.tenders, ?) > 0').join(' OR ')})`,
    params: kinds.map((k) => `"kind":"${k}"`),
  };
}

/**
 * `schemaVersion`: a workspace read before migration 016 has no stored split (the records answer),
 * before 015 no tenders at all (every refund is one `other` tender).
 */
export function tenderClassesSql(runId: number, classes: readonly TenderClass[], schemaVersion: number): SqlPart {
  const unique = [...new Set(classes)];
  if (schemaVersion < 15) return { sql: unique.includes('other') ? '1' : '0', params: [] };
  const kinds = kindsOf(unique);
  const sf = refundsWithKind(kinds, 'storefront');
  const ns = refundsWithKind(kinds, 'netsuite');
  // Each side's refunds of the classes, found once per query (not per result), then looked up.
  // A result's one NetSuite record is in its row from migration 024, a second one from 025; more
  // (or two before 025) in the links table.
  const inRow = schemaVersion >= 24;
  const secondInRow = schemaVersion >= 25;
  const fromRecords = `(r.storefront_refund_id IN (${sf.sql})${inRow ? `\n      OR r.netsuite_refund_id IN (${ns.sql})` : ''}${secondInRow ? `\n      OR r.netsuite_refund_id_2 IN (${ns.sql})` : ''}
      OR r.id IN (SELECT l.result_id FROM result_netsuite_records l WHERE l.refund_id IN (${ns.sql})))`;
  const recordParams = [
    runId,
    ...sf.params,
    ...(inRow ? [runId, ...ns.params] : []),
    ...(secondInRow ? [runId, ...ns.params] : []),
    runId,
    ...ns.params,
  ];
  if (schemaVersion < 16) return { sql: fromRecords, params: recordParams };
  // The stored split is JSON this app wrote (tender-output.ts): `"class":"money"` appears only in byClass.
  const stored = unique.map(() => 'instr(r.tenders, ?) > 0');
  const storedParams: unknown[] = unique.map((c) => `"class":"${c}"`);
  // An exchange block (returned and exchanged values) is exchange data even with no exchange tender (§1.1).
  if (unique.includes('exchange')) {
    stored.push('instr(r.tenders, ?) > 0');
    storedParams.push('"exchange":{');
  }
  if (schemaVersion < MATCHED_RESULTS_VERSION) {
    return {
      sql: `(CASE WHEN r.tenders IS NOT NULL THEN (${stored.join(' OR ')}) ELSE ${fromRecords} END)`,
      params: [...storedParams, ...recordParams],
    };
  }
  // A compact row whose split was dropped keeps its classes (migration 026): looked up by id, the
  // same SQL over both sources (a `results` row finds no compact row: NULL, and the records answer).
  return {
    sql: `(CASE WHEN r.tenders IS NOT NULL THEN (${stored.join(' OR ')})
      ELSE coalesce(${COMPACT_TENDER_CLASSES_SQL}, ${fromRecords}) END)`,
    params: [...storedParams, tenderClassMask(unique), ...recordParams],
  };
}
