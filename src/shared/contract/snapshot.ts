import { z } from 'zod';
import { IMPORT_FORMATS } from '../import-formats';
import { Side, TenderKind } from '../model';
import { channel } from './define';
import { SnapshotSummary } from './workspace';

/** Import formats of spec §6 and the side each belongs to (canonical formats serve both). */
export const ImportFormat = z.enum(IMPORT_FORMATS);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const FORMAT_SIDES: Record<ImportFormat, readonly Side[]> = {
  'shopify-json': ['storefront'],
  'shopify-jsonl': ['storefront'],
  'shopify-csv': ['storefront'],
  'bigcommerce-json': ['storefront'],
  'woocommerce-json': ['storefront'],
  'saved-search-csv': ['netsuite'],
  'suiteql-json': ['netsuite'],
  'record-json': ['netsuite'],
  'canonical-json': ['storefront', 'netsuite'],
  'canonical-csv': ['storefront', 'netsuite'],
};

export const DateFormat = z.enum(['mdy', 'dmy', 'iso']);
export type DateFormat = z.infer<typeof DateFormat>;

/** Saved-search `--mapping`: canonical column name → the header used in the user's export. */
export const ColumnMapping = z.record(z.string(), z.string());

/** Item roles on the NetSuite side (spec §3): names or internal ids. */
export const ItemRoles = z.object({
  shipping: z.array(z.string()).optional(),
  generic: z.array(z.string()).optional(),
  tax: z.array(z.string()).optional(),
  /**
   * Tender items (tenders.md §1.4): a line on such an item (name or internal id) is a tender of
   * that kind, added to the record's total; `recordTotal` keeps NetSuite's.
   */
  tender: z.array(z.object({ item: z.string(), kind: TenderKind })).optional(),
});
export type ItemRoles = z.infer<typeof ItemRoles>;

/**
 * The user's tender mapping (tenders.md §1.3), case-insensitive on name or internal id; it
 * overrides every default kind.
 */
export const TenderMapping = z.object({
  storefront: z.array(z.object({ platform: z.string(), gateway: z.string(), kind: TenderKind })).default([]),
  netsuite: z
    .array(
      z.union([
        z.object({ paymentMethod: z.string(), kind: TenderKind }),
        z.object({ item: z.string(), kind: TenderKind }),
      ]),
    )
    .default([]),
});
export type TenderMapping = z.infer<typeof TenderMapping>;

export const ImportOptions = z
  .object({
    /** Path to a mapping JSON file, or the mapping itself. */
    mapping: z.union([z.string(), ColumnMapping]).optional(),
    dateFormat: DateFormat.optional(),
    decimalComma: z.boolean().optional(),
    /** Currency for exports that do not say it (BigCommerce refunds, a saved search without a Currency column). */
    currency: z.string().optional(),
    /** BigCommerce: path of a file of order products (GET /v2/orders/{id}/products) that prices product refunds. */
    orderProducts: z.string().optional(),
    itemRoles: ItemRoles.optional(),
    label: z.string().optional(),
    storefrontAccountId: z.number().int().optional(),
    netsuiteAccountId: z.number().int().optional(),
    allowDuplicate: z.boolean().optional(),
  })
  .strict();
export type ImportOptions = z.infer<typeof ImportOptions>;

export const DetectedFormat = z.object({
  format: ImportFormat,
  /** The side the file belongs to (null for canonical files that do not say). */
  side: Side.nullable(),
  /** Plain words: why this format was chosen (shown to the user). */
  reason: z.string(),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be']),
  /**
   * Whether the import should ask for the currency (the format's files may not say it: BigCommerce,
   * WooCommerce refunds), and the linked account's currency to offer first.
   */
  currency: z.object({ needed: z.boolean(), default: z.string().nullable() }).optional(),
});
export type DetectedFormat = z.infer<typeof DetectedFormat>;

export const ImportOutcome = z.object({
  /** The new snapshot; null when the file was already imported and allowDuplicate was not set. */
  snapshot: SnapshotSummary.nullable(),
  format: ImportFormat,
  formatReason: z.string(),
  refundCount: z.number().int(),
  lineCount: z.number().int(),
  rowCount: z.number().int(),
  /** The earlier snapshot of the same file (same side and SHA-256), when there is one. */
  alreadyImported: SnapshotSummary.nullable(),
  /** Things the user should know (date format guessed, rows skipped and why). */
  notes: z.array(z.string()),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const snapshotChannels = {
  'snapshot:import': channel(
    z
      .object({
        path: z.string().min(1),
        side: Side,
        format: ImportFormat.optional(),
        options: ImportOptions.optional(),
      })
      .strict(),
    ImportOutcome,
    'Import an export file into a new snapshot (runs as a job: progress events, cancellable)',
  ),
  'snapshot:detect-format': channel(
    z
      .object({ path: z.string().min(1), side: Side.optional(), storefrontAccountId: z.number().int().optional() })
      .strict(),
    DetectedFormat,
    'Which import format a file is in, and why',
  ),
  'snapshot:delete': channel(
    z.object({ id: z.number().int() }).strict(),
    z.object({ deleted: z.boolean() }),
    'Delete a snapshot that no comparison run uses',
  ),
  'snapshot:formats': channel(
    z.object({}).strict(),
    z.array(z.object({ format: ImportFormat, sides: z.array(Side), description: z.string() })),
    'The import formats this version reads',
  ),
};
