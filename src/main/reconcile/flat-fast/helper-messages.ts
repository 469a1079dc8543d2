import type { Side } from '../../../shared/model';
import type { CandidatePairs } from './candidate-pairs';
import type { ComboVerdict } from './combos';
import type { FlatTable } from './flat-table';
import type { PlainPairs } from './plain-row-format';

/** What the helper thread starts with: the side of the file it will scan. */
export interface HelperData {
  side: Side;
}

/**
 * Main → helper: scan the file's bytes (read by the main thread into shared memory while the
 * helper thread was still starting: its module loading, not the read, was the longer part).
 */
export interface ScanRequest {
  type: 'scan';
  bytes: Uint8Array;
}

/**
 * Main → helper: read the file itself (into shared memory) and scan it: the CLI asks this of a
 * helper it starts before loading its own modules (early-helper.ts), so the read overlaps them.
 */
export interface ReadRequest {
  type: 'read';
  file: string;
}

/** Main → helper: write the plain rows, in their order, to `file`. */
export interface FormatRequest {
  type: 'format';
  ns: FlatTable;
  pairs: PlainPairs;
  verdicts: ComboVerdict[];
  /** tableOrderKey's prefix of a plain row by the storefront table's currency code. */
  prefixes: string[];
  file: string;
}

/**
 * Main → helper: decide the candidate pairs (candidate-pairs.ts) of the storefront table it scanned
 * and this NetSuite table, while the main thread reads the rows with a tenders cell.
 */
export interface DecideRequest {
  type: 'decide';
  ns: FlatTable;
}

/**
 * Main → helper: sort the candidate pairs it decided in tableOrderKey's order (`prefixes` as in
 * FormatRequest), while the main thread reads odd rows, asks the engine's verdicts and builds the
 * subset snapshots; the formatting then only filters that order (plainPairOrder).
 */
export interface SortRequest {
  type: 'sort';
  prefixes: string[];
}

export type HelperRequest = ScanRequest | ReadRequest | DecideRequest | SortRequest | FormatRequest;

/** Helper → main. */
export type HelperMessage =
  | { type: 'table'; table: FlatTable | null }
  | { type: 'candidates'; candidates: CandidatePairs | null }
  | { type: 'formatted'; order: Uint32Array; starts: Float64Array }
  | { type: 'error'; message: string };

/** A Buffer posted to another thread arrives as a plain Uint8Array over the same memory. */
export function rewrapped(table: FlatTable): FlatTable {
  table.bytes = Buffer.from(table.bytes.buffer, table.bytes.byteOffset, table.bytes.length);
  return table;
}
