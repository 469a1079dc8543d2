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

/** Checks the options field by field (an error names the field), then merges them into the stored ones. */
export function setAccountSyncOptions(ctx: UseCaseContext, input: SetAccountSyncOptionsInput): SyncOptions {
  const where = input.fileName ? `${input.fileName}, field` : 'Sync options, field';
  const parsed = SyncOptions.partial().safeParse(input.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new UserError('invalid_sync_options', `${where} ${field || '(file)'}: ${issue.message}.`, {
      ...(input.fileName ? { file: input.fileName } : {}),
      field,
    });
  }
  return setSyncOptions(ctx.db, {
    accountId: input.accountId,
    options: input.options as SyncOptionsInput,
    ...(input.importOrdersAfter !== undefined ? { importOrdersAfter: input.importOrdersAfter } : {}),
    actor: input.actor,
  });
}
