import { CODE_LABELS, type ResultCode, ResultCode as ResultCodeEnum, severityRank } from '../../shared/codes';
import type { ReconcileRules } from '../../shared/contract/run';
import { csvField } from '../../shared/csv-field';
import type { CanonicalRefund } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { safeText } from '../reports/cells';
import { type EngineSummary, type ReconcileOutput, type ReconcileResult, sideAmounts } from './engine';
import { hintFor } from './hints';
import { compareLines, type LineComparison } from './lines';
import { resultTenders, sideTenders, tendersCell } from './tender-output';

/**
 * The three CLI formats of spec §7. JSON is the documented document (docs/reconcile.md); CSV is
 * one row per result, formula-injection safe; the table is a terminal summary with totals per
 * currency and the worst differences first. Writers take a `write` callback so 1M results
 * stream out in chunks instead of one giant string.
 */

function amount(minor: number, currency: string): string {
  return formatAmount(minor, currency);
}

export function summaryJson(summary: EngineSummary) {
  const totals: Record<
    string,
    {
      storefront: string;
      netsuite: string;
      difference: string;
      byClass?: Record<string, { storefront: string; netsuite: string }>;
    }
  > = {};
  for (const currency of Object.keys(summary.totals).sort()) {
    const t = summary.totals[currency]!;
    const byClass: Record<string, { storefront: string; netsuite: string }> = {};
    for (const cls of ['money', 'stored_value', 'exchange', 'other'] as const) {
      const c = summary.byClass?.[currency]?.[cls];
      if (c) byClass[cls] = { storefront: amount(c.storefront, currency), netsuite: amount(c.netsuite, currency) };
    }
    totals[currency] = {
      storefront: amount(t.storefront, currency),
      netsuite: amount(t.netsuite, currency),
      difference: amount(t.storefront - t.netsuite, currency),
      // tenders.md §6: the same totals per tender class.
      ...(summary.byClass ? { byClass } : {}),
    };
  }
  const byCode: Partial<Record<ResultCode, number>> = {};
  for (const code of ResultCodeEnum.options) if (summary.byCode[code]) byCode[code] = summary.byCode[code];
  return {
    storefrontRefunds: summary.storefrontRefunds,
    netsuiteRecords: summary.netsuiteRecords,
    results: summary.results,
    byCode,
    bySeverity: summary.bySeverity,
    totals,
    notCompared: summary.notCompared,
    lineItemRefunds: summary.lineItemRefunds,
  };
}

function sfJson(r: CanonicalRefund) {
  return {
    refundId: r.id,
    name: r.documentNumber,
    total: amount(r.total, r.currency),
    currency: r.currency,
    date: r.date,
    kind: r.kind,
    moneyMoved: r.moneyMoved && r.status === 'ok',
    ...(r.presentment
      ? {
          presentment: { currency: r.presentment.currency, total: amount(r.presentment.total, r.presentment.currency) },
        }
      : {}),
  };
}

function nsJson(r: CanonicalRefund) {
  return {
    id: r.id,
    documentNumber: r.documentNumber,
    recordType: r.recordType,
    total: amount(r.total, r.currency),
    currency: r.currency,
    date: r.date,
    createdFrom: r.createdFrom ? { type: r.createdFrom.type, ref: r.createdFrom.ref } : null,
    externalId: r.externalId,
  };
}

function linesJson(lines: LineComparison[], currency: string) {
  return lines.map((l) => ({
    sku: l.sku,
    role: l.role,
    status: l.status,
    storefront: l.storefront
      ? { quantity: l.storefront.quantity, amount: amount(l.storefront.amount, currency) }
      : null,
    netsuite: l.netsuite ? { quantity: l.netsuite.quantity, amount: amount(l.netsuite.amount, currency) } : null,
  }));
}

/** Line rows for display: the engine keeps them only for differing results; recompute otherwise. */
export function linesFor(result: ReconcileResult, mapping: Readonly<Record<string, string>>): LineComparison[] {
  if (result.lines) return result.lines;
  if (result.storefront.length === 0 || result.netsuite.length === 0) return [];
  return compareLines(result.storefront, result.netsuite, mapping, result.tolerance, true).lines;
}

export function resultJson(result: ReconcileResult, mapping: Readonly<Record<string, string>>) {
  const c = result.currency;
  const comparable = result.code !== 'currency_mismatch' && !result.issues.includes('currency_mismatch');
  return {
    key: result.key,
    code: result.code,
    severity: result.severity,
    issues: result.issues,
    orderRef: result.orderRef,
    currency: c,
    date: result.date,
    storefront: result.storefront[0] ? sfJson(result.storefront[0]) : null,
    ...(result.storefront.length > 1 ? { storefrontRollUp: result.storefront.map(sfJson) } : {}),
    netsuite: result.netsuite.map(nsJson),
    storefrontTotal: result.storefrontTotal === null ? null : comparable ? amount(result.storefrontTotal, c) : null,
    netsuiteTotal:
      result.netsuiteTotal === null
        ? null
        : comparable
          ? amount(result.netsuiteTotal, result.units[0]?.currency ?? c)
          : null,
    difference: comparable ? amount(result.difference, c) : null,
    matchedBy: result.matchedBy,
    duplicateOf: result.duplicateOf,
    lines: linesJson(linesFor(result, mapping), c),
    hint: hintFor(result),
    // tenders.md §6: how the money went back on each side (decimal strings; null when absent).
    ...tendersJson(result),
  };
}

function tendersJson(result: ReconcileResult) {
  if (result.code === 'currency_mismatch' || result.issues.includes('currency_mismatch')) {
    return { tenders: null, tenderDetail: null, exchange: null, dispute: null };
  }
  const t = resultTenders(result);
  return {
    tenders: t.byClass.length > 0 ? t.byClass : null,
    tenderDetail: t.detail,
    exchange: t.exchange,
    dispute: t.dispute,
  };
}

/** The JSON document up to the opening of the results list (spec §7: summary first). */
export function jsonHead(summary: EngineSummary, rules: ReconcileRules): string {
  return `{\n"summary": ${JSON.stringify(summaryJson(summary))},\n"rules": ${JSON.stringify(rules)},\n"results": [`;
}

/** The JSON document after the results list. */
export function jsonTail(notCompared: readonly CanonicalRefund[]): string {
  return `\n],\n"notCompared": ${JSON.stringify(
    notCompared.map((r) => ({
      id: r.id,
      documentNumber: r.documentNumber,
      recordType: r.recordType,
      status: r.status,
    })),
  )}\n}\n`;
}

export function writeJson(output: ReconcileOutput, write: (chunk: string) => void): void {
  write(jsonHead(output.summary, output.rules));
  const body = new JsonResultsWriter(write, output.rules.itemMapping);
  for (const r of output.results) body.add(r);
  body.finish();
  write(jsonTail(output.notCompared));
}

/** The results list of the JSON document, one result at a time (the head and tail are written apart). */
export class JsonResultsWriter {
  private buffer: string[] = [];
  private count = 0;
  constructor(
    private readonly write: (chunk: string) => void,
    private readonly mapping: Readonly<Record<string, string>>,
  ) {}
  add(result: ReconcileResult): void {
    this.buffer.push(`${this.count++ === 0 ? '\n' : ',\n'}${JSON.stringify(resultJson(result, this.mapping))}`);
    if (this.buffer.length >= 2000) this.flush();
  }
  finish(): void {
    this.flush();
  }
  private flush(): void {
    if (this.buffer.length === 0) return;
    this.write(this.buffer.join(''));
    this.buffer = [];
  }
}

/** Free text that a spreadsheet would run as a formula gets a leading apostrophe (spec §10). */
export function csvSafeText(value: string): string {
  // Most cells (ids, hints, tender cells) are printable ASCII: one scan instead of cleanText's and
  // csvField's regexes (≈ 6 % of a rich one-shot run's main thread); anything else the general way.
  const ascii = asciiCsvSafeText(value);
  if (ascii !== null) return ascii;
  // One neutralisation rule for every export (reports/cells.ts): leading whitespace, zero-width and
  // full-width triggers included, so the CLI's CSV is as safe as the app's.
  const neutral = safeText(value);
  return csvField(neutral);
}

/**
 * csvField(safeText(value)) for printable ASCII text (U+0020–U+007E), null for any other text.
 * In that range cleanText changes nothing, the only blank safeText skips before a formula trigger
 * is the space, and csvField quotes for `"` `,` `;` or a space at either end (no CR or LF here).
 */
function asciiCsvSafeText(value: string): string | null {
  const n = value.length;
  let quote = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return null;
    if (c === 0x22 || c === 0x2c || c === 0x3b) quote = true;
  }
  if (n === 0) return '';
  let first = 0;
  while (first < n && value.charCodeAt(first) === 0x20) first++;
  const c = first < n ? value.charCodeAt(first) : 0;
  // = + - @: a formula trigger (reports/cells.ts FORMULA_TRIGGERS, ASCII part).
  const neutral = c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 ? `'${value}` : value;
  if (!quote && neutral.charCodeAt(0) !== 0x20 && neutral.charCodeAt(neutral.length - 1) !== 0x20) return neutral;
  return `"${quote ? neutral.replace(/"/g, '""') : neutral}"`;
}

export const CSV_HEADER = [
  'key',
  'code',
  'severity',
  'order_ref',
  'currency',
  'date',
  'storefront_refund_ids',
  'storefront_total',
  'netsuite_documents',
  'netsuite_ids',
  'netsuite_total',
  'difference',
  'matched_by',
  'hint',
  // A currency mismatch: each side's total in its own currency (issue 16), where the totals above are blank.
  'storefront_currency',
  'netsuite_currency',
  // tenders.md §6: each side's tenders, `card 10.00; store_credit 40.00`.
  'tenders_storefront',
  'tenders_netsuite',
];

/** Each side's total and currency when the two sides are not in one currency; blank otherwise. */
function ownCurrencyTotals(r: ReconcileResult): [string, string, string, string] {
  if (!r.issues.includes('currency_mismatch')) return ['', '', '', ''];
  const sum = (side: 'storefront' | 'netsuite'): [string, string] => {
    const amounts = sideAmounts(r).filter((a) => a.side === side);
    const currency = amounts[0]?.currency;
    if (!currency || amounts.some((a) => a.currency !== currency)) return ['', ''];
    return [
      amount(
        amounts.reduce((n, a) => n + a.amount, 0),
        currency,
      ),
      currency,
    ];
  };
  const [sfTotal, sfCurrency] = sum('storefront');
  const [nsTotal, nsCurrency] = sum('netsuite');
  return [sfTotal, sfCurrency, nsTotal, nsCurrency];
}

/** One CSV row (with its CRLF) of a result. */
export function csvRow(r: ReconcileResult): string {
  const comparable = !r.issues.includes('currency_mismatch');
  const [sfOwn, sfCurrency, nsOwn, nsCurrency] = ownCurrencyTotals(r);
  const cells = [
    csvSafeText(r.key),
    r.code,
    r.severity,
    csvSafeText(r.orderRef),
    r.currency,
    r.date,
    csvSafeText(joinedIds(r.storefront)),
    !comparable ? sfOwn : r.storefrontTotal === null ? '' : amount(r.storefrontTotal, r.currency),
    csvSafeText(joinedDocumentNumbers(r.netsuite)),
    csvSafeText(joinedIds(r.netsuite)),
    !comparable ? nsOwn : r.netsuiteTotal === null ? '' : amount(r.netsuiteTotal, r.currency),
    comparable ? amount(r.difference, r.currency) : '',
    r.matchedBy,
    csvSafeText(hintFor(r)),
    sfCurrency,
    nsCurrency,
    ...tenderCells(r),
  ];
  return `${cells.join(',')}\r\n`;
}

/**
 * The refunds' ids joined by spaces (`map` + `join`): a loop, because the engine's refund arrays
 * come in more than one elements kind (an empty `[]` is a small-integer array, a filled one holds
 * objects) and each kind `map`/`join` met for the first time deoptimised csvRow, which V8 then
 * compiled ~10 times in a 1M run (docs/benchmarks/flat.md, session 12). An empty list never reaches
 * the element load, so the loop's feedback stays one kind.
 */
function joinedIds(refunds: readonly CanonicalRefund[]): string {
  if (refunds.length === 0) return '';
  let out = refunds[0]!.id;
  for (let i = 1; i < refunds.length; i++) out += ` ${refunds[i]!.id}`;
  return out;
}

/** The refunds' document numbers joined by spaces, as joinedIds. */
function joinedDocumentNumbers(refunds: readonly CanonicalRefund[]): string {
  if (refunds.length === 0) return '';
  let out = refunds[0]!.documentNumber;
  for (let i = 1; i < refunds.length; i++) out += ` ${refunds[i]!.documentNumber}`;
  return out;
}

/** The two tender cells of a CSV row. */
export function tenderCells(r: ReconcileResult): [string, string] {
  const sides = sideTenders(r);
  const sfCurrency = r.storefront[0]?.currency ?? r.currency;
  const nsCurrency = r.units[0]?.currency ?? r.currency;
  return [csvSafeText(tendersCell(sides.storefront, sfCurrency)), csvSafeText(tendersCell(sides.netsuite, nsCurrency))];
}

/** CSV, one row per result as results come (the header first). */
export class CsvWriter {
  private buffer: string[] = [];
  constructor(private readonly write: (chunk: string) => void) {
    write(`${CSV_HEADER.join(',')}\r\n`);
  }
  add(result: ReconcileResult): void {
    this.buffer.push(csvRow(result));
    if (this.buffer.length >= 1000) this.flush();
  }
  finish(): void {
    this.flush();
  }
  private flush(): void {
    if (this.buffer.length === 0) return;
    this.write(this.buffer.join(''));
    this.buffer = [];
  }
}

/** An in-memory output as CSV, in the table's order (the CLI streams through SortedCsvWriter). */
export function writeCsv(output: ReconcileOutput, write: (chunk: string) => void): void {
  const csv = new CsvWriter(write);
  for (const r of [...output.results].sort(worseFirst)) csv.add(r);
  csv.finish();
}

function pad(text: string, width: number, right = false): string {
  if (text.length >= width) return text;
  return right ? text.padStart(width) : text.padEnd(width);
}

/**
 * The table's order as one string per result, compared with `<`: worst first by severity, then
 * within a currency the absolute difference (never minor units across currencies: JPY 21,000 is
 * not above USD 161.29), then key (keys are unique: a total order). Fixed-width fields (the
 * currency ends with U+0000, below any letter) make the string order that order; the CSV is
 * sorted by the same string (sorted-csv.ts), so the table and `--format csv` cannot disagree.
 */
export function tableOrderKey(r: ReconcileResult): string {
  const severity = 3 - severityRank(r.severity);
  const smaller = String(Number.MAX_SAFE_INTEGER - Math.min(Math.abs(r.difference), Number.MAX_SAFE_INTEGER));
  return `${severity}${r.currency}\u0000${smaller.padStart(16, '0')}${r.key}`;
}

/** Negative when `a` comes before `b` in the table (tableOrderKey). */
export function worseFirst(a: ReconcileResult, b: ReconcileResult): number {
  const ka = tableOrderKey(a);
  const kb = tableOrderKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * The terminal table as results come: keeps only the severity of each code's first result, the
 * number of warnings and errors, and the `worst` worst of them (what the table prints).
 */
export class TableWriter {
  private readonly severityOfCode = new Map<string, string>();
  private readonly worstList: ReconcileResult[] = [];
  private problems = 0;
  constructor(
    private readonly write: (chunk: string) => void,
    private readonly worst = 20,
  ) {}
  add(r: ReconcileResult): void {
    if (!this.severityOfCode.has(r.code)) this.severityOfCode.set(r.code, r.severity);
    if (severityRank(r.severity) < 2) return;
    this.problems++;
    const list = this.worstList;
    if (list.length >= this.worst && (this.worst === 0 || worseFirst(r, list[list.length - 1]!) > 0)) return;
    let at = list.length;
    while (at > 0 && worseFirst(r, list[at - 1]!) < 0) at--;
    list.splice(at, 0, r);
    if (list.length > this.worst) list.pop();
  }
  finish(s: EngineSummary): void {
    const out: string[] = [];
    out.push(
      `Reconciled ${s.storefrontRefunds} storefront refund${s.storefrontRefunds === 1 ? '' : 's'} against ${s.netsuiteRecords} NetSuite record${s.netsuiteRecords === 1 ? '' : 's'}: ${s.results} result${s.results === 1 ? '' : 's'}.`,
    );
    if (s.notCompared > 0) out.push(`${s.notCompared} failed or voided NetSuite record(s) kept but not compared.`);
    out.push('');
    // Columns as wide as their longest cell: a long code label never pushes the others out of line.
    const codes = ResultCodeEnum.options.filter((code) => s.byCode[code]);
    const labelWidth = Math.max(6, ...codes.map((code) => `${CODE_LABELS[code]} (${code})`.length));
    out.push(`${pad('Result', labelWidth)} ${pad('Severity', 8)} ${pad('Count', 9, true)}`);
    for (const code of codes) {
      const n = s.byCode[code]!;
      const sev = this.severityOfCode.get(code) ?? '';
      out.push(`${pad(`${CODE_LABELS[code]} (${code})`, labelWidth)} ${pad(sev, 8)} ${pad(String(n), 9, true)}`);
    }
    out.push('');
    out.push(
      `${pad('Currency', 8)} ${pad('Storefront', 16, true)} ${pad('NetSuite', 16, true)} ${pad('Difference', 16, true)}`,
    );
    for (const currency of Object.keys(s.totals).sort()) {
      const t = s.totals[currency]!;
      out.push(
        `${pad(currency, 8)} ${pad(amount(t.storefront, currency), 16, true)} ${pad(amount(t.netsuite, currency), 16, true)} ${pad(amount(t.storefront - t.netsuite, currency), 16, true)}`,
      );
    }
    if (this.problems > 0) {
      out.push('');
      out.push(`Worst differences (${Math.min(this.worst, this.problems)} of ${this.problems} warnings and errors):`);
      const diffOf = (r: ReconcileResult) =>
        r.issues.includes('currency_mismatch') ? 'n/a' : `${r.currency} ${amount(r.difference, r.currency)}`;
      const codeWidth = Math.max(4, ...this.worstList.map((r) => r.code.length));
      const orderWidth = Math.max(10, ...this.worstList.map((r) => (r.orderRef || '(no order)').length));
      const diffWidth = Math.max(10, ...this.worstList.map((r) => diffOf(r).length));
      for (const r of this.worstList) {
        out.push(
          `  ${pad(r.severity.toUpperCase(), 7)} ${pad(r.code, codeWidth)} ${pad(r.orderRef || '(no order)', orderWidth)} ${pad(diffOf(r), diffWidth, true)}`,
        );
        out.push(`          ${hintFor(r)}`);
      }
    } else {
      out.push('');
      out.push('No warnings or errors.');
    }
    this.write(`${out.join('\n')}\n`);
  }
}

/** The readable terminal summary: counts per code, totals per currency, the worst differences first. */
export function writeTable(output: ReconcileOutput, write: (chunk: string) => void, worst = 20): void {
  const table = new TableWriter(write, worst);
  for (const r of output.results) table.add(r);
  table.finish(output.summary);
}
