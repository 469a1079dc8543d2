import { Placeholder } from '../components/placeholder';

export function ReviewScreen() {
  return (
    <Placeholder title="Review">
      <p>
        Here you will compare a storefront snapshot with a NetSuite snapshot and review every result: matched refunds,
        amount and line differences, refunds missing on either side, with filters, totals per currency and a detail pane
        that explains each difference.
      </p>
      <p>For now, look at the workspace’s data under Snapshots and Accounts &amp; directions.</p>
    </Placeholder>
  );
}
