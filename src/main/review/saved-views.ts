import type { SavedView } from '../../shared/contract';
import { type Db, nowIso } from '../store/open';

/** Saved review views (issue 16): filters, sort and hidden columns under a name. */

interface Row {
  id: number;
  name: string;
  filters: string;
  columns: string;
  updated_at: string;
}

function toView(r: Row): SavedView {
  return {
    id: r.id,
    name: r.name,
    filters: JSON.parse(r.filters) as Record<string, unknown>,
    hiddenColumns: JSON.parse(r.columns) as string[],
    updatedAt: r.updated_at,
  };
}

export function listViews(db: Db): SavedView[] {
  return (db.prepare('SELECT * FROM saved_views ORDER BY name COLLATE NOCASE').all() as Row[]).map(toView);
}

/** Saves a view; a view of the same name (any case) is replaced, keeping its id. */
export function saveView(
  db: Db,
  input: { name: string; filters: Record<string, unknown>; hiddenColumns: string[] },
): SavedView {
  const now = nowIso();
  const name = input.name.trim();
  db.prepare(
    `INSERT INTO saved_views (name, filters, columns, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET filters = excluded.filters, columns = excluded.columns, updated_at = excluded.updated_at`,
  ).run(name, JSON.stringify(input.filters), JSON.stringify(input.hiddenColumns), now, now);
  return toView(db.prepare('SELECT * FROM saved_views WHERE name = ?').get(name) as Row);
}

export function deleteView(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes > 0;
}
