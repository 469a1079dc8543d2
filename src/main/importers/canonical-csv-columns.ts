// A leaf module of data only: the flat reconcile's helper thread checks headers with it without
// loading the importer (canonical-csv.ts re-exports it).

/**
 * `canonical-csv`: this app's own model as CSV. One row per refund line; the refund's columns are
 * repeated on each of its rows; a refund without lines has one row with empty line columns. Rows
 * of one refund are consecutive. Amounts are decimals in the refund's currency (`12.34`, JPY `1200`),
 * booleans `true`/`false`, dates `YYYY-MM-DD`. Column order is free; all columns below must be present.
 */
export const CANONICAL_CSV_COLUMNS = [
  'side',
  'id',
  'documentNumber',
  'recordType',
  'orderRef',
  'createdFromType',
  'createdFromRef',
  'date',
  'currency',
  'total',
  'shipping',
  'tax',
  'adjustment',
  'kind',
  'externalId',
  'memo',
  'isTest',
  'status',
  'appliesTo',
  'moneyMoved',
  'presentmentCurrency',
  'presentmentTotal',
  'lineSku',
  'lineDescription',
  'lineQuantity',
  'lineAmount',
  'lineTax',
  'lineRole',
] as const;
/**
 * Optional columns (a file written before them still reads): a storefront refund's parts in
 * presentment money (model.ts `PresentmentParts`), in `presentmentCurrency`. Empty when unknown.
 */
export const CANONICAL_CSV_OPTIONAL_COLUMNS = [
  'presentmentShipping',
  'presentmentTax',
  'presentmentAdjustment',
  'linePresentmentAmount',
  'linePresentmentTax',
  // false when the source carried only the refund's total (model.ts `linesExported`); empty = true.
  'linesExported',
  // How the money went back (tenders.md §6; canonical-tenders.ts): kind:gateway:amount joined by |.
  'tenders',
  'tenderDetail',
  'creditDetail',
] as const;
