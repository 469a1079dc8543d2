import type { Obj } from './dataset';

/**
 * `refundCreate` rules for store credit and tenders, each from Shopify's documentation
 * (tenders.md §8 sources):
 * - [S2] `RefundInput.refundMethods` is documented from API 2025-10
 *   (https://shopify.dev/docs/api/admin-graphql/2025-10/input-objects/refundinput); an older version
 *   rejects the field as GraphQL rejects any unknown input field, before the mutation runs.
 * - [S3] `RefundMethodInput` has one field, `storeCreditRefund` (`StoreCreditRefundInput`:
 *   `amount: MoneyInput!`, `expiresAt`); prerequisites: "The order must be associated with a
 *   customer" (https://shopify.dev/changelog/refund-to-store-credit).
 * - [S4] "Refunds issued as store credit can't exceed the amount paid"
 *   (https://shopify.dev/docs/api/admin-graphql/2027-01/input-objects/RefundInput).
 * - [S1] The store-credit refund comes back as a `REFUND` transaction on gateway
 *   `shopify_store_credit` (https://shopify.dev/docs/api/admin-graphql/latest/mutations/refundCreate).
 */

const BASE_FIELDS = [
  'orderId',
  'note',
  'notify',
  'currency',
  'refundLineItems',
  'shipping',
  'refundDuties',
  'transactions',
  'discrepancyReason',
  'processedAt',
];

/** Whether `RefundInput` has `refundMethods` in this API version [S2]. */
export function hasRefundMethods(version: string): boolean {
  return version === 'unstable' || version >= '2025-10';
}

/** `RefundInput`'s input fields in a version, as `__type(name: "RefundInput")` answers them. */
export function refundInputFields(version: string): string[] {
  return hasRefundMethods(version) ? [...BASE_FIELDS, 'allowOverRefunding', 'refundMethods'] : BASE_FIELDS;
}

/** The `__type` introspection answer (GraphQL spec: `__Type { name kind inputFields { name } }`). */
export function introspectType(name: string, version: string): Obj | null {
  if (name !== 'RefundInput') return null;
  return {
    name,
    kind: 'INPUT_OBJECT',
    inputFields: refundInputFields(version).map((f) => ({ name: f })),
  };
}

function minor(amount: unknown): number | undefined {
  const text = String(amount ?? '');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** Minor units paid on the order: its successful SALE and CAPTURE transactions. */
export function amountPaid(order: Obj): number {
  const txns = Array.isArray(order.transactions) ? (order.transactions as Obj[]) : [];
  let paid = 0;
  for (const t of txns) {
    const kind = String(t.kind ?? '').toUpperCase();
    if ((kind !== 'SALE' && kind !== 'CAPTURE') || String(t.status ?? 'SUCCESS').toUpperCase() !== 'SUCCESS') continue;
    const money = ((t.amountSet as Obj | undefined)?.shopMoney as Obj | undefined)?.amount ?? t.amount;
    paid += minor(money) ?? 0;
  }
  return paid;
}

export interface StoreCreditAsk {
  amount: number;
  currency: string;
}

/**
 * Checks `input.refundMethods` against the version and the order. `graphqlError` when the version's
 * schema does not know the field (the whole request fails); `userErrors` when the mutation refuses.
 */
export function checkRefundMethods(
  input: Obj,
  order: Obj | undefined,
  version: string,
): { graphqlError?: Obj; userErrors: Obj[]; storeCredit: StoreCreditAsk[] } {
  const userErrors: Obj[] = [];
  const storeCredit: StoreCreditAsk[] = [];
  if (input.refundMethods === undefined) return { userErrors, storeCredit };
  if (!hasRefundMethods(version)) {
    return {
      graphqlError: {
        message:
          'Variable $input of type RefundInput! was provided invalid value for refundMethods (Field is not defined on RefundInput)',
        extensions: {
          code: 'INVALID_VARIABLE',
          problems: [{ path: ['refundMethods'], explanation: 'Field is not defined on RefundInput' }],
        },
      },
      userErrors,
      storeCredit,
    };
  }
  const methods = Array.isArray(input.refundMethods) ? (input.refundMethods as Obj[]) : [];
  for (const [i, m] of methods.entries()) {
    const credit = m.storeCreditRefund as Obj | undefined;
    const money = credit?.amount as Obj | undefined;
    const amount = minor(money?.amount);
    if (!credit || amount === undefined || typeof money?.currencyCode !== 'string') {
      userErrors.push({
        field: ['input', 'refundMethods', String(i), 'storeCreditRefund', 'amount'],
        message: 'Amount is invalid',
      });
      continue;
    }
    storeCredit.push({ amount, currency: money.currencyCode });
  }
  if (storeCredit.length === 0 || !order) return { userErrors, storeCredit };
  const customer = order.customer as Obj | null | undefined;
  if (!customer?.id) {
    userErrors.push({
      field: ['input', 'refundMethods'],
      message: 'The order must be associated with a customer to refund to store credit.',
    });
  }
  const asked = storeCredit.reduce((s, c) => s + c.amount, 0);
  if (asked > amountPaid(order)) {
    userErrors.push({
      field: ['input', 'refundMethods'],
      message: "Refunds issued as store credit can't exceed the amount paid.",
    });
  }
  return { userErrors, storeCredit };
}
