import fs from 'node:fs';
import path from 'node:path';

/**
 * The tenders.md §7 case files as one storefront and one NetSuite file, so `reconcile --workspace`
 * stores a run (it stores one only with one snapshot a side): the cases of
 * test/fixtures/tenders/cases plus the exchange of case 21 (sync/shopify-exchange.json, with
 * cases/netsuite-exchange.json). Both are vendor-shaped files; only their record lists are joined.
 */

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'tenders');

function joined(files: string[], list: 'orders' | 'items'): unknown {
  const docs = files.map(
    (f) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as Record<string, unknown[]>,
  );
  return { [list]: docs.flatMap((d) => d[list] ?? []) };
}

/** Writes the two files into `dir`; returns the `reconcile` arguments that compare them (asOf 2026-03-20, disputes). */
export function tenderCaseArgs(dir: string): string[] {
  const storefront = path.join(dir, 'shopify-orders.json');
  const netsuite = path.join(dir, 'netsuite-records.json');
  fs.writeFileSync(
    storefront,
    JSON.stringify(joined(['cases/shopify-orders.json', 'sync/shopify-exchange.json'], 'orders')),
  );
  fs.writeFileSync(
    netsuite,
    JSON.stringify(joined(['cases/netsuite-records.json', 'cases/netsuite-exchange.json'], 'items')),
  );
  return [
    'reconcile',
    '--storefront',
    storefront,
    '--netsuite',
    netsuite,
    '--mapping',
    path.join(FIXTURES, 'mapping.json'),
    '--tolerance',
    '0.01',
    '--disputes',
    path.join(FIXTURES, 'cases', 'disputes-graphql.json'),
    '--as-of',
    '2026-03-20',
  ];
}
