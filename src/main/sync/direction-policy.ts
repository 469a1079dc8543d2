import { SyncSettingsEntry, SyncSettingsFileShape } from '../../shared/contract/sync';
import { Direction, type StorefrontAccount } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund } from '../../shared/model';
import { recordTypeLabel } from '../../shared/record-labels';
import { updateStorefrontCapabilities } from '../store/accounts';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import {
  ensureSyncSettings,
  setImportOrdersAfter,
  writeSyncDirection,
  writeSyncOptions,
} from '../store/refund-sync-settings';
import { DIRECTION_LABELS, PLATFORM_CATALOGUE, type SyncDirection, sourceSide } from './catalogue';
import { readSyncState, requireAccount } from './settings-store';
import { SyncOptions, type SyncOptionsInput } from './types';

export interface Recommendation {
  direction: SyncDirection | null;
  reason: string;
}

export function recommendation(account: Pick<StorefrontAccount, 'platform'>): Recommendation {
  const entry = PLATFORM_CATALOGUE[account.platform];
  if (!entry.recommended) return { direction: null, reason: entry.note };
  const why =
    entry.kind === 'marketplace'
      ? `${entry.label} is a marketplace: refund in the marketplace and let the sync bring refunds into NetSuite.`
      : `${entry.label} is a cart: refund in NetSuite and let the sync push refunds out to the storefront.`;
  return { direction: entry.recommended, reason: why };
}

/**
 * Parses a direction from anything (UI, CLI, settings import). One value or `off`; anything that
 * tries to say "both" is refused with the reason, whatever its spelling.
 */
export function parseDirection(value: unknown, where = 'direction'): Direction {
  const parsed = Direction.safeParse(typeof value === 'string' ? value.trim() : value);
  if (parsed.success) return parsed.data;
  const text = Array.isArray(value) ? value.join(',') : String(value);
  const both =
    Array.isArray(value) ||
    /both|two|bi-?directional|,|\+|&|\band\b|<->|↔/i.test(text) ||
    (/storefront_to_netsuite/.test(text) && /netsuite_to_storefront/.test(text));
  throw new UserError(
    both ? 'both_directions_refused' : 'invalid_direction',
    both
      ? `${where}: "${text.slice(0, 80)}" asks for refund sync in both directions. An account syncs refunds one way only (refunds made on both sides would be synced twice and double the refund): choose storefront_to_netsuite, netsuite_to_storefront or off.`
      : `${where}: expected off, storefront_to_netsuite or netsuite_to_storefront; found "${text.slice(0, 80)}".`,
    { field: where },
  );
}

export type SetDirectionResult =
  | {
      status: 'changed' | 'unchanged';
      account: StorefrontAccount;
      recommendation: Recommendation;
      againstRecommendation: boolean;
    }
  | {
      status: 'confirmation_required';
      account: StorefrontAccount;
      recommendation: Recommendation;
      againstRecommendation: true;
      message: string;
    };

export interface SetDirectionInput {
  accountId: number;
  direction: unknown;
  /** The user confirmed choosing against the recommendation. */
  confirmAgainstRecommendation?: boolean;
  actor: string;
}

/** The only way the direction changes: one direction or off, offered by the platform, audited. */
export function setDirection(db: Db, input: SetDirectionInput): SetDirectionResult {
  const direction = parseDirection(input.direction);
  const account = requireAccount(db, input.accountId);
  const rec = recommendation(account);
  if (direction !== 'off' && !account.directions.includes(direction)) {
    const offered = account.directions.map((d) => DIRECTION_LABELS[d]).join(', ') || 'none';
    throw new UserError(
      'direction_not_offered',
      `${account.name} (${PLATFORM_CATALOGUE[account.platform].label}) does not offer refund sync ${DIRECTION_LABELS[direction]}: its connector offers ${offered}. ${PLATFORM_CATALOGUE[account.platform].note} If the capability is wrong for this store, correct it first (account:set-capabilities).`,
      { field: 'direction' },
      { offered: account.directions },
    );
  }
  const against = direction !== 'off' && rec.direction !== null && direction !== rec.direction;
  if (direction === account.direction) {
    return { status: 'unchanged', account, recommendation: rec, againstRecommendation: against };
  }
  if (against && !input.confirmAgainstRecommendation) {
    return {
      status: 'confirmation_required',
      account,
      recommendation: rec,
      againstRecommendation: true,
      message: `${DIRECTION_LABELS[direction]} is against the recommendation for ${account.name}: ${rec.reason} Confirm to choose it anyway; the choice is written to the audit log.`,
    };
  }
  const now = nowIso();
  db.transaction(() => {
    ensureSyncSettings(db, account.id, now);
    writeSyncDirection(db, account.id, direction, now);
    appendAudit(db, {
      actor: input.actor,
      action: against ? 'sync.direction.against_recommendation' : 'sync.direction',
      entity: `storefront_account:${account.id}`,
      before: { direction: account.direction },
      after: { direction, recommended: rec.direction, confirmed: against ? true : undefined },
    });
  })();
  return {
    status: 'changed',
    account: requireAccount(db, account.id),
    recommendation: rec,
    againstRecommendation: against,
  };
}

export interface CapabilitiesInput {
  accountId: number;
  lineItemRefunds?: 'yes' | 'no' | 'unknown';
  directions?: readonly SyncDirection[];
  storeCredit?: boolean;
  splitTender?: boolean;
  actor: string;
}

export function setCapabilities(db: Db, input: CapabilitiesInput): StorefrontAccount {
  const account = requireAccount(db, input.accountId);
  const directions = input.directions ? [...new Set(input.directions)] : account.directions;
  for (const d of directions) parseDirection(d, 'directions');
  if (account.direction !== 'off' && !directions.includes(account.direction)) {
    throw new UserError(
      'direction_in_use',
      `${account.name} syncs refunds ${DIRECTION_LABELS[account.direction]} now; switch the direction off (or to an offered one) before removing it from the capabilities.`,
      { field: 'directions' },
    );
  }
  const after = {
    lineItemRefunds: input.lineItemRefunds ?? account.lineItemRefunds,
    directions,
    storeCredit: input.storeCredit ?? account.storeCredit,
    splitTender: input.splitTender ?? account.splitTender,
  };
  db.transaction(() => {
    updateStorefrontCapabilities(db, account.id, after);
    appendAudit(db, {
      actor: input.actor,
      action: 'account.capabilities',
      entity: `storefront_account:${account.id}`,
      before: {
        lineItemRefunds: account.lineItemRefunds,
        directions: account.directions,
        storeCredit: account.storeCredit,
        splitTender: account.splitTender,
      },
      after,
    });
  })();
  return requireAccount(db, account.id);
}

export function setSyncOptions(
  db: Db,
  input: { accountId: number; options: SyncOptionsInput; importOrdersAfter?: string | null; actor: string },
): SyncOptions {
  const state = readSyncState(db, input.accountId);
  const merged = SyncOptions.parse({ ...state.options, ...input.options });
  const now = nowIso();
  db.transaction(() => {
    ensureSyncSettings(db, input.accountId, now);
    writeSyncOptions(db, input.accountId, JSON.stringify(merged), now);
    if (input.importOrdersAfter !== undefined) setImportOrdersAfter(db, input.accountId, input.importOrdersAfter);
    appendAudit(db, {
      actor: input.actor,
      action: 'sync.options',
      entity: `storefront_account:${input.accountId}`,
      before: { options: state.options, importOrdersAfter: state.importOrdersAfter },
      after: { options: merged, importOrdersAfter: input.importOrdersAfter ?? state.importOrdersAfter },
    });
  })();
  return merged;
}

/**
 * Settings import (a JSON file of `{ "accounts": [{ "accountId", "direction" }] }`, or the same
 * keyed by account name): validated as a whole before anything changes; a "both" is refused with
 * the entry it came from, and nothing is applied.
 */
export function parseSyncSettingsImport(
  text: string,
  file = 'settings.json',
): { accountId: number; direction: Direction }[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError('invalid_json', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  const shape = SyncSettingsFileShape.safeParse(data);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    const field = issue.path.length > 0 ? pathText(issue.path) : 'accounts';
    const found = valueAt(data, issue.path);
    throw new UserError(
      'invalid_settings',
      `${file}: ${field}: expected ${issue.path.length >= 2 ? 'an object like {"accountId": 1, "direction": "off"}' : '{"accounts":[{"accountId":1,"direction":"off"}]}'}; found ${describeJson(found)}.`,
      { file, field },
    );
  }
  return shape.data.accounts.map((e, i) => {
    const where = `accounts[${i}].direction`;
    if (!Number.isSafeInteger(e.accountId) || (e.accountId as number) < 1) {
      throw new UserError('invalid_settings', `${file}: accounts[${i}].accountId: expected an integer account id.`, {
        file,
        field: `accounts[${i}].accountId`,
      });
    }
    for (const key of ['directions', 'storefront_to_netsuite', 'netsuite_to_storefront', 'both']) {
      if (key in e) parseDirection(key === 'directions' ? e[key] : 'both', `${file} ${`accounts[${i}]`}.${key}`);
    }
    let direction: Direction;
    try {
      direction = parseDirection(e.direction, where);
    } catch (error) {
      if (error instanceof UserError)
        throw new UserError(error.code, `${file}: ${error.message}`, { file, field: where });
      throw error;
    }
    return SyncSettingsEntry.parse({ accountId: e.accountId, direction });
  });
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/**
 * Applies a settings file: every entry validated first, then all or nothing. An entry against the
 * recommendation needs the same confirmation as account:set-direction; without it nothing is
 * applied and the answer says which entries wait for it (status `confirmation_required`).
 */
export function importSyncSettings(
  db: Db,
  input: { text: string; fileName?: string; confirmAgainstRecommendation?: boolean; actor: string },
): SetDirectionResult[] {
  const entries = parseSyncSettingsImport(input.text, input.fileName);
  const confirm = input.confirmAgainstRecommendation === true;
  // Each entry goes through set-direction itself (same rules, same confirmation); one entry that
  // waits for confirmation rolls the whole import back.
  const results: SetDirectionResult[] = [];
  const waiting = new Error('an entry waits for confirmation');
  try {
    db.transaction(() => {
      for (const e of entries) {
        results.push(
          setDirection(db, {
            accountId: e.accountId,
            direction: e.direction,
            confirmAgainstRecommendation: confirm,
            actor: input.actor,
          }),
        );
      }
      if (results.some((r) => r.status === 'confirmation_required')) throw waiting;
    })();
    return results;
  } catch (error) {
    if (error !== waiting) throw error;
    return results.map((r) =>
      r.status === 'confirmation_required'
        ? r
        : {
            ...r,
            status: 'unchanged' as const,
            account: requireAccount(db, r.account.id),
            message:
              'Not applied yet: the import is applied as a whole once the entries against the recommendation are confirmed.',
          },
    );
  }
}

export interface WillNotSyncFlag {
  side: 'storefront' | 'netsuite';
  id: string;
  orderRef: string;
  reason: string;
}

/**
 * Spec §8: with a direction set, a refund made on the receiving side will not be synced and is a
 * common source of doubles. A receiving-side record the sync itself wrote (its key is known) is not
 * flagged. With the direction off nothing syncs, so nothing is flagged.
 */
export function willNotSync(
  direction: Direction,
  refund: Pick<CanonicalRefund, 'side' | 'id' | 'orderRef' | 'externalId' | 'memo' | 'recordType' | 'documentNumber'>,
  writtenBySync: (refund: Pick<CanonicalRefund, 'externalId' | 'memo' | 'id'>) => boolean = defaultWrittenBySync,
): WillNotSyncFlag | null {
  if (direction === 'off') return null;
  if (refund.side === sourceSide(direction)) return null;
  if (writtenBySync(refund)) return null;
  const label =
    refund.side === 'netsuite'
      ? `NetSuite ${recordTypeLabel(refund.recordType)} ${refund.documentNumber || refund.id}`
      : `Storefront refund ${refund.id}`;
  const reason =
    direction === 'storefront_to_netsuite'
      ? `${label} was made in NetSuite while refunds sync from the storefront into NetSuite: it will not be synced to the storefront. If the customer was also refunded in the storefront, the sync will create a second NetSuite record (a double).`
      : `${label} was made in the storefront while refunds sync from NetSuite out to the storefront: it will not be synced into NetSuite. Record it in NetSuite by hand, or make refunds in NetSuite only.`;
  return { side: refund.side, id: refund.id, orderRef: refund.orderRef, reason };
}

/** Records the sync writes carry a recognisable key: External ID `<platform>-refund-…` or the note key. */
function defaultWrittenBySync(refund: Pick<CanonicalRefund, 'externalId' | 'memo' | 'id'>): boolean {
  return /^[a-z]+-refund-/i.test(refund.externalId) || /\[netsuite-(cashRefund|creditMemo)-[^\]]+\]/.test(refund.memo);
}

export function flagWillNotSync(direction: Direction, refunds: Iterable<CanonicalRefund>): WillNotSyncFlag[] {
  const out: WillNotSyncFlag[] = [];
  for (const r of refunds) {
    if (r.recordType === 'customerRefund' && r.appliesTo) continue; // pays out a Credit Memo: judged with it
    const flag = willNotSync(direction, r);
    if (flag) out.push(flag);
  }
  return out;
}
