/**
 * The import formats' names, without zod: the CLI's help text needs them, and `refund-recon --help`
 * should not load the contract's schemas (contract/snapshot.ts builds ImportFormat from this list).
 */
export const IMPORT_FORMATS = [
  'shopify-json',
  'shopify-jsonl',
  'shopify-csv',
  'bigcommerce-json',
  'woocommerce-json',
  'saved-search-csv',
  'suiteql-json',
  'record-json',
  'canonical-json',
  'canonical-csv',
] as const;
