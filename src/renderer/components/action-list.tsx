import type { ActionList } from '../../shared/contract';
import { useChannel } from '../api/use-channel';
import { formatByCurrency } from '../lib/amounts';
import { useAnnotationsVersion } from '../lib/desk-events';
import { formatCount } from '../lib/format';
import { openActionGroup } from '../lib/review-state';
import { ErrorBanner } from './error-banner';

export function useActionList(runId: number) {
  const version = useAnnotationsVersion();
  return useChannel('review:actions', { runId }, `${runId}#${version}`);
}

/** The review's first line: how many results need action, and the unexplained difference per currency. */
export function NeedsAction({ list }: { list: ActionList | null }) {
  if (!list) return <p className="needs-action muted">Counting what needs action…</p>;
  return (
    <p className="needs-action">
      {list.needAction === 0 ? (
        <strong>Nothing needs action: every difference is explained, ignored or fixed.</strong>
      ) : (
        <>
          <strong>
            {formatCount(list.needAction)} result{list.needAction === 1 ? '' : 's'} need
            {list.needAction === 1 ? 's' : ''} action
          </strong>
          <span className="muted"> · unexplained difference </span>
          <span className="num">{formatByCurrency(list.unexplained, { signed: true })}</span>
        </>
      )}
    </p>
  );
}

/** The open differences grouped by cause and by what fixes them; each group opens the filtered results. */
export function ActionListView({ runId }: { runId: number }) {
  const list = useActionList(runId);
  if (list.status === 'loading') return <p className="muted">Grouping the differences…</p>;
  if (list.status === 'error') return <ErrorBanner error={list.error} onRetry={list.reload} />;
  const groups = list.value.groups;
  if (groups.length === 0) {
    return (
      <div className="empty">
        <p>
          <strong>No differences to act on.</strong> Every result agrees (or is within the tolerance).
        </p>
      </div>
    );
  }
  return (
    <section className="action-list" aria-label="Action list">
      <h2 className="visually-hidden">What to do</h2>
      <ol>
        {groups.map((g) => (
          <li key={g.id} className={g.open === 0 ? 'done' : ''}>
            <div className="action-head">
              <strong>{g.title}</strong>
              <span className="action-count">
                {g.open === 0
                  ? 'all annotated'
                  : `${formatCount(g.open)} open${Object.keys(g.atStake).length ? ` · ${formatByCurrency(g.atStake)} at stake` : ''}`}
                {g.annotated > 0 && g.open > 0 && (
                  <span className="muted"> · {formatCount(g.annotated)} annotated</span>
                )}
              </span>
            </div>
            <p className="action-fix">{g.fix}</p>
            <button
              type="button"
              onClick={() => openActionGroup(g.id)}
              aria-label={`Show the ${g.open} open results: ${g.title}`}
              disabled={g.open === 0}
            >
              Show {formatCount(g.open)} result{g.open === 1 ? '' : 's'}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
