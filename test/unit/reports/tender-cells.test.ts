import { describe, expect, it } from 'vitest';
import { csvRecord } from '../../../src/main/reports/csv';
import { TENDER_COLUMNS, tenderCell } from '../../../src/main/reports/tender-cells';
import { makeRow } from './helpers';

/** The tender columns of the CSV/XLSX reports (tenders.md §6), cell by cell. */

const split = makeRow({
  currency: 'JPY',
  tenders: {
    storefront: [
      { kind: 'card', amount: 2000 },
      { kind: 'store_credit', amount: 3000 },
      { kind: 'card', amount: 500 },
    ],
    netsuite: [{ kind: 'card', amount: 5500, state: 'paid_out' }],
    byClass: [
      { class: 'money', storefront: 2500, netsuite: 5500 },
      { class: 'stored_value', storefront: 3000, netsuite: null },
    ],
    exchange: { returnId: '=7020', returned: 5500, exchanged: 7000, balanceDue: 1500 },
    dispute: { id: '@1026001', type: 'chargeback', status: 'under_review', amount: '5500' },
  },
});

describe('tender cells', () => {
  it('sums each side per kind in the currency’s decimals, shows both sides per class, — for a side with no record', () => {
    expect(tenderCell(split, 'storefrontTenders')).toBe('card 2500; store_credit 3000');
    expect(tenderCell(split, 'netsuiteTenders')).toBe('card 5500');
    expect(tenderCell(split, 'tenderSplit')).toBe('money 2500 / 5500; store credit & gift cards 3000 / —');
    expect(tenderCell(split, 'exchange')).toBe('return =7020: returned 5500, exchanged 7000, customer owes 1500');
    expect(tenderCell(split, 'chargeback')).toBe('chargeback @1026001, under review, 5500');
  });

  it('an exchange whose export gives no exchange items says so; no tenders: every cell empty', () => {
    const rest = makeRow({
      tenders: {
        storefront: [],
        netsuite: [],
        byClass: [],
        exchange: { returnId: '7025', returned: 5000, exchanged: null, balanceDue: null },
        dispute: null,
      },
    });
    expect(tenderCell(rest, 'exchange')).toBe('return 7025: returned 50.00, exchanged not in the export');
    for (const c of TENDER_COLUMNS) expect(tenderCell(makeRow(), c.key)).toBe('');
  });

  it('in the CSV: one quoted field a cell, never a formula even with source ids that look like one', () => {
    const record = csvRecord(split);
    expect(
      record.endsWith(
        ',"card 2500; store_credit 3000",card 5500,"money 2500 / 5500; store credit & gift cards 3000 / —",' +
          '"return =7020: returned 5500, exchanged 7000, customer owes 1500","chargeback @1026001, under review, 5500"',
      ),
    ).toBe(true);
  });
});
