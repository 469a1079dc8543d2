import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { exportReport } from '../../../src/main/reports/export-run';
import {
  amountBand,
  collectReportFacts,
  compareWorstFirst,
  escapeHtml,
  formatBigMinor,
  renderPrintableHtml,
} from '../../../src/main/reports/printable';
import type { ReportRow } from '../../../src/main/reports/report-model';
import { generatedRows, HOSTILE_TEXT, makeInput, makeRow, sampleRows, tempDir } from './helpers';

const tmp = tempDir('reports-html-');
afterAll(tmp.cleanup);

/** Every element the document may contain; anything else means text escaped into markup. */
const ALLOWED_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'header',
  'section',
  'footer',
  'h1',
  'h2',
  'p',
  'dl',
  'dt',
  'dd',
  'div',
  'span',
  'strong',
  'small',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'figure',
  'figcaption',
  'svg',
  'g',
  'rect',
  'text',
  'line',
]);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

function assertSafeMarkup(html: string): void {
  const body = html.replace(/^<!DOCTYPE html>/, '');
  const unexpected = tagsOf(body).filter((tag) => !ALLOWED_TAGS.has(tag));
  expect(unexpected).toEqual([]);
  // No event handler, script URL or external reference inside any tag.
  const badAttributes = [...body.matchAll(/<[a-zA-Z][^>]*>/g)]
    .map(([tag]) => tag)
    .filter((tag) => /\son\w+\s*=|javascript:|\s(src|href|xlink:href|action|srcset|poster|data)\s*=/i.test(tag));
  expect(badAttributes).toEqual([]);
  expect(body).not.toMatch(/<script|url\(|@import/i);
}

describe('printable HTML summary', () => {
  it('is a self-contained document with the summary, charts, open items and sign-off', async () => {
    const file = path.join(tmp.dir, 'summary.html');
    // The sample's hostile hint carries a URL as text; drop it so any URL in the file would be ours.
    const rows = sampleRows().map((r) => ({ ...r, hint: r.hint.replace('http://evil.example', 'evil') }));
    const result = await exportReport(makeInput(rows), 'html', file);
    expect(result.rows).toBe(6);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;');
    expect(html).toContain('@media print');
    expect(html).toContain('@page');
    // No external resource of any kind, not even the SVG namespace URL.
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    assertSafeMarkup(html);
    // Content
    expect(html).toContain('<h1>Refund reconciliation — January 2026</h1>');
    expect(html).toContain('USD 1,234,630.23');
    expect(html).toContain('BHD -1.005');
    expect(html).toContain('JPY 1,200');
    expect(html).toContain('Differences by code');
    expect(html).toContain('Differences by day');
    expect(html).toContain('Differences by amount band');
    expect(html).toContain('Amount at stake per currency');
    expect((html.match(/<svg /g) ?? []).length).toBe(4);
    expect(html).toContain('Ann Preparer');
    expect(html).toContain('(not signed in the app)');
    expect(html).toContain('Sign-off');
  });

  it('lists open items worst first: severity, then size in the currency, and excludes annotated ones', async () => {
    const rows: ReportRow[] = [
      makeRow({ orderRef: 'small-usd', difference: -5, severity: 'error' }),
      makeRow({ orderRef: 'warn-big', code: 'general_refund', severity: 'warning', difference: 999_999 }),
      makeRow({ orderRef: 'big-jpy', currency: 'JPY', difference: 100 }), // JPY 100 > USD 0.05
      makeRow({ orderRef: 'big-usd', difference: 10_000 }), // USD 100.00 == JPY 100? no: 100.00 USD vs 100 JPY equal in units
      makeRow({ orderRef: 'explained', difference: 1_000_000, annotationStatus: 'explained' }),
      makeRow({ orderRef: 'info', code: 'rounding', severity: 'info', difference: 1 }),
    ];
    const facts = await collectReportFacts(makeInput(rows));
    expect(facts.openItems.map((r) => r.orderRef)).toEqual(['big-jpy', 'big-usd', 'small-usd', 'warn-big']);
    expect(facts.openCount).toBe(4);
  });

  it('caps the open items with a note and keeps the worst', async () => {
    const { html } = await renderPrintableHtml(makeInput(generatedRows(5_000)), { maxOpenItems: 25 });
    const facts = await collectReportFacts(makeInput(generatedRows(5_000)), { maxOpenItems: 25 });
    expect(facts.openItems).toHaveLength(25);
    expect(html).toMatch(/Showing the 25 worst of [\d,]+ open items \(capped at 25\)/);
    // The kept items are the worst of all: none left out is worse than the last kept.
    const all = [...generatedRows(5_000)].filter((r) => r.annotationStatus === 'open' && r.severity === 'error');
    all.sort(compareWorstFirst);
    expect(facts.openItems.map((r) => r.orderRef)).toEqual(all.slice(0, 25).map((r) => r.orderRef));
  });

  it('escapes hostile text everywhere it can appear', async () => {
    const rows = HOSTILE_TEXT.map((t, i) =>
      makeRow({
        orderRef: t,
        hint: t,
        netsuiteDocuments: t,
        storefrontRefundId: t,
        difference: -(i + 1),
        date: '2026-01-05',
      }),
    );
    const hostile = '<script>alert(1)</script>"\'><img src=x onerror=alert(1)>';
    const { html } = await renderPrintableHtml(
      makeInput(rows, {
        title: hostile,
        workspaceName: hostile,
        filtersDescription: hostile,
        run: {
          id: hostile,
          storefrontLabel: hostile,
          netsuiteLabel: hostile,
          rules: { tolerance: hostile, dateWindowDays: 7, lineItems: 'auto' },
          startedAt: hostile,
        },
        generatedAt: hostile,
        signOff: {
          preparer: { name: hostile, at: hostile },
          reviewer: { name: '</style><script>x</script>', at: '2026-01-01' },
        },
      }),
    );
    assertSafeMarkup(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('\u0000');
    // Exactly one <style> element, closed once: the hostile </style> stayed text.
    expect((html.match(/<\/style>/g) ?? []).length).toBe(1);
  });

  it('property: arbitrary text never becomes markup', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({
        unit: fc.constantFrom('<', '>', '&', '"', "'", '/', '=', 's', 'c', 'r', 'i', 'p', 't', ' ', 'o', 'n'),
        maxLength: 20,
      }),
    );
    await fc.assert(
      fc.asyncProperty(text, text, text, async (a, b, c) => {
        const { html } = await renderPrintableHtml(
          makeInput([makeRow({ orderRef: a, hint: b, netsuiteDocuments: c })], { title: b, filtersDescription: a }),
        );
        assertSafeMarkup(html);
      }),
      { numRuns: 150 },
    );
  });

  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('groups many days by month and bands differences in currency units', async () => {
    const rows: ReportRow[] = [];
    for (let d = 0; d < 90; d++) {
      const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
      rows.push(makeRow({ date, orderRef: `#${d}` }));
    }
    const { html } = await renderPrintableHtml(makeInput(rows));
    expect(html).toContain('Differences by month');
    expect(html).toContain('2026-03');
    expect(amountBand(100, 'USD')).toBe(0); // 1.00
    expect(amountBand(101, 'USD')).toBe(1);
    expect(amountBand(100, 'JPY')).toBe(2); // 100 yen
    expect(amountBand(1_000_001, 'BHD')).toBe(4); // 1,000.001 BHD
  });

  it('adds stakes beyond 2^53 minor units exactly', () => {
    expect(formatBigMinor(9_007_199_254_740_993n, 'USD')).toBe('90071992547409.93');
    expect(formatBigMinor(-5n, 'BHD')).toBe('-0.005');
    expect(formatBigMinor(12n, 'JPY')).toBe('12');
  });
});
