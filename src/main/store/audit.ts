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
