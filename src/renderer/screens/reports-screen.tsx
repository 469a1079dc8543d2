import { useState } from 'react';
import { CODE_LABELS } from '../../shared/codes';
import type { AppErrorShape } from '../../shared/errors';
import { callCancellable } from '../api/cancellable';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { BarsByCode, ColumnsByDay, StakeList } from '../components/charts';
import { ErrorBanner } from '../components/error-banner';
import { FolderPicker } from '../components/folder-picker';
import { ProgressBar, useJobProgress } from '../components/progress';
import { isDesktopApp } from '../lib/desktop';
import { formatCount } from '../lib/format';
import { EMPTY_FILTERS, toQuery, useReviewState } from '../lib/review-state';
import { TENDER_CLASS_LABELS, TENDER_PROBLEM_LABELS } from '../lib/tender-words';
import { runLabel } from './review-screen';

type Format = 'csv' | 'xlsx' | 'html';
const FORMATS: Array<{ id: Format; label: string; help: string }> = [
  { id: 'csv', label: 'CSV', help: 'One row per result; cells that could run as formulas are neutralised.' },
  {
    id: 'xlsx',
    label: 'Excel (XLSX)',
    help: 'Typed numbers with currency formats, a summary sheet, frozen header, filters.',
  },
  {
    id: 'html',
    label: 'Printable summary (HTML)',
    help: 'Charts, totals, open items and the sign-off block; print it to PDF.',
  },
];
const FOLDER_KEY = 'refund-recon-export-folder';

export function ReportsScreen() {
  const runs = useChannel('run:list', {});
  const { runId, filters } = useReviewState();
  if (runs.status === 'loading') return <p className="muted">Loading…</p>;
  if (runs.status === 'error') return <ErrorBanner error={runs.error} onRetry={runs.reload} />;
  const run = runs.value.find((r) => r.id === runId) ?? runs.value[0];
  if (!run) {
    return (
      <section className="screen">
        <h1>Reports</h1>
        <div className="empty">
          <p>
            <strong>Nothing to report yet.</strong> Compare two snapshots under <a href="#/snapshots">Snapshots</a>; the
            run's results can then be exported here.
          </p>
        </div>
      </section>
    );
  }
  const query = toQuery(filters);
  const filtered =
    JSON.stringify(toQuery({ ...filters, sort: 'severity', direction: 'desc' })) !==
    JSON.stringify(toQuery(EMPTY_FILTERS));
  return (
    <section className="screen">
      <h1>Reports</h1>
      <p className="muted">{runLabel(run)}</p>
      <ExportPanel runId={run.id} query={query} filtered={filtered} />
      <Charts runId={run.id} />
    </section>
  );
}

function ExportPanel({
  runId,
  query,
  filtered,
}: {
  runId: number;
  query: ReturnType<typeof toQuery>;
  filtered: boolean;
}) {
  const api = useApi();
  const [format, setFormat] = useState<Format>('csv');
  const desktop = isDesktopApp();
  // Desktop app: the folder comes from the system dialog each session (the main process writes
  // only into a folder chosen there), so a remembered path is not offered.
  const [folder, setFolder] = useState(() => (desktop ? '' : (localStorage.getItem(FOLDER_KEY) ?? '')));
  const [fileName, setFileName] = useState(`refund-reconciliation-run-${runId}`);
  const [busy, setBusy] = useState(false);
  const [cancel, setCancel] = useState<(() => void) | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [done, setDone] = useState<{ path: string; rows: number; bytes: number } | null>(null);
  const [picking, setPicking] = useState(false);
  const progress = useJobProgress('report', busy);
  const { sort, direction, ...only } = query;
  const exportNow = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    if (!desktop) localStorage.setItem(FOLDER_KEY, folder);
    const call = callCancellable(api, 'report:export', {
      runId,
      filters: query,
      format,
      folder: folder.trim(),
      fileName: fileName.trim(),
    });
    setCancel(() => call.cancel);
    const result = await call.result;
    setBusy(false);
    setCancel(null);
    if (result.ok) setDone(result.value);
    else setError(result.error);
  };
  const chooseFolder = async () => {
    setError(null);
    const result = await api.channels['dialog:choose-folder']({});
    if (!result.ok) setError(result.error);
    else if (result.value.path !== null) setFolder(result.value.path);
  };
  return (
    <section className="panel" aria-label="Export">
      <h2>Export the current run</h2>
      <p className="muted">
        {filtered ? (
          <>
            With the review filters: <strong className="filters-text">{describeFilters(only)}</strong> ·{' '}
          </>
        ) : (
          'All results · '
        )}
        sorted by {sort} ({direction === 'asc' ? 'ascending' : 'descending'}). Change them under{' '}
        <a href="#/review">Review</a>.
      </p>
      <fieldset>
        <legend>Format</legend>
        {FORMATS.map((f) => (
          <label key={f.id} className="inline" title={f.help}>
            <input type="radio" name="report-format" checked={format === f.id} onChange={() => setFormat(f.id)} />
            {f.label}
          </label>
        ))}
        <p className="muted">{FORMATS.find((f) => f.id === format)?.help}</p>
      </fieldset>
      <div className="row">
        {desktop ? (
          <>
            <label className="grow">
              Folder
              <input value={folder} readOnly placeholder="No folder chosen" spellCheck={false} />
            </label>
            <button type="button" disabled={busy} onClick={chooseFolder}>
              Choose folder…
            </button>
          </>
        ) : (
          <>
            <label className="grow">
              Folder
              <input
                value={folder}
                onChange={(e) => setFolder(e.target.value)}
                placeholder="/home/me/exports"
                spellCheck={false}
              />
            </label>
            <button type="button" onClick={() => setPicking(true)}>
              Browse…
            </button>
          </>
        )}
        <label className="grow">
          File name
          <input value={fileName} onChange={(e) => setFileName(e.target.value)} spellCheck={false} />
        </label>
        <button
          type="button"
          className="primary"
          disabled={busy || !folder.trim() || !fileName.trim()}
          onClick={exportNow}
        >
          Export
        </button>
      </div>
      {picking && !desktop && (
        <FolderPicker
          pick="folder"
          start={folder}
          onPick={(p) => {
            setFolder(p);
            setPicking(false);
          }}
          onClose={() => setPicking(false)}
        />
      )}
      {busy && (
        <div className="row">
          <ProgressBar label="Export progress" progress={progress} />
          {cancel && (
            <button type="button" onClick={cancel}>
              Cancel export
            </button>
          )}
        </div>
      )}
      {error && <ErrorBanner error={error} />}
      {done && (
        <p className="notice" role="status">
          Exported {formatCount(done.rows)} results ({formatCount(done.bytes)} bytes) to{' '}
          <code className="export-path">{done.path}</code>
        </p>
      )}
    </section>
  );
}

function describeFilters(q: Omit<ReturnType<typeof toQuery>, 'sort' | 'direction'>): string {
  const parts: string[] = [];
  if (q.codes) parts.push(`codes ${q.codes.map((c) => CODE_LABELS[c]).join(', ')}`);
  if (q.severities) parts.push(`severity ${q.severities.join(', ')}`);
  if (q.currencies) parts.push(`currency ${q.currencies.join(', ')}`);
  if (q.dateFrom || q.dateTo) parts.push(`dates ${q.dateFrom ?? '…'} to ${q.dateTo ?? '…'}`);
  if (q.minDifference || q.maxDifference)
    parts.push(`|difference| ${q.minDifference ?? '0'} to ${q.maxDifference ?? 'any'}`);
  if (q.annotation) parts.push(`status ${q.annotation.join(', ')}`);
  if (q.search) parts.push(`search "${q.search}"`);
  if (q.tenderProblem) parts.push(`tender problem: ${TENDER_PROBLEM_LABELS[q.tenderProblem].toLowerCase()}`);
  if (q.tenderClasses)
    parts.push(`paid back as ${q.tenderClasses.map((c) => TENDER_CLASS_LABELS[c].toLowerCase()).join(', ')}`);
  return parts.join('; ');
}

function Charts({ runId }: { runId: number }) {
  const charts = useChannel('ui:run-charts', { runId }, String(runId));
  if (charts.status === 'loading') return <p className="muted">Loading charts…</p>;
  if (charts.status === 'error') return <ErrorBanner error={charts.error} onRetry={charts.reload} />;
  return (
    <div className="charts">
      <section className="panel" aria-label="Differences by code">
        <h2>Differences by code</h2>
        <BarsByCode byCode={charts.value.byCode} />
      </section>
      <section className="panel" aria-label="Amount at stake">
        <h2>Amount at stake per currency</h2>
        <StakeList atStake={charts.value.atStake} />
      </section>
      <section className="panel wide" aria-label="Differences by day">
        <h2>Differences by day</h2>
        <ColumnsByDay byDay={charts.value.byDay} />
      </section>
    </div>
  );
}
