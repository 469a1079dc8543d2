import { UserError } from '../../../shared/errors';

/**
 * NetSuite account IDs: `1234567`, sandbox `1234567_SB1`, test drives `TSTDRV9`. The REST host label
 * is the ID lower-cased with `_` → `-` (`1234567-sb1`); the OAuth 1.0 realm is the ID upper-cased
 * with `-` → `_` (`1234567_SB1`). Oracle says to read the domain from Company URLs, so the host is
 * only a default: every client takes an override, checked by the destination policy.
 */
const ACCOUNT_ID = /^[A-Za-z0-9]+([_-][A-Za-z0-9]+)*$/;

export function assertAccountId(accountId: string): string {
  const trimmed = accountId.trim();
  if (!ACCOUNT_ID.test(trimmed) || trimmed.length > 40) {
    throw new UserError(
      'netsuite_account_id',
      `"${accountId.slice(0, 60)}" is not a NetSuite account ID: expected letters and digits with an optional sandbox suffix, such as 1234567 or 1234567_SB1 (Setup > Company > Company Information).`,
      { field: 'accountId' },
    );
  }
  return trimmed;
}

export function hostLabelOf(accountId: string): string {
  return assertAccountId(accountId).toLowerCase().replace(/_/g, '-');
}

export function realmOf(accountId: string): string {
  return assertAccountId(accountId).toUpperCase().replace(/-/g, '_');
}

/**
 * `https://1234567-sb1.suitetalk.api.netsuite.com`. An override (Company URLs) goes through
 * `checkApiDestination` (`../destination-policy.ts`), which the client calls.
 */
export function restBaseUrl(accountId: string): string {
  return `https://${hostLabelOf(accountId)}.suitetalk.api.netsuite.com`;
}
