// The engine as it was before the columnar rewrite (commit 8c71c1a), kept verbatim as the oracle
// of test/unit/reconcile/equivalence.test.ts: the new engine must give exactly the same results.
// Since then: tenders (reference-tenders.ts) and the §2 rule 1 tie-break of large orders
// (tenderFirstPairs below, every pair checked; the engine groups by tender signature).

import { compareLines, type LineComparison, refundHasItemLines } from '../../../src/main/reconcile/lines';
import { refundIn } from '../../../src/main/reconcile/presentment-view';
import { normaliseRefundId, refundKeyCandidates, refundKeyValue } from '../../../src/main/reconcile/refund-key';
import { checkTenders, type TenderCheck } from '../../../src/main/reconcile/tender-check';
import { toleranceResolver } from '../../../src/main/reconcile/tolerance';
import { DEFAULT_SEVERITY, type ResultCode, type Severity, severityRank } from '../../../src/shared/codes';
import { ReconcileRules, type ReconcileRulesInput } from '../../../src/shared/contract/run';
import { type CanonicalRefund, normaliseOrderRef } from '../../../src/shared/model';
import { addByClass, classOf, refCheck, unitParts } from './reference-tenders';

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
  /** For the hints only (display): the production check; the codes come from reference-tenders.ts. */
  tenderCheck: TenderCheck | null;
  dispute: null;
  disputesGiven: boolean;
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
  byClass: Record<string, Partial<Record<string, { storefront: number; netsuite: number }>>>;
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
  progress?: (done: number, total: number) => void;
}

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
  r: CanonicalRefund;
  orderKey: string;
  day: number;
  moneyMoved: boolean;
  used: boolean;
  /** The result this refund ended in, once used (for duplicate detection). */
  result: ReconcileResult | null;
}

const dayCache = new Map<string, number>();
export function dayNumber(date: string): number {
  let day = dayCache.get(date);
  if (day === undefined) {
    day = Math.floor(
      Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86400000,
    );
    if (dayCache.size < 100_000) dayCache.set(date, day);
  }
  return day;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRecords(a: CanonicalRefund, b: CanonicalRefund): number {
  return (
    cmpStr(a.id, b.id) ||
    a.total - b.total ||
    cmpStr(a.documentNumber, b.documentNumber) ||
    cmpStr(a.currency, b.currency) ||
    cmpStr(a.externalId, b.externalId) ||
    cmpStr(a.recordType, b.recordType)
  );
}

function compareItems(a: { orderKey: string; day: number }, b: { orderKey: string; day: number }): number {
  return cmpStr(a.orderKey, b.orderKey) || a.day - b.day;
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
  asOfDay = 0;
  readonly results: ReconcileResult[] = [];
  private readonly usedKeys = new Map<string, number>();

  constructor(rules: ReconcileRules) {
    this.rules = rules;
    this.tol = toleranceResolver(rules);
  }

  uniqueKey(base: string): string {
    const n = this.usedKeys.get(base);
    if (n === undefined) {
      this.usedKeys.set(base, 1);
      return base;
    }
    this.usedKeys.set(base, n + 1);
    return `${base}#${n + 1}`;
  }

  severityOf(code: ResultCode, own?: Partial<Record<ResultCode, Severity>> | null): Severity {
    if (own?.[code]) return own[code]!;
    if (code === 'general_refund' && this.lineItemRefunds === 'no') return 'info';
    return DEFAULT_SEVERITY[code];
  }

  pick(
    issues: ResultCode[],
    own?: Partial<Record<ResultCode, Severity>> | null,
  ): { code: ResultCode; severity: Severity } {
    let best: ResultCode = issues[0] ?? 'matched';
    for (const code of issues) {
      const a = severityRank(this.severityOf(code, own));
      const b = severityRank(this.severityOf(best, own));
      if (a > b || (a === b && PRIORITY_INDEX.get(code)! < PRIORITY_INDEX.get(best)!)) best = code;
    }
    return { code: best, severity: this.severityOf(best, own) };
  }

  /** §2 rule 1 tie-break: the candidate pair's tenders agree (rule 2, rule 3 within the payout days). */
  pairAgrees(s: SfItem, u: NetsuiteUnit): boolean {
    const c = refCheck([s.r], [u], u.currency, this.tol(u.currency), this.asOfDay, this.rules.creditPayoutDays);
    return c.agrees && !c.overdue;
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
    const key = this.uniqueKey(first ? `sf:${first.r.id}` : `ns:${firstUnit!.primary.id}`);
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
      disputesGiven: false,
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
      const has = (cls: string) => sfs.some((s) => s.r.tenders.some((t) => classOf(t.kind) === cls));
      const moved = sfs.some((s) => s.moneyMoved) || has('stored_value');
      const exchangeOnly = !moved && has('exchange');
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
    // Issue 14 defect 1 (the one change to the oracle): lines in the compared currency; parts
    // known only in shop money compare on the total.
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
    const rc = refCheck(result.storefront, units, currency, tol, this.asOfDay, this.rules.creditPayoutDays);
    result.tenderCheck = checkTenders(result.storefront, units, currency, {
      tolerance: tol,
      asOfDay: this.asOfDay,
      creditPayoutDays: this.rules.creditPayoutDays,
    });
    if (!issues.includes('amount_mismatch')) {
      if (rc.exchange) {
        if (rc.agrees) issues.push('exchange');
        else if (rc.x2) {
          issues.push('exchange');
          result.codeSeverity = { exchange: 'warning' };
        } else issues.push('tender_mismatch');
      } else if (!rc.agrees) issues.push('tender_mismatch');
      if (rc.agrees && rc.overdue) issues.push('credit_not_paid_out');
    }
    if (result.duplicateOf !== null) {
      result.issues = ['duplicate', ...issues];
      return;
    }
    if (issues.length === 0) issues.push('matched');
    // A line difference only counts as line_mismatch when totals agree (spec §5); with an amount
    // mismatch the lines explain it and stay listed as an issue.
    const picked = this.pick(issues, result.codeSeverity);
    result.issues = issues;
    result.code = picked.code;
    result.severity = picked.severity;
  }
}

/** Groups Credit Memos with the Customer Refunds that pay them out (appliesTo, or same order and total). */
function buildUnits(records: CanonicalRefund[]): { units: NetsuiteUnit[]; duplicateIds: CanonicalRefund[] } {
  const byId = new Map<string, CanonicalRefund>();
  const duplicateIds: CanonicalRefund[] = [];
  const sorted = [...records].sort(compareRecords);
  for (const r of sorted) {
    if (byId.has(r.id)) duplicateIds.push(r);
    else byId.set(r.id, r);
  }
  const units = new Map<string, NetsuiteUnit>();
  const pendingRefunds: CanonicalRefund[] = [];
  const makeUnit = (r: CanonicalRefund): NetsuiteUnit => ({
    primary: r,
    members: [r],
    orderKey: normaliseOrderRef(r.orderRef),
    day: dayNumber(r.date),
    total: r.total,
    currency: r.currency,
    used: false,
  });
  for (const r of byId.values()) {
    if (r.recordType === 'customerRefund') pendingRefunds.push(r);
    else units.set(r.id, makeUnit(r));
  }
  const unsettled = new Map<string, NetsuiteUnit[]>();
  const settled = new Set<NetsuiteUnit>();
  const standalone: CanonicalRefund[] = [];
  for (const cr of pendingRefunds) {
    const target = cr.appliesTo ? units.get(cr.appliesTo) : undefined;
    if (target && target.primary.recordType === 'creditMemo') {
      target.members.push(cr);
      settled.add(target);
    } else standalone.push(cr);
  }
  if (standalone.length > 0) {
    for (const u of units.values()) {
      if (u.primary.recordType !== 'creditMemo' || settled.has(u) || u.orderKey === '') continue;
      const k = `${u.orderKey}|${u.currency}|${u.total}`;
      const list = unsettled.get(k);
      if (list) list.push(u);
      else unsettled.set(k, [u]);
    }
    for (const cr of standalone) {
      const list = unsettled.get(`${normaliseOrderRef(cr.orderRef)}|${cr.currency}|${cr.total}`);
      if (list && list.length > 0 && normaliseOrderRef(cr.orderRef) !== '') {
        const day = dayNumber(cr.date);
        let best = 0;
        for (let i = 1; i < list.length; i++) {
          if (Math.abs(list[i]!.day - day) < Math.abs(list[best]!.day - day)) best = i;
        }
        const cm = list.splice(best, 1)[0]!;
        cm.members.push(cr);
      } else units.set(cr.id, makeUnit(cr));
    }
  }
  return { units: [...units.values()], duplicateIds };
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

/**
 * §2 rule 1 for large orders, the plain way (the engine groups units by tender signature and uses
 * skip pointers, src/main/reconcile/tender-first-pairs.ts): per tolerance step, each storefront
 * refund in order takes the nearest unused unit of its (currency, total ± step) whose tenders agree
 * — the first at or after its date, else the last before it — by scanning the bucket.
 */
function tenderFirstPairs(
  sfs: SfItem[],
  units: NetsuiteUnit[],
  tol: (currency: string) => number,
  agrees: (s: SfItem, u: NetsuiteUnit) => boolean,
): Array<[SfItem, NetsuiteUnit]> {
  const buckets = new Map<string, NetsuiteUnit[]>();
  for (const u of units) {
    if (u.used) continue;
    const k = `${u.currency}|${u.total}`;
    const list = buckets.get(k);
    if (list) list.push(u);
    else buckets.set(k, [u]);
  }
  const taken = new Set<SfItem | NetsuiteUnit>();
  const out: Array<[SfItem, NetsuiteUnit]> = [];
  for (let delta = 0; ; delta++) {
    let anyTolerance = false;
    for (const s of sfs) {
      if (s.used || taken.has(s)) continue;
      if (delta > Math.min(tol(s.r.currency), 100)) continue;
      anyTolerance = true;
      const currencies = [s.r.currency];
      if (s.r.presentment && s.r.presentment.currency !== s.r.currency) currencies.push(s.r.presentment.currency);
      let best: { u: NetsuiteUnit; dist: number } | null = null;
      for (const c of currencies) {
        const total = totalIn(s.r, c)!;
        for (const sign of delta === 0 ? [0] : [-1, 1]) {
          const list = buckets.get(`${c}|${total + sign * delta}`);
          if (!list) continue;
          // The same split point as the engine's binary search (the list is in unit order).
          let lo = 0;
          let hi = list.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (list[mid]!.day < s.day) lo = mid + 1;
            else hi = mid;
          }
          const ok = (u: NetsuiteUnit) => !taken.has(u) && agrees(s, u);
          let right = lo;
          while (right < list.length && !ok(list[right]!)) right++;
          let left = lo - 1;
          while (left >= 0 && !ok(list[left]!)) left--;
          if (right < list.length) {
            const dist = list[right]!.day - s.day;
            if (!best || dist < best.dist) best = { u: list[right]!, dist };
          }
          if (left >= 0) {
            const dist = s.day - list[left]!.day;
            if (!best || dist <= best.dist) best = { u: list[left]!, dist };
          }
        }
      }
      if (best) {
        taken.add(s);
        taken.add(best.u);
        out.push([s, best.u]);
      }
    }
    if (!anyTolerance) break;
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
  const find = (arr: Int32Array, i: number): number => {
    let root = i;
    while (arr[root] !== root) root = arr[root]!;
    while (arr[i] !== root) {
      const n = arr[i]!;
      arr[i] = root;
      i = n;
    }
    return root;
  };
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
          const right = find(next, lo);
          if (right < list.length) {
            const dist = list[right]!.day - s.day;
            if (!best || dist < best.dist) best = { u: list[right]!, bucket, idx: right, dist };
          }
          const leftPlus = find(prev, lo); // prev works on indices shifted by one: slot i stands for list[i-1]
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
  const engine = new Engine(rules);
  const window = rules.dateWindowDays;
  const tol = engine.tol;

  if (rules.storefrontLineItems === 'auto') {
    let sfLines = false;
    let nsLines = false;
    for (const r of storefront)
      if (refundHasItemLines(r)) {
        sfLines = true;
        break;
      }
    for (const r of netsuite)
      if (r.status === 'ok' && refundHasItemLines(r)) {
        nsLines = true;
        break;
      }
    engine.lineItemRefunds = sfLines && nsLines ? 'yes' : 'no';
  } else engine.lineItemRefunds = rules.storefrontLineItems;
  // Open credit is aged against --as-of, else the latest NetSuite record's date (never the wall clock).
  engine.asOfDay = rules.asOf ? dayNumber(rules.asOf) : Math.max(0, ...netsuite.map((r) => dayNumber(r.date)));

  // Storefront items, sorted; repeated refund ids are duplicates of the first.
  const sfAll: SfItem[] = storefront.map((r) => ({
    r,
    orderKey: normaliseOrderRef(r.orderRef),
    day: dayNumber(r.date),
    moneyMoved: r.moneyMoved && r.status === 'ok',
    used: false,
    result: null,
  }));
  sfAll.sort((a, b) => compareItems(a, b) || compareRecords(a.r, b.r));
  const sfById = new Map<string, SfItem>();
  const sfRepeated: SfItem[] = [];
  const sfItems: SfItem[] = [];
  for (const s of sfAll) {
    const id = normaliseRefundId(s.r.id);
    if (sfById.has(id)) sfRepeated.push(s);
    else {
      sfById.set(id, s);
      sfItems.push(s);
    }
  }

  const notCompared: CanonicalRefund[] = [];
  const nsActive: CanonicalRefund[] = [];
  for (const r of netsuite) (r.status === 'ok' ? nsActive : notCompared).push(r);
  const { units: unitList, duplicateIds } = buildUnits(nsActive);
  unitList.sort((a, b) => compareItems(a, b) || compareRecords(a.primary, b.primary));

  const total = sfItems.length + unitList.length;
  let done = 0;
  const tick = (n: number) => {
    done += n;
    if ((done & 0xffff) < n || done === total) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
      options.progress?.(done, total);
    }
  };

  // Rule 1: refund key.
  const keyed = new Map<SfItem, NetsuiteUnit[]>();
  for (const u of unitList) {
    let hit: SfItem | undefined;
    for (const m of u.members) {
      for (const k of refundKeyCandidates(refundKeyValue(m, rules.refundKeyField), rules.refundKeyField)) {
        hit = sfById.get(k);
        if (hit) break;
      }
      if (hit) break;
    }
    if (hit) {
      const list = keyed.get(hit);
      if (list) list.push(u);
      else keyed.set(hit, [u]);
    }
  }
  const keyDuplicates: Array<[NetsuiteUnit, SfItem]> = [];
  const keyPairs = new Map<SfItem, NetsuiteUnit[]>();
  for (const [s, list] of keyed) {
    if (list.length === 1) {
      keyPairs.set(s, list);
      continue;
    }
    const withTotal = (u: NetsuiteUnit) => totalIn(s.r, u.currency);
    const close = list.filter((u) => {
      const t = withTotal(u);
      return t !== null && Math.abs(t - u.total) <= tol(u.currency);
    });
    let chosen: NetsuiteUnit[];
    if (close.length > 0) {
      close.sort((a, b) => Math.abs(a.day - s.day) - Math.abs(b.day - s.day) || a.day - b.day);
      chosen = [close[0]!];
    } else {
      const currency = list[0]!.currency;
      const t = totalIn(s.r, currency);
      const sum = list.reduce((acc, u) => acc + u.total, 0);
      if (t !== null && list.every((u) => u.currency === currency) && Math.abs(t - sum) <= tol(currency)) {
        chosen = list;
      } else {
        const ranked = [...list].sort((a, b) => {
          const ta = withTotal(a);
          const tb = withTotal(b);
          const da = ta === null ? Number.MAX_SAFE_INTEGER : Math.abs(ta - a.total);
          const db = tb === null ? Number.MAX_SAFE_INTEGER : Math.abs(tb - b.total);
          return da - db || Math.abs(a.day - s.day) - Math.abs(b.day - s.day) || a.day - b.day;
        });
        chosen = [ranked[0]!];
      }
    }
    keyPairs.set(s, chosen);
    for (const u of list) if (!chosen.includes(u)) keyDuplicates.push([u, s]);
  }
  for (const [s, list] of keyPairs) {
    s.used = true;
    for (const u of list) u.used = true;
  }

  // Walk both sorted lists order by order.
  let i = 0;
  let j = 0;
  const orderSf: SfItem[] = [];
  const orderNs: NetsuiteUnit[] = [];
  const keyDupBySf = new Map<SfItem, NetsuiteUnit[]>();
  for (const [u, s] of keyDuplicates) {
    const list = keyDupBySf.get(s);
    if (list) list.push(u);
    else keyDupBySf.set(s, [u]);
  }
  const keyDupUnits = new Set(keyDuplicates.map(([u]) => u));

  const processOrder = (orderKey: string, sfs: SfItem[], nss: NetsuiteUnit[]) => {
    const start = engine.results.length;
    // Key-matched pairs of this order's storefront refunds (their NetSuite side may sit in another order).
    for (const s of sfs) {
      const pair = keyPairs.get(s);
      if (!pair) continue;
      for (const u of pair) u.used = false;
      s.used = false;
      const result = engine.emit([s], pair, pair.length > 1 ? 'order_rollup' : 'refund_key');
      result.matchedBy = 'refund_key';
      for (const u of keyDupBySf.get(s) ?? []) {
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
        if (!u.used && !keyDupUnits.has(u)) engine.emit([], [u], 'unmatched');
      }
      for (const s of sfs) if (!s.used) engine.emit([s], [], 'unmatched');
      sortTail(engine.results, start);
      return;
    }
    let sfFree = sfs.filter((s) => !s.used);
    let nsFree = nss.filter((u) => !u.used && !keyDupUnits.has(u));
    // Rule 2: equal total (within tolerance), nearest date.
    if (sfFree.length > 0 && nsFree.length > 0) {
      let pairs: Array<[SfItem, NetsuiteUnit]>;
      if (sfFree.length * nsFree.length <= 256) {
        pairs = greedyPairs(sfFree, nsFree, (s, u) => {
          const t = totalIn(s.r, u.currency);
          if (t === null) return null;
          const d = Math.abs(t - u.total);
          if (d > tol(u.currency)) return null;
          const byTender = sfFree.length > 1 || nsFree.length > 1;
          return (byTender && !engine.pairAgrees(s, u) ? 2 : 0) + (d === 0 ? 0 : 1);
        });
      } else {
        // §2 rule 1 in large orders: agreeing pairs first (every pair checked here), then the rest by date.
        const agreeing = tenderFirstPairs(sfFree, nsFree, tol, (s, u) => engine.pairAgrees(s, u));
        for (const [s, u] of agreeing) s.used = u.used = true;
        pairs = [...agreeing, ...bucketPairs(sfFree, nsFree, tol)];
        for (const [s, u] of agreeing) s.used = u.used = false;
      }
      for (const [s, u] of pairs) engine.emit([s], [u], 'order_total');
      sfFree = sfFree.filter((s) => !s.used);
      nsFree = nsFree.filter((u) => !u.used);
    }
    // Rule 3: roll-up per order and currency; then unequal pairs within the date window.
    if (sfFree.length > 0 && nsFree.length > 0) {
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
      sfFree = sfFree.filter((s) => !s.used);
      nsFree = nsFree.filter((u) => !u.used);
    }
    // Different currencies, one refund each side within the window.
    if (sfFree.length > 0 && nsFree.length > 0) {
      const movers = sfFree.filter((s) => s.moneyMoved);
      for (const [s, u] of greedyPairs(movers, nsFree, (s, u) => (Math.abs(s.day - u.day) <= window ? 0 : null))) {
        engine.emit([s], [u], 'order_currency');
      }
      sfFree = sfFree.filter((s) => !s.used);
      nsFree = nsFree.filter((u) => !u.used);
    }
    // Duplicates: a second record of one side for a refund already paired once.
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
    if (nsFree.length > 0) {
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
    sortTail(engine.results, start);
  };

  while (i < sfItems.length || j < unitList.length) {
    const a = sfItems[i]?.orderKey;
    const b = unitList[j]?.orderKey;
    const key = a === undefined ? b! : b === undefined ? a : cmpStr(a, b) <= 0 ? a : b;
    orderSf.length = 0;
    orderNs.length = 0;
    while (i < sfItems.length && sfItems[i]!.orderKey === key) orderSf.push(sfItems[i++]!);
    while (j < unitList.length && unitList[j]!.orderKey === key) orderNs.push(unitList[j++]!);
    processOrder(key, orderSf, orderNs);
    tick(orderSf.length + orderNs.length);
  }

  // Same refund id twice on the storefront side, same internal id twice on the NetSuite side.
  for (const s of sfRepeated) {
    const original = sfById.get(normaliseRefundId(s.r.id));
    engine.emit([s], [], 'duplicate', {
      code: 'duplicate',
      duplicateOf: original?.result?.key,
      reason: 'same storefront refund id',
    });
  }
  let resultByNsId: Map<string, ReconcileResult> | undefined;
  for (const r of duplicateIds) {
    const unit: NetsuiteUnit = {
      primary: r,
      members: [r],
      orderKey: normaliseOrderRef(r.orderRef),
      day: dayNumber(r.date),
      total: r.total,
      currency: r.currency,
      used: false,
    };
    if (!resultByNsId) {
      resultByNsId = new Map();
      for (const res of engine.results)
        for (const m of res.netsuite) if (!resultByNsId.has(m.id)) resultByNsId.set(m.id, res);
    }
    const original = resultByNsId.get(r.id);
    engine.emit([], [unit], 'duplicate', {
      code: 'duplicate',
      duplicateOf: original?.key,
      reason: 'same NetSuite internal id',
    });
  }

  return {
    results: engine.results,
    summary: summarise(engine, storefront.length, netsuite.length, notCompared.length),
    notCompared,
    rules,
  };
}

function sortTail(results: ReconcileResult[], start: number): void {
  if (results.length - start < 2) return;
  const tail = results.splice(start).sort((a, b) => cmpStr(a.date, b.date) || cmpStr(a.key, b.key));
  for (const r of tail) results.push(r);
}

function summarise(engine: Engine, storefrontCount: number, netsuiteCount: number, notCompared: number): EngineSummary {
  const byCode: Partial<Record<ResultCode, number>> = {};
  const bySeverity: Partial<Record<Severity, number>> = {};
  const totals: Record<string, { storefront: number; netsuite: number }> = {};
  const byClass: EngineSummary['byClass'] = {};
  const add = (currency: string, side: 'storefront' | 'netsuite', amount: number) => {
    let t = totals[currency];
    if (!t) {
      t = { storefront: 0, netsuite: 0 };
      totals[currency] = t;
    }
    t[side] += amount;
  };
  for (const r of engine.results) {
    byCode[r.code] = (byCode[r.code] ?? 0) + 1;
    bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + 1;
    for (const s of r.storefront) {
      const inCurrency = totalIn(s, r.currency);
      if (inCurrency !== null) add(r.currency, 'storefront', inCurrency);
      else add(s.currency, 'storefront', s.total);
    }
    for (const u of r.units) add(u.currency, 'netsuite', u.total);
    for (const s of r.storefront) {
      const inCurrency = totalIn(s, r.currency);
      if (s.tenders.length === 0) continue;
      if (inCurrency === null || s.currency === r.currency) addByClass(byClass, s.currency, 'storefront', s.tenders);
      else {
        const classes = new Set(s.tenders.map((t) => classOf(t.kind)));
        const kind = classes.size === 1 ? s.tenders[0]!.kind : 'other';
        addByClass(byClass, r.currency, 'storefront', [{ kind, amount: inCurrency }]);
      }
    }
    for (const u of r.units) addByClass(byClass, u.currency, 'netsuite', unitParts(u.members, false));
  }
  return {
    storefrontRefunds: storefrontCount,
    netsuiteRecords: netsuiteCount,
    results: engine.results.length,
    byCode,
    bySeverity,
    totals,
    byClass,
    notCompared,
    lineItemRefunds: engine.lineItemRefunds,
  };
}
