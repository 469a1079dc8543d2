import type { AnnotationStatus } from '../../../shared/contract/run';
import { UserError } from '../../../shared/errors';
import { annotationRows, insertAnnotation } from '../../store/annotations';
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
  return insertAnnotation(db, {
    resultKey: input.resultKey,
    status: input.status,
    reason: input.reason.trim(),
    note: input.note,
    author: input.author,
    createdAt: nowIso(),
  });
}

export function annotationHistory(db: Db, resultKey: string) {
  return annotationRows(db, resultKey).map((a) => ({
    id: a.id,
    status: a.status,
    reason: a.reason,
    note: a.note,
    author: a.author,
    createdAt: a.created_at,
  }));
}
