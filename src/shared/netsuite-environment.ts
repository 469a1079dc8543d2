/**
 * Which NetSuite environment an account ID names. NetSuite spells it in the ID itself: a sandbox
 * is `1234567_SB1` (`_SB` and a number), a release preview `1234567_RP`, anything else the
 * production account. The ID decides; nothing lets a user call a production ID "sandbox".
 */
export type NetsuiteEnvironmentKind = 'sandbox' | 'release_preview' | 'production';

export function netsuiteEnvironment(accountId: string): NetsuiteEnvironmentKind {
  const id = accountId.trim().toUpperCase().replace(/-/g, '_');
  if (/_SB\d*$/.test(id)) return 'sandbox';
  if (/_RP\d*$/.test(id)) return 'release_preview';
  return 'production';
}

/**
 * The workspace column holds `sandbox` or `production` (the writes policy only asks "may the
 * app write here freely?"): a release preview is not a sandbox, so it is stored as production.
 */
export function storedEnvironment(accountId: string): 'sandbox' | 'production' {
  return netsuiteEnvironment(accountId) === 'sandbox' ? 'sandbox' : 'production';
}

export const ENVIRONMENT_LABELS: Readonly<Record<NetsuiteEnvironmentKind, string>> = {
  sandbox: 'Sandbox',
  release_preview: 'Release preview',
  production: 'Production',
};

/** NetSuite account IDs: digits, optionally `_SB<n>` or `_RP<n>` (letters allowed for older IDs). */
export const NETSUITE_ACCOUNT_ID = /^[A-Za-z0-9]{1,20}([_-](SB|RP)\d{0,3})?$/i;
