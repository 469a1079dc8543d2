import { useState } from 'react';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime } from '../lib/format';
import { author } from './author';

const ENVIRONMENT = { sandbox: 'Sandbox', release_preview: 'Release preview', production: 'Production' } as const;

/**
 * The readiness checklist with who confirmed each item and when; the hand-checked items are
 * confirmed here (name and an optional note, recorded in the audit log) and the cutoff date set.
 */
export function ReadinessPanel({
  accountId,
  direction,
  onChanged,
}: {
  accountId: number;
  direction: string;
  onChanged?: () => void;
}) {
  const api = useApi();
  const readiness = useChannel('readiness:view', { accountId }, `${accountId}-${direction}`);
  const [who, setWho] = useState(author() === 'local user' ? '' : author());
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [cutoff, setCutoff] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);
  if (readiness.status === 'loading') return <p className="muted">Loading readiness…</p>;
  if (readiness.status === 'error') return <ErrorBanner error={readiness.error} onRetry={readiness.reload} />;
  const r = readiness.value;
  const confirm = async (item: string) => {
    setError(null);
    if (who.trim()) localStorage.setItem('refund-recon-author', who.trim());
    const result = await api.channels['readiness:confirm']({
      accountId,
      item,
      actor: who.trim() || 'local user',
      ...(notes[item]?.trim() ? { note: notes[item]!.trim() } : {}),
    });
    if (!result.ok) setError(result.error);
    else {
      readiness.reload();
      onChanged?.();
    }
  };
  const saveCutoff = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await api.channels['readiness:cutoff']({ accountId, date: cutoff, actor: who.trim() || author() });
    if (!result.ok) setError(result.error);
    else readiness.reload();
  };
  return (
    <section aria-label="Readiness checklist">
      <h3>
        Readiness for production sync{' '}
        <span className={`chip ${r.ready ? 'chip-ok' : 'chip-warning'}`}>
          <span aria-hidden="true">{r.ready ? '✓' : '⚠'}</span>
          {r.ready ? 'Ready' : 'Not ready'}
        </span>
        {r.environment && <span className="muted"> · {ENVIRONMENT[r.environment]} NetSuite account</span>}
      </h3>
      <label>
        Your name (recorded with each confirmation)
        <input value={who} onChange={(e) => setWho(e.target.value)} maxLength={120} />
      </label>
      <ul className="checklist">
        {r.items.map((item) => (
          <li key={item.id} className={item.done ? 'met' : 'unmet'}>
            <span className="check" aria-hidden="true">
              {item.done ? '✓' : '○'}
            </span>
            <div>
              <strong>{item.title}</strong> — {item.done ? 'done' : 'to do'}
              {item.done && item.by && item.at && (
                <div className="muted">
                  {item.by}, {formatDateTime(item.at)}
                  {item.note ? `: ${item.note}` : ''}
                </div>
              )}
              {!item.done && <div className="muted">{item.detail}</div>}
              {!item.done && item.nextStep && (
                <div>
                  <span className="next">Next step:</span> {item.nextStep}
                </div>
              )}
              {!item.done && item.confirmable && (
                <div className="row">
                  <input
                    aria-label={`Note for ${item.title}`}
                    placeholder="Note (optional)"
                    value={notes[item.id] ?? ''}
                    onChange={(e) => setNotes({ ...notes, [item.id]: e.target.value })}
                  />
                  <button type="button" onClick={() => confirm(item.id)} disabled={!who.trim()}>
                    Confirm “{item.title}”
                  </button>
                </div>
              )}
            </div>
          </li>
        ))}
      </ul>
      <form onSubmit={saveCutoff} className="row" aria-label="Import Orders Created After">
        <label>
          Import Orders Created After {r.cutoff ? <span className="muted">(now {r.cutoff})</span> : null}
          <input type="date" value={cutoff} onChange={(e) => setCutoff(e.target.value)} required />
        </label>
        <button type="submit">Set the cutoff date</button>
      </form>
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
