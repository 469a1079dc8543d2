import type { LearnableRefunds } from '../../shared/contract/accounts';
import { learnableRefunds } from '../store/refunds';
import { newestStorefrontSnapshot } from '../store/snapshots';
import { requireAccount } from '../sync/settings-store';
import type { UseCaseContext } from './context';

/** Enough to find the test refund made by hand; a list longer than this is no pick. */
const LIST_LIMIT = 200;

/**
 * The refunds the learn form offers (issue 13 item 4: "pick a refund of a test order from a
 * snapshot"): those of the account's newest storefront snapshot, test orders' first. An empty
 * answer (no snapshot, or one with no refunds) is the form's cue to say: pull or import the store.
 */
export function listLearnableRefunds(ctx: UseCaseContext, input: { accountId: number }): LearnableRefunds {
  const account = requireAccount(ctx.db, input.accountId);
  const snapshot = newestStorefrontSnapshot(ctx.db, account.id);
  if (!snapshot) return { snapshot: null, refunds: [], refundCount: 0, testCount: 0 };
  return { snapshot, ...learnableRefunds(ctx.db, snapshot.id, LIST_LIMIT) };
}
