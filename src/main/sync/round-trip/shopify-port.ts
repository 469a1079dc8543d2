import { HttpPolicy, HttpStatusError } from '../../connectors/http-policy';
import type { JournalEntry } from '../journal';
import type { StorefrontPayload } from '../targets/read-back';
import { ShopifyTarget } from '../targets/storefront-target';
import { PushSendError } from '../targets/target';
import { apiMinor, moneyWords, sumOrNull } from './money-words';
import type { FieldValues, RoundTripPort, SandboxVerdict } from './port';

/**
 * Read-only: whether the shop is a development store. `ShopPlan.partnerDevelopment` — "Whether the
 * shop is a partner development shop for testing purposes" (shopify.dev/docs/api/admin-graphql/
 * 2025-07/objects/ShopPlan); `publicDisplayName` names the plan in the refusal.
 */
export const SHOP_PLAN_QUERY = `query RoundTripShopPlan { shop { name myshopifyDomain plan { partnerDevelopment publicDisplayName } } }`;

/** The order's refunds, with what the round trip compares (Refund: note, createdAt, lines, transactions, adjustments). */
export const READ_REFUNDS_QUERY = `query RoundTripReadRefunds($id: ID!) { order(id: $id) { id refunds(first: 250) { id note createdAt refundLineItems(first: 250) { nodes { quantity lineItem { id } } } transactions(first: 50) { nodes { kind status amountSet { shopMoney { amount currencyCode } } } } orderAdjustments(first: 50) { nodes { kind amountSet { shopMoney { amount currencyCode } } } } } } }`;

interface Money {
  amount?: string;
  currencyCode?: string;
}
interface ReadRefund {
  id: string;
  note?: string | null;
  createdAt?: string;
  refundLineItems?: { nodes?: { quantity?: number; lineItem?: { id?: string } }[] };
  transactions?: { nodes?: { kind?: string; status?: string; amountSet?: { shopMoney?: Money } }[] };
  orderAdjustments?: { nodes?: { kind?: string; amountSet?: { shopMoney?: Money } }[] };
}

export interface ShopifyPortOptions {
  baseUrl: string;
  accessToken: string;
  baseDelayMs?: number;
}

/**
 * A Shopify store as a round-trip target (NetSuite → storefront): a development store by its plan
 * (one read-only query), send = the push's `refundCreate` with its `@idempotent` key, read back =
 * the order's refunds, the one whose note carries the key.
 */
export class ShopifyRoundTripPort implements RoundTripPort {
  readonly direction = 'netsuite_to_storefront' as const;
  readonly where: string;
  readonly #target: ShopifyTarget;
  readonly #http: HttpPolicy;

  constructor(private readonly options: ShopifyPortOptions) {
    this.where = `Shopify store ${new URL(options.baseUrl).host}`;
    this.#target = new ShopifyTarget({ ...options });
    this.#http = new HttpPolicy({
      account: `shopify:${new URL(options.baseUrl).host}`,
      secrets: [options.accessToken],
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    });
  }

  async #query(query: string, variables: Record<string, unknown>, label: string, signal?: AbortSignal) {
    try {
      const response = await this.#http.send({
        method: 'POST',
        url: `${this.options.baseUrl.replace(/\/$/, '')}/graphql.json`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': this.options.accessToken,
        },
        body: JSON.stringify({ query, variables }),
        idempotent: true,
        label,
        ...(signal ? { signal } : {}),
      });
      const parsed = JSON.parse(response.text) as { data?: unknown; errors?: { message?: string }[] };
      if (parsed.errors?.length) {
        throw new PushSendError(
          `Shopify answered ${label} with: ${parsed.errors.map((e) => e.message).join('; ')}`,
          false,
        );
      }
      return parsed.data as Record<string, unknown> | undefined;
    } catch (error) {
      if (error instanceof HttpStatusError)
        throw new PushSendError(`Shopify answered ${label} with HTTP ${error.status}`, false);
      throw error;
    }
  }

  async check(signal?: AbortSignal): Promise<SandboxVerdict> {
    let shop:
      | { myshopifyDomain?: string; plan?: { partnerDevelopment?: unknown; publicDisplayName?: unknown } }
      | undefined;
    try {
      shop = (await this.#query(SHOP_PLAN_QUERY, {}, 'reading the shop plan', signal))?.shop as typeof shop;
    } catch (error) {
      return {
        sandbox: false,
        reason: `Whether ${this.where} is a development store could not be read (${error instanceof Error ? error.message : String(error)}); the round trip writes only to a development store.`,
      };
    }
    const domain = shop?.myshopifyDomain || new URL(this.options.baseUrl).host;
    if (shop?.plan?.partnerDevelopment === true) return { sandbox: true, name: `Shopify development store ${domain}` };
    const plan = typeof shop?.plan?.publicDisplayName === 'string' ? shop.plan.publicDisplayName : 'an unknown';
    return {
      sandbox: false,
      reason: `The Shopify store ${domain} is on the ${plan} plan, not a development store: a round trip would send real refunds to its customers. It writes only to a development store.`,
    };
  }

  send(entry: JournalEntry, signal?: AbortSignal): Promise<string | null> {
    return this.#target.send(entry, signal);
  }

  expected(entry: JournalEntry): FieldValues {
    const payload = entry.payload as StorefrontPayload;
    const input = (payload.body.variables as { input: Record<string, unknown> }).input;
    const currency = typeof input.currency === 'string' ? input.currency : entry.currency;
    const txns = (input.transactions as { amount?: unknown }[] | undefined) ?? [];
    const lines = (input.refundLineItems as { lineItemId?: string; quantity?: number }[] | undefined) ?? [];
    const shipping = apiMinor((input.shipping as { amount?: unknown } | undefined)?.amount, currency);
    return {
      total: moneyWords(sumOrNull(txns.map((t) => apiMinor(t.amount, currency))), currency),
      lines: lines.map((l) => `line ${l.lineItemId ?? '?'} × ${l.quantity ?? '?'}`),
      // Shopify computes a refund's tax from its lines: the total carries it (docs/sync.md).
      tax: '',
      shipping: shipping === null || shipping === 0 ? '' : moneyWords(shipping, currency),
      externalId: payload.key,
      // The refund is created when it is sent.
      date: new Date().toISOString().slice(0, 10),
      currency,
    };
  }

  async readBack(entry: JournalEntry, remoteId: string | null, signal?: AbortSignal): Promise<FieldValues | null> {
    const payload = entry.payload as StorefrontPayload;
    const input = (payload.body.variables as { input: { orderId: string } }).input;
    const data = await this.#query(READ_REFUNDS_QUERY, { id: input.orderId }, 'reading the order refunds', signal);
    const refunds = ((data?.order as { refunds?: ReadRefund[] } | null | undefined)?.refunds ?? []) as ReadRefund[];
    const refund =
      refunds.find((r) => (r.note ?? '').includes(`[${payload.key}]`)) ??
      (remoteId ? refunds.find((r) => r.id === remoteId) : undefined);
    if (!refund) return null;
    const txns = (refund.transactions?.nodes ?? []).filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS');
    const currency = txns[0]?.amountSet?.shopMoney?.currencyCode ?? entry.currency;
    const shipping = (refund.orderAdjustments?.nodes ?? []).filter((a) => a.kind === 'SHIPPING_REFUND');
    const shippingMinor = sumOrNull(shipping.map((a) => apiMinor(a.amountSet?.shopMoney?.amount, currency)));
    const key = /\[(netsuite-[^\]]+)\]/.exec(refund.note ?? '')?.[1] ?? '';
    return {
      total: moneyWords(sumOrNull(txns.map((t) => apiMinor(t.amountSet?.shopMoney?.amount, currency))), currency),
      lines: (refund.refundLineItems?.nodes ?? []).map((l) => `line ${l.lineItem?.id ?? '?'} × ${l.quantity ?? '?'}`),
      tax: '',
      shipping:
        shippingMinor === 0 ? '' : moneyWords(shippingMinor === null ? null : Math.abs(shippingMinor), currency),
      externalId: key,
      date: (refund.createdAt ?? '').slice(0, 10),
      currency,
    };
  }
}
