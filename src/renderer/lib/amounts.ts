import { formatDecimal } from './format';

/** `{ USD: "82.82", EUR: "-9.89" }` → `USD +82.82 · EUR −9.89` (each amount in its own currency). */
export function formatByCurrency(amounts: Record<string, string>, options: { signed?: boolean } = {}): string {
  const entries = Object.entries(amounts);
  if (entries.length === 0) return 'none';
  return entries.map(([currency, amount]) => `${currency} ${formatDecimal(amount, options)}`).join(' · ');
}
