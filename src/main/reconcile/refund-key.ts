import type { CanonicalRefund } from '../../shared/model';
import { REFUND_KEY_PREFIX_COUNT, refundKeyPrefixEnd } from './refund-key-prefixes';

/**
 * Spec §4 rule 1: a NetSuite record whose External ID (or a configured field) carries the
 * storefront refund id pairs with that refund. Accepted forms: `123456`, `shopify-refund-123456`,
 * `SR-123456`, `gid://shopify/Refund/123456`; in a memo, `Refund 123456` / `SR-123456` inside text.
 * The prefixes are scanned, not matched by patterns (refund-key-prefixes.ts).
 */

export function normaliseRefundId(id: string): string {
  return id.trim().toLowerCase();
}

export function refundKeyCandidates(value: string, field: 'externalId' | 'memo' | 'documentNumber'): string[] {
  const raw = value.trim();
  if (raw === '') return [];
  if (field === 'memo') {
    const out: string[] = [];
    for (const match of raw.matchAll(/(?:refund|sr)[\s#:_-]*(\d{3,})/gi)) out.push(match[1]!.toLowerCase());
    return out;
  }
  const out = [raw.toLowerCase()];
  for (let p = 0; p < REFUND_KEY_PREFIX_COUNT; p++) {
    const end = refundKeyPrefixEnd(raw, p);
    if (end < 0) continue;
    const stripped = raw.slice(end).trim().toLowerCase();
    if (stripped && !out.includes(stripped)) out.push(stripped);
  }
  return out;
}

export function refundKeyValue(record: CanonicalRefund, field: 'externalId' | 'memo' | 'documentNumber'): string {
  return field === 'externalId' ? record.externalId : field === 'memo' ? record.memo : record.documentNumber;
}

/**
 * What `find` answers for the first of `refundKeyCandidates(value, field)` it knows (≥ 0), or -1 —
 * without listing the candidates: the engine asks this for every NetSuite record at 1M, and a
 * value that is a storefront id (the usual case) is found before any prefix is looked at. A
 * candidate met twice is asked twice (`find` answers the same), which the list would not do.
 */
export function findByRefundKey(
  value: string,
  field: 'externalId' | 'memo' | 'documentNumber',
  find: (key: string) => number,
): number {
  if (field === 'memo') {
    for (const key of refundKeyCandidates(value, field)) {
      const hit = find(key);
      if (hit >= 0) return hit;
    }
    return -1;
  }
  const raw = value.trim();
  if (raw === '') return -1;
  const whole = raw.toLowerCase();
  const hit = find(whole);
  if (hit >= 0) return hit;
  for (let p = 0; p < REFUND_KEY_PREFIX_COUNT; p++) {
    const end = refundKeyPrefixEnd(raw, p);
    if (end < 0) continue;
    const stripped = raw.slice(end).trim().toLowerCase();
    if (stripped === '' || stripped === whole) continue;
    const strippedHit = find(stripped);
    if (strippedHit >= 0) return strippedHit;
  }
  return -1;
}
