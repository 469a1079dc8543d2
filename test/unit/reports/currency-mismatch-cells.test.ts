import { describe, expect, it } from 'vitest';
import { csvRecord } from '../../../src/main/reports/csv';
import type { ReportRow } from '../../../src/main/reports/report-model';

/** Issue 16 item 6: the exports show both sides of a currency mismatch, each in its own currency. */
describe('report cells of a currency mismatch', () => {
  const row: ReportRow = {
    code: 'currency_mismatch',
    severity: 'error',
    orderRef: '#1030',
    currency: 'EUR',
    date: '2026-02-20',
    storefrontRefundId: '908000030',
    storefrontTotal: 3190,
    netsuiteDocuments: 'CR1031',
    netsuiteTotal: 3445,
    difference: 0,
    hint: 'storefront refund 908000030 is in EUR (EUR 31.90) but Cash Refund CR1031 is in USD (USD 34.45)',
    annotationStatus: 'open',
    annotationReason: '',
    sideCurrencies: { storefront: 'EUR', netsuite: 'USD' },
  };

  it('writes each side in its own currency, naming the one that is not the row’s', () => {
    const cells = csvRecord(row).split(',');
    expect(cells).toContain('31.90');
    expect(cells).toContain('USD 34.45');
  });

  it('leaves ordinary rows as plain numbers', () => {
    const { sideCurrencies: _s, ...plain } = row;
    const cells = csvRecord({ ...plain, code: 'amount_mismatch', currency: 'USD', difference: -255 }).split(',');
    expect(cells).toContain('34.45');
    expect(cells).not.toContain('USD 34.45');
  });
});
