import { type Db, nowIso } from './open';

/**
 * An account's API settings (`api_settings`, JSON): the address of the shop, the API host
 * override, the base currency, the auth method. Never secrets: those live in the secret store.
 */
export type AccountTable = 'storefront_accounts' | 'netsuite_accounts';

export function readApiSettings(db: Db, table: AccountTable, id: number): Record<string, unknown> {
  // The table name is one of two literals (the type), never user text.
  const row = db.prepare(`SELECT api_settings FROM ${table} WHERE id = ?`).get(id) as
    | { api_settings: string }
    | undefined;
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
  db.prepare(`UPDATE ${table} SET api_settings = ?, updated_at = ? WHERE id = ?`).run(
    JSON.stringify(next),
    nowIso(),
    id,
  );
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
