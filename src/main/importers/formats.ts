import type { ImportFormat } from '../../shared/contract/snapshot';
import { bigcommerceJsonRefunds } from '../mapping/bigcommerce';
import { woocommerceJsonRefunds } from '../mapping/woocommerce';
import { canonicalCsvRefunds } from './canonical-csv';
import { canonicalJsonRefunds } from './canonical-json';
import type { Importer } from './common';
import { recordJsonRefunds } from './record-json';
import { savedSearchCsvRefunds } from './saved-search-csv';
import { shopifyCsvRefunds } from './shopify-csv';
import { shopifyJsonRefunds } from './shopify-json';
import { shopifyJsonlRefunds } from './shopify-jsonl';
import { suiteqlJsonRefunds } from './suiteql-json';

/** Every import format and the async generator that reads it. */
export const IMPORTERS: Record<ImportFormat, Importer> = {
  'shopify-json': shopifyJsonRefunds,
  'shopify-jsonl': shopifyJsonlRefunds,
  'shopify-csv': shopifyCsvRefunds,
  'bigcommerce-json': bigcommerceJsonRefunds,
  'woocommerce-json': woocommerceJsonRefunds,
  'saved-search-csv': savedSearchCsvRefunds,
  'suiteql-json': suiteqlJsonRefunds,
  'record-json': recordJsonRefunds,
  'canonical-json': canonicalJsonRefunds,
  'canonical-csv': canonicalCsvRefunds,
};
