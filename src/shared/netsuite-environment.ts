/**
 * Which NetSuite environment an account is, read from its account ID — never from a label the user
 * sets (issue 13 item 2, issue 17 Y2). Oracle's account IDs: production `1234567`, sandboxes
 * `1234567_SB1`, `1234567_SB2` …, release preview `1234567_RP` (the REST host label writes `_` as
 * `-`, so `1234567-sb1` is the same sandbox). Anything else — test drives, unknown suffixes — counts
 * as production, the environment that must be protected.
 */
export type NetsuiteEnvironment = 'sandbox' | 'release_preview' | 'production';

export function netsuiteEnvironmentOf(accountId: string): NetsuiteEnvironment {
  const id = accountId.trim().toUpperCase();
  if (/^[A-Z0-9]+[_-]SB\d*$/.test(id)) return 'sandbox';
  if (/^[A-Z0-9]+[_-]RP\d*$/.test(id)) return 'release_preview';
  return 'production';
}

/** True only for a sandbox account ID (release preview is not a sandbox for writes we make up). */
export function isNetsuiteSandbox(accountId: string): boolean {
  return netsuiteEnvironmentOf(accountId) === 'sandbox';
}

/** Words for the environment, for messages. */
export const NETSUITE_ENVIRONMENT_LABELS: Readonly<Record<NetsuiteEnvironment, string>> = {
  sandbox: 'sandbox',
  release_preview: 'release preview',
  production: 'production',
};

/** The same derivation under the name the account use-cases use. */
export const netsuiteEnvironment = netsuiteEnvironmentOf;
export type NetsuiteEnvironmentKind = NetsuiteEnvironment;

/**
 * The workspace column holds `sandbox` or `production` (the writes policy only asks "may the
 * app write here freely?"): a release preview is not a sandbox, so it is stored as production.
 */
export function storedEnvironment(accountId: string): 'sandbox' | 'production' {
  return isNetsuiteSandbox(accountId) ? 'sandbox' : 'production';
}

/** Capitalised words for screens and the CLI. */
export const ENVIRONMENT_LABELS: Readonly<Record<NetsuiteEnvironment, string>> = {
  sandbox: 'Sandbox',
  release_preview: 'Release preview',
  production: 'Production',
};

/** NetSuite account IDs as a user types them: letters and digits, optionally `_SB<n>` or `_RP<n>`. */
export const NETSUITE_ACCOUNT_ID = /^[A-Za-z0-9]{1,20}([_-](SB|RP)\d{0,3})?$/i;
