import type { PullOutcome, PullRequest } from '../../shared/contract/connection';
import { BigcommerceClient } from '../connectors/bigcommerce/client';
import { ConcurrencyLimiter } from '../connectors/limiter';
import type { NetsuiteAuth } from '../connectors/netsuite/client';
import { NetsuiteClient } from '../connectors/netsuite/client';
import { ShopifyClient } from '../connectors/shopify/client';
import { WoocommerceClient } from '../connectors/woocommerce/client';
import type { Task } from '../jobs/types';
import { openWorkspace } from '../store/open';
import { pullBigcommerceSnapshot } from './bigcommerce';
import type { PullProgress } from './common';
import { pullNetsuiteRefunds } from './netsuite';
import { pullShopifyRefunds } from './shopify';
import { pullWoocommerceSnapshot } from './woocommerce';

/**
 * The `pull` job. Credentials are resolved in the main process (from the secret store) and passed
 * in memory only; the task opens its own workspace connection, and a failure or cancel rolls the
 * snapshot back. `request` is the renderer's (schema-checked) payload; `allowLoopback` is the main
 * process's switch (`loopbackApisAllowed()`), handed over because this thread's environment is only
 * a copy — every client below checks its destination again with it.
 */
export type PullTaskInput = { allowLoopback: boolean } & (
  | { request: Extract<PullRequest, { platform: 'netsuite' }>; auth: NetsuiteAuth }
  | { request: Extract<PullRequest, { platform: 'shopify' }>; accessToken: string }
  | { request: Extract<PullRequest, { platform: 'bigcommerce' }>; accessToken: string }
  | {
      request: Extract<PullRequest, { platform: 'woocommerce' }>;
      consumerKey: string;
      consumerSecret: string;
    }
);

export const pullTask: Task<PullTaskInput, PullOutcome> = async (input, ctx) => {
  const db = openWorkspace(ctx.workspacePath);
  const onProgress = (p: PullProgress) =>
    ctx.progress({
      phase: p.phase,
      done: p.done,
      total: p.total,
      unit: p.unit,
      ...(p.message ? { message: p.message } : {}),
    });
  const common = (r: { storefrontAccountId?: number | undefined; label?: string | undefined }) => ({
    ...(r.storefrontAccountId !== undefined ? { storefrontAccountId: r.storefrontAccountId } : {}),
    ...(r.label ? { label: r.label } : {}),
    signal: ctx.signal,
    onProgress,
  });
  const allowLoopback = input.allowLoopback === true;
  try {
    if ('auth' in input) {
      const r = input.request;
      const client = new NetsuiteClient({
        accountId: r.accountId,
        ...(r.host ? { baseUrl: r.host } : {}),
        allowLoopback,
        auth: input.auth,
        limiter: new ConcurrencyLimiter(r.concurrency),
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
        signal: ctx.signal,
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
      });
      return await pullWoocommerceSnapshot(db, client, {
        ...(r.from ? { from: r.from } : {}),
        ...(r.to ? { to: r.to } : {}),
        ...(r.modifiedSince ? { modifiedSince: r.modifiedSince } : {}),
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
      });
      return await pullBigcommerceSnapshot(db, client, {
        currency: r.currency.toUpperCase(),
        ...(r.from ? { from: r.from } : {}),
        ...(r.to ? { to: r.to } : {}),
        ...common(r),
      });
    }
    const r = input.request;
    const client = new ShopifyClient({
      shop: r.shop,
      ...(r.baseUrl ? { baseUrl: r.baseUrl } : {}),
      allowLoopback,
      accessToken: input.accessToken,
    });
    return await pullShopifyRefunds(db, client, {
      ...(r.updatedSince ? { updatedSince: r.updatedSince } : {}),
      bulk: r.bulk,
      ...common(r),
    });
  } finally {
    db.close();
  }
};
