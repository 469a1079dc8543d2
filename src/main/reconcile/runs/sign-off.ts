import type { RunInfo } from '../../../shared/contract/run';
import { UserError } from '../../../shared/errors';
import { appendAudit } from '../../store/audit';
import { type Db, nowIso } from '../../store/open';
import { writeSignoff } from '../../store/run-signoffs';
import { getRun } from './runs';

/** Preparer and reviewer sign-off of a run (audit-logged). */

export function signOff(db: Db, runId: number, role: 'preparer' | 'reviewer', name: string): RunInfo {
  const run = getRun(db, runId);
  if (run.status !== 'complete') {
    throw new UserError('run_not_complete', `Run ${runId} is ${run.status}; only a complete run can be signed off.`);
  }
  const preparer = run.signoffs.find((s) => s.role === 'preparer');
  if (role === 'reviewer' && !preparer) {
    throw new UserError(
      'preparer_first',
      `Run ${runId} has no preparer sign-off yet; the preparer signs first, then the reviewer.`,
    );
  }
  if (role === 'reviewer' && preparer && preparer.name.trim().toLowerCase() === name.trim().toLowerCase()) {
    throw new UserError(
      'reviewer_is_preparer',
      `The reviewer of run ${runId} must be someone other than its preparer (${preparer.name}).`,
    );
  }
  db.transaction(() => {
    const before = run.signoffs.find((s) => s.role === role) ?? null;
    writeSignoff(db, runId, role, name.trim(), nowIso());
    appendAudit(db, {
      actor: name.trim(),
      action: `run.signoff.${role}`,
      entity: `run:${runId}`,
      before,
      after: { role, name },
    });
  })();
  return getRun(db, runId);
}
