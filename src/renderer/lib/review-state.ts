import { useSyncExternalStore } from 'react';
import type { ResultCode, Severity } from '../../shared/codes';
import type { ActionGroupId, AnnotationStatus, TenderClass, TenderProblem } from '../../shared/contract';

/** The review screen's filters and sort; the Reports screen exports with the same ones. */
export interface ReviewFilters {
  codes: ResultCode[];
  severities: Severity[];
  currencies: string[];
  dateFrom: string;
  dateTo: string;
  minDifference: string;
  maxDifference: string;
  annotation: AnnotationStatus[];
  search: string;
  /** One cause of the action list ('' = any). */
  action: ActionGroupId | '';
  /** Tender filter (tenders.md §6): a tender problem ('' = any result), and the classes paid back. */
  tenderProblem: TenderProblem | '';
  tenderClasses: TenderClass[];
  sort:
    | 'date'
    | 'orderRef'
    | 'code'
    | 'severity'
    | 'currency'
    | 'difference'
    | 'absDifference'
    | 'storefrontTotal'
    | 'netsuiteTotal';
  direction: 'asc' | 'desc';
}

export const EMPTY_FILTERS: ReviewFilters = {
  codes: [],
  severities: [],
  currencies: [],
  dateFrom: '',
  dateTo: '',
  minDifference: '',
  maxDifference: '',
  annotation: [],
  search: '',
  action: '',
  tenderProblem: '',
  tenderClasses: [],
  sort: 'severity',
  direction: 'desc',
};

export type ReviewTab = 'actions' | 'results' | 'period' | 'diff';

interface ReviewState {
  runId: number | null;
  filters: ReviewFilters;
  tab: ReviewTab;
  /** Column ids the user hid (the view's columns); null until the user chooses: the defaults for the window's width. */
  hiddenColumns: string[] | null;
  /** Column widths the user dragged or keyed (pixels), by column id. */
  columnWidths: Record<string, number>;
}

const KEY = 'refund-recon-review';
let state: ReviewState = load();
const listeners = new Set<() => void>();

function load(): ReviewState {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as Partial<ReviewState>;
      return {
        runId: parsed.runId ?? null,
        filters: { ...EMPTY_FILTERS, ...parsed.filters },
        tab: parsed.tab ?? 'actions',
        hiddenColumns: parsed.hiddenColumns ?? null,
        columnWidths: parsed.columnWidths ?? {},
      };
    }
  } catch {
    // unreadable: start afresh
  }
  return { runId: null, filters: EMPTY_FILTERS, tab: 'actions', hiddenColumns: null, columnWidths: {} };
}

function set(next: ReviewState): void {
  state = next;
  try {
    sessionStorage.setItem(KEY, JSON.stringify(state));
  } catch {
    // storage full or denied: the state still lives in memory
  }
  for (const l of listeners) l();
}

export function setRunId(runId: number | null): void {
  set({ ...state, runId });
}

export function setTab(tab: ReviewTab): void {
  set({ ...state, tab });
}

export function setColumnWidth(id: string, width: number): void {
  set({ ...state, columnWidths: { ...state.columnWidths, [id]: Math.max(48, Math.min(800, Math.round(width))) } });
}

export function setHiddenColumns(hiddenColumns: string[]): void {
  set({ ...state, hiddenColumns });
}

/** Opens the results filtered to one cause of the action list (its open results). */
export function openActionGroup(action: ActionGroupId): void {
  set({ ...state, tab: 'results', filters: { ...EMPTY_FILTERS, action, annotation: ['open'] } });
}

export function setFilters(update: Partial<ReviewFilters> | ((f: ReviewFilters) => ReviewFilters)): void {
  const filters = typeof update === 'function' ? update(state.filters) : { ...state.filters, ...update };
  set({ ...state, filters });
}

export function useReviewState(): ReviewState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

/** Filters as the `run:results` / `report:export` query expects them (empty ones left out). */
export function toQuery(f: ReviewFilters) {
  return {
    ...(f.codes.length ? { codes: f.codes } : {}),
    ...(f.severities.length ? { severities: f.severities } : {}),
    ...(f.currencies.length ? { currencies: f.currencies } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(f.dateFrom) ? { dateFrom: f.dateFrom } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(f.dateTo) ? { dateTo: f.dateTo } : {}),
    ...(/^\d+(\.\d+)?$/.test(f.minDifference) ? { minDifference: f.minDifference } : {}),
    ...(/^\d+(\.\d+)?$/.test(f.maxDifference) ? { maxDifference: f.maxDifference } : {}),
    ...(f.annotation.length ? { annotation: f.annotation } : {}),
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.tenderProblem ? { tenderProblem: f.tenderProblem } : {}),
    ...(f.tenderClasses?.length ? { tenderClasses: f.tenderClasses } : {}),
    sort: f.sort,
    direction: f.direction,
  };
}
