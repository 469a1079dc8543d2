import type { AnnotationStatus } from '../../shared/contract';
import { UserError } from '../../shared/errors';
import { deleteAnnotationStep, insertAnnotationStep } from '../store/annotations';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';

/**
 * Annotation steps (issue 16): one save, single or bulk, is one batch, written to the audit log
 * under the person's name; the last step can be undone (its annotations removed, so each result
 * returns to the status it had; the audit log keeps the step and its undo).
 */

export interface BulkInput {
  resultKeys: string[];
  status: AnnotationStatus;
  reason: string;
  note: string;
  author: string;
}

export function annotateMany(db: Db, input: BulkInput): { batchId: number; results: number } {
  const reason = input.reason.trim();
  if ((input.status === 'explained' || input.status === 'ignored') && reason === '') {
    throw new UserError(
      'reason_required',
      `Results marked "${input.status}" need a reason (for the reviewer and the audit trail). Add one and save again.`,
      { field: 'reason' },
    );
  }
  const keys = [...new Set(input.resultKeys)];
  const author = input.author.trim();
  return db.transaction(() => {
    const now = nowIso();
    const batchId = Number(
      db
        .prepare('INSERT INTO annotation_batches (author, status, reason, results, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(author, input.status, reason, keys.length, now).lastInsertRowid,
    );
    insertAnnotationStep(db, keys, { status: input.status, reason, note: input.note, author, createdAt: now }, batchId);
    appendAudit(db, {
      actor: author,
      action: keys.length === 1 ? 'annotation.set' : 'annotation.bulk',
      entity: keys.length === 1 ? `result:${keys[0]}` : `annotation-batch:${batchId}`,
      after: { status: input.status, reason, note: input.note, results: keys.length, resultKeys: keys.slice(0, 100) },
    });
    return { batchId, results: keys.length };
  })();
}

interface BatchRow {
  id: number;
  author: string;
  status: AnnotationStatus;
  reason: string;
  results: number;
  created_at: string;
}

/** The last step not undone yet (what "Undo" takes back), or null. */
export function lastBatch(db: Db) {
  const row = db.prepare('SELECT * FROM annotation_batches WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1').get() as
    | BatchRow
    | undefined;
  return row
    ? {
        batchId: row.id,
        author: row.author,
        status: row.status,
        reason: row.reason,
        results: row.results,
        createdAt: row.created_at,
      }
    : null;
}

export function undoBatch(db: Db, batchId: number, by: string): { batchId: number; results: number } {
  const last = lastBatch(db);
  if (!last || last.batchId !== batchId) {
    throw new UserError(
      'not_last_step',
      last
        ? 'Only the last annotation step can be undone, and this is not it (someone annotated since). Annotate the results again instead.'
        : 'There is no annotation step left to undo.',
    );
  }
  return db.transaction(() => {
    const removed = deleteAnnotationStep(db, batchId);
    db.prepare('UPDATE annotation_batches SET undone_at = ?, undone_by = ? WHERE id = ?').run(
      nowIso(),
      by.trim(),
      batchId,
    );
    appendAudit(db, {
      actor: by.trim(),
      action: 'annotation.undo',
      entity: `annotation-batch:${batchId}`,
      before: { status: last.status, reason: last.reason, results: last.results, by: last.author },
    });
    return { batchId, results: removed };
  })();
}
