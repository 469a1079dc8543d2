import type { CreditApplication, Tender, TenderKind } from '../../shared/model';
import { TenderKind as TenderKindSchema } from '../../shared/model';
import { formatAmount, parseAmount } from '../../shared/money';
import { creditDetailText, parseCreditDetail } from '../store/tender-columns';

/**
 * The canonical CSV's tender columns (tenders.md §6), all optional so older files still read:
 * - `tenders`: `kind:gateway:amount` joined by `|` (`card:shopify_payments:20.00|store_credit:shopify_store_credit:30.00`);
 *   `%`, `:` and `|` inside a gateway are written `%25`, `%3A`, `%7C`. Empty = the default (one `other`).
 * - `tenderDetail`: JSON `[[presentmentAmount, state, ref], …]` per tender, only when one differs from
 *   `null, settled, ""`.
 * - `creditDetail`: JSON of a NetSuite record's `amountRemaining`, `applications`, `recordTotal`
 *   (tender-columns.ts), only when they differ from the defaults.
 */

const KINDS = new Set<string>(TenderKindSchema.options);

function escapeGateway(g: string): string {
  return g.replace(/%/g, '%25').replace(/:/g, '%3A').replace(/\|/g, '%7C');
}
function unescapeGateway(g: string): string {
  return g.replace(/%3A/gi, ':').replace(/%7C/gi, '|').replace(/%25/g, '%');
}

export function tendersCell(tenders: readonly Tender[], currency: string): string {
  return tenders.map((t) => `${t.kind}:${escapeGateway(t.gateway)}:${formatAmount(t.amount, currency)}`).join('|');
}

export function tenderDetailCell(tenders: readonly Tender[]): string {
  if (tenders.every((t) => t.presentmentAmount === null && t.state === 'settled' && t.ref === '')) return '';
  return JSON.stringify(tenders.map((t) => [t.presentmentAmount, t.state, t.ref]));
}

export function creditDetailCell(refund: Parameters<typeof creditDetailText>[0]): string {
  return creditDetailText(refund) ?? '';
}

/** Parses `tenders` (+ `tenderDetail`): the tenders, or a message saying what is wrong. */
export function parseTendersCell(
  cell: string,
  detail: string,
  currency: string,
): { ok: true; tenders: Tender[] | undefined } | { ok: false; message: string } {
  if (cell.trim() === '') return { ok: true, tenders: undefined };
  let extra: unknown[] = [];
  if (detail.trim() !== '') {
    try {
      const v = JSON.parse(detail) as unknown;
      if (Array.isArray(v)) extra = v;
    } catch {
      return { ok: false, message: 'tenderDetail is not the JSON this app writes' };
    }
  }
  const tenders: Tender[] = [];
  const parts = cell.split('|');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!.trim();
    const first = part.indexOf(':');
    const last = part.lastIndexOf(':');
    if (first < 0 || last === first) {
      return { ok: false, message: `tender ${i + 1} ${JSON.stringify(part)} is not kind:gateway:amount` };
    }
    const kind = part.slice(0, first);
    if (!KINDS.has(kind)) {
      return {
        ok: false,
        message: `tender ${i + 1} has kind ${JSON.stringify(kind)}; expected one of ${[...KINDS].join(', ')}`,
      };
    }
    const amount = parseAmount(part.slice(last + 1), currency);
    if (!amount.ok) return { ok: false, message: `tender ${i + 1}: ${amount.message}` };
    const e = Array.isArray(extra[i]) ? (extra[i] as unknown[]) : [];
    tenders.push({
      kind: kind as TenderKind,
      gateway: unescapeGateway(part.slice(first + 1, last)),
      amount: amount.minor,
      presentmentAmount: typeof e[0] === 'number' ? e[0] : null,
      state: (typeof e[1] === 'string' ? e[1] : 'settled') as Tender['state'],
      ref: typeof e[2] === 'string' ? e[2] : '',
    });
  }
  return { ok: true, tenders };
}

/** Parses `creditDetail`: the fields to spread into the refund (none when the cell is empty). */
export function parseCreditDetailCell(
  cell: string,
  side: 'storefront' | 'netsuite',
  total: number,
): { amountRemaining?: number | null; applications?: CreditApplication[]; recordTotal?: number | null } {
  if (cell.trim() === '') return {};
  return parseCreditDetail(cell, { side, total });
}
