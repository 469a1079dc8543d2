import { UserError } from '../../shared/errors';
import { type Db, nowIso } from '../store/open';

/**
 * The workspace's people (issue 16): the names annotations and sign-offs are made under, set once
 * and chosen from a list rather than typed each time.
 */

export function listPeople(db: Db): Array<{ id: number; name: string }> {
  return db.prepare('SELECT id, name FROM workspace_people ORDER BY name COLLATE NOCASE').all() as Array<{
    id: number;
    name: string;
  }>;
}

export function addPerson(db: Db, name: string): Array<{ id: number; name: string }> {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (clean === '') throw new UserError('name_required', 'Type the person’s name, then add it.', { field: 'name' });
  db.prepare('INSERT INTO workspace_people (name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(
    clean,
    nowIso(),
  );
  return listPeople(db);
}

export function removePerson(db: Db, id: number): Array<{ id: number; name: string }> {
  db.prepare('DELETE FROM workspace_people WHERE id = ?').run(id);
  return listPeople(db);
}
