import v8 from 'node:v8';
import { DEFAULT_SEVERITY, type ResultCode, type Severity, severityRank } from '../../shared/codes';
import { ReconcileRules, type ReconcileRulesInput, type TenderClass } from '../../shared/contract/run';
import type { CanonicalDispute, CanonicalRefund } from '../../shared/model';
import { emptyClassSums, tenderClassOf } from '../tenders/classes';
import { IdAlphabet } from './id-alphabet';
import { compareLines, type LineComparison } from './lines';
import { columnsFromRefunds, type MatchColumns } from './match-columns';
import { newPlainBatch, PLAIN_BATCH, type PlainPairBatch, plainPairOf } from './plain-pairs';
import { refundIn } from './presentment-view';
import { findByRefundKey, normaliseRefundId } from './refund-key';
import { firstFreeSlot } from './skip-pointers';
import { StringIndex } from './string-index';
import {
  checkTenders,
  quickAgrees,
  quickClass,
  type TenderCheck,
  type TenderContext,
  tendersAgree,
  unitTenders,
} from './tender-check';
import { applyDisputes, disputesByOrder } from './tender-disputes';
import { tenderFirstPairs } from './tender-first-pairs';
import { toleranceResolver } from './tolerance';

/**
 * The matching engine of spec §4 and §5: a pure function over canonical refunds, independent of
 * SQLite. Records are grouped by normalised order key (sorted arrays, merged once), so the work
 * is O(n log n) for the sort plus near-linear matching; large orders use bucketed nearest-date
 * search instead of trying every pair.
 */

export type MatchedBy =
  | 'refund_key'
  | 'order_total'
  | 'order_rollup'
  | 'order_pair'
  | 'order_currency'
  | 'duplicate'
  | 'unmatched';

/** A NetSuite refund as the matcher sees it: a record, or a Credit Memo with the Customer Refund(s) paying it. */
export interface NetsuiteUnit {
  /** Index of the unit in the engine's unit table (-1 for a repeated internal id). */
  idx: number;
  primary: CanonicalRefund;
  members: CanonicalRefund[];
  orderKey: string;
  day: number;
  total: number;
  currency: string;
  used: boolean;
}

export interface ReconcileResult {
  /** Stable across runs: `sf:<refund id>` or `ns:<internal id>` (annotations follow it). */
  key: string;
  code: ResultCode;
  severity: Severity;
  /** Every code that applies; `code` is the most severe (ties: the order of spec §5). */
  issues: ResultCode[];
  orderRef: string;
  orderKey: string;
  /** The currency the totals are compared in (NetSuite's when it matches the storefront's presentment currency). */
  currency: string;
  date: string;
  storefront: CanonicalRefund[];
  netsuite: CanonicalRefund[];
  units: NetsuiteUnit[];
  storefrontTotal: number | null;
  netsuiteTotal: number | null;
  /** storefront − NetSuite, minor units of `currency`; 0 on currency_mismatch. */
  difference: number;
  tolerance: number;
  matchedBy: MatchedBy;
  /** Storefront totals were taken from presentment money (the customer's currency). */
  presentment: boolean;
  /** For `duplicate`: the key of the result this record repeats. */
  duplicateOf: string | null;
  /** Line comparison rows when lines differ (computed eagerly only for non-matching results). */
  lines: LineComparison[] | null;
  /** For `duplicate`: why ("same refund key", "same internal id", "same order, total and date"). */
  duplicateReason: string | null;
  /** The per-tender check (tenders.md §2) when it found something to say; null when the split is unremarkable. */
  tenderCheck: TenderCheck | null;
  /** The chargeback or dispute on the result's order that shaped its code or hint (tenders.md §3.1). */
  dispute: CanonicalDispute | null;
  /** Disputes were given to this comparison (so a "chargeback" memo can be classified). */
  disputesGiven: boolean;
  /** Severities that differ from the code's default for this result (`exchange` warning, `chargeback` error). */
  codeSeverity: Partial<Record<ResultCode, Severity>> | null;
}

export interface EngineSummary {
  storefrontRefunds: number;
  netsuiteRecords: number;
  results: number;
  byCode: Partial<Record<ResultCode, number>>;
  bySeverity: Partial<Record<Severity, number>>;
  /** Minor units per currency. */
  totals: Record<string, { storefront: number; netsuite: number }>;
  /** The same money per currency and tender class (tenders.md §6), classes with money only. */
  byClass: Record<string, Partial<Record<TenderClass, { storefront: number; netsuite: number }>>>;
  notCompared: number;
  lineItemRefunds: 'yes' | 'no';
}

export interface ReconcileOutput {
  results: ReconcileResult[];
  summary: EngineSummary;
  /** Failed or voided NetSuite records: kept but not compared (spec §3). */
  notCompared: CanonicalRefund[];
  rules: ReconcileRules;
}

export interface ReconcileOptions {
  signal?: AbortSignal;
  /** Shopify Payments disputes of the storefront side (tenders.md §3.1), by order reference. */
  disputes?: readonly CanonicalDispute[];
  progress?: (done: number, total: number) => void;
  /**
   * Decide plain pairs from the columns (plain-pairs.ts; default true where the columns offer it)
   * and two refunds rolled into one before rules 2 and 3 (`rollupOfTwo`). False: every order takes
   * the general path (the differential tests compare both).
   */
  plainBlock?: boolean;
}

const QUICK_CLASS_NAMES = ['money', 'stored_value', 'exchange', 'other'] as const;

/** Spec §5 order with tenders.md §3's codes, used to break ties between codes of equal severity. */
const CODE_PRIORITY: ResultCode[] = [
  'currency_mismatch',
  'amount_mismatch',
  'line_mismatch',
  'tender_mismatch',
  'chargeback',
  'credit_not_paid_out',
  'general_refund',
  'record_type_mismatch',
  'exchange',
  'duplicate',
  'missing_in_netsuite',
  'missing_in_storefront',
  'no_order_reference',
  'rounding',
  'no_money_moved',
  'matched',
];
const PRIORITY_INDEX = new Map(CODE_PRIORITY.map((code, i) => [code, i]));

interface SfItem {
  /** Index of the refund in the storefront columns. */
  idx: number;
  r: CanonicalRefund;
  orderKey: string;
  day: number;
  moneyMoved: boolean;
  used: boolean;
  /** The result this refund ended in, once used (for duplicate detection). */
  result: ReconcileResult | null;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Storefront total in `currency`: shop money, or presentment money when that is what NetSuite recorded. */
function totalIn(r: CanonicalRefund, currency: string): number | null {
  if (r.currency === currency) return r.total;
  if (r.presentment && r.presentment.currency === currency) return r.presentment.total;
  return null;
}

function recordTypeMismatch(r: CanonicalRefund): boolean {
  if (!r.createdFrom) return false;
  const from = r.createdFrom.type;
  if (r.recordType === 'cashRefund') return from !== 'cashSale' && from !== 'returnAuthorization';
  if (r.recordType === 'creditMemo') return from !== 'invoice' && from !== 'returnAuthorization';
  return false;
}

class Engine {
  readonly rules: ReconcileRules;
  readonly tol: (currency: string) => number;
  lineItemRefunds: 'yes' | 'no' = 'yes';
  /** The current order's results (handed to the sink once the order is done; a new array per order). */
  results: ReconcileResult[] = [];
  private readonly usedKeys = new Map<string, number>();
  /**
   * Ids whose result key can occur twice (a repeated storefront refund id, a repeated internal
   * id); every other key is unique as is. Held as the ids themselves, not the `sf:`/`ns:` keys:
   * the column's id strings keep their hash, a key built per result would be hashed each time.
   */
  ambiguousSfIds: ReadonlySet<string> = new Set();
  ambiguousNsIds: ReadonlySet<string> = new Set();
  /** Day number open credit is aged against (tenders.md §2 rule 3). */
  asOfDay = 0;
  /** Disputes by normalised order key, or null when none were given. */
  disputes: Map<string, CanonicalDispute[]> | null = null;
  /** Scratch class sums for the quick tender check: the common case allocates nothing. */
  private readonly sumsA = emptyClassSums();
  private readonly sumsB = emptyClassSums();

  constructor(rules: ReconcileRules) {
    this.rules = rules;
    this.tol = toleranceResolver(rules);
  }

  tenderContext(currency: string): TenderContext {
    return { tolerance: this.tol(currency), asOfDay: this.asOfDay, creditPayoutDays: this.rules.creditPayoutDays };
  }

  /** §2 rule 1 tie-break: the tenders of a candidate pair agree. */
  pairAgrees(s: SfItem, u: NetsuiteUnit): boolean {
    return tendersAgree([s.r], [u], u.currency, this.tenderContext(u.currency), this.sumsA, this.sumsB);
  }

  /** `sf:<id>` or `ns:<id>`, numbered from the second use on when the id is ambiguous. */
  uniqueKey(prefix: 'sf:' | 'ns:', id: string): string {
    const base = prefix + id;
    // (Usually no id is ambiguous: then not even a lookup.)
    const ambiguous = prefix === 'sf:' ? this.ambiguousSfIds : this.ambiguousNsIds;
    if (ambiguous.size === 0 || !ambiguous.has(id)) return base;
    const n = this.usedKeys.get(base);
    if (n === undefined) {
      this.usedKeys.set(base, 1);
      return base;
    }
    this.usedKeys.set(base, n + 1);
    return `${base}#${n + 1}`;
  }

  severityOf(code: ResultCode, overrides?: Partial<Record<ResultCode, Severity>> | null): Severity {
    const own = overrides?.[code];
    if (own) return own;
    if (code === 'general_refund' && this.lineItemRefunds === 'no') return 'info';
    return DEFAULT_SEVERITY[code];
  }

  pick(
    issues: ResultCode[],
    overrides?: Partial<Record<ResultCode, Severity>> | null,
  ): { code: ResultCode; severity: Severity } {
    let best: ResultCode = issues[0] ?? 'matched';
    for (const code of issues) {
      const a = severityRank(this.severityOf(code, overrides));
      const b = severityRank(this.severityOf(best, overrides));
      if (a > b || (a === b && PRIORITY_INDEX.get(code)! < PRIORITY_INDEX.get(best)!)) best = code;
    }
    return { code: best, severity: this.severityOf(best, overrides) };
  }

  /** Sets a result's code and severity from its issues (and its own severities). */
  repick(result: ReconcileResult): void {
    const picked = this.pick(result.issues, result.codeSeverity);
    result.code = picked.code;
    result.severity = picked.severity;
  }

  /** Builds and records one result; marks its records used. */
  emit(
    sfs: SfItem[],
    units: NetsuiteUnit[],
    matchedBy: MatchedBy,
    forced?: { code: ResultCode; duplicateOf?: string; reason?: string },
  ): ReconcileResult {
    const first = sfs[0];
    const firstUnit = units[0];
    const key = first ? this.uniqueKey('sf:', first.r.id) : this.uniqueKey('ns:', firstUnit!.primary.id);
    const netsuite: CanonicalRefund[] = [];
    for (const u of units) for (const m of u.members) netsuite.push(m);
    const result: ReconcileResult = {
      key,
      code: 'matched',
      severity: 'ok',
      issues: [],
      orderRef: first?.r.orderRef || firstUnit?.primary.orderRef || '',
      orderKey: first?.orderKey || firstUnit?.orderKey || '',
      currency: first?.r.currency ?? firstUnit!.currency,
      date: first?.r.date ?? firstUnit!.primary.date,
      storefront: sfs.map((s) => s.r),
      netsuite,
      units,
      storefrontTotal: null,
      netsuiteTotal: null,
      difference: 0,
      tolerance: 0,
      matchedBy,
      presentment: false,
      duplicateOf: forced?.duplicateOf ?? null,
      lines: null,
      duplicateReason: forced?.reason ?? null,
      tenderCheck: null,
      dispute: null,
      disputesGiven: this.disputes !== null,
      codeSeverity: null,
    };
    for (const s of sfs) {
      s.used = true;
      s.result = result;
    }
    for (const u of units) u.used = true;

    if (sfs.length > 0) {
      let sum = 0;
      for (const s of sfs) sum += s.r.total;
      result.storefrontTotal = sum;
    }
    if (units.length > 0) {
      let sum = 0;
      for (const u of units) sum += u.total;
      result.netsuiteTotal = sum;
    }
    result.tolerance = this.tol(result.currency);

    if (forced) {
      result.issues = [forced.code];
      result.code = forced.code;
      result.severity = this.severityOf(forced.code);
      result.difference = (result.storefrontTotal ?? 0) - (result.netsuiteTotal ?? 0);
      if (forced.code === 'duplicate' && sfs.length > 0 && units.length > 0) this.compareInto(result, sfs, units);
      this.results.push(result);
      return result;
    }
    if (units.length === 0) {
      // A refund paid in store credit moved value (never no_money_moved); one paid only in exchange
      // credit is an exchange NetSuite does not record (tenders.md §3).
      const moved = sfs.some((s) => s.moneyMoved) || sfs.some((s) => hasClass(s.r, 'stored_value'));
      const exchangeOnly = !moved && sfs.some((s) => hasClass(s.r, 'exchange'));
      const code: ResultCode = moved ? 'missing_in_netsuite' : exchangeOnly ? 'exchange' : 'no_money_moved';
      result.issues = [code];
      if (exchangeOnly) result.codeSeverity = { exchange: 'warning' };
      result.code = code;
      result.severity = this.severityOf(code, result.codeSeverity);
      result.difference = result.storefrontTotal ?? 0;
      if (!moved && !exchangeOnly) result.difference = 0;
    } else if (sfs.length === 0) {
      const code: ResultCode = firstUnit!.orderKey === '' ? 'no_order_reference' : 'missing_in_storefront';
      result.issues = [code];
      if (units.some((u) => recordTypeMismatch(u.primary))) result.issues.push('record_type_mismatch');
      result.code = code;
      result.severity = this.severityOf(code);
      result.difference = -(result.netsuiteTotal ?? 0);
    } else {
      this.compareInto(result, sfs, units);
    }
    this.results.push(result);
    return result;
  }

  /**
   * The result `emit` builds for a plain pair (plain-pairs.ts: one refund, one unit of one record,
   * same currency and total, nothing to flag), the same fields in the same order, without its checks.
   */
  plainResult(
    r: CanonicalRefund,
    orderKey: string,
    u: number,
    primary: CanonicalRefund,
    ns: MatchColumns,
    p: number,
    byKey: boolean,
  ): ReconcileResult {
    const currency = ns.currency[p]!;
    const unit: NetsuiteUnit = {
      idx: u,
      primary,
      members: [primary],
      orderKey: ns.orderKey[p]!,
      day: ns.day[p]!,
      total: ns.total[p]!,
      currency,
      used: true,
    };
    const storefrontTotal = 0 + r.total;
    const netsuiteTotal = 0 + unit.total;
    return {
      key: this.uniqueKey('sf:', r.id),
      code: 'matched',
      severity: this.severityOf('matched'),
      issues: ['matched'],
      orderRef: r.orderRef || primary.orderRef || '',
      orderKey,
      currency,
      date: r.date,
      storefront: [r],
      netsuite: [primary],
      units: [unit],
      storefrontTotal,
      netsuiteTotal,
      difference: storefrontTotal - netsuiteTotal,
      tolerance: this.tol(currency),
      matchedBy: byKey ? 'refund_key' : 'order_total',
      presentment: false,
      duplicateOf: null,
      lines: null,
      duplicateReason: null,
      tenderCheck: null,
      dispute: null,
      disputesGiven: this.disputes !== null,
      codeSeverity: null,
    };
  }

  /** Classifies a pairing (1:1, roll-up, or a key match with several NetSuite refunds). */
  private compareInto(result: ReconcileResult, sfs: SfItem[], units: NetsuiteUnit[]): void {
    const currency = units[0]!.currency;
    const issues: ResultCode[] = [];
    let sfTotal = 0;
    let comparable = units.every((u) => u.currency === currency);
    let presentment = false;
    for (const s of sfs) {
      const t = totalIn(s.r, currency);
      if (t === null) comparable = false;
      else {
        sfTotal += t;
        if (s.r.currency !== currency) presentment = true;
      }
    }
    if (!comparable) {
      result.issues = result.code === 'duplicate' ? ['duplicate', 'currency_mismatch'] : ['currency_mismatch'];
      if (result.duplicateOf === null) {
        result.code = 'currency_mismatch';
        result.severity = this.severityOf('currency_mismatch');
      }
      result.difference = 0;
      return;
    }
    result.currency = currency;
    result.presentment = presentment;
    result.storefrontTotal = sfTotal;
    const tol = this.tol(currency);
    result.tolerance = tol;
    const diff = sfTotal - (result.netsuiteTotal ?? 0);
    result.difference = diff;
    if (Math.abs(diff) > tol) issues.push('amount_mismatch');
    else if (diff !== 0) issues.push('rounding');
    const nsRecords = result.netsuite;
    // Lines in the compared currency (presentment money when NetSuite recorded it); when a refund
    // has its parts only in shop money, only the totals are compared (hints.ts says so).
    const sfInCurrency = presentment ? result.storefront.map((r) => refundIn(r, currency)) : result.storefront;
    const linesComparable = !sfInCurrency.includes(null);
    const check = compareLines(
      linesComparable ? (sfInCurrency as CanonicalRefund[]) : result.storefront,
      nsRecords,
      this.rules.itemMapping,
      tol,
      issues.length > 0 || result.duplicateOf !== null,
    );
    if (!linesComparable) {
      if (check.storefrontHasItems && !check.netsuiteHasItems) issues.push('general_refund');
    } else if (check.compared) {
      if (check.differs) {
        issues.push('line_mismatch');
        result.lines = check.lines;
      } else if (issues.length > 0) result.lines = check.lines;
    } else if (check.storefrontHasItems && !check.netsuiteHasItems) {
      issues.push('general_refund');
    }
    if (units.some((u) => recordTypeMismatch(u.primary))) issues.push('record_type_mismatch');
    this.compareTenders(result, units, currency, tol, issues);
    if (result.duplicateOf !== null) {
      result.issues = ['duplicate', ...issues];
      return;
    }
    if (issues.length === 0) issues.push('matched');
    result.issues = issues;
    if (issues.length === 1) {
      // One issue is its own pick (the common case: `matched`), without pick's result object.
      result.code = issues[0]!;
      result.severity = this.severityOf(issues[0]!, result.codeSeverity);
      return;
    }
    // A line difference only counts as line_mismatch when totals agree (spec §5); with an amount
    // mismatch the lines explain it and stay listed as an issue.
    const picked = this.pick(issues, result.codeSeverity);
    result.code = picked.code;
    result.severity = picked.severity;
  }

  /**
   * tenders.md §2–§3 on a paired result: the per-class check when totals agree (tender_mismatch,
   * credit_not_paid_out, exchange), the split for the difference clue when they do not. The quick
   * check settles the common case (one class a side, agreeing) without allocating.
   */
  private compareTenders(
    result: ReconcileResult,
    units: NetsuiteUnit[],
    currency: string,
    tol: number,
    issues: ResultCode[],
  ): void {
    const sfRecords = result.storefront;
    if (!result.presentment && quickAgrees(sfRecords, units, tol, this.sumsA, this.sumsB)) return;
    if (allOther(sfRecords) && units.every((u) => u.members.length === 1 && quickClass(u.primary) === 3)) return;
    const check = checkTenders(sfRecords, units, currency, this.tenderContext(currency));
    result.tenderCheck = check;
    if (issues.includes('amount_mismatch')) return;
    if (check.exchange) {
      if (check.agrees) issues.push('exchange');
      else if (check.x2) {
        issues.push('exchange');
        result.codeSeverity = { ...result.codeSeverity, exchange: 'warning' };
      } else issues.push('tender_mismatch');
    } else if (!check.agrees) issues.push('tender_mismatch');
    if (check.agrees && check.overdue.length > 0) issues.push('credit_not_paid_out');
  }
}

/** A sink for results, one order at a time (results are not kept by the engine). */
export interface ResultSink {
  add(result: ReconcileResult): void;
  /**
   * Plain pairs (plain-pairs.ts) as a batch, in result order with the `add`s around them. Absent:
   * the engine hands each pair to `add` as the result the general path builds.
   */
  addPlain?(batch: PlainPairBatch): void;
}

/** compareRecords over columns: id, total, then (rarely needed, fetched lazily) the tie fields. */
function recordCmp(c: MatchColumns, i: number, j: number): number {
  const r = cmpStr(c.id[i]!, c.id[j]!) || c.total[i]! - c.total[j]!;
  if (r !== 0) return r;
  const a = c.tie(i);
  const b = c.tie(j);
  return (
    cmpStr(a.documentNumber, b.documentNumber) ||
    cmpStr(c.currency[i]!, c.currency[j]!) ||
    cmpStr(a.externalId, b.externalId) ||
    cmpStr(c.recordType[i]!, c.recordType[j]!)
  );
}

/** A NetSuite refund by index: its primary record and the Customer Refunds that pay it out. */
interface UnitTable {
  primary: number[];
  extra: Map<number, number[]>;
  /** 1 where `extra` has the unit: most units have no Customer Refund, and a Map miss per unit showed in profiles. */
  hasExtra: Uint8Array;
}

/**
 * Groups Credit Memos with the Customer Refunds that pay them out (appliesTo, or same order and
 * total). Same outcome as grouping sorted records: duplicates of an internal id are the records
 * after the first in record order; Customer Refunds are attached in record order.
 */
function buildUnits(ns: MatchColumns, active: number[]): { units: UnitTable; duplicateIds: number[] } {
  // Distinct internal ids in order of first appearance; `first[k]`: the record kept for the k-th.
  const first: number[] = [];
  const byId = new StringIndex(active.length, (k) => ns.id[first[k]!]!);
  const duplicateIds: number[] = [];
  for (const i of active) {
    const k = byId.add(ns.id[i]!, first.length);
    if (k < 0) first.push(i);
    else {
      const prev = first[k]!;
      if (recordCmp(ns, i, prev) < 0) {
        first[k] = i;
        duplicateIds.push(prev);
      } else duplicateIds.push(i);
    }
  }
  duplicateIds.sort((a, b) => recordCmp(ns, a, b));
  const units: UnitTable = { primary: [], extra: new Map(), hasExtra: new Uint8Array(0) };
  // Credit Memos found by internal id through `byId` (its slot k → the memo's unit, -1 for other
  // records): a Map keyed by the id strings cost an insert per memo (≈ 3 % of a 200k compare).
  const memoUnitOfSlot = new Int32Array(first.length).fill(-1);
  const creditMemos: number[] = [];
  const pendingRefunds: number[] = [];
  for (let k = 0; k < first.length; k++) {
    const i = first[k]!;
    if (ns.recordType[i] === 'customerRefund') pendingRefunds.push(i);
    else {
      const u = units.primary.length;
      units.primary.push(i);
      if (ns.recordType[i] === 'creditMemo') {
        memoUnitOfSlot[k] = u;
        creditMemos.push(u);
      }
    }
  }
  pendingRefunds.sort((a, b) => recordCmp(ns, a, b));
  const addMember = (u: number, i: number) => {
    const list = units.extra.get(u);
    if (list) list.push(i);
    else units.extra.set(u, [i]);
  };
  const settled = new Uint8Array(units.primary.length);
  const standalone: number[] = [];
  for (const cr of pendingRefunds) {
    const applies = ns.appliesTo(cr);
    const slot = applies ? byId.get(applies) : -1;
    const target = slot >= 0 ? memoUnitOfSlot[slot]! : -1;
    if (target >= 0) {
      addMember(target, cr);
      settled[target] = 1;
    } else standalone.push(cr);
  }
  if (standalone.length > 0) attachStandaloneRefunds(ns, units, creditMemos, settled, standalone, addMember);
  units.hasExtra = new Uint8Array(units.primary.length);
  for (const u of units.extra.keys()) units.hasExtra[u] = 1;
  return { units, duplicateIds };
}

/**
 * Customer Refunds that name no Credit Memo (`standalone`, in record order): each pays out the
 * unsettled memo of its order with its currency and total, the nearest in date (of equal distance,
 * the first in record order), which leaves the memo's list; a refund that finds none is its own unit.
 * Unsettled memos are listed per order key in linked lists (`next`) behind a `StringIndex` of the
 * keys: a `Map` of order key to array cost an insert per memo and its global sort by record a
 * string comparison per memo (≈ 0.3 s CPU at 1M, 165k memos); only a list of several memos is sorted.
 */
function attachStandaloneRefunds(
  ns: MatchColumns,
  units: UnitTable,
  creditMemos: readonly number[],
  settled: Uint8Array,
  standalone: readonly number[],
  addMember: (u: number, i: number) => void,
): void {
  const P = units.primary;
  // Lists: `head[l]` the first memo unit of list l (-1 once emptied), `next[u]` the one after u.
  const head: number[] = [];
  const next = new Int32Array(P.length).fill(-1);
  const tail: number[] = [];
  const lists = new StringIndex(creditMemos.length, (l) => ns.orderKey[P[tail[l]!]!]!);
  let sortNeeded = false;
  for (const u of creditMemos) {
    if (settled[u] !== 0) continue;
    const key = ns.orderKey[P[u]!]!;
    if (key === '') continue;
    const l = lists.add(key, head.length);
    if (l < 0) {
      head.push(u);
      tail.push(u);
    } else {
      next[tail[l]!] = u;
      tail[l] = u;
      sortNeeded = true;
    }
  }
  // The lists in record order (compareRecords), as the memos were once sorted before listing: only
  // lists of two or more memos, each by a stable sort of its own members.
  if (sortNeeded) {
    for (let l = 0; l < head.length; l++) {
      const first = head[l]!;
      if (next[first]! < 0) continue;
      const members: number[] = [];
      for (let u = first; u >= 0; u = next[u]!) members.push(u);
      members.sort((a, b) => recordCmp(ns, P[a]!, P[b]!));
      head[l] = members[0]!;
      for (let k = 0; k < members.length; k++) next[members[k]!] = k + 1 < members.length ? members[k + 1]! : -1;
    }
  }
  for (const cr of standalone) {
    const key = ns.orderKey[cr]!;
    const l = key === '' ? -1 : lists.get(key);
    const currency = ns.currency[cr]!;
    const total = ns.total[cr]!;
    const day = ns.day[cr]!;
    let best = -1;
    let bestPrev = -1;
    if (l >= 0) {
      for (let u = head[l]!, prev = -1; u >= 0; prev = u, u = next[u]!) {
        const p = P[u]!;
        if (ns.currency[p] !== currency || ns.total[p] !== total) continue;
        if (best < 0 || Math.abs(ns.day[p]! - day) < Math.abs(ns.day[P[best]!]! - day)) {
          best = u;
          bestPrev = prev;
        }
      }
    }
    if (best >= 0) {
      if (bestPrev < 0) head[l] = next[best]!;
      else next[bestPrev] = next[best]!;
      addMember(best, cr);
    } else P.push(cr);
  }
}

/** Running totals of the summary, filled as results stream out. */
class SummaryAcc {
  readonly byCode: Partial<Record<ResultCode, number>> = {};
  readonly bySeverity: Partial<Record<Severity, number>> = {};
  readonly totals: EngineSummary['totals'] = {};
  readonly byClass: EngineSummary['byClass'] = {};
  results = 0;
  // The entries of the currency added last (nearly every result is in the same currency as the
  // one before): one string comparison instead of a keyed lookup per side and class.
  private lastCurrency: string | null = null;
  private lastTotals: { storefront: number; netsuite: number } | undefined = undefined;
  private lastClassCurrency: string | null = null;
  private lastByClass: EngineSummary['byClass'][string] | undefined = undefined;
  private add(currency: string, side: 'storefront' | 'netsuite', amount: number): void {
    let t = currency === this.lastCurrency ? this.lastTotals : this.totals[currency];
    if (!t) {
      t = { storefront: 0, netsuite: 0 };
      this.totals[currency] = t;
    }
    this.lastCurrency = currency;
    this.lastTotals = t;
    t[side] += amount;
  }
  private addClass(currency: string, side: 'storefront' | 'netsuite', cls: TenderClass, amount: number): void {
    if (amount === 0) return;
    let byClass = currency === this.lastClassCurrency ? this.lastByClass : this.byClass[currency];
    if (!byClass) {
      byClass = {};
      this.byClass[currency] = byClass;
    }
    this.lastClassCurrency = currency;
    this.lastByClass = byClass;
    let c = byClass[cls];
    if (!c) {
      c = { storefront: 0, netsuite: 0 };
      byClass[cls] = c;
    }
    c[side] += amount;
  }
  /** `count` of a plain pair's result (plain-pairs.ts): `matched`, one record a side in `currency`. */
  countPlain(currency: string, severity: Severity, sfTotal: number, nsTotal: number, qs: number, qn: number): void {
    this.results++;
    this.byCode.matched = (this.byCode.matched ?? 0) + 1;
    this.bySeverity[severity] = (this.bySeverity[severity] ?? 0) + 1;
    this.add(currency, 'storefront', sfTotal);
    if (qs >= 0 && qs < 4) this.addClass(currency, 'storefront', QUICK_CLASS_NAMES[qs]!, sfTotal);
    this.add(currency, 'netsuite', nsTotal);
    if (qn >= 0 && qn < 4) this.addClass(currency, 'netsuite', QUICK_CLASS_NAMES[qn]!, nsTotal);
  }
  count(r: ReconcileResult): void {
    this.results++;
    this.byCode[r.code] = (this.byCode[r.code] ?? 0) + 1;
    this.bySeverity[r.severity] = (this.bySeverity[r.severity] ?? 0) + 1;
    // Per currency (sideAmounts' rule, without its objects) and per tender class: a record in one
    // class adds its total (no allocation); others add their tenders.
    for (const s of r.storefront) {
      const inCurrency = totalIn(s, r.currency);
      const currency = inCurrency !== null ? r.currency : s.currency;
      this.add(currency, 'storefront', inCurrency ?? s.total);
      const q = quickClass(s);
      if (q >= 0 && q < 4) this.addClass(currency, 'storefront', QUICK_CLASS_NAMES[q]!, inCurrency ?? s.total);
      else if (q < 0) {
        if (currency !== s.currency) this.addClass(currency, 'storefront', 'other', inCurrency ?? 0);
        else for (const t of s.tenders) this.addClass(currency, 'storefront', tenderClassOf(t.kind), t.amount);
      }
    }
    for (const u of r.units) {
      this.add(u.currency, 'netsuite', u.total);
      const q = u.members.length === 1 ? quickClass(u.primary) : -1;
      if (q >= 0 && q < 4) this.addClass(u.currency, 'netsuite', QUICK_CLASS_NAMES[q]!, u.total);
      else if (q < 0) {
        for (const t of unitTenders(u, false)) this.addClass(u.currency, 'netsuite', tenderClassOf(t.kind), t.amount);
      }
    }
  }
}

export interface SideAmount {
  side: 'storefront' | 'netsuite';
  currency: string;
  amount: number;
}

/**
 * The money of each side of a result and the currency it counts in for per-currency totals: a
 * storefront refund in the result's currency where it has it (presentment money included), else
 * in its own; each NetSuite refund (a Credit Memo with its Customer Refund once) in its own. The
 * CLI summary, the review's totals and the exports all total by this one rule.
 */
export function sideAmounts(r: ReconcileResult): SideAmount[] {
  const out: SideAmount[] = [];
  for (const s of r.storefront) {
    const inCurrency = totalIn(s, r.currency);
    if (inCurrency !== null) out.push({ side: 'storefront', currency: r.currency, amount: inCurrency });
    else out.push({ side: 'storefront', currency: s.currency, amount: s.total });
  }
  for (const u of r.units) out.push({ side: 'netsuite', currency: u.currency, amount: u.total });
  return out;
}

/** Nearest-date greedy pairing of small sets: all candidate pairs, best first. */
function greedyPairs<A extends { day: number }, B extends { day: number }>(
  left: A[],
  right: B[],
  accept: (a: A, b: B) => number | null,
): Array<[A, B]> {
  const candidates: Array<{ a: number; b: number; score: number; dist: number }> = [];
  for (let i = 0; i < left.length; i++) {
    for (let j = 0; j < right.length; j++) {
      const score = accept(left[i]!, right[j]!);
      if (score !== null) candidates.push({ a: i, b: j, score, dist: Math.abs(left[i]!.day - right[j]!.day) });
    }
  }
  candidates.sort((x, y) => x.score - y.score || x.dist - y.dist || x.a - y.a || x.b - y.b);
  const usedA = new Uint8Array(left.length);
  const usedB = new Uint8Array(right.length);
  const out: Array<[A, B]> = [];
  for (const c of candidates) {
    if (usedA[c.a] || usedB[c.b]) continue;
    usedA[c.a] = 1;
    usedB[c.b] = 1;
    out.push([left[c.a]!, right[c.b]!]);
  }
  return out;
}

/** Large orders: per (currency, total) bucket, nearest unused date by binary search with skip pointers. */
function bucketPairs(
  sfs: SfItem[],
  units: NetsuiteUnit[],
  tol: (currency: string) => number,
): Array<[SfItem, NetsuiteUnit]> {
  const buckets = new Map<string, { list: NetsuiteUnit[]; next: Int32Array; prev: Int32Array }>();
  const grouped = new Map<string, NetsuiteUnit[]>();
  for (const u of units) {
    if (u.used) continue; // paired already by the tender tie-break
    const k = `${u.currency}|${u.total}`;
    const list = grouped.get(k);
    if (list) list.push(u);
    else grouped.set(k, [u]);
  }
  for (const [k, list] of grouped) {
    const n = list.length;
    const next = new Int32Array(n + 1);
    const prev = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) {
      next[i] = i;
      prev[i] = i;
    }
    buckets.set(k, { list, next, prev });
  }
  const out: Array<[SfItem, NetsuiteUnit]> = [];
  for (let delta = 0; ; delta++) {
    let anyTolerance = false;
    for (const s of sfs) {
      if (s.used) continue;
      const t = Math.min(tol(s.r.currency), 100);
      if (delta > t) continue;
      anyTolerance = true;
      const currencies = [s.r.currency];
      if (s.r.presentment && s.r.presentment.currency !== s.r.currency) currencies.push(s.r.presentment.currency);
      let best: { u: NetsuiteUnit; bucket: { next: Int32Array; prev: Int32Array }; idx: number; dist: number } | null =
        null;
      for (const c of currencies) {
        const total = totalIn(s.r, c)!;
        for (const sign of delta === 0 ? [0] : [-1, 1]) {
          const bucket = buckets.get(`${c}|${total + sign * delta}`);
          if (!bucket) continue;
          const { list, next, prev } = bucket;
          let lo = 0;
          let hi = list.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (list[mid]!.day < s.day) lo = mid + 1;
            else hi = mid;
          }
          // Nearest unused at or after lo, and before lo. prev[] maps i to itself if unused, else leftwards (i+1 offset).
          const right = firstFreeSlot(next, lo);
          if (right < list.length) {
            const dist = list[right]!.day - s.day;
            if (!best || dist < best.dist) best = { u: list[right]!, bucket, idx: right, dist };
          }
          const leftPlus = firstFreeSlot(prev, lo); // prev works on indices shifted by one: slot i stands for list[i-1]
          if (leftPlus > 0) {
            const idx = leftPlus - 1;
            const dist = s.day - list[idx]!.day;
            if (!best || dist <= best.dist) best = { u: list[idx]!, bucket, idx, dist };
          }
        }
      }
      if (best) {
        best.bucket.next[best.idx] = best.idx + 1;
        best.bucket.prev[best.idx + 1] = best.idx;
        s.used = true;
        best.u.used = true;
        out.push([s, best.u]);
      }
    }
    if (!anyTolerance) break;
  }
  for (const [s, u] of out) {
    s.used = false;
    u.used = false;
  }
  return out;
}

/**
 * Reconciles storefront refunds against NetSuite records. Every storefront refund and every
 * compared NetSuite record ends up in exactly one result; failed or voided NetSuite records are
 * returned in `notCompared`. Input order never changes the outcome.
 */
export function reconcile(
  storefront: readonly CanonicalRefund[],
  netsuite: readonly CanonicalRefund[],
  rulesInput: ReconcileRulesInput | ReconcileRules = {},
  options: ReconcileOptions = {},
): ReconcileOutput {
  const rules = ReconcileRules.parse(rulesInput);
  const results: ReconcileResult[] = [];
  const out = reconcileColumns(
    columnsFromRefunds('storefront', storefront, rules.refundKeyField),
    columnsFromRefunds('netsuite', netsuite, rules.refundKeyField),
    rules,
    options,
    { add: (r) => results.push(r) },
  );
  return { results, summary: out.summary, notCompared: out.notCompared, rules };
}

/**
 * The engine over columns: the global rules (duplicate ids, Credit Memo grouping, refund keys)
 * work on indices; then one merge walk over both sides sorted by order key materialises one
 * order's records at a time, matches them and hands its results to `sink` (in result order).
 * Memory stays flat: the engine holds no result after its order is done.
 */
export function reconcileColumns(
  sf: MatchColumns,
  ns: MatchColumns,
  rulesInput: ReconcileRulesInput | ReconcileRules,
  options: ReconcileOptions,
  sink: ResultSink,
): { summary: EngineSummary; notCompared: CanonicalRefund[]; rules: ReconcileRules } {
  // V8's allocation-site pretenuring tends to decide, a few orders into a large walk, that some of
  // the per-order objects live long, and from then on allocates them in old space: ~800 MB of
  // old-space garbage and mark-compacts per 1M orders (walk CPU 9 s instead of 3 s, peak RSS
  // 1.5 GB instead of 0.9 GB; docs/benchmarks/reconcile.md). Off while this walk runs.
  if (sf.n + ns.n < PRETENURING_OFF_ABOVE) return reconcileColumnsCore(sf, ns, rulesInput, options, sink);
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
  try {
    return reconcileColumnsCore(sf, ns, rulesInput, options, sink);
  } finally {
    if (!PRETENURING_OFF_AT_START) v8.setFlagsFromString('--allocation-site-pretenuring');
  }
}

/** The process was started with pretenuring off: leave it off. */
const PRETENURING_OFF_AT_START = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
  /no[-_]allocation[-_]site[-_]pretenuring/.test(a),
);

/** Below this many records the walk is too short for pretenuring to matter. */
const PRETENURING_OFF_ABOVE = 100_000;

/** Some tender of the refund is in this class. */
function hasClass(r: CanonicalRefund, cls: 'stored_value' | 'exchange'): boolean {
  const quick = quickClass(r);
  if (quick >= 0) return quick === (cls === 'stored_value' ? 1 : 2);
  for (const t of r.tenders) {
    if (cls === 'exchange' ? t.kind === 'exchange' : t.kind === 'store_credit' || t.kind === 'gift_card') return true;
  }
  return false;
}

/** Every storefront refund's tenders are the default `other` (nothing to compare per class). */
function allOther(records: readonly CanonicalRefund[]): boolean {
  for (const r of records) if (quickClass(r) !== 3 && quickClass(r) !== 4) return false;
  return true;
}

/**
 * The day open credit is aged against: the rules' `asOf` (the CLI's --as-of, or the NetSuite
 * snapshot's capture date filled in by the compare); without one, the latest NetSuite record's date,
 * so the outcome depends on the data only, never on the wall clock.
 */
function asOfDay(rules: ReconcileRules, ns: MatchColumns): number {
  if (rules.asOf) {
    const d = rules.asOf;
    return Math.floor(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86400000);
  }
  let max = 0;
  for (let i = 0; i < ns.n; i++) if (ns.day[i]! > max) max = ns.day[i]!;
  return max;
}

/** `auto` line items: yes when both sides have item lines (the storefront can refund single lines). */
function inferLineItemRefunds(sf: MatchColumns, ns: MatchColumns): 'yes' | 'no' {
  let sfLines = false;
  let nsLines = false;
  for (let i = 0; i < sf.n; i++)
    if (sf.hasItems[i]) {
      sfLines = true;
      break;
    }
  for (let i = 0; i < ns.n; i++)
    if (ns.ok[i] && ns.hasItems[i]) {
      nsLines = true;
      break;
    }
  return sfLines && nsLines ? 'yes' : 'no';
}

/**
 * Storefront refunds, sorted by (order key, day, record); repeated refund ids are duplicates of the
 * first, and their keys are ambiguous.
 */
function indexStorefront(sf: MatchColumns) {
  const sfOrder: number[] = new Array(sf.n);
  for (let i = 0; i < sf.n; i++) sfOrder[i] = i;
  sfOrder.sort((a, b) => cmpStr(sf.orderKey[a]!, sf.orderKey[b]!) || sf.day[a]! - sf.day[b]! || recordCmp(sf, a, b));
  // Normalised refund id → the first storefront refund carrying it.
  const sfNid: string[] = new Array(sf.n);
  for (let i = 0; i < sf.n; i++) sfNid[i] = normaliseRefundId(sf.id[i]!);
  const sfById = new StringIndex(sf.n, (i) => sfNid[i]!);
  const sfRepeated: number[] = [];
  const sfItems: number[] = [];
  const ambiguousIds = new Set<string>();
  // 1 for a refund whose id a later one repeats (a flag per refund: the walk asks for every refund).
  const sfOriginalOfRepeat = new Uint8Array(sf.n);
  for (const i of sfOrder) {
    const first = sfById.add(sfNid[i]!, i);
    if (first >= 0) {
      sfRepeated.push(i);
      sfOriginalOfRepeat[first] = 1;
      ambiguousIds.add(sf.id[i]!);
      ambiguousIds.add(sf.id[first]!);
    } else sfItems.push(i);
  }
  return { sfNid, sfById, sfRepeated, sfItems, ambiguousIds, sfOriginalOfRepeat };
}

/**
 * NetSuite records not compared (in record order), and the compared ones as units (a Credit Memo
 * with the Customer Refunds paying it) sorted by (order key, day, record).
 */
function orderNetsuiteUnits(ns: MatchColumns) {
  const notComparedIdx: number[] = [];
  const nsActive: number[] = [];
  for (let i = 0; i < ns.n; i++) (ns.ok[i] ? nsActive : notComparedIdx).push(i);
  const rowIds = (ns as { rowId?: Float64Array }).rowId;
  if (rowIds) notComparedIdx.sort((a, b) => rowIds[a]! - rowIds[b]!);
  const { units, duplicateIds } = buildUnits(ns, nsActive);
  const unitCount = units.primary.length;
  const unitOrder: number[] = new Array(unitCount);
  for (let u = 0; u < unitCount; u++) unitOrder[u] = u;
  const P = units.primary;
  unitOrder.sort(
    (a, b) =>
      cmpStr(ns.orderKey[P[a]!]!, ns.orderKey[P[b]!]!) ||
      ns.day[P[a]!]! - ns.day[P[b]!]! ||
      recordCmp(ns, P[a]!, P[b]!),
  );
  return { notComparedIdx, units, duplicateIds, unitOrder };
}

/**
 * Rule 1, refund key: each storefront refund with the NetSuite units whose key field carries its
 * id. One unit pairs; of several, the closest in total (then date), or all of them when together
 * they make the total; the others are key duplicates.
 */
function pairByRefundKey(
  sf: MatchColumns,
  ns: MatchColumns,
  units: UnitTable,
  unitOrder: number[],
  storefront: { sfById: StringIndex; sfNid: string[]; sfItems: number[] },
  rules: ReconcileRules,
  tol: (currency: string) => number,
) {
  const P = units.primary;
  const unitCount = P.length;
  const { sfById, sfNid, sfItems } = storefront;
  // keyed: storefront index → NetSuite units carrying its id, in unit order.
  // (First unit in a typed array; the rare second and later ones in a Map.)
  const keyFirst = new Int32Array(sf.n).fill(-1);
  const keyMore = new Map<number, number[]>();
  const keyedSf: number[] = [];
  // The storefront refunds of the unit's own order, [orderLo, orderHi) in `sfItems` (both sides
  // walk in order-key order): a key nearly always names one of them, and comparing with those few
  // ids first spares most of the index's random probes (cache misses at 1M). `sfItems` holds the
  // first refund of each normalised id only, so an id found there is what `sfById` answers.
  let orderLo = 0;
  let orderHi = 0;
  let orderKeyAt: string | undefined;
  const orderOf = (key: string): void => {
    if (key === orderKeyAt) return;
    orderKeyAt = key;
    orderLo = orderHi;
    while (orderLo < sfItems.length && cmpStr(sf.orderKey[sfItems[orderLo]!]!, key) < 0) orderLo++;
    orderHi = orderLo;
    while (orderHi < sfItems.length && sf.orderKey[sfItems[orderHi]!] === key) orderHi++;
  };
  // The characters of the ids `sfById` holds: a key with another one is not probed for.
  const sfAlphabet = new IdAlphabet();
  for (const i of sfItems) sfAlphabet.add(sfNid[i]!);
  const lookup = (k: string): number => {
    for (let q = orderLo; q < orderHi; q++) if (sfNid[sfItems[q]!] === k) return sfItems[q]!;
    return sfAlphabet.mayBeId(k) ? sfById.get(k) : -1;
  };
  const keyHit = (m: number): number => {
    const value = ns.keyValue(m);
    return value === '' ? -1 : findByRefundKey(value, rules.refundKeyField, lookup);
  };
  for (const u of unitOrder) {
    orderOf(ns.orderKey[P[u]!]!);
    let hit = keyHit(P[u]!);
    if (hit < 0 && units.hasExtra[u]) {
      for (const m of units.extra.get(u)!) {
        hit = keyHit(m);
        if (hit >= 0) break;
      }
    }
    if (hit < 0) continue;
    if (keyFirst[hit]! < 0) {
      keyFirst[hit] = u;
      keyedSf.push(hit);
    } else {
      const list = keyMore.get(hit);
      if (list) list.push(u);
      else keyMore.set(hit, [keyFirst[hit]!, u]);
    }
  }
  const sfTotalIn = (i: number, currency: string): number | null =>
    sf.currency[i] === currency ? sf.total[i]! : sf.presCurrency[i] === currency ? sf.presTotal[i]! : null;
  const uDay = (u: number) => ns.day[P[u]!]!;
  const uTotal = (u: number) => ns.total[P[u]!]!;
  const uCurrency = (u: number) => ns.currency[P[u]!]!;
  // The units a storefront refund pairs with by key: one in a typed array, several in a Map.
  const pairFirst = new Int32Array(sf.n).fill(-1);
  const pairMore = new Map<number, number[]>();
  const keyDupBySf = new Map<number, number[]>();
  const keyDupUnit = new Uint8Array(unitCount);
  const unitPaired = new Uint8Array(unitCount);
  const sfPaired = new Uint8Array(sf.n);
  for (const s of keyedSf) {
    const list = keyMore.size > 0 ? keyMore.get(s) : undefined;
    let chosen: number[];
    if (list === undefined) {
      const u = keyFirst[s]!;
      pairFirst[s] = u;
      sfPaired[s] = 1;
      unitPaired[u] = 1;
      continue;
    } else {
      const sDay = sf.day[s]!;
      const close = list.filter((u) => {
        const t = sfTotalIn(s, uCurrency(u));
        return t !== null && Math.abs(t - uTotal(u)) <= tol(uCurrency(u));
      });
      if (close.length > 0) {
        close.sort((a, b) => Math.abs(uDay(a) - sDay) - Math.abs(uDay(b) - sDay) || uDay(a) - uDay(b));
        chosen = [close[0]!];
      } else {
        const currency = uCurrency(list[0]!);
        const t = sfTotalIn(s, currency);
        const sum = list.reduce((acc, u) => acc + uTotal(u), 0);
        if (t !== null && list.every((u) => uCurrency(u) === currency) && Math.abs(t - sum) <= tol(currency)) {
          chosen = list;
        } else {
          const gap = (u: number) => {
            const tu = sfTotalIn(s, uCurrency(u));
            return tu === null ? Number.MAX_SAFE_INTEGER : Math.abs(tu - uTotal(u));
          };
          const ranked = [...list].sort(
            (a, b) => gap(a) - gap(b) || Math.abs(uDay(a) - sDay) - Math.abs(uDay(b) - sDay) || uDay(a) - uDay(b),
          );
          chosen = [ranked[0]!];
        }
      }
      for (const u of list) {
        if (chosen.includes(u)) continue;
        keyDupUnit[u] = 1;
        const dups = keyDupBySf.get(s);
        if (dups) dups.push(u);
        else keyDupBySf.set(s, [u]);
      }
    }
    pairFirst[s] = chosen[0]!;
    if (chosen.length > 1) pairMore.set(s, chosen);
    sfPaired[s] = 1;
    for (const u of chosen) unitPaired[u] = 1;
  }

  return { pairFirst, pairMore, keyDupBySf, keyDupUnit, unitPaired, sfPaired };
}

function reconcileColumnsCore(
  sf: MatchColumns,
  ns: MatchColumns,
  rulesInput: ReconcileRulesInput | ReconcileRules,
  options: ReconcileOptions,
  sink: ResultSink,
): { summary: EngineSummary; notCompared: CanonicalRefund[]; rules: ReconcileRules } {
  const rules = ReconcileRules.parse(rulesInput);
  const engine = new Engine(rules);
  const window = rules.dateWindowDays;
  const tol = engine.tol;

  engine.lineItemRefunds =
    rules.storefrontLineItems === 'auto' ? inferLineItemRefunds(sf, ns) : rules.storefrontLineItems;
  engine.asOfDay = asOfDay(rules, ns);
  engine.disputes = options.disputes ? disputesByOrder(options.disputes) : null;

  const { sfNid, sfById, sfRepeated, sfItems, ambiguousIds, sfOriginalOfRepeat } = indexStorefront(sf);
  engine.ambiguousSfIds = ambiguousIds;
  const { notComparedIdx, units, duplicateIds, unitOrder } = orderNetsuiteUnits(ns);
  const dupNsIds = new Set<string>();
  for (const i of duplicateIds) {
    dupNsIds.add(ns.id[i]!);
  }
  engine.ambiguousNsIds = new Set(dupNsIds);
  const unitCount = units.primary.length;
  const P = units.primary;

  const total = sfItems.length + unitCount;
  let done = 0;
  const tick = (n: number) => {
    done += n;
    if ((done & 0xffff) < n || done === total) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
      options.progress?.(done, total);
    }
  };

  // Rule 1: refund key.
  const { pairFirst, pairMore, keyDupBySf, keyDupUnit, unitPaired, sfPaired } = pairByRefundKey(
    sf,
    ns,
    units,
    unitOrder,
    { sfById, sfNid, sfItems },
    rules,
    tol,
  );

  // One order at a time: its records as objects (key-paired NetSuite units from other orders too).
  // The current order's unit objects by unit index (an array and the list of slots to clear: a
  // Map cleared per order reallocated its table every order).
  const unitCache: Array<NetsuiteUnit | undefined> = new Array(unitCount);
  // (Slots in use counted, not the array truncated: `length = 0` is a runtime call per order.)
  const cachedUnits: number[] = [];
  let cachedCount = 0;
  const unitObject = (u: number): NetsuiteUnit => {
    let unit = unitCache[u];
    if (!unit) {
      const p = P[u]!;
      const primary = ns.record(p);
      const extra = units.hasExtra[u] ? units.extra.get(u) : undefined;
      unit = {
        idx: u,
        primary,
        members: extra ? [primary, ...extra.map((m) => ns.record(m))] : [primary],
        orderKey: ns.orderKey[p]!,
        day: ns.day[p]!,
        total: ns.total[p]!,
        currency: ns.currency[p]!,
        used: unitPaired[u] === 1,
      };
      unitCache[u] = unit;
      cachedUnits[cachedCount++] = u;
    }
    return unit;
  };
  const sfObject = (i: number): SfItem => ({
    idx: i,
    r: sf.record(i),
    orderKey: sf.orderKey[i]!,
    day: sf.day[i]!,
    moneyMoved: sf.moneyMoved[i] === 1 && sf.ok[i] === 1,
    used: sfPaired[i] === 1,
    result: null,
  });

  const acc = new SummaryAcc();
  const repeatKey = new Map<number, string>();
  const nsDupKey = new Map<string, string>();
  // Plain pairs (plain-pairs.ts): decided from the columns; to a sink that takes batches, buffered
  // (and sent before any other result), else each built as the general path's result.
  const plainCtx =
    options.plainBlock !== false && sf.plain && ns.plain
      ? {
          sf,
          ns,
          sfPlain: sf.plain,
          nsPlain: ns.plain,
          hasExtra: units.hasExtra,
          pairFirst,
          pairMore,
          keyDupBySf,
          keyDupUnit,
          unitPaired,
          sfOriginalOfRepeat,
          ambiguousSfIds: ambiguousIds,
          dupNsIds,
          disputes: engine.disputes,
          tol,
        }
      : null;
  const hasMapping = Object.keys(rules.itemMapping).length > 0;
  const matchedSeverity = engine.severityOf('matched');
  const plainResult = (s: number, p: number, u: number, byKey: number): ReconcileResult =>
    engine.plainResult(sf.record(s), sf.orderKey[s]!, u, ns.record(p), ns, p, byKey === 1);
  const plain = newPlainBatch(sf, ns, plainResult);
  const addPlain = sink.addPlain?.bind(sink);
  const drainPlain = () => {
    if (plain.end === 0) return;
    addPlain!(plain);
    plain.end = 0;
  };
  const flush = () => {
    if (plain.end > 0) drainPlain();
    for (const r of engine.results) {
      acc.count(r);
      if (dupNsIds.size > 0) {
        for (const m of r.netsuite) if (dupNsIds.has(m.id) && !nsDupKey.has(m.id)) nsDupKey.set(m.id, r.key);
      }
      sink.add(r);
    }
    engine.results = [];
  };

  // Off with the plain block (`plainBlock: false`): the differential tests compare both paths.
  const rollupShortcut = options.plainBlock !== false;
  const processOrder = (orderKey: string, sfs: SfItem[], nss: NetsuiteUnit[]) => {
    const start = engine.results.length;
    // Key-matched pairs of this order's storefront refunds (their NetSuite side may sit in another order).
    for (const s of sfs) {
      const first = pairFirst[s.idx]!;
      if (first < 0) continue;
      // (The maps hold the rare cases: looked up only when they hold anything.)
      const more = pairMore.size > 0 ? pairMore.get(s.idx) : undefined;
      const pair = more ? more.map(unitObject) : [unitObject(first)];
      for (const u of pair) u.used = false;
      s.used = false;
      const result = engine.emit([s], pair, pair.length > 1 ? 'order_rollup' : 'refund_key');
      result.matchedBy = 'refund_key';
      const dups = keyDupBySf.size > 0 ? keyDupBySf.get(s.idx) : undefined;
      if (dups === undefined) continue;
      for (const ui of dups) {
        const u = unitObject(ui);
        u.used = false;
        engine.emit([], [u], 'duplicate', {
          code: 'duplicate',
          duplicateOf: result.key,
          reason: 'same refund key',
        });
      }
    }
    if (orderKey === '') {
      for (const u of nss) {
        if (!u.used && !keyDupUnit[u.idx]) engine.emit([], [u], 'unmatched');
      }
      for (const s of sfs) if (!s.used) engine.emit([s], [], 'unmatched');
      sortTail(engine.results, start);
      return;
    }
    if (nothingFree(sfs, nss, keyDupUnit)) {
      // Every record paired by its refund key (a key-matched order): no rule below has anything to pair.
      const disputes = engine.disputes?.get(orderKey);
      if (disputes) applyDisputes(engine, engine.results, start, disputes);
      sortTail(engine.results, start);
      return;
    }
    if (plainPair(sfs, nss, keyDupUnit, tol)) {
      // Most orders: one refund a side, equal totals. Rule 2 pairs them and every later rule finds
      // nothing left, so the filters and the candidate lists of the general path are skipped.
      // (The result gets arrays of its own, as matchEqualTotals gives it.)
      engine.emit([sfs[0]!], [nss[0]!], 'order_total');
      const disputes = engine.disputes?.get(orderKey);
      if (disputes) applyDisputes(engine, engine.results, start, disputes);
      return;
    }
    if (rollupShortcut && rollupOfTwo(sfs, nss, keyDupUnit, tol)) {
      // Two refunds of the order rolled into one NetSuite refund (≈ 16 % of the bench's results):
      // rule 2 pairs neither, rule 3 emits the roll-up of both and leaves nothing for the rest.
      engine.emit([sfs[0]!, sfs[1]!], [nss[0]!], 'order_rollup');
      const disputes = engine.disputes?.get(orderKey);
      if (disputes) applyDisputes(engine, engine.results, start, disputes);
      return;
    }
    let sfFree = sfs.filter((s) => !s.used);
    let nsFree = nss.filter((u) => !u.used && !keyDupUnit[u.idx]);
    // Rule 2: equal total (within tolerance), nearest date.
    if (sfFree.length > 0 && nsFree.length > 0) {
      matchEqualTotals(engine, sfFree, nsFree, tol);
      sfFree = sfFree.filter((s) => !s.used);
      nsFree = nsFree.filter((u) => !u.used);
    }
    // Rule 3: roll-up per order and currency; then unequal pairs within the date window.
    if (sfFree.length > 0 && nsFree.length > 0) {
      matchRollupsAndPairs(engine, sfFree, nsFree, tol, window);
      sfFree = sfFree.filter((s) => !s.used);
      nsFree = nsFree.filter((u) => !u.used);
    }
    // Different currencies, one refund each side within the window.
    if (sfFree.length > 0 && nsFree.length > 0) {
      matchAcrossCurrencies(engine, sfFree, nsFree, window);
      sfFree = sfFree.filter((s) => !s.used);
      nsFree = nsFree.filter((u) => !u.used);
    }
    // Duplicates: a second record of one side for a refund already paired once; the rest unmatched.
    emitStorefrontLeftovers(engine, sfFree, sfs, tol, window);
    if (nsFree.length > 0) emitNetsuiteLeftovers(engine, nsFree, start, tol, window);
    const disputes = engine.disputes?.get(orderKey);
    if (disputes) applyDisputes(engine, engine.results, start, disputes);
    sortTail(engine.results, start);
  };

  let i = 0;
  let j = 0;
  let orderSf: SfItem[] = [];
  let orderNs: NetsuiteUnit[] = [];
  while (i < sfItems.length || j < unitCount) {
    if (plainCtx && i < sfItems.length && j < unitCount) {
      // One refund and one unit alone in their order: a plain pair is decided here, from the columns.
      const s = sfItems[i]!;
      const u = unitOrder[j]!;
      const p = P[u]!;
      const key = sf.orderKey[s]!;
      if (
        key === ns.orderKey[p] &&
        (i + 1 === sfItems.length || sf.orderKey[sfItems[i + 1]!] !== key) &&
        (j + 1 === unitCount || ns.orderKey[P[unitOrder[j + 1]!]!] !== key)
      ) {
        const byKey = plainPairOf(plainCtx, key, s, u, p, hasMapping);
        if (byKey >= 0) {
          const currency = ns.currency[p]!;
          const qs = plainCtx.sfPlain.quickClass(s);
          const qn = plainCtx.nsPlain.quickClass(p);
          acc.countPlain(currency, matchedSeverity, sf.total[s]!, ns.total[p]!, qs, qn);
          if (addPlain) {
            const k = plain.end++;
            plain.sf[k] = s;
            plain.ns[k] = p;
            plain.unit[k] = u;
            plain.byKey[k] = byKey;
            if (plain.end === PLAIN_BATCH) drainPlain();
          } else sink.add(plainResult(s, p, u, byKey));
          i++;
          j++;
          tick(2);
          continue;
        }
      }
    }
    const a = i < sfItems.length ? sf.orderKey[sfItems[i]!] : undefined;
    const b = j < unitCount ? ns.orderKey[P[unitOrder[j]!]!] : undefined;
    const key = a === undefined ? b! : b === undefined ? a : cmpStr(a, b) <= 0 ? a : b;
    orderSf = [];
    orderNs = [];
    for (let k = 0; k < cachedCount; k++) unitCache[cachedUnits[k]!] = undefined;
    cachedCount = 0;
    while (i < sfItems.length && sf.orderKey[sfItems[i]!] === key) orderSf.push(sfObject(sfItems[i++]!));
    while (j < unitCount && ns.orderKey[P[unitOrder[j]!]!] === key) orderNs.push(unitObject(unitOrder[j++]!));
    processOrder(key, orderSf, orderNs);
    for (const s of orderSf) if (s.result && sfOriginalOfRepeat[s.idx] === 1) repeatKey.set(s.idx, s.result.key);
    flush();
    tick(orderSf.length + orderNs.length);
  }

  // Same refund id twice on the storefront side, same internal id twice on the NetSuite side.
  for (const k of sfRepeated) {
    const original = sfById.get(sfNid[k]!);
    engine.emit([sfObject(k)], [], 'duplicate', {
      code: 'duplicate',
      duplicateOf: original < 0 ? undefined : repeatKey.get(original),
      reason: 'same storefront refund id',
    });
  }
  flush();
  for (const k of duplicateIds) {
    const r = ns.record(k);
    const unit: NetsuiteUnit = {
      idx: -1,
      primary: r,
      members: [r],
      orderKey: ns.orderKey[k]!,
      day: ns.day[k]!,
      total: ns.total[k]!,
      currency: ns.currency[k]!,
      used: false,
    };
    engine.emit([], [unit], 'duplicate', {
      code: 'duplicate',
      duplicateOf: nsDupKey.get(r.id),
      reason: 'same NetSuite internal id',
    });
  }
  // NS duplicate keys are looked up before these results (the first result holding the id).
  dupNsIds.clear();
  flush();

  return {
    summary: {
      storefrontRefunds: sf.n,
      netsuiteRecords: ns.n,
      results: acc.results,
      byCode: acc.byCode,
      bySeverity: acc.bySeverity,
      totals: acc.totals,
      byClass: acc.byClass,
      notCompared: notComparedIdx.length,
      lineItemRefunds: engine.lineItemRefunds,
    },
    notCompared: notComparedIdx.map((k) => ns.record(k)),
    rules,
  };
}

/** No storefront refund and no NetSuite unit of the order is left for the rules after the refund key. */
function nothingFree(sfs: readonly SfItem[], nss: readonly NetsuiteUnit[], keyDupUnit: Uint8Array): boolean {
  for (const s of sfs) if (!s.used) return false;
  for (const u of nss) if (!u.used && !keyDupUnit[u.idx]) return false;
  return true;
}

/**
 * One free storefront refund and one free NetSuite unit that rule 2 pairs (total within
 * tolerance in the unit's currency): what `matchEqualTotals` decides for a 1 × 1 order, whose
 * greedy pairing of one candidate is that candidate (no tender tie-break with one of each).
 */
function plainPair(
  sfs: readonly SfItem[],
  nss: readonly NetsuiteUnit[],
  keyDupUnit: Uint8Array,
  tol: (currency: string) => number,
): boolean {
  if (sfs.length !== 1 || nss.length !== 1) return false;
  const s = sfs[0]!;
  const u = nss[0]!;
  if (s.used || u.used || keyDupUnit[u.idx]) return false;
  const t = totalIn(s.r, u.currency);
  return t !== null && Math.abs(t - u.total) <= tol(u.currency);
}

/**
 * Two free storefront refunds and one free NetSuite unit that rule 2 leaves alone (neither total
 * within tolerance of the unit's, in its currency) and rule 3 rolls up (both moved money and have
 * a total in the unit's currency, their sum within tolerance of the unit's): what
 * `matchEqualTotals` and `matchRollupsAndPairs` decide for a 2 × 1 order, after which no refund or
 * unit is left for the later rules, so the filters, candidate lists and sorts are skipped.
 */
function rollupOfTwo(
  sfs: readonly SfItem[],
  nss: readonly NetsuiteUnit[],
  keyDupUnit: Uint8Array,
  tol: (currency: string) => number,
): boolean {
  if (sfs.length !== 2 || nss.length !== 1) return false;
  const a = sfs[0]!;
  const b = sfs[1]!;
  const u = nss[0]!;
  if (a.used || b.used || u.used || keyDupUnit[u.idx] || !a.moneyMoved || !b.moneyMoved) return false;
  const ta = totalIn(a.r, u.currency);
  const tb = totalIn(b.r, u.currency);
  if (ta === null || tb === null) return false;
  const t = tol(u.currency);
  if (Math.abs(ta - u.total) <= t || Math.abs(tb - u.total) <= t) return false;
  return Math.abs(ta + tb - u.total) <= t;
}

/** Rule 2: equal total (within tolerance), nearest date. */
function matchEqualTotals(
  engine: Engine,
  sfFree: SfItem[],
  nsFree: NetsuiteUnit[],
  tol: (currency: string) => number,
): void {
  let pairs: Array<[SfItem, NetsuiteUnit]>;
  if (sfFree.length * nsFree.length <= 256) {
    // §2 rule 1: among equal totals, a pair whose tenders agree wins before the nearer date.
    const byTender = sfFree.length > 1 || nsFree.length > 1;
    pairs = greedyPairs(sfFree, nsFree, (s, u) => {
      const t = totalIn(s.r, u.currency);
      if (t === null) return null;
      const d = Math.abs(t - u.total);
      if (d > tol(u.currency)) return null;
      return (byTender && !engine.pairAgrees(s, u) ? 2 : 0) + (d === 0 ? 0 : 1);
    });
  } else {
    // Large orders: the same tie-break by signature (tender-first-pairs.ts), then the rest by date.
    const agreeing = tenderFirstPairs(sfFree, nsFree, tol, (s, u) => engine.pairAgrees(s, u));
    for (const [s, u] of agreeing) s.used = u.used = true;
    pairs = [...agreeing, ...bucketPairs(sfFree, nsFree, tol)];
    for (const [s, u] of agreeing) s.used = u.used = false;
  }
  for (const [s, u] of pairs) engine.emit([s], [u], 'order_total');
}

/** Rule 3: roll-up per order and currency; then unequal pairs within the date window. */
function matchRollupsAndPairs(
  engine: Engine,
  sfFree: SfItem[],
  nsFree: NetsuiteUnit[],
  tol: (currency: string) => number,
  window: number,
): void {
  const currencies = [...new Set(nsFree.map((u) => u.currency))].sort();
  for (const c of currencies) {
    const sfC = sfFree.filter((s) => !s.used && s.moneyMoved && totalIn(s.r, c) !== null);
    const nsC = nsFree.filter((u) => !u.used && u.currency === c);
    if (sfC.length === 0 || nsC.length === 0) continue;
    const t = tol(c);
    const sfSum = sfC.reduce((acc, s) => acc + totalIn(s.r, c)!, 0);
    const nsSum = nsC.reduce((acc, u) => acc + u.total, 0);
    if ((sfC.length > 1 || nsC.length > 1) && Math.abs(sfSum - nsSum) <= t) {
      engine.emit(sfC, nsC, 'order_rollup');
      continue;
    }
    if (sfC.length === 1) {
      const single = sfC[0]!;
      const near = nsC.filter((x) => Math.abs(x.day - single.day) <= window);
      if (near.length > 0) engine.emit(sfC, near, near.length > 1 ? 'order_rollup' : 'order_pair');
      continue;
    }
    if (nsC.length === 1) {
      const single = nsC[0]!;
      const near = sfC.filter((x) => Math.abs(x.day - single.day) <= window);
      if (near.length > 0) engine.emit(near, nsC, near.length > 1 ? 'order_rollup' : 'order_pair');
      continue;
    }
    for (const [s, u] of greedyPairs(sfC, nsC, (s, u) => (Math.abs(s.day - u.day) <= window ? 0 : null))) {
      engine.emit([s], [u], 'order_pair');
    }
  }
}

/** Different currencies: one refund each side within the date window. */
function matchAcrossCurrencies(engine: Engine, sfFree: SfItem[], nsFree: NetsuiteUnit[], window: number): void {
  const movers = sfFree.filter((s) => s.moneyMoved);
  for (const [s, u] of greedyPairs(movers, nsFree, (s, u) => (Math.abs(s.day - u.day) <= window ? 0 : null))) {
    engine.emit([s], [u], 'order_currency');
  }
}

/** Storefront refunds left over: a duplicate of a paired refund of the order (same total and date), or unmatched. */
function emitStorefrontLeftovers(
  engine: Engine,
  sfFree: SfItem[],
  sfs: SfItem[],
  tol: (currency: string) => number,
  window: number,
): void {
  for (const s of sfFree) {
    const twin = s.moneyMoved
      ? sfs.find(
          (o) =>
            o !== s &&
            o.used &&
            o.result !== null &&
            o.result.storefront.length === 1 &&
            o.result.units.length === 1 &&
            o.result.duplicateOf === null &&
            o.r.currency === s.r.currency &&
            Math.abs(o.r.total - s.r.total) <= tol(s.r.currency) &&
            Math.abs(o.day - s.day) <= window,
        )
      : undefined;
    if (twin?.result) {
      engine.emit([s], [], 'duplicate', {
        code: 'duplicate',
        duplicateOf: twin.result.key,
        reason: 'same order, total and date',
      });
    } else engine.emit([s], [], 'unmatched');
  }
}

/** NetSuite units left over: a duplicate of a unit paired one-to-one in this order (same total and date), or unmatched. */
function emitNetsuiteLeftovers(
  engine: Engine,
  nsFree: NetsuiteUnit[],
  start: number,
  tol: (currency: string) => number,
  window: number,
): void {
  const pairedUnits = new Map<NetsuiteUnit, ReconcileResult>();
  for (let k = start; k < engine.results.length; k++) {
    const res = engine.results[k]!;
    if (res.storefront.length === 1 && res.units.length === 1 && res.duplicateOf === null) {
      pairedUnits.set(res.units[0]!, res);
    }
  }
  for (const u of nsFree) {
    let twin: ReconcileResult | undefined;
    for (const [o, res] of pairedUnits) {
      if (
        o.currency === u.currency &&
        Math.abs(o.total - u.total) <= tol(u.currency) &&
        Math.abs(o.day - u.day) <= window
      ) {
        twin = res;
        break;
      }
    }
    if (twin) {
      engine.emit([], [u], 'duplicate', {
        code: 'duplicate',
        duplicateOf: twin.key,
        reason: 'same order, total and date',
      });
    } else engine.emit([], [u], 'unmatched');
  }
}

function sortTail(results: ReconcileResult[], start: number): void {
  if (results.length - start < 2) return;
  const tail = results.splice(start).sort((a, b) => cmpStr(a.date, b.date) || cmpStr(a.key, b.key));
  for (const r of tail) results.push(r);
}
