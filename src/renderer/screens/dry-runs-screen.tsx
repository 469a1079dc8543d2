import { Placeholder } from '../components/placeholder';

export function DryRunsScreen() {
  return (
    <Placeholder title="Dry runs">
      <p>
        Here you will validate an account’s refund sync on test orders before it goes live: the records that the sync
        would write, field by field, and whether each one would pass — nothing is written to NetSuite or the storefront.
      </p>
    </Placeholder>
  );
}
