import { describe, expect, it } from 'vitest';
import { plannedPages } from '../../../../src/main/connectors/netsuite/leading-pages';
import type { IdWindow } from '../../../../src/main/connectors/netsuite/suiteql-windows';

const rowsQuery = (w: IdWindow) => `rows ${w.lo}-${w.hi}`;
const leading = (offsets: number[], totalRows = 2_500) => ({
  text: 'rows all',
  totalRows,
  requests: offsets.map((offset) => ({ offset, text: Promise.resolve(`page ${offset}`) })),
});

describe('plannedPages: leading pages become the first window’s first pages', () => {
  it('adopts the leading requests for pages 0, 1, … of the first window, with the whole-range query', () => {
    const windows = [
      { lo: 1, hi: 500, rows: 1_500 },
      { lo: 501, hi: 900, rows: 1_000 },
    ];
    const lead = leading([0, 500]);
    const { pages, adopted } = plannedPages(windows, rowsQuery, 500, lead);
    expect(pages.map((p) => [p.text, p.offset, p.totalRows, p.keep])).toEqual([
      ['rows all', 0, 2_500, 500],
      ['rows all', 500, 2_500, 500],
      ['rows 1-500', 1_000, 1_500, 500],
      ['rows 501-900', 0, 1_000, 500],
      ['rows 501-900', 500, 1_000, 500],
    ]);
    expect(adopted.map((a) => a.page)).toEqual([0, 1]);
    expect(adopted[1]!.text).toBe(lead.requests[1]!.text);
  });

  it('keeps only the first window’s rows of a leading page that runs past its end, and leaves unused ones unused', () => {
    const windows = [
      { lo: 1, hi: 40, rows: 700 },
      { lo: 41, hi: 900, rows: 1_800 },
    ];
    const { pages, adopted } = plannedPages(windows, rowsQuery, 500, leading([0, 500, 1_000, 1_500]));
    expect(pages.slice(0, 3).map((p) => [p.text, p.offset, p.keep])).toEqual([
      ['rows all', 0, 500],
      ['rows all', 500, 200],
      ['rows 41-900', 0, 500],
    ]);
    expect(adopted.map((a) => a.page)).toEqual([0, 1, undefined, undefined]);
  });

  it('without leading pages every page uses its window’s query', () => {
    const { pages, adopted } = plannedPages([{ lo: 1, hi: 9, rows: 900 }], rowsQuery, 500, undefined);
    expect(pages.map((p) => [p.text, p.offset, p.totalRows, p.keep])).toEqual([
      ['rows 1-9', 0, 900, 500],
      ['rows 1-9', 500, 900, 400],
    ]);
    expect(adopted).toEqual([]);
  });
});
