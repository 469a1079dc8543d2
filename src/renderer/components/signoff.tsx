import { useEffect, useRef, useState } from 'react';
import type { RunInfo } from '../../shared/contract';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { useAnnotationsVersion } from '../lib/desk-events';
import { formatCount, formatDateTime } from '../lib/format';
import { ErrorBanner } from './error-banner';
import { useCurrentPerson } from './people';

type Role = 'preparer' | 'reviewer';
const LABEL: Record<Role, string> = { preparer: 'Preparer', reviewer: 'Reviewer' };

/**
 * Sign-off with care: under the name chosen in "You are"; with open errors, a confirmation that
 * names how many (recorded with the sign-off); a sign-off can be withdrawn with a reason.
 */
export function SignOff({ run, onChanged }: { run: RunInfo; onChanged: () => void }) {
  const api = useApi();
  const person = useCurrentPerson();
  const version = useAnnotationsVersion();
  const state = useChannel('signoff:state', { runId: run.id }, `${run.id}#${version}#${run.signoffs.length}`);
  const [confirming, setConfirming] = useState<Role | null>(null);
  const [withdrawing, setWithdrawing] = useState<Role | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Parameters<typeof ErrorBanner>[0]['error'] | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const open = state.status === 'ok' ? state.value.openErrors : 0;

  useEffect(() => {
    if (confirming || withdrawing) {
      dialog.current?.scrollIntoView({ block: 'nearest' });
      dialog.current?.querySelector<HTMLElement>('textarea, button')?.focus();
    }
  }, [confirming, withdrawing]);
  const close = () => {
    setConfirming(null);
    setWithdrawing(null);
    setReason('');
    opener.current?.focus();
  };
  const sign = async (role: Role) => {
    setError(null);
    const result = await api.channels['signoff:sign']({
      runId: run.id,
      role,
      name: person,
      confirmOpenErrors: open,
    });
    if (!result.ok) setError(result.error);
    else {
      setConfirming(null);
      state.reload();
      onChanged();
    }
  };
  const withdraw = async (role: Role) => {
    setError(null);
    const result = await api.channels['signoff:withdraw']({ runId: run.id, role, by: person, reason });
    if (!result.ok) setError(result.error);
    else {
      close();
      state.reload();
      onChanged();
    }
  };
  const ask = (role: Role, target: HTMLElement) => {
    opener.current = target;
    setError(null);
    if (open > 0) setConfirming(role);
    else void sign(role);
  };
  const atSigning = state.status === 'ok' ? state.value.openAtSigning : {};
  return (
    <section className="signoff" aria-label="Sign-off">
      {(['preparer', 'reviewer'] as const).map((role) => {
        const done = run.signoffs.find((s) => s.role === role);
        const openThen = atSigning[role];
        return done ? (
          <span key={role} className="signed">
            <span aria-hidden="true">✓</span> {LABEL[role]}: <strong>{done.name}</strong>{' '}
            <span className="muted">
              {formatDateTime(done.signedAt)}
              {openThen ? ` · ${formatCount(openThen)} open error${openThen === 1 ? '' : 's'} then` : ''}
            </span>{' '}
            <button
              type="button"
              className="link"
              disabled={!person}
              title={person ? undefined : 'Choose who you are first'}
              onClick={(e) => {
                opener.current = e.currentTarget;
                setWithdrawing(role);
              }}
            >
              Withdraw
            </button>
          </span>
        ) : (
          <button
            key={role}
            type="button"
            disabled={!person || (role === 'reviewer' && !run.signoffs.some((s) => s.role === 'preparer'))}
            title={person ? undefined : 'Choose who you are (top of the review) first'}
            onClick={(e) => ask(role, e.currentTarget)}
          >
            Sign off as {role}
          </button>
        );
      })}
      {confirming && (
        <div
          className="confirm dialog"
          role="alertdialog"
          aria-modal="false"
          aria-labelledby="signoff-confirm-title"
          ref={dialog}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          <p id="signoff-confirm-title">
            <strong>
              Run {run.id} has {formatCount(open)} open error{open === 1 ? '' : 's'}.
            </strong>{' '}
            Sign off as {confirming} anyway? The number is recorded with your sign-off ({person}).
          </p>
          <button type="button" className="primary" onClick={() => void sign(confirming)}>
            Sign off with {formatCount(open)} open
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      )}
      {withdrawing && (
        <div
          className="confirm dialog"
          role="dialog"
          aria-labelledby="signoff-withdraw-title"
          ref={dialog}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          <p id="signoff-withdraw-title">
            <strong>Withdraw the {withdrawing}’s sign-off?</strong> Say why; it stays in the run’s history.
          </p>
          <label>
            Reason (required)
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
          </label>
          <button
            type="button"
            className="primary"
            disabled={reason.trim() === ''}
            onClick={() => void withdraw(withdrawing)}
          >
            Withdraw sign-off
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      )}
      {state.status === 'ok' && state.value.withdrawals.length > 0 && (
        <details className="withdrawals">
          <summary>
            {state.value.withdrawals.length} withdrawn sign-off{state.value.withdrawals.length === 1 ? '' : 's'}
          </summary>
          <ul>
            {state.value.withdrawals.map((w) => (
              <li key={w.withdrawnAt}>
                {LABEL[w.role]} {w.name} ({formatDateTime(w.signedAt)}), withdrawn by {w.withdrawnBy}{' '}
                {formatDateTime(w.withdrawnAt)}: {w.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
