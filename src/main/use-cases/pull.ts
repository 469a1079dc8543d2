import type { PullRequest } from '../../shared/contract/connection';
import { BigcommerceClient } from '../connectors/bigcommerce/client';
import { assertApiDestination, loopbackApisAllowed } from '../connectors/destination-policy';
import { ConcurrencyLimiter } from '../connectors/limiter';
import { type NetsuiteAuth, NetsuiteClient } from '../connectors/netsuite/client';
import { DEFAULT_ITEM_ROLES } from '../connectors/netsuite/map-refunds';
import type { RequestLog } from '../connectors/request-log';
import { ShopifyClient } from '../connectors/shopify/client';
import { WoocommerceClient, woocommerceDestination } from '../connectors/woocommerce/client';
import { pullBigcommerceSnapshot } from '../pull/bigcommerce';
import type { PullProgress, PullResult } from '../pull/common';
import { pullNetsuiteRefunds } from '../pull/netsuite';
import { pullShopifyRefunds } from '../pull/shopify';
import { pullWoocommerceSnapshot } from '../pull/woocommerce';
import {
  bigcommerceTokenFromSecrets,
  netsuiteAuthFromSecrets,
  shopifyTokenFromSecrets,
  woocommerceKeysFromSecrets,
} from '../secrets/connection-secrets';
import type { SecretStore } from '../secrets/secret-store';
import { writeDisputes } from '../store/disputes';
import type { UseCaseContext } from './context';
import { readTenderSettings, type TenderSettings } from './tender-settings';

/**
 * A pull request with its credentials, resolved by pullCredentials. `allowLoopback` is the calling
 * process's switch (loopbackApisAllowed()), carried along because a worker's environment is only a
 * copy: every client checks its destination again with it.
 */
export type PullWithCredentials = { allowLoopback: boolean } & (
  | { request: Extract<PullRequest, { platform: 'netsuite' }>; auth: NetsuiteAuth }
  | { request: Extract<PullRequest, { platform: 'shopify' }>; accessToken: string }
  | { request: Extract<PullRequest, { platform: 'bigcommerce' }>; accessToken: string }
  | {
      request: Extract<PullRequest, { platform: 'woocommerce' }>;
      consumerKey: string;
      consumerSecret: string;
    }
);

/**
 * Checks where a pull would send credentials and only then reads them from `secrets` (the app's
 * keychain-backed store, or the CLI's environment and secrets file). The request's host / base URL /
 * store URL is hostile until the destination policy has approved it.
 */
export async function pullCredentials(
  request: PullRequest,
  secrets: SecretStore,
  allowLoopback: boolean = loopbackApisAllowed(),
): Promise<PullWithCredentials> {
  switch (request.platform) {
    case 'netsuite': {
      assertApiDestination({ platform: 'netsuite', accountId: request.accountId, url: request.host, allowLoopback });
      const auth = await netsuiteAuthFromSecrets(secrets, request.accountId, request.auth);
      return { request, auth, allowLoopback };
    }
    case 'shopify': {
      const destination = assertApiDestination({
        platform: 'shopify',
        shop: request.shop,
        url: request.baseUrl,
        allowLoopback,
      });
      const accessToken = await shopifyTokenFromSecrets(secrets, destination.shop ?? request.shop);
      return { request, accessToken, allowLoopback };
    }
    case 'bigcommerce': {
      const destination = assertApiDestination({
        platform: 'bigcommerce',
        storeHash: request.storeHash,
        url: request.baseUrl,
        allowLoopback,
      });
      const accessToken = await bigcommerceTokenFromSecrets(secrets, destination.storeHash!);
      return { request, accessToken, allowLoopback };
    }
    case 'woocommerce': {
      // The key pair is looked up for this origin only (scoped, or the default bound to it).
      const destination = woocommerceDestination(request.url, allowLoopback);
      const keys = await woocommerceKeysFromSecrets(secrets, destination);
      return { request, ...keys, allowLoopback };
    }
  }
}

export type PullSnapshotInput = PullWithCredentials & {
  /** Appends a request log (JSON lines, no secrets). */
  log?: RequestLog;
  onProgress?: (progress: PullProgress) => void;
  /** The tender mapping of a mapping file given for this pull; default the workspace's (tenders.md §1.3). */
  tenders?: TenderSettings;
};

/**
 * Pulls refunds through a vendor's API into a new snapshot of the workspace (complete, or rolled
 * back on failure and cancel). The app runs it in the `pull` job; the CLI calls it directly.
 */
export async function pullSnapshot(
  ctx: UseCaseContext,
  input: PullSnapshotInput,
  signal?: AbortSignal,
): Promise<PullResult> {
  const { db } = ctx;
  const onProgress = input.onProgress ?? (() => {});
  const log = input.log ? { log: input.log } : {};
  const common = (r: { storefrontAccountId?: number | undefined; label?: string | undefined }) => ({
    ...(r.storefrontAccountId !== undefined ? { storefrontAccountId: r.storefrontAccountId } : {}),
    ...(r.label ? { label: r.label } : {}),
    ...(signal ? { signal } : {}),
    onProgress,
  });
  const allowLoopback = input.allowLoopback === true;
  const tenders = input.tenders ?? readTenderSettings(db);
  const tenderMapping = tenders.mapping ? { tenderMapping: tenders.mapping } : {};
  if ('auth' in input) {
    const r = input.request;
    const client = new NetsuiteClient({
      accountId: r.accountId,
      ...(r.host ? { baseUrl: r.host } : {}),
      allowLoopback,
      auth: input.auth,
      limiter: new ConcurrencyLimiter(r.concurrency),
      ...log,
    });
    return await pullNetsuiteRefunds(db, client, {
      filter: {
        ...(r.from ? { from: r.from } : {}),
        ...(r.to ? { to: r.to } : {}),
        ...(r.modifiedSince ? { modifiedSince: r.modifiedSince } : {}),
        ...(r.orderRefField ? { orderRefField: r.orderRefField } : {}),
      },
      ...(r.netsuiteAccountId !== undefined ? { netsuiteAccountId: r.netsuiteAccountId } : {}),
      ...(r.label ? { label: r.label } : {}),
      ...(signal ? { signal } : {}),
      ...tenderMapping,
      ...(tenders.tenderItems ? { roles: { ...DEFAULT_ITEM_ROLES, tender: tenders.tenderItems } } : {}),
      onProgress,
    });
  }
  if ('consumerKey' in input) {
    const r = input.request;
    const client = new WoocommerceClient({
      url: r.url,
      allowLoopback,
      consumerKey: input.consumerKey,
      consumerSecret: input.consumerSecret,
      limiter: new ConcurrencyLimiter(r.concurrency),
      ...log,
    });
    return await pullWoocommerceSnapshot(db, client, {
      ...(r.from ? { from: r.from } : {}),
      ...(r.to ? { to: r.to } : {}),
      ...(r.modifiedSince ? { modifiedSince: r.modifiedSince } : {}),
      ...tenderMapping,
      ...common(r),
    });
  }
  if (input.request.platform === 'bigcommerce') {
    const r = input.request;
    const client = new BigcommerceClient({
      storeHash: r.storeHash,
      ...(r.baseUrl ? { baseUrl: r.baseUrl } : {}),
      allowLoopback,
      accessToken: input.accessToken,
      limiter: new ConcurrencyLimiter(r.concurrency),
      ...log,
    });
    return await pullBigcommerceSnapshot(db, client, {
      currency: r.currency.toUpperCase(),
      ...(r.from ? { from: r.from } : {}),
      ...(r.to ? { to: r.to } : {}),
      ...tenderMapping,
      ...common(r),
    });
  }
  const r = input.request;
  const client = new ShopifyClient({
    shop: r.shop,
    ...(r.baseUrl ? { baseUrl: r.baseUrl } : {}),
    allowLoopback,
    accessToken: input.accessToken,
    ...log,
  });
  return await pullShopifyRefunds(db, client, {
    ...(r.updatedSince ? { updatedSince: r.updatedSince } : {}),
    ...(r.bulk ? { bulk: true } : {}),
    ...tenderMapping,
    ...common(r),
    // Disputes are stored beside the refunds, so a compare finds the chargebacks (tenders.md §3.1).
    onDisputes: (snapshotId, disputes) => writeDisputes(db, snapshotId, disputes),
  });
}
