import { CODE_LABELS, DEFAULT_SEVERITY, ResultCode, type Severity, severityRank } from '../../shared/codes';
import { currencyExponent, formatAmount } from '../../shared/money';
import { cleanText, displayAmount, groupDigits } from './cells';
import { classWords, paidBackText, tenderProblemText } from './printable-tenders';
import {
  checkReportSummary,
  iterateRows,
  type ReportAnnotationStatus,
  type ReportInput,
  type ReportRow,
  type ReportWriteOptions,
  type SignOffEntry,
} from './report-model';

/**
 * The printable summary: one self-contained HTML document (inline CSS with print rules, inline SVG
 * charts, no scripts, no external resource of any kind, and a Content-Security-Policy that would
 * block them anyway). Every piece of text from the input is HTML-escaped.
 *
 * PDF: the report is written as an .html file; the user opens it and prints it (Save as PDF), in
 * the desktop app and browser mode alike. No PDF library is needed, and no PDF is written here.
 *
 * Rows are read once; only aggregates and the worst `maxOpenItems` open items are kept, so a
 * 1,000,000-row run renders in bounded memory.
 */

export interface PrintableOptions extends ReportWriteOptions {
  /** Open items listed (worst first); the rest are counted in a note. Default 200. */
  maxOpenItems?: number;
  /** More distinct days than this and the "by day" chart groups by month. Default 62. */
  maxDays?: number;
}

export interface PrintableResult {
  html: string;
  rows: number;
}

// ---------------------------------------------------------------------------------------------
// Escaping

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return cleanText(String(value ?? '')).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

// ---------------------------------------------------------------------------------------------
// Aggregation (one pass over the rows)

/** Amount bands by absolute difference, in units of the currency (1 = one dollar, one yen, one dinar). */
export const AMOUNT_BANDS = [
  { label: 'up to 1', upTo: 1 },
  { label: '1 to 10', upTo: 10 },
  { label: '10 to 100', upTo: 100 },
  { label: '100 to 1,000', upTo: 1000 },
  { label: 'over 1,000', upTo: Number.POSITIVE_INFINITY },
] as const;

/** Band index of an absolute difference in minor units of `currency`. */
export function amountBand(absMinor: number, currency: string): number {
  const unit = 10 ** currencyExponent(currency);
  for (let i = 0; i < AMOUNT_BANDS.length - 1; i++) {
    if (absMinor <= AMOUNT_BANDS[i]!.upTo * unit) return i;
  }
  return AMOUNT_BANDS.length - 1;
}

interface CurrencyStake {
  total: bigint;
  count: number;
  byBand: bigint[];
}

export interface ReportFacts {
  rows: number;
  byCode: Map<ResultCode, number>;
  bySeverity: Map<Severity, number>;
  byStatus: Map<ReportAnnotationStatus, number>;
  /** Results that are not `matched`, by date (`YYYY-MM-DD`, or '' for none). */
  byDay: Map<string, number>;
  /** Results of severity other than ok, per currency: sum of |difference|, count, and per band. */
  stake: Map<string, CurrencyStake>;
  bandCounts: number[];
  openItems: ReportRow[];
  openCount: number;
}

function absBig(minor: number): bigint {
  return BigInt(minor < 0 ? -minor : minor);
}

/** Compares |a.difference| and |b.difference| in units of their own currencies, exactly. */
function compareMagnitude(a: ReportRow, b: ReportRow): number {
  const ea = currencyExponent(a.currency);
  const eb = currencyExponent(b.currency);
  const left = absBig(a.difference) * 10n ** BigInt(eb);
  const right = absBig(b.difference) * 10n ** BigInt(ea);
  return left > right ? 1 : left < right ? -1 : 0;
}

/** Worst first: higher severity, larger difference, earlier date, then order reference. */
export function compareWorstFirst(a: ReportRow, b: ReportRow): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareMagnitude(b, a) ||
    (a.date ?? '9999').localeCompare(b.date ?? '9999') ||
    (a.orderRef < b.orderRef ? -1 : a.orderRef > b.orderRef ? 1 : 0)
  );
}

function isOpenItem(row: ReportRow): boolean {
  return row.annotationStatus === 'open' && severityRank(row.severity) >= severityRank('warning');
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Keeps the `cap` worst rows seen so far, sorted worst first. */
function keepWorst(items: ReportRow[], row: ReportRow, cap: number): void {
  if (cap <= 0) return;
  if (items.length >= cap && compareWorstFirst(row, items[items.length - 1]!) >= 0) return;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareWorstFirst(items[mid]!, row) <= 0) lo = mid + 1;
    else hi = mid;
  }
  items.splice(lo, 0, row);
  if (items.length > cap) items.pop();
}

export async function collectReportFacts(
  input: Pick<ReportInput, 'rows'>,
  options: PrintableOptions = {},
): Promise<ReportFacts> {
  const cap = options.maxOpenItems ?? 200;
  const facts: ReportFacts = {
    rows: 0,
    byCode: new Map(),
    bySeverity: new Map(),
    byStatus: new Map(),
    byDay: new Map(),
    stake: new Map(),
    bandCounts: AMOUNT_BANDS.map(() => 0),
    openItems: [],
    openCount: 0,
  };
  for await (const row of iterateRows(input.rows, options.signal)) {
    facts.rows++;
    bump(facts.byCode, row.code);
    bump(facts.bySeverity, row.severity);
    bump(facts.byStatus, row.annotationStatus);
    if (row.code !== 'matched') bump(facts.byDay, row.date ?? '');
    if (row.severity !== 'ok' && row.difference !== 0) {
      const abs = Math.abs(row.difference);
      const band = amountBand(abs, row.currency);
      facts.bandCounts[band]!++;
      let stake = facts.stake.get(row.currency);
      if (!stake) {
        stake = { total: 0n, count: 0, byBand: AMOUNT_BANDS.map(() => 0n) };
        facts.stake.set(row.currency, stake);
      }
      stake.total += BigInt(abs);
      stake.count++;
      stake.byBand[band]! += BigInt(abs);
    }
    if (isOpenItem(row)) {
      facts.openCount++;
      keepWorst(facts.openItems, row, cap);
    }
    if (facts.rows % 5_000 === 0) options.onProgress?.(facts.rows);
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

/** Exact decimal text of a bigint count of minor units (sums of a million rows may pass 2^53). */
export function formatBigMinor(minor: bigint, currency: string): string {
  if (minor >= BigInt(Number.MIN_SAFE_INTEGER) && minor <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return formatAmount(Number(minor), currency);
  }
  const exponent = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const body = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return (negative ? '-' : '') + body;
}

function money(minor: number | null, currency: string): string {
  return minor === null ? '—' : escapeHtml(displayAmount(minor, currency));
}

function bigMoney(minor: bigint, currency: string): string {
  return escapeHtml(`${currency} ${groupDigits(formatBigMinor(minor, currency))}`);
}

function count(n: number): string {
  return groupDigits(String(n));
}

function plural(n: number, noun: string): string {
  return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** `2026-02-01T10:00:00Z` → `2026-02-01 10:00 UTC`; anything else is shown as given. */
export function displayTimestamp(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const SEVERITY_COLOURS: Record<Severity, string> = {
  ok: '#2e7d32',
  info: '#1565c0',
  warning: '#b26a00',
  error: '#c62828',
};
const BAND_COLOURS = ['#9fb3c8', '#6f8fb0', '#48709a', '#2a527d', '#123456'];

// ---------------------------------------------------------------------------------------------
// SVG charts (inline, no xmlns URL needed inside HTML)

interface Bar {
  label: string;
  value: number;
  valueLabel: string;
  colour: string;
}

/** Horizontal bars with a text label and value on every bar (never colour alone). */
export function horizontalBarChart(title: string, bars: Bar[]): string {
  if (bars.length === 0) return `<p class="empty">${escapeHtml(title)}: nothing to show.</p>`;
  const width = 680;
  const labelWidth = 190;
  const valueWidth = 120;
  const barArea = width - labelWidth - valueWidth - 10;
  const rowHeight = 22;
  const height = bars.length * rowHeight + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const parts = bars.map((bar, i) => {
    const y = 4 + i * rowHeight;
    const w = bar.value <= 0 ? 0 : Math.max(2, Math.round((bar.value / max) * barArea));
    return (
      `<g><title>${escapeHtml(`${bar.label}: ${bar.valueLabel}`)}</title>` +
      `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(bar.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 8}" fill="${bar.colour}"></rect>` +
      `<text x="${labelWidth + w + 6}" y="${y + 15}">${escapeHtml(bar.valueLabel)}</text></g>`
    );
  });
  return (
    `<figure><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">` +
    `${parts.join('')}</svg></figure>`
  );
}

/** Vertical bars over time (days or months), labelled sparsely on the axis. */
export function columnChart(title: string, points: { label: string; value: number }[], colour: string): string {
  if (points.length === 0) return `<p class="empty">${escapeHtml(title)}: nothing to show.</p>`;
  const width = 680;
  const height = 200;
  const left = 44;
  const bottom = 34;
  const top = 10;
  const plotW = width - left - 10;
  const plotH = height - bottom - top;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = plotW / points.length;
  const barW = Math.max(1, Math.floor(step * 0.8));
  const labelEvery = Math.max(1, Math.ceil(points.length / 12));
  const parts: string[] = [];
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#555"></line>`);
  parts.push(`<text x="${left - 4}" y="${top + 8}" text-anchor="end">${count(max)}</text>`);
  parts.push(`<text x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>`);
  points.forEach((p, i) => {
    const h = p.value <= 0 ? 0 : Math.max(1, Math.round((p.value / max) * plotH));
    const x = Math.round(left + i * step + (step - barW) / 2);
    parts.push(
      `<g><title>${escapeHtml(`${p.label}: ${count(p.value)}`)}</title>` +
        `<rect x="${x}" y="${top + plotH - h}" width="${barW}" height="${h}" fill="${colour}"></rect></g>`,
    );
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${x + barW / 2}" y="${top + plotH + 14}" text-anchor="middle" class="axis">${escapeHtml(p.label)}</text>`,
      );
    }
  });
  return (
    `<figure><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">` +
    `${parts.join('')}</svg></figure>`
  );
}

/** One 100% bar per currency split by amount band (currencies are never compared with each other). */
function stakeChart(stake: Map<string, CurrencyStake>): string {
  const title = 'Amount at stake per currency, split by amount band';
  const currencies = [...stake.keys()].sort();
  if (currencies.length === 0) return `<p class="empty">${escapeHtml(title)}: no differences.</p>`;
  const width = 680;
  const labelWidth = 60;
  const valueWidth = 190;
  const barArea = width - labelWidth - valueWidth - 10;
  const rowHeight = 26;
  const legendHeight = 24;
  const height = currencies.length * rowHeight + legendHeight + 8;
  const parts: string[] = [];
  currencies.forEach((currency, i) => {
    const s = stake.get(currency)!;
    const y = 4 + i * rowHeight;
    parts.push(`<text x="${labelWidth - 6}" y="${y + 16}" text-anchor="end">${escapeHtml(currency)}</text>`);
    let x = labelWidth;
    s.byBand.forEach((amount, band) => {
      if (amount === 0n || s.total === 0n) return;
      const w = Math.max(1, Number((amount * BigInt(barArea)) / s.total));
      parts.push(
        `<g><title>${escapeHtml(`${currency}, ${AMOUNT_BANDS[band]!.label}: ${currency} ${groupDigits(formatBigMinor(amount, currency))}`)}</title>` +
          `<rect x="${x}" y="${y + 4}" width="${w}" height="${rowHeight - 10}" fill="${BAND_COLOURS[band]}"></rect></g>`,
      );
      x += w;
    });
    parts.push(
      `<text x="${labelWidth + barArea + 8}" y="${y + 16}">${bigMoney(s.total, currency)} (${count(s.count)})</text>`,
    );
  });
  const ly = currencies.length * rowHeight + 12;
  let lx = labelWidth;
  AMOUNT_BANDS.forEach((band, i) => {
    parts.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${BAND_COLOURS[i]}"></rect>`);
    parts.push(`<text x="${lx + 14}" y="${ly + 9}" class="axis">${escapeHtml(band.label)}</text>`);
    lx += 100;
  });
  return (
    `<figure><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">` +
    `${parts.join('')}</svg></figure>`
  );
}

function byDayPoints(
  byDay: Map<string, number>,
  maxDays: number,
): { points: { label: string; value: number }[]; unit: string; undated: number } {
  const undated = byDay.get('') ?? 0;
  const days = [...byDay.entries()].filter(([d]) => d !== '').sort(([a], [b]) => (a < b ? -1 : 1));
  if (days.length <= maxDays) return { points: days.map(([label, value]) => ({ label, value })), unit: 'day', undated };
  const months = new Map<string, number>();
  for (const [day, value] of days) bump(months, day.slice(0, 7), value);
  return { points: [...months.entries()].map(([label, value]) => ({ label, value })), unit: 'month', undated };
}

// ---------------------------------------------------------------------------------------------
// Document

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 18pt; margin: 0 0 4px; }
h2 { font-size: 13pt; margin: 22px 0 8px; border-bottom: 1px solid #c9d1da; padding-bottom: 3px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0; }
.meta dt { font-weight: 600; color: #44505c; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.figure { border: 1px solid #c9d1da; border-radius: 4px; padding: 6px 12px; min-width: 130px; }
.figure strong { display: block; font-size: 14pt; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border-bottom: 1px solid #dde3ea; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { overflow-wrap: anywhere; }
.sev { font-weight: 600; white-space: nowrap; }
.sev-error { color: #c62828; } .sev-warning { color: #8a5300; } .sev-info { color: #1565c0; } .sev-ok { color: #2e7d32; }
figure { margin: 10px 0 16px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { font: 11px system-ui, sans-serif; fill: #1b1f24; max-width: 680px; display: block; }
svg.chart .axis { font-size: 9px; fill: #44505c; }
.note { color: #44505c; font-style: italic; }
.empty { color: #44505c; }
.signoff { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; margin-top: 10px; }
.signoff .box { border: 1px solid #9aa5b1; border-radius: 4px; padding: 10px 12px; min-height: 90px; break-inside: avoid; }
.signoff .line { border-bottom: 1px solid #1b1f24; height: 28px; margin: 6px 0 2px; }
table.open-items tbody.with-tenders tr:first-child td { border-bottom: 0; }
tr.tenders td { padding-top: 0; }
.tender-line { display: grid; grid-template-columns: max-content 1fr; gap: 0 10px; margin: 0; font-size: 9pt; color: #33404d; }
.tender-line dt { font-weight: 600; }
.tender-line dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 24px; font-size: 9pt; color: #44505c; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  tr, tbody.item, .figure, figure, .signoff { break-inside: avoid; }
  thead { display: table-header-group; }
  .signoff-section { break-before: auto; break-inside: avoid; }
  .screen-only { display: none; }
}
`;

/** The document's CSP: nothing may load, nothing may run; only the inline stylesheet applies. */
export const PRINTABLE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function metaList(items: [string, string][]): string {
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function signBox(role: string, entry: SignOffEntry | undefined): string {
  if (entry) {
    return (
      `<div class="box"><strong>${escapeHtml(role)}</strong>` +
      `<div>Signed off by <strong>${escapeHtml(entry.name)}</strong></div>` +
      `<div>on ${escapeHtml(displayTimestamp(entry.at))}</div>` +
      '<div class="line"></div><small>Signature</small></div>'
    );
  }
  return (
    `<div class="box"><strong>${escapeHtml(role)}</strong> <span class="note">(not signed in the app)</span>` +
    '<div class="line"></div><small>Name</small><div class="line"></div><small>Date and signature</small></div>'
  );
}

function severityCell(severity: Severity): string {
  return `<span class="sev sev-${severity}">${escapeHtml(severity)}</span>`;
}

/** An open item's tender line: how each side paid back and the tender problem, labelled. */
function tenderLine(row: ReportRow): string {
  const t = row.tenders!;
  const fields: [string, string][] = [
    ['Storefront paid back as', paidBackText(t.storefront, row.currency)],
    ['NetSuite paid back as', paidBackText(t.netsuite, row.currency)],
    ['Tender problem', tenderProblemText(row)],
  ];
  const shown = fields.filter(([, text]) => text !== '');
  if (shown.length === 0) return '';
  const items = shown.map(([label, text]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(text)}</dd>`).join('');
  return `<tr class="tenders"><td></td><td colspan="9"><dl class="tender-line">${items}</dl></td></tr>`;
}

/** The whole run's money per currency and tender class (tenders.md §6), as the XLSX summary shows it. */
function byClassSection(byClass: ReportInput['summary']['byClass']): string {
  const currencies = Object.keys(byClass ?? {}).sort();
  if (!byClass || currencies.length === 0) return '';
  const rows = currencies.flatMap((currency) =>
    byClass[currency]!.map(
      (c) =>
        `<tr><td>${escapeHtml(currency)}</td><td>${escapeHtml(classWords(c.class))}</td>` +
        `<td class="num">${money(c.storefront, currency)}</td><td class="num">${money(c.netsuite, currency)}</td></tr>`,
    ),
  );
  return (
    '<section><h2>How the money went back</h2>' +
    '<table><thead><tr><th>Currency</th><th>Paid back as</th><th class="num">Storefront</th><th class="num">NetSuite</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>` +
    '<p class="note">The whole run, per currency: what each side paid back as money, store credit and gift cards, exchange credit, or without saying how.</p></section>'
  );
}

export function buildPrintableHtml(input: ReportInput, facts: ReportFacts, options: PrintableOptions = {}): string {
  const cap = options.maxOpenItems ?? 200;
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en"><head><meta charset="utf-8">');
  out.push(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PRINTABLE_CSP)}">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push('<meta name="referrer" content="no-referrer">');
  out.push(`<title>${escapeHtml(input.title)}</title>`);
  out.push(`<style>${CSS}</style></head><body>`);

  // Header
  out.push(`<header><h1>${escapeHtml(input.title)}</h1>`);
  const meta: [string, string][] = [['Generated', displayTimestamp(input.generatedAt)]];
  if (input.workspaceName !== undefined) meta.push(['Workspace', input.workspaceName]);
  meta.push(
    ['Run', `${input.run.id} (started ${displayTimestamp(input.run.startedAt)})`],
    ['Storefront', input.run.storefrontLabel],
    ['NetSuite', input.run.netsuiteLabel],
    [
      'Rules',
      `tolerance ${input.run.rules.tolerance}; date window ${input.run.rules.dateWindowDays} days; line-item refunds ${input.run.rules.lineItems}`,
    ],
    ['Filters', input.filtersDescription || 'None'],
  );
  out.push(`${metaList(meta)}</header>`);

  // Key figures
  const errors = facts.bySeverity.get('error') ?? 0;
  const warnings = facts.bySeverity.get('warning') ?? 0;
  const matched = facts.byCode.get('matched') ?? 0;
  out.push('<section><h2>Key figures</h2><div class="figures">');
  const figure = (label: string, value: string): string =>
    `<div class="figure"><strong>${value}</strong>${escapeHtml(label)}</div>`;
  out.push(figure('results', count(facts.rows)));
  out.push(figure('matched', count(matched)));
  out.push(figure('errors', count(errors)));
  out.push(figure('warnings', count(warnings)));
  out.push(figure('open items (warning or error, not annotated)', count(facts.openCount)));
  out.push('</div>');
  const statuses = (['open', 'explained', 'ignored', 'fixed'] as const)
    .map((s) => `${s} ${count(facts.byStatus.get(s) ?? 0)}`)
    .join(' · ');
  out.push(`<p>Annotations: ${escapeHtml(statuses)}</p></section>`);

  // Totals per currency
  out.push('<section><h2>Totals per currency</h2>');
  const currencies = Object.keys(input.summary.totals).sort();
  if (currencies.length === 0) out.push('<p class="empty">No amounts in this run.</p>');
  else {
    out.push(
      '<table><thead><tr><th>Currency</th><th class="num">Storefront</th><th class="num">NetSuite</th><th class="num">Difference</th><th class="num">At stake</th></tr></thead><tbody>',
    );
    for (const currency of currencies) {
      const t = input.summary.totals[currency]!;
      const stake = facts.stake.get(currency);
      out.push(
        `<tr><td>${escapeHtml(currency)}</td><td class="num">${money(t.storefront, currency)}</td>` +
          `<td class="num">${money(t.netsuite, currency)}</td><td class="num">${money(t.difference, currency)}</td>` +
          `<td class="num">${bigMoney(stake?.total ?? 0n, currency)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
    out.push(
      '<p class="note">Difference is storefront minus NetSuite. At stake is the sum of the absolute differences of the results that are not matched.</p>',
    );
  }
  out.push('</section>');
  out.push(byClassSection(input.summary.byClass));

  // Results by code
  out.push('<section><h2>Results by code</h2>');
  out.push(
    '<table><thead><tr><th>Result</th><th>Code</th><th>Severity</th><th class="num">Count</th></tr></thead><tbody>',
  );
  let summaryTotal = 0;
  for (const code of ResultCode.options) {
    const n = input.summary.byCode[code] ?? 0;
    summaryTotal += n;
    if (n === 0) continue;
    out.push(
      `<tr><td>${escapeHtml(CODE_LABELS[code])}</td><td><code>${escapeHtml(code)}</code></td>` +
        `<td>${severityCell(DEFAULT_SEVERITY[code])}</td><td class="num">${count(n)}</td></tr>`,
    );
  }
  out.push(`<tr><th colspan="3">Total</th><th class="num">${count(summaryTotal)}</th></tr></tbody></table>`);

  // Charts
  const codeBars: Bar[] = ResultCode.options
    .filter((code) => code !== 'matched' && (facts.byCode.get(code) ?? 0) > 0)
    .map((code) => ({
      label: CODE_LABELS[code],
      value: facts.byCode.get(code)!,
      valueLabel: count(facts.byCode.get(code)!),
      colour: SEVERITY_COLOURS[DEFAULT_SEVERITY[code]],
    }));
  out.push(horizontalBarChart('Differences by code (number of results)', codeBars));
  out.push('</section>');

  out.push('<section><h2>Differences over time and by size</h2>');
  const { points, unit, undated } = byDayPoints(facts.byDay, options.maxDays ?? 62);
  out.push(columnChart(`Differences by ${unit} (results not matched)`, points, '#48709a'));
  if (undated > 0) {
    out.push(
      `<p class="note">${plural(undated, 'result')} without a date ${undated === 1 ? 'is' : 'are'} not in this chart.</p>`,
    );
  }
  const bandBars: Bar[] = AMOUNT_BANDS.map((band, i) => ({
    label: `${band.label} (currency units)`,
    value: facts.bandCounts[i]!,
    valueLabel: count(facts.bandCounts[i]!),
    colour: BAND_COLOURS[i]!,
  }));
  out.push(
    facts.bandCounts.some((n) => n > 0)
      ? horizontalBarChart('Differences by amount band (number of results)', bandBars)
      : '<p class="empty">Differences by amount band: no differences.</p>',
  );
  out.push(stakeChart(facts.stake));
  out.push('</section>');

  // Open items
  out.push('<section><h2>Open items</h2>');
  if (facts.openCount === 0) {
    out.push('<p>No open items: every warning and error has been explained, ignored or fixed.</p>');
  } else {
    if (facts.openCount > facts.openItems.length) {
      out.push(
        `<p class="note">Showing the ${count(facts.openItems.length)} worst of ${count(facts.openCount)} open items (capped at ${count(cap)}). The CSV and XLSX exports list every result.</p>`,
      );
    } else {
      out.push(`<p class="note">${plural(facts.openCount, 'open item')}, worst first.</p>`);
    }
    // How the money went back (tenders.md §6), as the CSV and XLSX carry it: a line under each item
    // whose run compared tenders (one stored before that has none), so the hint keeps its width on
    // A4. Each item is its own <tbody>, kept together on paper.
    out.push(
      '<table class="open-items"><thead><tr><th>Severity</th><th>Result</th><th>Order</th><th>Date</th><th>Storefront refund</th><th class="num">Storefront</th><th>NetSuite documents</th><th class="num">NetSuite</th><th class="num">Difference</th><th>Hint</th></tr></thead>',
    );
    for (const row of facts.openItems) {
      const tenders = row.tenders ? tenderLine(row) : '';
      out.push(
        `<tbody class="item${tenders ? ' with-tenders' : ''}"><tr><td>${severityCell(row.severity)}</td><td>${escapeHtml(CODE_LABELS[row.code])}</td>` +
          `<td class="text">${escapeHtml(row.orderRef)}</td><td>${escapeHtml(row.date ?? '')}</td>` +
          `<td class="text">${escapeHtml(row.storefrontRefundId ?? '')}</td>` +
          `<td class="num">${money(row.storefrontTotal, row.sideCurrencies?.storefront ?? row.currency)}</td>` +
          `<td class="text">${escapeHtml(row.netsuiteDocuments)}</td>` +
          `<td class="num">${money(row.netsuiteTotal, row.sideCurrencies?.netsuite ?? row.currency)}</td>` +
          `<td class="num">${money(row.difference, row.currency)}</td>` +
          `<td class="text">${escapeHtml(row.hint)}</td></tr>${tenders}</tbody>`,
      );
    }
    out.push('</table>');
  }
  out.push('</section>');

  // Sign-off
  out.push('<section class="signoff-section"><h2>Sign-off</h2><div class="signoff">');
  out.push(signBox('Preparer', input.signOff.preparer));
  out.push(signBox('Reviewer', input.signOff.reviewer));
  out.push('</div></section>');

  out.push(
    `<footer>Refund Reconciler · ${escapeHtml(input.title)} · generated ${escapeHtml(displayTimestamp(input.generatedAt))}` +
      '<span class="screen-only"> · To make a PDF, print this page and choose "Save as PDF".</span></footer>',
  );
  out.push('</body></html>\n');
  return out.join('\n');
}

/** Reads the rows once and renders the printable summary. */
export async function renderPrintableHtml(
  input: ReportInput,
  options: PrintableOptions = {},
): Promise<PrintableResult> {
  checkReportSummary(input.summary);
  const facts = await collectReportFacts(input, options);
  const html = buildPrintableHtml(input, facts, options);
  options.onProgress?.(facts.rows);
  return { html, rows: facts.rows };
}
