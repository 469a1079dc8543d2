import type { CanonicalRefund } from '../../shared/model';

/**
 * Spec §4 rule 1: a NetSuite record whose External ID (or a configured field) carries the
 * storefront refund id pairs with that refund. Accepted forms: `123456`, `shopify-refund-123456`,
 * `SR-123456`, `gid://shopify/Refund/123456`; in a memo, `Refund 123456` / `SR-123456` inside text.
 */
const PREFIXES = [/^gid:\/\/[a-z]+\/refund\//i, /^[a-z0-9]+[-_]refund[-_:#]?/i, /^refund[-_:#\s]?/i, /^sr[-_:#]?/i];

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
  for (const prefix of PREFIXES) {
    if (prefix.test(raw)) {
      const stripped = raw.replace(prefix, '').trim().toLowerCase();
      if (stripped && !out.includes(stripped)) out.push(stripped);
    }
  }
  return out;
}

export function refundKeyValue(record: CanonicalRefund, field: 'externalId' | 'memo' | 'documentNumber'): string {
  return field === 'externalId' ? record.externalId : field === 'memo' ? record.memo : record.documentNumber;
}
