import type { CanonicalRefundInput } from '../../shared/model';
import { parseAmount } from '../../shared/money';
import { currencyAt, type ImportContext, inputError, isoDateAt } from './common';
import { type ColumnSpec, resolveColumns } from './csv-columns';
import { readCsv } from './csv-stream';
import type { TextSource } from './source';

/**
 * `shopify-csv`: the admin "Export orders" CSV (apis.md §2.6): one row per line item, order-level
 * columns on the first row of each order. `Refunded Amount` is an order-level total with no
 * per-refund breakdown, so each order with a refunded amount becomes one `general` refund with
 * id `<Name>-refunded`, dated by `Cancelled at` when set, else `Paid at`, else `Created at` (the
 * export has no refund date: date-window matching is approximate for this format).
 */
export const SHOPIFY_CSV_COLUMNS: readonly ColumnSpec[] = [
  { key: 'name', name: 'Name', synonyms: [], required: true },
  { key: 'currency', name: 'Currency', synonyms: [] },
  { key: 'refunded', name: 'Refunded Amount', synonyms: [], required: true },
  { key: 'financialStatus', name: 'Financial Status', synonyms: [] },
  { key: 'createdAt', name: 'Created at', synonyms: [] },
  { key: 'paidAt', name: 'Paid at', synonyms: [] },
  { key: 'cancelledAt', name: 'Cancelled at', synonyms: [] },
  { key: 'id', name: 'Id', synonyms: [] },
  { key: 'shipping', name: 'Shipping', synonyms: [] },
  { key: 'notes', name: 'Notes', synonyms: [] },
];

export async function* shopifyCsvRefunds(source: TextSource, ctx: ImportContext): AsyncGenerator<CanonicalRefundInput> {
  const file = ctx.file;
  let col: Record<string, number> | undefined;
  let header: string[] = [];
  let current = '';
  for await (const batch of readCsv(source)) {
    let start = 0;
    if (!col) {
      header = batch[0]!.fields;
      col = resolveColumns(header, SHOPIFY_CSV_COLUMNS, file, ctx.mapping, ctx.currency ? [] : ['currency']);
      start = 1;
    }
    const c = col;
    for (let r = start; r < batch.length; r++) {
      const { fields: f, line } = batch[r]!;
      ctx.rows++;
      if (f.length !== header.length) {
        if (f.length === 1 && f[0]!.trim() === '') continue;
        throw inputError(
          'csv_field_count',
          `Line ${line} has ${f.length} fields but the header has ${header.length}. A field with a comma or line break is probably not quoted, or the file is cut short.`,
          { file, line },
        );
      }
      const name = f[c.name!]!.trim();
      if (name === current) continue; // later line-item rows of the same order
      current = name;
      const at = (key: string) => ({ file, line, column: header[c[key]!] ?? key });
      const rawRefunded = f[c.refunded!]!.trim();
      if (rawRefunded === '') continue;
      const currency = currencyAt(
        c.currency! >= 0 && f[c.currency!]!.trim() ? f[c.currency!]! : ctx.currency,
        at('currency'),
      );
      const parsed = parseAmount(rawRefunded, currency, { decimalComma: ctx.decimalComma });
      if (!parsed.ok) throw inputError('bad_amount', `${parsed.message}.`, at('refunded'));
      if (parsed.minor === 0) continue;
      const dateRaw = [c.cancelledAt, c.paidAt, c.createdAt]
        .map((i) => (i !== undefined && i >= 0 ? f[i]!.trim() : ''))
        .find((s) => s !== '');
      const id = c.id! >= 0 && f[c.id!]!.trim() ? f[c.id!]!.trim() : name;
      yield {
        side: 'storefront',
        id: `${id}-refunded`,
        documentNumber: name,
        recordType: 'refund',
        orderRef: name,
        date: isoDateAt(dateRaw, at('createdAt')),
        currency,
        total: Math.abs(parsed.minor),
        kind: 'general',
        memo: c.financialStatus! >= 0 ? f[c.financialStatus!]! : '',
        moneyMoved: true,
        // The export has the order's refunded total only: hints say the lines were not exported.
        linesExported: false,
      };
    }
  }
  if (!col)
    throw inputError('empty_file', 'The file has no header row. Export the orders again as CSV.', { file, line: 1 });
  ctx.notes.push(
    'The Shopify orders CSV gives only a refunded total per order: one general refund per order, dated by the order. Export orders JSON for per-refund detail.',
  );
}
