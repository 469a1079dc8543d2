import type { RequestTiming } from '../test/emulators/netsuite/server';

/**
 * Where the NetSuite pull's fetch phase loses time against its ceiling, read from the emulator's
 * own arrival/answer times (one clock, no client-side guesswork). The fetch phase runs from the
 * first request's arrival to the last one's; over it, `limit` slots could each be busy. Every
 * slot-millisecond not spent serving a request is idle, and idle / limit is wall time lost:
 *
 * - planning: before the first page arrives (the count, which nothing can overlap, and whatever
 *   the client does before its first page goes out);
 * - window starts: the 150 ms after a query's first page arrives (the leading query counts as
 *   one; a barrier between windows would show up here);
 * - pages: the rest, i.e. the client's turnaround between an answer and the next request;
 * - turnaround: for each answer, the time until the next request arrived (slots are
 *   interchangeable, so the n-th answer frees the slot the (n + limit)-th request takes).
 */

export interface TimelineSummary {
  fetchMs: number;
  idealMs: number;
  lostMs: number;
  planningMs: number;
  lost: { planning: number; windowStarts: number; pages: number };
  /** Server time beyond `latencyMs` per request, / limit (the emulator itself being slow). */
  serverOverMs: number;
  /** Arrival to the answer's first byte: never below `latencyMs`, or the emulator is too fast. */
  replyAfter: { min: number; median: number };
  /** Writing the answer (first byte to handed over). */
  writeMedian: number;
  turnaround: { median: number; p90: number; max: number };
  windowStarts: number;
}

const WINDOW_START_SPAN_MS = 150;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function summarizeTimeline(all: RequestTiming[], limit: number, latencyMs: number): TimelineSummary {
  const timings = all.filter((t) => t.answered > 0).sort((a, b) => a.arrived - b.arrived);
  const t0 = timings[0]?.arrived ?? 0;
  const tEnd = timings.at(-1)?.arrived ?? 0;
  const isPage = (t: RequestTiming) => /^suiteql offset=\d+ rows=\d+/.test(t.note ?? '') && t.note !== undefined;
  // Planning queries are the ones before the first page at offset 0 of a rows query; the rows
  // queries are the only ones paged beyond one page, so a window start is offset=0 after planning.
  const firstPageIndex = timings.findIndex((t, i) => i > 0 && isPage(t) && /offset=0 rows=1000\b/.test(t.note ?? ''));
  const firstPageAt = firstPageIndex >= 0 ? timings[firstPageIndex]!.arrived : t0;
  const windowStarts = timings
    .slice(Math.max(0, firstPageIndex))
    .filter((t) => /offset=0 /.test(t.note ?? ''))
    .map((t) => t.arrived);

  // In-flight count as a step function over [t0, tEnd]: +1 at arrival, -1 at answer.
  const events: [number, number][] = [];
  for (const t of timings) {
    events.push([t.arrived, 1], [t.answered, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const lost = { planning: 0, windowStarts: 0, pages: 0 };
  let inFlight = 0;
  let previous = t0;
  const attribute = (from: number, to: number, idleSlots: number) => {
    if (to <= from || idleSlots <= 0) return;
    // Split the stretch at the phase boundaries it crosses.
    const cuts = [from, to, firstPageAt, ...windowStarts.flatMap((w) => [w, w + WINDOW_START_SPAN_MS])]
      .filter((c) => c >= from && c <= to)
      .sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i]!;
      const b = cuts[i + 1]!;
      const mid = (a + b) / 2;
      const ms = ((b - a) * idleSlots) / limit;
      if (mid < firstPageAt) lost.planning += ms;
      else if (windowStarts.some((w) => mid >= w && mid < w + WINDOW_START_SPAN_MS)) lost.windowStarts += ms;
      else lost.pages += ms;
    }
  };
  for (const [at, delta] of events) {
    const clipped = Math.min(at, tEnd);
    if (clipped > previous) attribute(previous, clipped, limit - inFlight);
    previous = Math.max(previous, clipped);
    inFlight += delta;
  }

  const answers = timings.map((t) => t.answered).sort((a, b) => a - b);
  const turnarounds: number[] = [];
  for (let n = 0; n + limit < timings.length; n++) {
    turnarounds.push(Math.max(0, timings[n + limit]!.arrived - answers[n]!));
  }
  turnarounds.sort((a, b) => a - b);
  const serverOverMs = timings.reduce((sum, t) => sum + Math.max(0, t.answered - t.arrived - latencyMs), 0) / limit;
  const replyAfter = timings
    .filter((t) => t.replied > 0)
    .map((t) => t.replied - t.arrived)
    .sort((a, b) => a - b);
  const writes = timings
    .filter((t) => t.replied > 0)
    .map((t) => t.answered - t.replied)
    .sort((a, b) => a - b);
  const fetchMs = tEnd - t0;
  // The emulator answers no sooner than `latencyMs` after arrival; n requests need n × latency / limit.
  const idealMs = ((timings.length - 1) * latencyMs) / limit;
  return {
    fetchMs,
    idealMs,
    lostMs: lost.planning + lost.windowStarts + lost.pages,
    planningMs: firstPageAt - t0,
    lost,
    serverOverMs,
    replyAfter: { min: replyAfter[0] ?? 0, median: percentile(replyAfter, 0.5) },
    writeMedian: percentile(writes, 0.5),
    turnaround: {
      median: percentile(turnarounds, 0.5),
      p90: percentile(turnarounds, 0.9),
      max: turnarounds.at(-1) ?? 0,
    },
    windowStarts: windowStarts.length,
  };
}

export function describeTimeline(s: TimelineSummary): string[] {
  const ms = (n: number) => `${Math.round(n)} ms`;
  return [
    `  slot time lost (idle slots / limit, fetch phase ${ms(s.fetchMs)}, ideal ${ms(s.idealMs)}): ${ms(s.lostMs)} = planning ${ms(s.lost.planning)} (first page ${ms(s.planningMs)} after the first request) + ${s.windowStarts} window starts ${ms(s.lost.windowStarts)} + between pages ${ms(s.lost.pages)}`,
    `  emulator: answers begin ${s.replyAfter.min.toFixed(2)} ms (min) / ${s.replyAfter.median.toFixed(2)} ms (median) after a request arrives, writing one takes ${s.writeMedian.toFixed(2)} ms (median); time beyond the latency ${ms(s.serverOverMs)} (per-request excess / limit)`,
    `  turnaround from an answer to the next request: median ${s.turnaround.median.toFixed(1)} ms, p90 ${s.turnaround.p90.toFixed(1)} ms, max ${s.turnaround.max.toFixed(1)} ms`,
  ];
}
