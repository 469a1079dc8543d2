import type { NetsuiteClient } from './client';
import type { AdoptedRequest, PlannedPage } from './ordered-pages';
import type { IdWindow } from './suiteql-windows';

/**
 * Pages requested while the plan's histogram is on its way. The histogram says where the first
 * window ends, but not where it starts: at the lowest id, which the count has just given. So the
 * first pages of the first window are the first pages of the same query over the whole id range
 * (same order, same rows up to the window's end), and they can be asked for at once, in the slots
 * the histogram leaves free, instead of every slot but one standing idle for a round trip.
 *
 * A leading page reports the whole range's total and may run past the first window's end (its
 * extra rows are dropped: the next window has them). One that starts past the end is not used.
 */

export interface LeadingPages {
  text: string;
  totalRows: number;
  requests: { offset: number; text: Promise<string> }[];
}

/** Requests the first `count` pages of `text` (the query over the whole range of `totalRows` rows). */
export function requestLeadingPages(
  client: NetsuiteClient,
  text: string,
  totalRows: number,
  count: number,
  pageSize: number,
  signal: AbortSignal,
): LeadingPages {
  const requests = Array.from({ length: Math.min(count, Math.ceil(totalRows / pageSize)) }, (_, i) => {
    const offset = i * pageSize;
    const promise = client.suiteqlText(text, {
      limit: pageSize,
      offset,
      signal,
      label: `suiteql leading offset ${offset}`,
    });
    promise.catch(() => {}); // seen by the consumer if the page is used; an unused one may fail unseen
    return { offset, text: promise };
  });
  return { text, totalRows, requests };
}

/**
 * Every page of the plan, in order, and the leading requests adopted for them: the first window's
 * first pages are the leading ones that start inside it; the rest are fetched with the window's
 * own query.
 */
export function plannedPages(
  windows: IdWindow[],
  rowsQuery: (window: IdWindow) => string,
  pageSize: number,
  leading: LeadingPages | undefined,
): { pages: PlannedPage[]; adopted: AdoptedRequest[] } {
  const pages: PlannedPage[] = [];
  const adopted: AdoptedRequest[] = [];
  windows.forEach((window, w) => {
    const text = rowsQuery(window);
    for (let offset = 0; offset < window.rows; offset += pageSize) {
      const keep = Math.min(pageSize, window.rows - offset);
      const lead = w === 0 ? leading?.requests.find((r) => r.offset === offset) : undefined;
      if (lead && leading) {
        adopted.push({ page: pages.length, text: lead.text });
        pages.push({ window, text: leading.text, offset, totalRows: leading.totalRows, keep });
      } else {
        pages.push({ window, text, offset, totalRows: window.rows, keep });
      }
    }
  });
  for (const request of leading?.requests ?? []) {
    if (!adopted.some((a) => a.text === request.text)) adopted.push({ page: undefined, text: request.text });
  }
  return { pages, adopted };
}
