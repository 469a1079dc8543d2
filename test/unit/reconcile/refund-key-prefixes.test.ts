import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findByRefundKey, refundKeyCandidates } from '../../../src/main/reconcile/refund-key';
import {
  isPatternSpace,
  REFUND_KEY_PREFIX_COUNT,
  refundKeyPrefixEnd,
} from '../../../src/main/reconcile/refund-key-prefixes';

// The patterns the scanners replace (spec §4 rule 1), in the scanners' order, and the candidate
// list built from them as refund-key.ts did before the scanners: the general path to prove against.
const PATTERNS = [/^gid:\/\/[a-z]+\/refund\//i, /^[a-z0-9]+[-_]refund[-_:#]?/i, /^refund[-_:#\s]?/i, /^sr[-_:#]?/i];

function candidatesByPattern(value: string, field: 'externalId' | 'memo' | 'documentNumber'): string[] {
  const raw = value.trim();
  if (raw === '') return [];
  if (field === 'memo') {
    const out: string[] = [];
    for (const match of raw.matchAll(/(?:refund|sr)[\s#:_-]*(\d{3,})/gi)) out.push(match[1]!.toLowerCase());
    return out;
  }
  const out = [raw.toLowerCase()];
  for (const prefix of PATTERNS) {
    if (prefix.test(raw)) {
      const stripped = raw.replace(prefix, '').trim().toLowerCase();
      if (stripped && !out.includes(stripped)) out.push(stripped);
    }
  }
  return out;
}

// Pieces a key is made of: the prefixes' words in mixed case, their separators, `\s` of every kind,
// characters one bit (0x20) away from a letter or a separator (`@`, `[`, `` ` ``, `{`, and the
// controls that `| 0x20` turns into `-`, `#`, `:`, `/`), letters that fold to ASCII only under
// Unicode rules (`ſ`, Kelvin `K`, `İ`), other scripts, astral characters, digits, emptiness.
const PIECES = [
  'gid://',
  'GID://',
  'gid:/',
  'shopify',
  'Shopify',
  'ns2',
  'refund',
  'REFUND',
  'Refund',
  'refun',
  'sr',
  'SR',
  'Sr',
  's',
  '/',
  '//',
  '/refund/',
  '-',
  '_',
  ':',
  '#',
  ' ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\ufeff',
  '\u200b',
  '\u0003',
  '\u000d',
  '\u001a',
  '\u000f',
  '@',
  '[',
  '`',
  '{',
  'ſ',
  '\u212a',
  'İ',
  'ß',
  'é',
  '日本',
  '🙂',
  '0',
  '123',
  '908000123',
  'a',
  'z',
  'Z',
  '',
];

const key = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((p) => p.join('')),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    'shopify-refund-908000123',
    'SR-908000123',
    'gid://shopify/Refund/908000123',
    'gid:///refund/1',
    'a-refund 1',
    ' Refund 123 ',
    '',
  ),
);

const prefixEndByPattern = (raw: string, p: number): number => {
  const m = PATTERNS[p]!.exec(raw);
  return m ? m[0].length : -1;
};

describe('refund key prefixes scanned instead of matched', () => {
  it('reads `\\s` as the patterns do, for every UTF-16 code unit', () => {
    for (let c = 0; c < 0x10000; c++)
      expect(isPatternSpace(c), `U+${c.toString(16)}`).toBe(/\s/.test(String.fromCharCode(c)));
  });

  it('ends each prefix where its pattern ends, for one-character values of every code unit', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      const around = [ch, `sr${ch}1`, `refund${ch}1`, `a${ch}refund1`, `a-refund${ch}1`, `a-refun${ch}`];
      for (const raw of [...around, `gid:/${ch}x/refund/`, `gid://${ch}/refund/`, `gid://x/refun${ch}/`]) {
        for (let p = 0; p < REFUND_KEY_PREFIX_COUNT; p++) {
          if (refundKeyPrefixEnd(raw, p) !== prefixEndByPattern(raw, p)) {
            expect({ raw, p, end: refundKeyPrefixEnd(raw, p) }).toEqual({ raw, p, end: prefixEndByPattern(raw, p) });
          }
        }
      }
    }
  });

  it('ends each prefix where its pattern ends', () => {
    fc.assert(
      fc.property(key, (raw) => {
        for (let p = 0; p < REFUND_KEY_PREFIX_COUNT; p++)
          expect(refundKeyPrefixEnd(raw, p)).toBe(prefixEndByPattern(raw, p));
      }),
      { numRuns: 20_000 },
    );
  });

  it('lists the candidates the patterns listed, for every key field', () => {
    fc.assert(
      fc.property(key, fc.constantFrom('externalId', 'memo', 'documentNumber' as const), (value, field) => {
        expect(refundKeyCandidates(value, field)).toEqual(candidatesByPattern(value, field));
      }),
      { numRuns: 20_000 },
    );
  });

  it('finds what the first known candidate of the list finds', () => {
    fc.assert(
      fc.property(
        key,
        fc.constantFrom('externalId', 'memo', 'documentNumber' as const),
        fc.array(fc.boolean(), { maxLength: 5 }),
        fc.array(key, { maxLength: 3 }),
        (value, field, knownAt, others) => {
          const candidates = candidatesByPattern(value, field);
          // Some of the value's own candidates are known (each with its own answer), and a few others.
          const known = new Map<string, number>();
          candidates.forEach((c, k) => {
            if (knownAt[k]) known.set(c, k);
          });
          for (const o of others) if (!known.has(o.toLowerCase())) known.set(o.toLowerCase(), 100 + known.size);
          const asked: string[] = [];
          const find = (k: string): number => {
            asked.push(k);
            return known.get(k) ?? -1;
          };
          const expected = candidates.map((c) => known.get(c) ?? -1).find((v) => v >= 0) ?? -1;
          expect(findByRefundKey(value, field, find)).toBe(expected);
          // It asks about candidates only, and about each of them before the one it answers with.
          for (const a of asked) expect(candidates).toContain(a);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
