import { useVirtualizer } from '@tanstack/react-virtual';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { z } from 'zod';
import type { CurrencyTotals, ResultRow, ResultsCursor } from '../../shared/contract';
import { useApi } from '../api/context';
import { formatDate, formatDecimal, isNegativeDecimal } from '../lib/format';
import { type ReviewFilters, setColumnWidth } from '../lib/review-state';
import { CodeChip } from './code-chip';

type ApiChannels = ReturnType<typeof useApi>['channels'];

export const PAGE_SIZE = 1000;
/** Pages kept in memory at most (the rest are dropped and fetched again when scrolled back to). */
const MAX_PAGES = 8;
const ROW_HEIGHT = 30;
const MAX_IN_FLIGHT = 2;

type Totals = z.infer<typeof CurrencyTotals>;

export interface PagedResults {
  total: number | null;
  /** false while `total` is only the first page's length (run:totals has not answered yet). */
  totalExact: boolean;
  totals: Totals | null;
  error: string | null;
  row: (index: number) => ResultRow | undefined;
  ensure: (from: number, to: number) => void;
  /** Milliseconds from the last query change to its first page (for the status line and the benchmark). */
  firstPageMs: number | null;
}

interface HeldPage {
  rows: ResultRow[];
  first: ResultsCursor | null;
  last: ResultsCursor | null;
}

type PageInput = Parameters<ApiChannels['run:results']>[0];

/**
 * A window onto a run's results: pages of PAGE_SIZE rows come from `run:results` (SQLite, sorted
 * and filtered there) as they scroll into view; at most MAX_PAGES pages are held, so the renderer
 * never holds a large run. Pages never ask for the count or the totals: `run:totals` answers those
 * once per query (unfiltered, from the totals stored with the run). A page next to a held one is
 * asked for by cursor (`after` its last row / `before` the first row of the one after it), a page
 * after a scrollbar jump by offset, which the main process finds on the sort's index and seeks; so
 * any page costs about what the first one does. A change of query drops everything and starts
 * again at page 0.
 */
export function usePagedResults(runId: number | null, query: Record<string, unknown>, queryKey: string): PagedResults {
  const api = useApi();
  const pages = useRef(new Map<number, HeldPage>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const started = useRef(0);
  const [, setVersion] = useState(0);
  const [total, setTotal] = useState<number | null>(null);
  const [totals, setTotals] = useState<Totals | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [firstPageMs, setFirstPageMs] = useState<number | null>(null);
  const queryRef = useRef(query);
  queryRef.current = query;
  const totalRef = useRef<number | null>(null);
  const [totalExact, setTotalExact] = useState(false);

  const fetchPage = useCallback(
    (page: number, then?: () => void) => {
      if (runId === null || pages.current.has(page) || pending.current.has(page)) return;
      const gen = generation.current;
      pending.current.add(page);
      const input: Record<string, unknown> = {
        runId,
        ...queryRef.current,
        limit: PAGE_SIZE,
        totals: false,
        count: false,
      };
      const previous = pages.current.get(page - 1);
      const next = pages.current.get(page + 1);
      if (page > 0 && previous?.last && previous.rows.length === PAGE_SIZE) input.after = previous.last;
      else if (page > 0 && next?.first) input.before = next.first;
      else input.offset = page * PAGE_SIZE;
      void api.channels['run:results'](input as PageInput).then((result) => {
        if (gen !== generation.current) return;
        pending.current.delete(page);
        if (!result.ok) {
          setError(result.error.message);
          return;
        }
        const { rows, first = null, last = null } = result.value;
        pages.current.set(page, { rows, first, last });
        if (pages.current.size > MAX_PAGES) {
          // Drop the page farthest from this one.
          let far = page;
          for (const p of pages.current.keys()) if (Math.abs(p - page) > Math.abs(far - page)) far = p;
          pages.current.delete(far);
        }
        if (page === 0) {
          setFirstPageMs(Math.round(performance.now() - started.current));
          // Until run:totals answers: a short first page is the whole answer; otherwise show it.
          if (totalRef.current === null) {
            setTotal(rows.length);
            setTotalExact(rows.length < PAGE_SIZE);
          }
        }
        setVersion((v) => v + 1);
        then?.();
      });
    },
    [api, runId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the query is represented by queryKey
  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    pending.current = new Set();
    started.current = performance.now();
    totalRef.current = null;
    setError(null);
    setFirstPageMs(null);
    setTotal(null);
    setTotalExact(false);
    setTotals(null);
    setVersion((v) => v + 1);
    if (runId === null) return;
    const gen = generation.current;
    fetchPage(0);
    void api.channels['run:totals']({ runId, ...queryRef.current } as Parameters<ApiChannels['run:totals']>[0]).then(
      (result) => {
        if (gen !== generation.current) return;
        if (!result.ok) {
          setError(result.error.message);
          setTotal(0);
          return;
        }
        totalRef.current = result.value.total;
        setTotal(result.value.total);
        setTotalExact(true);
        setTotals(result.value.totals);
      },
    );
  }, [api, runId, queryKey]);

  const row = useCallback(
    (index: number) => pages.current.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE],
    [],
  );
  // At most MAX_IN_FLIGHT page queries at a time; when one answers, the pages wanted *now* are
  // fetched (not every page scrolled past), so a fast sweep through a million rows never queues
  // hundreds of queries. While scrolling steadily, the next page is fetched ahead of time.
  const wanted = useRef<{ from: number; to: number }>({ from: 0, to: 0 });
  const pump = useCallback(() => {
    const { from, to } = wanted.current;
    const first = Math.floor(from / PAGE_SIZE);
    const last = Math.floor(to / PAGE_SIZE);
    const order: number[] = [];
    for (let p = first; p <= last; p++) order.push(p);
    order.push(last + 1);
    if (first > 0) order.push(first - 1);
    for (const p of order) {
      if (pending.current.size >= MAX_IN_FLIGHT) return;
      const known = totalRef.current ?? total;
      if (known !== null && p * PAGE_SIZE >= known) continue;
      fetchPage(p, pump);
    }
  }, [fetchPage, total]);
  const ensure = useCallback(
    (from: number, to: number) => {
      wanted.current = { from, to };
      pump();
    },
    [pump],
  );
  return { total, totalExact, totals, error, row, ensure, firstPageMs };
}

type SortKey = ReviewFilters['sort'];

interface Column {
  id: string;
  label: string;
  /** What the column holds, in a tooltip (the header itself stays short). */
  title: string;
  width: string;
  /** Pixels the column needs at least (for the row's minimum width). */
  min: number;
  sort?: SortKey;
  num?: boolean;
  group?: 'storefront' | 'netsuite' | 'between';
}

// Widths fit the default columns (all but the hint) in the review's frame at 1280×720 (about
// 1000 px, less a scrollbar): headers wrap onto two lines ("Storefront / total"), long result labels wrap in their
// chip, and an amount too long for its cell shows in full in the cell's tooltip and the detail.
export const COLUMNS: Column[] = [
  { id: 'date', label: 'Date', title: 'Refund date', width: '100px', min: 100, sort: 'date' },
  { id: 'order', label: 'Order', title: 'Storefront order', width: '62px', min: 62, sort: 'orderRef' },
  {
    id: 'sfRefund',
    label: 'Storefront refund',
    title: 'Storefront refund id',
    width: '90px',
    min: 90,
    group: 'storefront',
  },
  {
    id: 'sfTotal',
    label: 'Storefront total',
    title: 'Storefront refund total',
    width: '96px',
    min: 96,
    sort: 'storefrontTotal',
    num: true,
    group: 'storefront',
  },
  {
    id: 'difference',
    label: 'Difference',
    title: 'Storefront minus NetSuite; sorted within each currency',
    width: '100px',
    min: 100,
    sort: 'difference',
    num: true,
    group: 'between',
  },
  {
    id: 'code',
    label: 'Result',
    title: 'Result of the comparison',
    width: '148px',
    min: 148,
    sort: 'code',
    group: 'between',
  },
  {
    id: 'nsTotal',
    label: 'NetSuite total',
    title: 'NetSuite record total',
    width: '92px',
    min: 92,
    sort: 'netsuiteTotal',
    num: true,
    group: 'netsuite',
  },
  {
    id: 'nsDocs',
    label: 'NetSuite documents',
    title: 'NetSuite document numbers',
    width: '100px',
    min: 100,
    group: 'netsuite',
  },
  { id: 'currency', label: 'Currency', title: 'Currency of the result', width: '76px', min: 76, sort: 'currency' },
  { id: 'status', label: 'Status', title: 'Open, explained, ignored or fixed', width: '80px', min: 80 },
  {
    id: 'hint',
    label: 'Hint',
    title: 'What differs and the likely cause (in full in the detail)',
    width: 'minmax(260px, 1fr)',
    min: 260,
  },
];

/** Below this window width the hint column is left out by default (it is in each row's tooltip and the detail). */
export const HINT_SHOWN_FROM = 1500;

/** The columns hidden until the user chooses: the hint on a window narrower than HINT_SHOWN_FROM. */
export function defaultHiddenColumns(viewportWidth: number): string[] {
  return viewportWidth < HINT_SHOWN_FROM ? ['hint'] : [];
}

/**
 * The columns left out beside an open detail panel on a window narrower than HINT_SHOWN_FROM (until
 * the user chooses columns): the list keeps the order, difference, result, currency and status (what
 * an annotation changes); the detail beside it shows every other field.
 */
export const COLUMNS_BESIDE_DETAIL_HIDDEN: readonly string[] = [
  'date',
  'sfRefund',
  'sfTotal',
  'nsTotal',
  'nsDocs',
  'hint',
];

const SELECT_WIDTH = 34;

/** The grid's column template and minimum width for the visible columns. */
export function gridLayout(
  hidden: readonly string[],
  widths: Readonly<Record<string, number>> = {},
): { style: React.CSSProperties; columns: Column[] } {
  const columns = COLUMNS.filter((c) => !hidden.includes(c.id));
  const minWidth = SELECT_WIDTH + columns.reduce((n, c) => n + (widths[c.id] ?? c.min), 0);
  const template = columns.map((c) => (widths[c.id] ? `${widths[c.id]}px` : c.width)).join(' ');
  return { columns, style: { gridTemplateColumns: `${SELECT_WIDTH}px ${template}`, minWidth } };
}

/**
 * A column's resize handle: drag it, or focus it and press ←/→ (10 px a step). The width is kept
 * with the review's state (and saved views keep which columns are shown).
 */
function ResizeHandle({ column, width }: { column: Column; width: number }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable splitter (WAI-ARIA window splitter), not a rule
    <span
      className="col-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${column.label}`}
      aria-valuenow={width}
      aria-valuemin={48}
      aria-valuemax={800}
      tabIndex={0}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault();
          e.stopPropagation();
          setColumnWidth(column.id, width + (e.key === 'ArrowRight' ? 10 : -10));
        }
      }}
      onPointerDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        const startX = e.clientX;
        const target = e.currentTarget;
        target.setPointerCapture(e.pointerId);
        const move = (m: PointerEvent) => setColumnWidth(column.id, width + m.clientX - startX);
        const up = () => {
          target.removeEventListener('pointermove', move);
          target.removeEventListener('pointerup', up);
        };
        target.addEventListener('pointermove', move);
        target.addEventListener('pointerup', up);
      }}
    />
  );
}

export interface ResultsTableHandle {
  focus(): void;
}

interface Props {
  results: PagedResults;
  /** Column ids not shown. */
  hidden: readonly string[];
  /** Column widths set by the user (pixels), by column id. */
  widths?: Readonly<Record<string, number>>;
  /** Result keys ticked for a bulk action. */
  checked: ReadonlySet<string>;
  onCheck: (row: ResultRow, on: boolean) => void;
  sort: SortKey;
  direction: 'asc' | 'desc';
  onSort: (sort: SortKey) => void;
  selectedId: number | null;
  onOpen: (row: ResultRow) => void;
}

const STATUS_LABEL = { open: 'Open', explained: 'Explained', ignored: 'Ignored', fixed: 'Fixed' } as const;

/** The results grid: virtualised rows, sortable headers, arrow keys to move, Enter to open. */
export const ResultsTable = forwardRef<ResultsTableHandle, Props>(function ResultsTable(
  { results, hidden, widths = {}, checked, onCheck, sort, direction, onSort, selectedId, onOpen },
  ref,
) {
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLTableElement>(null);
  const [active, setActive] = useState(0);
  const count = results.total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // The sticky header sits above the rows inside the same scroller.
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
  });
  useImperativeHandle(ref, () => ({ focus: () => grid.current?.focus() }), []);
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  const { ensure } = results;
  useEffect(() => {
    if (count > 0) ensure(first, last);
  }, [ensure, first, last, count]);
  useEffect(() => {
    if (active >= count && count > 0) setActive(count - 1);
  }, [active, count]);

  const move = (to: number) => {
    const next = Math.max(0, Math.min(count - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        move(active + 1);
        break;
      case 'ArrowUp':
        move(active - 1);
        break;
      case 'PageDown':
        move(active + page);
        break;
      case 'PageUp':
        move(active - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(count - 1);
        break;
      case 'Enter': {
        const row = results.row(active);
        if (row) onOpen(row);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  const activeRow = results.row(active);
  const layout = gridLayout(hidden, widths);
  return (
    <div className="grid-wrap" ref={scroller}>
      <table
        className="grid"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: role=grid on a table is the WAI-ARIA data-grid pattern (arrows move, Enter opens)
        role="grid"
        aria-label="Results"
        aria-rowcount={count + 1}
        aria-colcount={layout.columns.length + 1}
        aria-activedescendant={activeRow ? `result-${activeRow.id}` : undefined}
        tabIndex={0}
        ref={grid}
        style={{ minWidth: layout.style.minWidth }}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr className="grid-row grid-head" aria-rowindex={1} style={layout.style}>
            <th scope="col" className="cell col-select">
              <span className="visually-hidden">Select</span>
            </th>
            {layout.columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                title={c.title}
                className={`cell col-${c.id}${c.num ? ' num' : ''}${c.group ? ` group-${c.group}` : ''}`}
                aria-sort={c.sort && c.sort === sort ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sort ? (
                  <button type="button" className="sort" tabIndex={-1} onClick={() => onSort(c.sort!)}>
                    {c.label}
                    <span aria-hidden="true">{c.sort === sort ? (direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
                <ResizeHandle column={c} width={widths[c.id] ?? c.min} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="grid-body" style={{ height: virtualizer.getTotalSize(), minWidth: layout.style.minWidth }}>
          {items.map((item) => {
            const row = results.row(item.index);
            const style = {
              ...layout.style,
              transform: `translateY(${item.start - ROW_HEIGHT}px)`,
              height: ROW_HEIGHT,
            };
            if (!row) {
              return (
                <tr key={item.key} className="grid-row loading" aria-rowindex={item.index + 2} style={style}>
                  <td className="cell muted">Loading…</td>
                </tr>
              );
            }
            const classes = ['grid-row'];
            if (item.index === active) classes.push('active');
            if (row.id === selectedId) classes.push('selected');
            return (
              <tr
                key={item.key}
                id={`result-${row.id}`}
                className={classes.join(' ')}
                aria-rowindex={item.index + 2}
                aria-selected={row.id === selectedId}
                // The hint column is left out on a laptop: the row's tooltip still says it.
                title={hidden.includes('hint') ? row.hint : undefined}
                style={style}
                onClick={() => {
                  setActive(item.index);
                  onOpen(row);
                }}
              >
                <td className="cell col-select">
                  <input
                    type="checkbox"
                    aria-label={`Select the result for ${row.orderRef || 'no order'}`}
                    checked={checked.has(row.key)}
                    onClick={(e) => e.stopPropagation()}
                    onChange={(e) => onCheck(row, e.target.checked)}
                  />
                </td>
                {layout.columns.map((c) => (
                  <Cell key={c.id} id={c.id} row={row} />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});

/** A side's total: in the row's currency, or (a currency mismatch) with its own currency named. */
function sideTotal(row: ResultRow, side: 'storefront' | 'netsuite'): string {
  const own = row.sides?.[side];
  if (own) return `${own.currency} ${formatDecimal(own.amount)}`;
  return formatDecimal(side === 'storefront' ? row.storefrontTotal : row.netsuiteTotal);
}

function Cell({ id, row }: { id: string; row: ResultRow }) {
  switch (id) {
    case 'date':
      return <td className="cell col-date">{formatDate(row.date)}</td>;
    case 'order':
      return <td className="cell col-order">{row.orderRef || '—'}</td>;
    case 'sfRefund':
      return <td className="cell col-sfRefund group-storefront">{row.storefrontRefundId ?? '—'}</td>;
    case 'sfTotal':
      return (
        <td className="cell col-sfTotal num group-storefront" title={sideTotal(row, 'storefront')}>
          {sideTotal(row, 'storefront')}
        </td>
      );
    case 'difference':
      return row.sides ? (
        <td
          className="cell col-difference num group-between muted"
          title="Two currencies: the totals cannot be compared"
        >
          2 currencies
        </td>
      ) : (
        <td className={`cell col-difference num group-between${isNegativeDecimal(row.difference) ? ' negative' : ''}`}>
          {formatDecimal(row.difference, { signed: true })}
        </td>
      );
    case 'code':
      return (
        <td className="cell col-code group-between">
          <CodeChip code={row.code} severity={row.severity} />
        </td>
      );
    case 'nsTotal':
      return (
        <td className="cell col-nsTotal num group-netsuite" title={sideTotal(row, 'netsuite')}>
          {sideTotal(row, 'netsuite')}
        </td>
      );
    case 'nsDocs':
      return (
        <td className="cell col-nsDocs group-netsuite" title={row.netsuiteDocuments.join(', ')}>
          {row.netsuiteDocuments.join(', ') || '—'}
        </td>
      );
    case 'currency':
      return (
        <td className="cell col-currency">
          {row.sides ? `${row.sides.storefront?.currency ?? '?'}/${row.sides.netsuite?.currency ?? '?'}` : row.currency}
        </td>
      );
    case 'status':
      return <td className={`cell col-status status-${row.annotation}`}>{STATUS_LABEL[row.annotation]}</td>;
    default:
      return (
        <td className="cell col-hint" title={row.hint}>
          {row.hint}
        </td>
      );
  }
}
