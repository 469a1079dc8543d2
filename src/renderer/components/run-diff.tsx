import { CODE_LABELS } from '../../shared/codes';
import type { RunDiff } from '../../shared/contract';
import { useChannel } from '../api/use-channel';
import { formatCount, formatDecimal } from '../lib/format';
import { ErrorBanner } from './error-banner';

type Entry = RunDiff['new'][number];

function side(s: Entry['before']) {
  return s ? `${CODE_LABELS[s.code]} · ${s.currency} ${formatDecimal(s.difference, { signed: true })}` : '—';
}

/** "Since the last run": new, resolved and changed results between two runs. */
export function RunDiffView({ fromRunId, toRunId }: { fromRunId: number; toRunId: number }) {
  const diff = useChannel('run:diff', { fromRunId, toRunId, limit: 500 }, `${fromRunId}-${toRunId}`);
  if (diff.status === 'loading') return <p className="muted">Comparing runs…</p>;
  if (diff.status === 'error') return <ErrorBanner error={diff.error} onRetry={diff.reload} />;
  const d = diff.value;
  const groups: Array<[string, Entry[]]> = [
    ['New', d.new],
    ['Resolved', d.resolved],
    ['Changed', d.changed],
  ];
  return (
    <div className="diff">
      <p>
        Since run {fromRunId}: <strong>{formatCount(d.counts.new)}</strong> new,{' '}
        <strong>{formatCount(d.counts.resolved)}</strong> resolved, <strong>{formatCount(d.counts.changed)}</strong>{' '}
        changed, {formatCount(d.counts.unchanged)} unchanged.
        {d.truncated && ' (The first 500 of each are listed.)'}
      </p>
      {groups.map(([title, entries]) => (
        <section key={title} aria-label={`${title} since the last run`}>
          <h2>
            {title} ({formatCount(entries.length)})
          </h2>
          {entries.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <table className="data compact">
              <thead>
                <tr>
                  <th>Order</th>
                  <th>Before</th>
                  <th>Now</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.key}>
                    <td>{e.orderRef || e.key}</td>
                    <td>{side(e.before)}</td>
                    <td>{side(e.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}
