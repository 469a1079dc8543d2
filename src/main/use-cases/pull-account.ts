import { UserError } from '../../shared/errors';
import { DEFAULT_ITEM_ROLES } from '../connectors/netsuite/map-refunds';
import type { AppContext } from '../context';
import { pullBigcommerceSnapshot } from '../pull/bigcommerce';
import type { PullProgress, PullResult } from '../pull/common';
import { pullNetsuiteRefunds } from '../pull/netsuite';
import { pullShopifyRefunds } from '../pull/shopify';
import { pullWoocommerceSnapshot } from '../pull/woocommerce';
import { getSecretStore } from '../secrets';
import { readApiSettings, text } from '../store/accounts';
import { writeDisputes } from '../store/disputes';
import { clientFor } from './account-clients';
import { connectionPlan } from './connection-plan';
import { readTenderSettings } from './tender-settings';

/**
 * Pulls one account's refunds through its connection into a snapshot linked to the account, so
 * the dry run, the push and "since the last run" find it. The connection (host, auth, secrets)
 * is the account's; nothing is typed again.
 */
export async function pullAccount(
  ctx: AppContext,
  input: { type: 'netsuite' | 'storefront'; id: number; since?: string | undefined },
  signal?: AbortSignal,
  onProgress?: (p: PullProgress) => void,
): Promise<PullResult> {
  const plan = connectionPlan(ctx.db, input.type, input.id);
  const account = await clientFor(plan, getSecretStore());
  const tenders = readTenderSettings(ctx.db);
  const common = {
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    // The user's tender mapping applies to pulls as to files (tenders.md §1.3).
    ...(tenders.mapping ? { tenderMapping: tenders.mapping } : {}),
  };
  switch (account?.platform) {
    case 'netsuite':
      return pullNetsuiteRefunds(ctx.db, account.client, {
        netsuiteAccountId: input.id,
        ...(input.since ? { filter: { modifiedSince: input.since } } : {}),
        ...(tenders.tenderItems ? { roles: { ...DEFAULT_ITEM_ROLES, tender: tenders.tenderItems } } : {}),
        ...common,
      });
    case 'shopify':
      return pullShopifyRefunds(ctx.db, account.client, {
        storefrontAccountId: input.id,
        ...(input.since ? { updatedSince: input.since } : {}),
        ...common,
        // Stored beside the refunds, so a compare finds the chargebacks (tenders.md §3.1).
        onDisputes: (snapshotId, disputes) => writeDisputes(ctx.db, snapshotId, disputes),
      });
    case 'bigcommerce': {
      const currency = text(readApiSettings(ctx.db, 'storefront_accounts', input.id).currency);
      if (!currency) {
        throw new UserError(
          'currency_missing',
          'BigCommerce refunds carry no currency: set the base currency of the account first.',
          {
            field: 'currency',
          },
        );
      }
      return pullBigcommerceSnapshot(ctx.db, account.client, {
        currency,
        storefrontAccountId: input.id,
        ...(input.since ? { from: input.since } : {}),
        ...common,
      });
    }
    case 'woocommerce':
      return pullWoocommerceSnapshot(ctx.db, account.client, {
        storefrontAccountId: input.id,
        ...(input.since ? { modifiedSince: input.since } : {}),
        ...common,
      });
    default:
      throw new UserError('no_api_connection', 'This account has no live connection to pull from.', { field: 'id' });
  }
}
