import type { ImportFormat } from '../../shared/contract/snapshot';
import { applyStorefrontRules, storefrontRules } from '../tenders/tender-mapping';
import { bigcommerceJsonRefunds } from './bigcommerce-json';
import { canonicalCsvRefunds } from './canonical-csv';
import { canonicalJsonRefunds } from './canonical-json';
import type { BatchImporter, Importer } from './common';
import { recordJsonRefunds } from './record-json';
import { savedSearchCsvRefundBatches, savedSearchCsvRefunds } from './saved-search-csv';
import { shopifyCsvRefunds } from './shopify-csv';
import { shopifyJsonRefundBatches, shopifyJsonRefunds } from './shopify-json';
import { shopifyJsonlRefunds } from './shopify-jsonl';
import { suiteqlJsonRefunds } from './suiteql-json';
import { woocommerceJsonRefunds } from './woocommerce-json';

/**
 * A storefront importer with the user's storefront tender mapping (tenders.md §1.3) applied to
 * what it yields; without rules for the platform, the importer itself (nothing added per refund).
 */
function withTenderMapping(importer: Importer, platform: string): Importer {
  return (source, ctx) => {
    const rules = storefrontRules(ctx.tenderMapping, platform);
    if (!rules) return importer(source, ctx);
    return (async function* () {
      for await (const refund of importer(source, ctx)) yield applyStorefrontRules(refund, rules);
    })();
  };
}

/** withTenderMapping for an importer that yields arrays. */
function batchesWithTenderMapping(importer: BatchImporter, platform: string): BatchImporter {
  return (source, ctx) => {
    const rules = storefrontRules(ctx.tenderMapping, platform);
    if (!rules) return importer(source, ctx);
    return (async function* () {
      for await (const batch of importer(source, ctx)) yield batch.map((refund) => applyStorefrontRules(refund, rules));
    })();
  };
}

/** Every import format and the async generator that reads it. */
export const IMPORTERS: Record<ImportFormat, Importer> = {
  'shopify-json': withTenderMapping(shopifyJsonRefunds, 'shopify'),
  'shopify-jsonl': withTenderMapping(shopifyJsonlRefunds, 'shopify'),
  'shopify-csv': shopifyCsvRefunds,
  'bigcommerce-json': withTenderMapping(bigcommerceJsonRefunds, 'bigcommerce'),
  'woocommerce-json': withTenderMapping(woocommerceJsonRefunds, 'woocommerce'),
  'saved-search-csv': savedSearchCsvRefunds,
  'suiteql-json': suiteqlJsonRefunds,
  'record-json': recordJsonRefunds,
  'canonical-json': canonicalJsonRefunds,
  'canonical-csv': canonicalCsvRefunds,
};

/**
 * Formats whose importer also yields its refunds in arrays (the same refunds in the same order,
 * errors after the refunds before them): the parse thread's loop (pack-refunds.ts) reads these, one
 * async step per array instead of per refund.
 */
export const BATCH_IMPORTERS: Partial<Record<ImportFormat, BatchImporter>> = {
  'saved-search-csv': savedSearchCsvRefundBatches,
  'shopify-json': batchesWithTenderMapping(shopifyJsonRefundBatches, 'shopify'),
};
