import type { LearnableRefund, LearnableRefunds } from '../../shared/contract';
import { formatAmount, isCurrencyCode } from '../../shared/money';
import { formatCount, formatDate, formatDateTime, formatDecimal } from '../lib/format';

/** "USD 1,234.50": the amount as the accountant reads it, never minor units. */
function amountWords(r: LearnableRefund): string {
  return isCurrencyCode(r.currency) ? `${r.currency} ${formatDecimal(formatAmount(r.total, r.currency))}` : r.currency;
}

/** "Order #1012, refund 908000004, Mar 17, 2026, USD 40.00". */
function refundWords(r: LearnableRefund): string {
  const number = r.documentNumber && r.documentNumber !== r.refundId ? r.documentNumber : r.refundId;
  const order = r.orderRef ? `Order ${r.orderRef}` : 'No order';
  return `${order}, refund ${number}, ${formatDate(r.date)}, ${amountWords(r)}`;
}

/**
 * The refunds of the account's newest storefront snapshot to learn from, test orders' first (issue
 * 13 item 4). With none, it says why and what to do instead of asking for a number to type.
 */
export function RefundPick({
  list,
  value,
  onPick,
}: {
  list: LearnableRefunds;
  value: string;
  onPick: (refundId: string) => void;
}) {
  if (!list.snapshot || list.refunds.length === 0) {
    return (
      <p role="status">
        {list.snapshot
          ? `The newest snapshot of this store (${list.snapshot.label}) holds no refunds.`
          : 'No snapshot of this store yet.'}{' '}
        Refund a test order in the storefront, then pull the store (Snapshots → Pull a saved account) or import its
        export file (Snapshots → Import), and come back here to pick that refund.
      </p>
    );
  }
  const tests = list.refunds.filter((r) => r.isTest);
  const others = list.refunds.filter((r) => !r.isTest);
  const option = (r: LearnableRefund) => (
    <option key={`${r.refundId}/${r.orderRef}`} value={r.refundId}>
      {refundWords(r)}
    </option>
  );
  const shown = list.refunds.length < list.refundCount ? ` (the ${formatCount(list.refunds.length)} listed first)` : '';
  return (
    <>
      <p className="muted">
        From snapshot {list.snapshot.label} of {formatDateTime(list.snapshot.createdAt)}:{' '}
        {formatCount(list.refundCount)} refund(s), {formatCount(list.testCount)} of test orders{shown}.
        {list.testCount === 0 && ' No order in it is flagged as a test order: pick the refund you made by hand.'}
      </p>
      <label>
        Refund to learn from
        <select value={value || list.refunds[0]!.refundId} onChange={(e) => onPick(e.target.value)}>
          {tests.length > 0 && <optgroup label="Test orders">{tests.map(option)}</optgroup>}
          {others.length > 0 && (
            <optgroup label={tests.length > 0 ? 'Other orders' : 'Orders'}>{others.map(option)}</optgroup>
          )}
        </select>
      </label>
      <button type="submit">Learn from this refund</button>
    </>
  );
}
