import { useState } from 'react';
import type { z } from 'zod';
import type { DryRunDetail } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { ConfirmBox } from '../components/confirm-box';
import { ErrorBanner } from '../components/error-banner';

type Detail = z.infer<typeof DryRunDetail>;

type Stage =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'refused'; target: string; reason: string }
  | { kind: 'confirm'; target: string }
  | { kind: 'sending'; target: string };

/**
 * The round trip of a passing dry run (issue 13 item 6): asks where it would write, names that
 * sandbox in a confirmation, then sends, reads back and shows the new run. Refused targets say why;
 * nothing is sent before the confirmation.
 */
export function RoundTripPanel({ run, onDone }: { run: Detail; onDone: (d: Detail) => void }) {
  const api = useApi();
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<AppErrorShape | null>(null);
  const trip = run.roundTrip;
  const count = run.orders.length;

  const check = async () => {
    setError(null);
    setStage({ kind: 'checking' });
    const result = await api.channels['dry-run:round-trip-target']({
      accountId: run.accountId,
      direction: run.direction,
    });
    if (!result.ok) {
      setError(result.error);
      setStage({ kind: 'idle' });
    } else if (!result.value.sandbox) {
      setStage({ kind: 'refused', target: result.value.target, reason: result.value.reason ?? '' });
    } else setStage({ kind: 'confirm', target: result.value.target });
  };

  const send = async (target: string) => {
    setStage({ kind: 'sending', target });
    const result = await api.channels['dry-run:round-trip']({
      accountId: run.accountId,
      direction: run.direction,
      selection: run.selection,
      ...(run.sourceSnapshotId ? { snapshotId: run.sourceSnapshotId } : {}),
      actor: localStorage.getItem('refund-recon-author') || 'local user',
    });
    setStage({ kind: 'idle' });
    if (!result.ok) setError(result.error);
    else onDone(result.value);
  };

  return (
    <div className="round-trip">
      {trip ? (
        <div>
          <h3>Round trip to {trip.target ?? 'the sandbox'}</h3>
          <p>
            {trip.sent} record{trip.sent === 1 ? '' : 's'} sent, {trip.readBack} read back
            {trip.problems.length === 0 ? ', every field as sent.' : `, ${trip.problems.length} problem(s):`}
          </p>
          {trip.problems.length > 0 && (
            <ul>
              {trip.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        run.status === 'pass' &&
        stage.kind === 'idle' && (
          <button type="button" onClick={check}>
            Round trip in the sandbox…
          </button>
        )
      )}
      {stage.kind === 'checking' && <p className="muted">Checking where the records would go…</p>}
      {stage.kind === 'refused' && (
        <div role="alert">
          <p>
            <strong>No round trip to {stage.target}.</strong> {stage.reason}
          </p>
          <button type="button" onClick={() => setStage({ kind: 'idle' })}>
            Close
          </button>
        </div>
      )}
      {stage.kind === 'confirm' && (
        <ConfirmBox label="Confirm the round trip" onCancel={() => setStage({ kind: 'idle' })}>
          <p>
            Send {count} refund{count === 1 ? '' : 's'} to <strong>{stage.target}</strong>, read them back and compare
            every field? This writes real records to that sandbox, and nowhere else.
          </p>
          <button type="button" onClick={() => send(stage.target)}>
            Send to {stage.target}
          </button>{' '}
          <button type="button" onClick={() => setStage({ kind: 'idle' })}>
            Cancel
          </button>
        </ConfirmBox>
      )}
      {stage.kind === 'sending' && <p className="muted">Sending to {stage.target} and reading back…</p>}
      {error && <ErrorBanner error={error} />}
    </div>
  );
}
