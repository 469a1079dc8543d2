import { type Db, nowIso } from './open';

/**
 * An account's API settings (`api_settings`, JSON): the address of the shop, the API host
 * override, the base currency, the auth method. Never secrets: those live in the secret store.
 */
export type AccountTable = 'storefront_accounts' | 'netsuite_accounts';

// Fixed statements per table: no SQL text is ever built from a value.
const SELECT_SQL: Record<AccountTable, string> = {
  storefront_accounts: 'SELECT api_settings FROM storefront_accounts WHERE id = ?',
  netsuite_accounts: 'SELECT api_settings FROM netsuite_accounts WHERE id = ?',
};
const UPDATE_SQL: Record<AccountTable, string> = {
  storefront_accounts: 'UPDATE storefront_accounts SET api_settings = ?, updated_at = ? WHERE id = ?',
  netsuite_accounts: 'UPDATE netsuite_accounts SET api_settings = ?, updated_at = ? WHERE id = ?',
};

export function readApiSettings(db: Db, table: AccountTable, id: number): Record<string, unknown> {
  const row = db.prepare(SELECT_SQL[table]).get(id) as { api_settings: string } | undefined;
  try {
    const parsed = JSON.parse(row?.api_settings ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Merges `patch` into the settings; a key set to `undefined` or '' is removed. */
export function writeApiSettings(db: Db, table: AccountTable, id: number, patch: Record<string, unknown>): void {
  const next: Record<string, unknown> = { ...readApiSettings(db, table, id) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
  }
  db.prepare(UPDATE_SQL[table]).run(JSON.stringify(next), nowIso(), id);
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
