import type { ImportFormat } from '../../shared/contract/snapshot';
import { resolveCurrency } from '../../shared/money/currencies';
import { storefrontApiSettingsText } from '../store/accounts';
import type { Db } from '../store/open';

/**
 * Formats whose files do not say their currency (issue 14 defect 5): BigCommerce refunds never do;
 * WooCommerce refunds only through their order. The import asks for it, defaulting to the linked
 * storefront account's currency (`api_settings.currency`, set with the account).
 */
const PLATFORM_OF: Partial<Record<ImportFormat, 'bigcommerce' | 'woocommerce'>> = {
  'bigcommerce-json': 'bigcommerce',
  'woocommerce-json': 'woocommerce',
};

export interface ImportCurrency {
  /** The format's files may not carry a currency: the import should ask for one. */
  needed: boolean;
  /** The linked account's currency (or the only account of that platform), if it has one. */
  default: string | null;
}

export function importCurrency(db: Db, format: ImportFormat, storefrontAccountId?: number): ImportCurrency {
  const platform = PLATFORM_OF[format];
  if (!platform) return { needed: false, default: null };
  const rows = storefrontApiSettingsText(
    db,
    storefrontAccountId !== undefined ? { id: storefrontAccountId } : { platform },
  );
  const currencies = new Set<string>();
  for (const row of rows) {
    const code = currencyOfSettings(row);
    if (code) currencies.add(code);
  }
  // Several accounts of the platform in different currencies: no guess.
  return { needed: true, default: currencies.size === 1 ? [...currencies][0]! : null };
}

function currencyOfSettings(text: string): string | undefined {
  try {
    const settings: unknown = JSON.parse(text);
    if (settings && typeof settings === 'object' && 'currency' in settings) {
      const value = (settings as { currency: unknown }).currency;
      return typeof value === 'string' ? resolveCurrency(value) : undefined;
    }
  } catch {
    // A damaged settings text gives no default; the user chooses.
  }
  return undefined;
}
