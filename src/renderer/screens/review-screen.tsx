import { useEffect, useMemo, useRef, useState } from 'react';
import { CODE_LABELS, ResultCode, type Severity } from '../../shared/codes';
import type { AnnotationStatus, ResultRow, RunInfo } from '../../shared/contract';
import { ACTION_GROUP_IDS, TenderClass, TenderProblem } from '../../shared/contract';
import { useChannel } from '../api/use-channel';
import { ActionListView, NeedsAction, useActionList } from '../components/action-list';
import { BulkBar, UndoLast } from '../components/bulk-actions';
import { SEVERITY_ICON, SEVERITY_LABEL } from '../components/code-chip';
import { ErrorBanner } from '../components/error-banner';
import { PersonPicker } from '../components/people';
import { PeriodSummaryView } from '../components/period-summary';
import { ResultDetailPanel } from '../components/result-detail';
import {
  COLUMNS,
  COLUMNS_BESIDE_DETAIL_HIDDEN,
  defaultHiddenColumns,
  HINT_SHOWN_FROM,
  ResultsTable,
  type ResultsTableHandle,
  usePagedResults,
} from '../components/results-table';
import { RunDiffView } from '../components/run-diff';
import { SavedViews } from '../components/saved-views';
import { SignOff } from '../components/signoff';
import { formatCount, formatDateTime, formatDecimal } from '../lib/format';
import {
  EMPTY_FILTERS,
  type ReviewFilters,
  type ReviewTab,
  setFilters,
  setHiddenColumns,
  setRunId,
  setTab,
  toQuery,
  useReviewState,
} from '../lib/review-state';
import { TENDER_CLASS_LABELS, TENDER_PROBLEM_LABELS } from '../lib/tender-words';
import { useViewportWidth } from '../lib/viewport-width';

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'ok'];
const ANNOTATIONS: AnnotationStatus[] = ['open', 'explained', 'ignored', 'fixed'];
/** Sorts in words (by difference: within each currency, never minor units across currencies). */
const SORT_WORDS: Record<ReviewFilters['sort'], string> = {
  date: 'Date',
  orderRef: 'Order',
  code: 'Result',
  severity: 'Severity',
  currency: 'Currency',
  difference: 'Difference per currency',
  absDifference: 'Size of the difference per currency',
  storefrontTotal: 'Storefront total',
  netsuiteTotal: 'NetSuite total',
};

const TABS: Array<{ id: ReviewTab; label: string }> = [
  { id: 'actions', label: 'What to do' },
  { id: 'results', label: 'Results' },
  { id: 'period', label: 'Period summary' },
  { id: 'diff', label: 'Since the last run' },
];

export function runLabel(run: RunInfo): string {
  return `Run ${run.id} · ${formatDateTime(run.startedAt)} · ${run.summary ? `${formatCount(run.summary.results)} results` : run.status}`;
}

export function ReviewScreen() {
  const runs = useChannel('run:list', {});
  const { runId, filters, tab, hiddenColumns: chosenColumns, columnWidths } = useReviewState();
  // Until the user picks columns, the defaults follow the window: a laptop leaves the hint out.
  const viewportWidth = useViewportWidth();
  const hiddenColumns = chosenColumns ?? defaultHiddenColumns(viewportWidth);
  useEffect(() => {
    if (runs.status !== 'ok') return;
    const ids = runs.value.map((r) => r.id);
    if (runs.value.length > 0 && (runId === null || !ids.includes(runId))) setRunId(runs.value[0]!.id);
  }, [runs, runId]);

  if (runs.status === 'loading') return <p className="muted">Loading…</p>;
  if (runs.status === 'error') return <ErrorBanner error={runs.error} onRetry={runs.reload} />;
  if (runs.value.length === 0) {
    return (
      <section className="screen">
        <h1>Review</h1>
        <div className="empty">
          <p>
            <strong>No comparison yet.</strong> A review starts from two snapshots: one of the storefront, one of
            NetSuite.
          </p>
          <ol>
            <li>
              Import both exports under <a href="#/snapshots">Snapshots</a> (or pull them from an account).
            </li>
            <li>
              Choose the two snapshots there and press <em>Compare</em>.
            </li>
            <li>The results open here, worst first.</li>
          </ol>
        </div>
      </section>
    );
  }
  const run = runs.value.find((r) => r.id === runId) ?? runs.value[0]!;
  return (
    <section className="screen review">
      <div className="review-top">
        <h1>Review</h1>
        <label className="inline">
          <span className="visually-hidden">Comparison run</span>
          <select aria-label="Comparison run" value={run.id} onChange={(e) => setRunId(Number(e.target.value))}>
            {runs.value.map((r) => (
              <option key={r.id} value={r.id}>
                {runLabel(r)}
              </option>
            ))}
          </select>
        </label>
        <PersonPicker />
        <SignOff run={run} onChanged={runs.reload} />
      </div>
      <RunNeedsAction runId={run.id} />
      <div className="tabs" role="tablist" aria-label="Review views">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`review-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="review-panel"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="review-panel" id="review-panel" role="tabpanel" aria-labelledby={`review-tab-${tab}`}>
        {tab === 'actions' ? (
          <ActionListView runId={run.id} />
        ) : tab === 'results' ? (
          <ResultsView
            run={run}
            filters={filters}
            hiddenColumns={hiddenColumns}
            columnWidths={columnWidths}
            narrowWithDetail={chosenColumns === null && viewportWidth < HINT_SHOWN_FROM}
          />
        ) : tab === 'period' ? (
          <PeriodSummaryView runId={run.id} />
        ) : (
          <RunDiffView toRunId={run.id} />
        )}
      </div>
    </section>
  );
}

function RunNeedsAction({ runId }: { runId: number }) {
  const list = useActionList(runId);
  if (list.status === 'error') return <ErrorBanner error={list.error} onRetry={list.reload} />;
  return <NeedsAction list={list.status === 'ok' ? list.value : null} />;
}

const ACTION_TITLES: Record<string, string> = {
  item_mapping: 'Item mapping',
  shipping_item: 'Shipping item not configured',
  tax_codes: 'Tax codes',
  netsuite_configuration: 'NetSuite configuration',
  amount_other: 'Amounts differ',
  not_synced: 'Not synced yet',
  only_in_netsuite: 'Only in NetSuite',
  duplicates: 'Duplicates to void',
  order_reference: 'No order reference',
  currency_mapping: 'Currency mapping',
};

function ResultsView({
  run,
  filters,
  hiddenColumns,
  columnWidths,
  narrowWithDetail,
}: {
  run: RunInfo;
  filters: ReviewFilters;
  hiddenColumns: string[];
  columnWidths: Record<string, number>;
  /** Default columns on a laptop-width window: with the detail open, the list keeps only what finds a row. */
  narrowWithDetail: boolean;
}) {
  const query = useMemo(() => toQuery(filters), [filters]);
  const queryKey = JSON.stringify(query);
  const [reloadKey, setReloadKey] = useState(0);
  const results = usePagedResults(run.id, query, `${queryKey}#${reloadKey}`);
  const [selected, setSelected] = useState<ResultRow | null>(null);
  const [checked, setChecked] = useState<Set<string>>(() => new Set());
  // A new query is another list: what was ticked in the old one is not silently acted on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the query changes
  useEffect(() => setChecked(new Set()), [queryKey, run.id]);
  const table = useRef<ResultsTableHandle>(null);
  const search = useRef<HTMLInputElement>(null);
  const [searchText, setSearchText] = useState(filters.search);
  // Debounced search: the query runs when typing pauses.
  useEffect(() => {
    if (searchText === filters.search) return;
    const t = setTimeout(() => setFilters({ search: searchText }), 250);
    return () => clearTimeout(t);
  }, [searchText, filters.search]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
      if (e.key === '/' && !typing) {
        e.preventDefault();
        search.current?.focus();
        search.current?.select();
      } else if (e.key === 'Escape' && selected) {
        setSelected(null);
        table.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);
  // A query that finds nothing removes the grid: if the focus was in it, it goes back to the search.
  useEffect(() => {
    if (results.total === 0 && (document.activeElement === document.body || document.activeElement === null)) {
      search.current?.focus();
    }
  }, [results.total]);
  const currencies = Object.keys(run.summary?.totals ?? {}).sort();
  const presentCodes = ResultCode.options.filter((c) => (run.summary?.byCode[c] ?? 0) > 0);
  const onSort = (sort: ReviewFilters['sort']) =>
    setFilters((f) => ({ ...f, sort, direction: f.sort === sort && f.direction === 'desc' ? 'asc' : 'desc' }));
  const filtered =
    JSON.stringify(toQuery({ ...filters, sort: 'severity', direction: 'desc' })) !==
    JSON.stringify(toQuery({ ...EMPTY_FILTERS }));
  return (
    <>
      <Totals results={results} filtered={filtered} />
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        {filters.action && ACTION_GROUP_IDS.includes(filters.action) && (
          <span className="filter-chip">
            Cause: {ACTION_TITLES[filters.action]}{' '}
            <button type="button" aria-label="Remove the cause filter" onClick={() => setFilters({ action: '' })}>
              ✕
            </button>
          </span>
        )}
        <label>
          Search
          <input
            ref={search}
            type="search"
            placeholder="Order, refund id, document number  ( / )"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                setFilters({ search: searchText });
                // To the results, when there are any (the query answers after this).
                if (results.total) table.current?.focus();
              }
            }}
          />
        </label>
        <MultiSelect
          label="Code"
          options={presentCodes.map((c) => ({ id: c, label: CODE_LABELS[c] }))}
          value={filters.codes}
          onChange={(codes) => setFilters({ codes: codes as ResultCode[] })}
        />
        <label title="How the money went back: results where the two sides differ in it, or one kind of such difference">
          Tender problem
          <select
            value={filters.tenderProblem}
            onChange={(e) => setFilters({ tenderProblem: e.target.value as ReviewFilters['tenderProblem'] })}
          >
            <option value="">All results</option>
            {TenderProblem.options.map((p) => (
              <option key={p} value={p}>
                {TENDER_PROBLEM_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <MultiSelect
          label="Paid back as"
          options={TenderClass.options.map((c) => ({ id: c, label: TENDER_CLASS_LABELS[c] }))}
          value={filters.tenderClasses}
          onChange={(classes) => setFilters({ tenderClasses: classes as TenderClass[] })}
        />
        <MultiSelect
          label="Severity"
          options={SEVERITIES.map((s) => ({ id: s, label: `${SEVERITY_ICON[s]} ${SEVERITY_LABEL[s]}` }))}
          value={filters.severities}
          onChange={(severities) => setFilters({ severities: severities as Severity[] })}
        />
        <MultiSelect
          label="Currency"
          options={currencies.map((c) => ({ id: c, label: c }))}
          value={filters.currencies}
          onChange={(currencies) => setFilters({ currencies })}
        />
        <MultiSelect
          label="Status"
          options={ANNOTATIONS.map((a) => ({ id: a, label: a[0]!.toUpperCase() + a.slice(1) }))}
          value={filters.annotation}
          onChange={(annotation) => setFilters({ annotation: annotation as AnnotationStatus[] })}
        />
        <label>
          From
          <input type="date" value={filters.dateFrom} onChange={(e) => setFilters({ dateFrom: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={filters.dateTo} onChange={(e) => setFilters({ dateTo: e.target.value })} />
        </label>
        <label>
          |Difference| from
          <input
            className="amount-input"
            inputMode="decimal"
            placeholder="0.00"
            value={filters.minDifference}
            aria-invalid={filters.minDifference !== '' && !/^\d+(\.\d+)?$/.test(filters.minDifference)}
            onChange={(e) => setFilters({ minDifference: e.target.value.trim() })}
          />
        </label>
        <label>
          to
          <input
            className="amount-input"
            inputMode="decimal"
            placeholder="any"
            aria-label="|Difference| to"
            value={filters.maxDifference}
            aria-invalid={filters.maxDifference !== '' && !/^\d+(\.\d+)?$/.test(filters.maxDifference)}
            onChange={(e) => setFilters({ maxDifference: e.target.value.trim() })}
          />
        </label>
        <label title="Differences are sorted within each currency (never minor units across currencies)">
          Sort
          <select
            value={`${filters.sort}:${filters.direction}`}
            onChange={(e) => {
              const [sort, direction] = e.target.value.split(':') as [ReviewFilters['sort'], 'asc' | 'desc'];
              setFilters({ sort, direction });
            }}
          >
            <option value="severity:desc">Worst first</option>
            <option value="absDifference:desc">Largest difference first</option>
            <option value="date:desc">Newest first</option>
            <option value="date:asc">Oldest first</option>
            <option value="orderRef:asc">Order reference</option>
            <option value="currency:asc">Currency</option>
            {!['severity:desc', 'absDifference:desc', 'date:desc', 'date:asc', 'orderRef:asc', 'currency:asc'].includes(
              `${filters.sort}:${filters.direction}`,
            ) && (
              <option value={`${filters.sort}:${filters.direction}`}>
                {SORT_WORDS[filters.sort]} ({filters.direction === 'asc' ? 'ascending' : 'descending'})
              </option>
            )}
          </select>
        </label>
        <MultiSelect
          label="Columns"
          options={COLUMNS.map((c) => ({ id: c.id, label: c.label }))}
          value={COLUMNS.map((c) => c.id).filter((id) => !hiddenColumns.includes(id))}
          onChange={(shown) => setHiddenColumns(COLUMNS.map((c) => c.id).filter((id) => !shown.includes(id)))}
          countLabel={(n) => `${n} of ${COLUMNS.length} shown`}
        />
        <SavedViews filters={filters} hiddenColumns={hiddenColumns} />
        {filtered && (
          <button
            type="button"
            onClick={() => {
              setSearchText('');
              setFilters((f) => ({ ...EMPTY_FILTERS, sort: f.sort, direction: f.direction }));
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {results.error && <ErrorBanner error={{ code: 'query_failed', message: results.error }} />}
      {checked.size > 0 && (
        <BulkBar
          keys={[...checked]}
          onClear={() => setChecked(new Set())}
          onDone={() => {
            setChecked(new Set());
            setReloadKey((k) => k + 1);
          }}
        />
      )}
      <div className={`review-body${selected ? ' with-detail' : ''}`}>
        {results.total === 0 ? (
          <div className="empty">
            {filtered ? (
              <p>
                <strong>No result matches these filters.</strong> Widen the date range, clear the search, or press{' '}
                <em>Clear filters</em>.
              </p>
            ) : (
              <p>
                <strong>This run has no results.</strong> Both snapshots were empty: import refunds under{' '}
                <a href="#/snapshots">Snapshots</a> and compare again.
              </p>
            )}
          </div>
        ) : (
          <ResultsTable
            ref={table}
            results={results}
            hidden={selected && narrowWithDetail ? COLUMNS_BESIDE_DETAIL_HIDDEN : hiddenColumns}
            widths={columnWidths}
            checked={checked}
            onCheck={(row, on) =>
              setChecked((c) => {
                const next = new Set(c);
                if (on) next.add(row.key);
                else next.delete(row.key);
                return next;
              })
            }
            sort={filters.sort}
            direction={filters.direction}
            onSort={onSort}
            selectedId={selected?.id ?? null}
            onOpen={setSelected}
          />
        )}
        {selected && (
          <ResultDetailPanel
            resultId={selected.id}
            onClose={() => {
              setSelected(null);
              table.current?.focus();
            }}
            onAnnotated={() => setReloadKey((k) => k + 1)}
          />
        )}
      </div>
      <p className="status-line muted">
        <span role="status" aria-label="Result count" className="result-count">
          {results.total === null
            ? 'Loading…'
            : `${formatCount(results.total)}${results.totalExact ? '' : '+'} results`}
        </span>
        {results.firstPageMs !== null && <span>first page in {results.firstPageMs} ms</span>}
        <span>↑↓ move · Enter opens · Esc closes · / searches</span>
        <UndoLast onUndone={() => setReloadKey((k) => k + 1)} />
      </p>
    </>
  );
}

function Totals({ results, filtered }: { results: ReturnType<typeof usePagedResults>; filtered: boolean }) {
  const entries = Object.entries(results.totals ?? {});
  return (
    <section className="totals" aria-label={filtered ? 'Totals of the filtered results' : 'Totals'}>
      {entries.length === 0 && (
        <span className="muted">{results.total === null ? 'Loading totals…' : 'No totals'}</span>
      )}
      {entries.map(([currency, t]) => (
        <dl key={currency} className="total-card" aria-label={`${currency} totals`}>
          <dt>{currency}</dt>
          <dd>
            <span className="muted">Storefront</span> <span className="num">{formatDecimal(t.storefront)}</span>
          </dd>
          <dd>
            <span className="muted">NetSuite</span> <span className="num">{formatDecimal(t.netsuite)}</span>
          </dd>
          <dd>
            <span className="muted">Difference</span>{' '}
            <span className="num strong">{formatDecimal(t.difference, { signed: true })}</span>
          </dd>
        </dl>
      ))}
      {filtered && <span className="muted filtered-note">Totals follow the filters.</span>}
    </section>
  );
}

function MultiSelect({
  label,
  options,
  value,
  onChange,
  countLabel,
}: {
  label: string;
  options: Array<{ id: string; label: string }>;
  value: string[];
  onChange: (value: string[]) => void;
  /** How the summary counts the ticked options (default: "(n)"; a filter is named "… filter"). */
  countLabel?: (n: number) => string;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  const name = countLabel
    ? `${label}: ${countLabel(value.length)}`
    : `${label} filter${value.length ? `: ${value.length} selected` : ''}`;
  return (
    <details
      className="multi"
      ref={details}
      onKeyDown={(e) => {
        // Esc closes the dropdown and gives the focus back to its button.
        if (e.key === 'Escape' && details.current?.open) {
          e.stopPropagation();
          details.current.open = false;
          details.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary aria-label={name}>
        {label}
        {countLabel ? '' : value.length > 0 ? ` (${value.length})` : ''}
      </summary>
      <fieldset>
        <legend className="visually-hidden">{label}</legend>
        {options.length === 0 && <span className="muted">None in this run</span>}
        {options.map((o) => (
          <label key={o.id} className="inline">
            <input
              type="checkbox"
              checked={value.includes(o.id)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((v) => v !== o.id))}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
