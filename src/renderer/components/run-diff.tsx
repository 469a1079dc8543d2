import { CODE_LABELS, ResultCode } from '../../shared/codes';
import type { RunDiffSum } from '../../shared/contract';
import { useChannel } from '../api/use-channel';
import { formatCount, formatDecimal } from '../lib/format';
import { ErrorBanner } from './error-banner';

type Entry = RunDiffSum['new'][number];

function side(s: Entry['before']) {
  if (!s) return '—';
  const code = ResultCode.safeParse(s.code);
  return `${code.success ? CODE_LABELS[code.data] : s.code} · ${s.currency} ${formatDecimal(s.difference, { signed: true })}`;
}

/** "Since the last run": the earlier run of the same accounts or files, and counts that add up. */
export function RunDiffView({ toRunId }: { toRunId: number }) {
  const previous = useChannel('review:previous-run', { runId: toRunId }, String(toRunId));
  if (previous.status === 'loading') return <p className="muted">Finding the last run of the same data…</p>;
  if (previous.status === 'error') return <ErrorBanner error={previous.error} onRetry={previous.reload} />;
  if (previous.value.runId === null) {
    return (
      <div className="empty">
        <p>{previous.value.reason}</p>
      </div>
    );
  }
  return <DiffBody fromRunId={previous.value.runId} toRunId={toRunId} reason={previous.value.reason} />;
}

function DiffBody({ fromRunId, toRunId, reason }: { fromRunId: number; toRunId: number; reason: string }) {
  const diff = useChannel('review:diff', { fromRunId, toRunId, limit: 500 }, `${fromRunId}-${toRunId}`);
  if (diff.status === 'loading') return <p className="muted">Comparing runs…</p>;
  if (diff.status === 'error') return <ErrorBanner error={diff.error} onRetry={diff.reload} />;
  const d = diff.value;
  const c = d.counts;
  const groups: Array<[string, Entry[]]> = [
    ['New', d.new],
    ['Resolved', d.resolved],
    ['Changed', d.changed],
  ];
  if (d.gone > 0) groups.push(['No longer in this run', d.goneEntries]);
  return (
    <div className="diff">
      <p className="muted">{reason}</p>
      <p className="diff-sum">
        Run {toRunId} has <strong>{formatCount(d.results)}</strong> results. Since run {fromRunId}:{' '}
        <strong>{formatCount(c.new)}</strong> new, <strong>{formatCount(c.resolved)}</strong> resolved,{' '}
        <strong>{formatCount(c.changed)}</strong> changed, {formatCount(c.unchanged)} unchanged
        {c.newAgreeing > 0 && <>, {formatCount(c.newAgreeing)} new that agree</>} ={' '}
        {formatCount(c.new + c.resolved + c.changed + c.unchanged + c.newAgreeing)}.
        {d.gone > 0 && (
          <>
            {' '}
            {formatCount(d.gone)} result{d.gone === 1 ? '' : 's'} of run {fromRunId} {d.gone === 1 ? 'is' : 'are'} no
            longer in this run.
          </>
        )}
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
                  <th scope="col">Order</th>
                  <th scope="col">Before</th>
                  <th scope="col">Now</th>
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
