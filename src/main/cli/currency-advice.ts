import { UserError } from '../../shared/errors';

/**
 * Core errors about a missing currency carry the code `currency_required` and no CLI words; the
 * CLI adds its own advice naming the flag that gives the currency (`--currency` for `import`,
 * `--storefront-currency` / `--netsuite-currency` for `reconcile`). Other errors pass unchanged.
 */
export function withCurrencyFlag(error: unknown, flag: string): unknown {
  if (!(error instanceof UserError) || error.code !== 'currency_required') return error;
  return new UserError(
    error.code,
    `${error.message} Re-run with ${flag} <code> (for example ${flag} USD).`,
    error.location,
    error.details,
  );
}
