import { formatAmount, isCurrencyCode } from '../../shared/money';
import { formatDecimal } from '../lib/format';

/**
 * A dry run's would-be record in accountants' words (issue 16 item 5): each write as a form
 * (labels, amounts as decimals with their currency, lines as a table, the snapshot it came from);
 * the raw JSON stays behind a disclosure.
 */

const RECORD_TYPES: Record<string, string> = {
  cashRefund: 'Cash Refund',
  creditMemo: 'Credit Memo',
  customerRefund: 'Customer Refund',
  returnAuthorization: 'Return Authorization',
  refund: 'Refund',
};

/** Body fields an accountant reads, in the order they read them; the rest stay in the raw JSON. */
const FIELDS: Array<[string, string]> = [
  ['tranDate', 'Date'],
  ['otherRefNum', 'Order reference'],
  ['memo', 'Memo'],
  ['externalId', 'External ID'],
  ['entity', 'Customer (internal id)'],
  ['createdFrom', 'Created from (internal id)'],
  ['currency', 'Currency (internal id)'],
  ['subsidiary', 'Subsidiary (internal id)'],
  ['account', 'Refund account (internal id)'],
  ['location', 'Location (internal id)'],
  ['note', 'Note'],
  ['reason', 'Reason'],
  ['amount', 'Amount'],
];

interface Write {
  recordType?: string;
  method?: string;
  path?: string;
  body?: Record<string, unknown>;
}
interface PlannedLine {
  role?: string;
  sku?: string;
  itemId?: string;
  quantity?: number;
  amount?: number;
}
interface Payload {
  writes?: Write[];
  lines?: PlannedLine[];
  notes?: unknown[];
  problems?: unknown[];
}

/** A note or problem of the payload: a sentence, or `{ code, message }` (its message). */
function sentence(item: unknown): string {
  if (typeof item === 'string') return item;
  const message = (item as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') {
    const id = (value as { id?: unknown; refName?: unknown }).id ?? (value as { refName?: unknown }).refName;
    return id === undefined ? '(see the raw record)' : String(id);
  }
  return String(value);
}

function money(minor: number | undefined, currency: string): string {
  if (minor === undefined) return '—';
  return isCurrencyCode(currency) ? `${currency} ${formatDecimal(formatAmount(minor, currency))}` : `${currency} ?`;
}

export function WouldBeRecord({
  orderRef,
  payload,
  currency,
  total,
  snapshotId,
}: {
  orderRef: string;
  payload: unknown;
  currency: string;
  total: string;
  snapshotId: number | null;
}) {
  const p = (payload ?? {}) as Payload;
  const writes = Array.isArray(p.writes) ? p.writes : [];
  const lines = Array.isArray(p.lines) ? p.lines : [];
  return (
    <section className="would-be" aria-label={`Would-be record for ${orderRef}`}>
      {writes.length === 0 && <p className="muted">No record would be written for this refund.</p>}
      {writes.map((w, i) => (
        <dl className="facts record-form" key={`${w.path ?? i}`}>
          <dt>Record</dt>
          <dd>
            {RECORD_TYPES[w.recordType ?? ''] ?? w.recordType ?? 'Record'}{' '}
            <span className="muted">({w.method === 'PUT' ? 'created or updated by its External ID' : 'created'})</span>
          </dd>
          <dt>Total</dt>
          <dd className="num">
            {currency} {formatDecimal(total)}
          </dd>
          {FIELDS.filter(([key]) => w.body && key in w.body).map(([key, label]) => (
            <FormRow key={key} label={label} value={text(w.body?.[key])} />
          ))}
          <dt>From</dt>
          <dd>{snapshotId === null ? 'the account’s data' : `snapshot ${snapshotId}`}</dd>
        </dl>
      ))}
      {lines.length > 0 && (
        <table className="data compact" aria-label={`Lines of the record for ${orderRef}`}>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">SKU</th>
              <th scope="col">NetSuite item (internal id)</th>
              <th scope="col" className="num">
                Quantity
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={`${l.role}-${l.sku}-${l.itemId}-${l.quantity}-${l.amount}`}>
                <td>{l.role === 'shipping' ? 'Shipping' : l.role === 'item' ? 'Item' : (l.role ?? '—')}</td>
                <td>{l.sku || '—'}</td>
                <td>{l.itemId ?? '—'}</td>
                <td className="num">{l.quantity ?? '—'}</td>
                <td className="num">{money(l.amount, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {[...(Array.isArray(p.notes) ? p.notes : []), ...(Array.isArray(p.problems) ? p.problems : [])]
        .map(sentence)
        .filter((n) => n !== '').length > 0 && (
        <ul className="notes">
          {[...(Array.isArray(p.notes) ? p.notes : []), ...(Array.isArray(p.problems) ? p.problems : [])]
            .map(sentence)
            .filter((n) => n !== '')
            .map((n) => (
              <li key={n}>{n}</li>
            ))}
        </ul>
      )}
    </section>
  );
}

function FormRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

/** Check names in words (the codes stay for the CLI and the exports). */
export const CHECK_LABELS: Record<string, string> = {
  build: 'The record can be built',
  total: 'Total',
  lines: 'Item lines',
  tax: 'Tax',
  shipping: 'Shipping',
  currency: 'Currency',
  record_type: 'Record type',
  already_synced: 'Not on the target yet',
  cutoff: 'After the sync start date',
};

/** `already_synced: Already synced (…)` → `Already synced (…)`: the sentence without its code. */
export function reasonSentence(reason: string): string {
  return reason.replace(/^[a-z_]+:\s*/, '');
}
