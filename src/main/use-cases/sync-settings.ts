import { z } from 'zod';
import type { StorefrontAccount } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import {
  type CapabilitiesInput,
  type SetDirectionInput,
  type SetDirectionResult,
  setCapabilities,
  setDirection,
  setSyncOptions,
} from '../sync/direction-policy';
import { readSyncState } from '../sync/settings-store';
import { SyncOptions, type SyncOptionsInput } from '../sync/types';
import type { UseCaseContext } from './context';

/**
 * A storefront account's sync settings as a user changes them: the direction (one way or off),
 * the capabilities and the sync options. The app's handlers (account:set-direction,
 * account:set-capabilities, account:set-sync-options) and the CLI (`account direction`,
 * `capabilities set`, `account sync-options`) call these.
 */

/** The only way the direction changes: off or one direction; against the recommendation needs confirming. */
export function setAccountDirection(ctx: UseCaseContext, input: SetDirectionInput): SetDirectionResult {
  return setDirection(ctx.db, input);
}

/** Corrects what the storefront can do (line-item refunds, offered directions, store credit, split tender). */
export function setAccountCapabilities(ctx: UseCaseContext, input: CapabilitiesInput): StorefrontAccount {
  return setCapabilities(ctx.db, input);
}

export interface SetAccountSyncOptionsInput {
  accountId: number;
  /** Some or all of the options (refund items, refund account, currency ids, item mapping): checked here. */
  options: unknown;
  importOrdersAfter?: string | null;
  actor: string;
  /** Where the options came from (a file the user chose), named in the error when they are wrong. */
  fileName?: string;
}

/** The options' fields in the app's words (the CLI's file names the field as its JSON key). */
const OPTION_WORDS: Record<string, string> = {
  genericItemId: 'Refund item for amounts not tied to a product',
  shippingItemId: 'Shipping refund item',
  taxOnlyItemId: 'Tax-only refund item',
  refundAccountId: 'Account refunds are paid from',
  currencyIds: 'NetSuite currency IDs',
  itemMap: 'Item mapping',
  restockType: 'Stock on refunds sent to the storefront',
  notifyCustomer: 'Notify the customer',
};

/** A NetSuite internal ID is a whole number; empty means "not set". */
const InternalId = z
  .string()
  .trim()
  .max(40)
  .regex(/^\d*$/, 'a NetSuite internal ID is a whole number (e.g. 1234): copy it from the record in NetSuite');

/**
 * What the options must hold beyond their types (sync/types.ts SyncOptions): internal IDs are
 * numbers, currencies ISO 4217 codes, item mapping entries non-empty on both sides.
 */
const OptionsCheck = SyncOptions.partial().extend({
  genericItemId: InternalId.optional(),
  shippingItemId: InternalId.optional(),
  taxOnlyItemId: InternalId.optional(),
  refundAccountId: InternalId.optional(),
  currencyIds: z
    .record(
      z.string().regex(/^[A-Z]{3}$/, 'a currency is its three-letter ISO 4217 code (e.g. USD)'),
      InternalId.min(1, 'give the NetSuite internal ID of this currency'),
    )
    .optional(),
  itemMap: z
    .record(
      z.string().trim().min(1, 'a storefront SKU is needed').max(200),
      z.string().trim().min(1, 'give the NetSuite item name or SKU').max(200),
    )
    .optional(),
});

/** Where an issue is: the file and JSON field for the CLI; the field's name in words for the app. */
function locate(input: SetAccountSyncOptionsInput, issuePath: readonly PropertyKey[]): string {
  const field = issuePath.map(String).join('.');
  if (input.fileName) return `${input.fileName}, field ${field || '(file)'}`;
  const [top, key] = issuePath.map(String);
  const words = OPTION_WORDS[top ?? ''] ?? 'Sync options';
  return key ? `${words}, ${key}` : words;
}

/** Checks the options field by field (an error names the field), then merges them into the stored ones. */
export function setAccountSyncOptions(ctx: UseCaseContext, input: SetAccountSyncOptionsInput): SyncOptions {
  const parsed = OptionsCheck.safeParse(input.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    // A record key's own message (e.g. the currency code) sits inside the "Invalid key" issue.
    const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    throw new UserError('invalid_sync_options', `${locate(input, issue.path)}: ${message}.`, {
      ...(input.fileName ? { file: input.fileName } : {}),
      field,
    });
  }
  // Only what was given (the partial schema fills defaults for the rest, which would reset them).
  const given = input.options as Record<string, unknown>;
  const options = Object.fromEntries(Object.entries(parsed.data).filter(([key]) => key in given));
  return setSyncOptions(ctx.db, {
    accountId: input.accountId,
    options: options as SyncOptionsInput,
    ...(input.importOrdersAfter !== undefined ? { importOrdersAfter: input.importOrdersAfter } : {}),
    actor: input.actor,
  });
}

/** The stored sync options of a storefront account (defaults where none were set). */
export function getAccountSyncOptions(ctx: UseCaseContext, accountId: number): SyncOptions {
  return readSyncState(ctx.db, accountId).options;
}
