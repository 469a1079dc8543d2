import type { SyncDirection } from '../catalogue';
import type { JournalEntry } from '../journal';

/**
 * One field of a record as the round trip compares it: what was sent and what was read back, each
 * in words ("USD 2.47", "item 91 × 1 = USD 2.47", "2026-01-05"). Equal strings are equal fields.
 */
export interface FieldValues {
  total: string;
  lines: string[];
  tax: string;
  shipping: string;
  externalId: string;
  date: string;
  currency: string;
}

export type RoundTripField = keyof FieldValues;

export const FIELD_LABELS: Readonly<Record<RoundTripField, string>> = {
  total: 'total',
  lines: 'lines',
  tax: 'tax',
  shipping: 'shipping',
  externalId: 'external ID',
  date: 'date',
  currency: 'currency',
};

/** Whether the target is a sandbox, decided before anything is sent (issue 17 Y2). */
export type SandboxVerdict =
  /** `name` says which sandbox in words: "NetSuite sandbox 1234567_SB1". */
  { sandbox: true; name: string } | { sandbox: false; reason: string };

/**
 * The target of a round trip: the side that RECEIVES refunds in the direction tested. Built per
 * direction (never from the stored direction). `check` may read (one read-only call) but never
 * writes; `send` writes one journal-shaped write; `readBack` reads the record the write made.
 */
export interface RoundTripPort {
  readonly direction: SyncDirection;
  /** Where writes go, in words, before the check: "NetSuite account 1234567", "Shopify store x.myshopify.com". */
  readonly where: string;
  check(signal?: AbortSignal): Promise<SandboxVerdict>;
  send(entry: JournalEntry, signal?: AbortSignal): Promise<string | null>;
  /** The fields of the record the write made (null: not found), read from the target. */
  readBack(entry: JournalEntry, remoteId: string | null, signal?: AbortSignal): Promise<FieldValues | null>;
  /** The same fields as the write would make them (from the payload alone). */
  expected(entry: JournalEntry): FieldValues;
}

/** One write of the round trip and what became of it. */
export interface RoundTripWrite {
  orderRef: string;
  refundId: string;
  /** `creditMemo eid:shopify-refund-900001`, `refundCreate on order #2001`. */
  record: string;
  status: 'pass' | 'fail';
  remoteId: string | null;
  /** Failures in words: the vendor's answer, or "tax: sent USD 2.47, read back none". */
  problems: string[];
}

export interface RoundTripReport {
  /** The sandbox written to, in words. */
  target: string;
  sent: number;
  readBack: number;
  problems: string[];
  writes: RoundTripWrite[];
}
