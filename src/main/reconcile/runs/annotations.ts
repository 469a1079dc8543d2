import type { AnnotationStatus } from '../../../shared/contract/run';
import { UserError } from '../../../shared/errors';
import { type Db, nowIso } from '../../store/open';

/** Annotations, keyed by the stable result key (they follow a result across runs). */

export function setAnnotation(
  db: Db,
  input: { resultKey: string; status: AnnotationStatus; reason: string; note: string; author: string },
): number {
  if ((input.status === 'explained' || input.status === 'ignored') && input.reason.trim() === '') {
    throw new UserError(
      'reason_required',
      `A result marked "${input.status}" needs a reason (for the reviewer and the audit trail). Add one and save again.`,
      { field: 'reason' },
    );
  }
  const info = db
    .prepare('INSERT INTO annotations (result_key, status, reason, note, author, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(input.resultKey, input.status, input.reason.trim(), input.note, input.author, nowIso());
  return Number(info.lastInsertRowid);
}

export function annotationHistory(db: Db, resultKey: string) {
  return (
    db
      .prepare('SELECT id, status, reason, note, author, created_at FROM annotations WHERE result_key = ? ORDER BY id')
      .all(resultKey) as Array<{
      id: number;
      status: AnnotationStatus;
      reason: string;
      note: string;
      author: string;
      created_at: string;
    }>
  ).map((a) => ({
    id: a.id,
    status: a.status,
    reason: a.reason,
    note: a.note,
    author: a.author,
    createdAt: a.created_at,
  }));
}
