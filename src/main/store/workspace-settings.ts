import type { Db } from './open';

/**
 * The SQL of `workspace_settings`: one JSON text value per key (`reconcile`, `tender_mapping`, …),
 * each read and validated by the use-case that owns its key (use-cases/settings.ts,
 * use-cases/tender-settings.ts).
 */

/** The stored text of a setting, or undefined when it was never set. */
export function readWorkspaceSetting(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM workspace_settings WHERE key = ?').get(key) as
    | { value: string }
    | undefined;
  return row?.value;
}

/** Sets (or replaces) a setting's text. */
export function writeWorkspaceSetting(db: Db, key: string, value: string, now: string): void {
  db.prepare(
    'INSERT INTO workspace_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, value, now);
}
