import { describe, expect, it } from 'vitest';
import { renderPrintableHtml } from '../../../src/main/reports/printable';
import type { ReportRow, ReportTenders } from '../../../src/main/reports/report-model';
import { makeInput, makeRow } from './helpers';

/**
 * The printable summary's tender columns (tenders.md §6): how each side paid back and the tender
 * problem, as the CSV/XLSX carry them, in an accountant's words — read back from the HTML.
 */

const tenders = (t: Partial<ReportTenders>): ReportTenders => ({
  storefront: [],
  netsuite: [],
  byClass: [],
  exchange: null,
  dispute: null,
  ...t,
});

const ROWS: ReportRow[] = [
  makeRow({
    code: 'tender_mismatch',
    orderRef: '#2001',
    storefrontTotal: 5000,
    netsuiteTotal: 5000,
    difference: 0,
    hint: 'NetSuite paid money out for store credit.',
    tenders: tenders({
      storefront: [{ kind: 'store_credit', amount: 5000 }],
      netsuite: [{ kind: 'card', amount: 5000, state: 'paid_out' }],
      byClass: [
        { class: 'money', storefront: 0, netsuite: 5000 },
        { class: 'stored_value', storefront: 5000, netsuite: 0 },
      ],
    }),
  }),
  makeRow({
    code: 'credit_not_paid_out',
    severity: 'warning',
    orderRef: '#2002',
    storefrontTotal: 123456,
    netsuiteTotal: 123456,
    difference: 0,
    tenders: tenders({
      storefront: [{ kind: 'card', amount: 123456 }],
      netsuite: [{ kind: 'store_credit', amount: 123456, state: 'open' }],
      byClass: [
        { class: 'money', storefront: 123456, netsuite: 0 },
        { class: 'stored_value', storefront: 0, netsuite: 123456 },
      ],
    }),
  }),
  makeRow({
    code: 'exchange',
    severity: 'warning',
    orderRef: '#2003',
    storefrontTotal: 5000,
    netsuiteTotal: 5000,
    difference: 0,
    tenders: tenders({
      storefront: [
        { kind: 'exchange', amount: 4000 },
        { kind: 'card', amount: 600 },
        { kind: 'card', amount: 400 },
      ],
      netsuite: [{ kind: 'card', amount: 5000, state: 'settled' }],
      byClass: [
        { class: 'money', storefront: 1000, netsuite: 5000 },
        { class: 'exchange', storefront: 4000, netsuite: 0 },
      ],
      exchange: { returnId: 'R7020', returned: 5000, exchanged: 6500, balanceDue: 1500 },
    }),
  }),
  makeRow({
    code: 'chargeback',
    orderRef: '#2004',
    storefrontTotal: 8000,
    netsuiteTotal: 8000,
    difference: 0,
    tenders: tenders({
      storefront: [{ kind: 'card', amount: 8000 }],
      netsuite: [{ kind: 'card', amount: 8000, state: 'settled' }],
      byClass: [{ class: 'money', storefront: 8000, netsuite: 8000 }],
      dispute: { id: '7301000', type: 'chargeback', status: 'under_review', amount: '1234.5' },
    }),
  }),
  // A result of a run stored before tenders were compared: its tender cells stay empty.
  makeRow({ orderRef: '#2005' }),
];

const INPUT = makeInput(ROWS, {
  summary: {
    byCode: { tender_mismatch: 1, credit_not_paid_out: 1, exchange: 1, chargeback: 1, amount_mismatch: 1 },
    totals: { USD: { storefront: 142690, netsuite: 142691, difference: -1 } },
    byClass: {
      USD: [
        { class: 'money', storefront: 132456, netsuite: 18000 },
        { class: 'stored_value', storefront: 5000, netsuite: 123456 },
        { class: 'exchange', storefront: 4000, netsuite: 0 },
      ],
    },
  },
});

const TENDER_FIELDS = ['Storefront paid back as', 'NetSuite paid back as', 'Tender problem'];

/**
 * The open-items table read back: its header cells and, per order reference, each item's cells by
 * header plus the labelled fields of its tender line (tags stripped, entities decoded; '' when absent).
 */
function openItems(html: string): { headers: string[]; byOrder: Map<string, Record<string, string>> } {
  const section = html.slice(html.indexOf('<h2>Open items</h2>'), html.indexOf('<h2>Sign-off</h2>'));
  const text = (cell: string) =>
    cell
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  const headers = [...section.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => text(m[1]!));
  const byOrder = new Map<string, Record<string, string>>();
  for (const [, item] of section.matchAll(/<tbody class="item[^"]*">(.*?)<\/tbody>/gs)) {
    const main = /<tr>(.*?)<\/tr>/s.exec(item!)![1]!;
    const cells = [...main.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => text(m[1]!));
    const record: Record<string, string> = Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
    for (const f of TENDER_FIELDS) record[f] = '';
    for (const [, dt, dd] of item!.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)) record[text(dt!)] = text(dd!);
    byOrder.set(record.Order!, record);
  }
  return { headers, byOrder };
}

describe('printable summary: tender columns', () => {
  it('shows how each side paid back and the tender problem, in words, for every open item', async () => {
    const { html } = await renderPrintableHtml(INPUT);
    const { headers, byOrder } = openItems(html);
    // Under each item, labelled: the hint keeps its column's width on A4.
    expect(headers.at(-1)).toBe('Hint');
    expect(html).toContain('<dt>Storefront paid back as</dt>');

    expect(byOrder.get('#2001')).toMatchObject({
      'Storefront paid back as': 'Store credit USD 50.00',
      'NetSuite paid back as': 'Card or payment gateway USD 50.00 paid out',
      'Tender problem':
        'Paid back differently: money: storefront USD 0.00, NetSuite USD 50.00; store credit and gift cards: storefront USD 50.00, NetSuite USD 0.00',
    });
    expect(byOrder.get('#2002')).toMatchObject({
      'Storefront paid back as': 'Card or payment gateway USD 1,234.56',
      'NetSuite paid back as': 'Store credit USD 1,234.56 still open',
      'Tender problem': 'Credit not paid out: USD 1,234.56 still open in NetSuite',
    });
    // Tenders of one kind are summed, in the order the source gave them.
    expect(byOrder.get('#2003')).toMatchObject({
      'Storefront paid back as': 'Exchange credit USD 40.00; card or payment gateway USD 10.00',
      'NetSuite paid back as': 'Card or payment gateway USD 50.00',
      'Tender problem':
        'Exchange (return R7020): items returned USD 50.00, exchange items USD 65.00, the customer owes USD 15.00',
    });
    expect(byOrder.get('#2004')!['Tender problem']).toBe('Chargeback 7301000: under review, USD 1,234.50');
    expect(byOrder.get('#2005')).toMatchObject({
      'Storefront paid back as': '',
      'NetSuite paid back as': '',
      'Tender problem': '',
    });
  });

  it('says nothing an accountant would have to decode: no identifiers, no minor units', async () => {
    const { html } = await renderPrintableHtml(INPUT);
    const { byOrder } = openItems(html);
    const tenderText = [...byOrder.values()]
      .flatMap((r) => [r['Storefront paid back as'], r['NetSuite paid back as'], r['Tender problem']])
      .join('\n');
    expect(tenderText).not.toMatch(/store_credit|gift_card|stored_value|paid_out|under_review|byClass|tenders\./);
    // Minor units of the amounts above (5000, 123456, 8000…) never appear without their decimal point.
    expect(tenderText).not.toMatch(/\b(5000|123456|8000|4000|1500)\b/);
  });

  it('adds the run’s money per currency and tender class, as the XLSX summary does', async () => {
    const { html } = await renderPrintableHtml(INPUT);
    const section = html.slice(html.indexOf('<h2>How the money went back</h2>'));
    expect(section).toContain(
      '<tr><td>USD</td><td>Store credit and gift cards</td><td class="num">USD 50.00</td><td class="num">USD 1,234.56</td></tr>',
    );
    expect(section).toContain('<td>Exchange credit</td>');
  });

  it('source ids in the tender cells (return, dispute, an unknown kind) are escaped, never markup', async () => {
    const hostile = makeRow({
      orderRef: '#2006',
      tenders: tenders({
        storefront: [{ kind: '<svg onload=alert(1)>', amount: 100 }],
        exchange: { returnId: '"><img src=x onerror=alert(1)>', returned: 100, exchanged: null, balanceDue: null },
        dispute: { id: '</style><script>x</script>', type: 'chargeback', status: 'lost', amount: null },
      }),
    });
    const { html } = await renderPrintableHtml(makeInput([hostile]));
    expect(html).not.toMatch(/<img|<script|<svg onload/);
    const row = openItems(html).byOrder.get('#2006')!;
    expect(row['Tender problem']).toBe(
      'Exchange (return "><img src=x onerror=alert(1)>): items returned USD 1.00, exchange items not in the export. Chargeback </style><script>x</script>: lost',
    );
  });

  it('a run stored before tenders were compared: no tender lines, no tender section', async () => {
    const { html } = await renderPrintableHtml(makeInput([makeRow()]));
    expect(html).not.toContain('tender-line"');
    expect(html).not.toContain('paid back as');
    expect(html).not.toContain('How the money went back');
  });
});
