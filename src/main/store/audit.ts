import { type Db, nowIso } from './open';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit log: who, when, before, after. Call inside the transaction that made the change. */
export function appendAudit(db: Db, entry: AuditEntry): void {
  db.prepare('INSERT INTO audit_log (at, actor, action, entity, before, after) VALUES (?, ?, ?, ?, ?, ?)').run(
    nowIso(),
    entry.actor,
    entry.action,
    entry.entity,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  );
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  before: unknown;
  after: unknown;
}

/** The newest entries first, of one entity (`storefront_account:3`) or of all. */
export function listAudit(db: Db, input: { entity?: string | undefined; limit: number }): AuditRow[] {
  const rows = (
    input.entity
      ? db.prepare('SELECT * FROM audit_log WHERE entity = ? ORDER BY id DESC LIMIT ?').all(input.entity, input.limit)
      : db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(input.limit)
  ) as (Omit<AuditRow, 'before' | 'after'> & { before: string | null; after: string | null })[];
  return rows.map((r) => ({
    ...r,
    before: r.before === null ? null : (JSON.parse(r.before) as unknown),
    after: r.after === null ? null : (JSON.parse(r.after) as unknown),
  }));
}

/** When an entity last had an action starting with `actionPrefix` (`sync.direction`), or null. */
export function lastAuditAt(db: Db, entity: string, actionPrefix: string): string | null {
  const row = db
    .prepare("SELECT at FROM audit_log WHERE entity = ? AND action LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT 1")
    .get(entity, `${actionPrefix.replace(/[\\%_]/g, '\\$&')}%`) as { at: string } | undefined;
  return row?.at ?? null;
}
