import type { AnnotationStatus } from '../../shared/contract/run';
import type { Db } from './open';

/**
 * The SQL of `annotations`: a reviewer's status for a result, keyed by the stable result key (so
 * it follows the result across runs). Rows are only added (the latest counts) or, on undo, removed
 * with the annotation step (batch) that added them.
 */

export interface NewAnnotation {
  resultKey: string;
  status: AnnotationStatus;
  reason: string;
  note: string;
  author: string;
  createdAt: string;
}

export function insertAnnotation(db: Db, a: NewAnnotation): number {
  const info = db
    .prepare('INSERT INTO annotations (result_key, status, reason, note, author, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(a.resultKey, a.status, a.reason, a.note, a.author, a.createdAt);
  return Number(info.lastInsertRowid);
}

/** The same annotation on each result key, as one step (batch). */
export function insertAnnotationStep(
  db: Db,
  resultKeys: readonly string[],
  a: Omit<NewAnnotation, 'resultKey'>,
  batchId: number,
): void {
  const insert = db.prepare(
    'INSERT INTO annotations (result_key, status, reason, note, author, created_at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const key of resultKeys) insert.run(key, a.status, a.reason, a.note, a.author, a.createdAt, batchId);
}

/** Removes the annotations a step added; returns how many. */
export function deleteAnnotationStep(db: Db, batchId: number): number {
  return db.prepare('DELETE FROM annotations WHERE batch_id = ?').run(batchId).changes;
}

/** A result's annotations, oldest first. */
export function annotationRows(db: Db, resultKey: string) {
  return db
    .prepare('SELECT id, status, reason, note, author, created_at FROM annotations WHERE result_key = ? ORDER BY id')
    .all(resultKey) as Array<{
    id: number;
    status: AnnotationStatus;
    reason: string;
    note: string;
    author: string;
    created_at: string;
  }>;
}
