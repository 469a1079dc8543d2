import fs from 'node:fs';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { threadCpuMs } from '../../thread-cpu';
import { type CandidatePairs, candidatePairs, type StorefrontPass, storefrontPass } from './candidate-pairs';
import { type FlatTable, flatTableOf, hasFlatHeader, readFileBytes } from './flat-table';
import type { FormatRequest, HelperData, HelperMessage, HelperRequest } from './helper-messages';
import { rewrapped } from './helper-messages';
import { formatPlainRows, plainPairOrder, plainTexts, sortedPairs } from './plain-row-format';

/**
 * Worker-thread entry of the flat fast path's helper (helper-thread.ts), a small entry of its own
 * so it loads only what it runs (not the importers: the main thread reads the odd rows, which
 * keeps this thread's heap small): it scans the storefront file's bytes (read by the main thread
 * into shared memory) into a FlatTable while the main thread reads the NetSuite file, decides the
 * candidate pairs while the main thread reads the rows with a tenders cell, then, asked to, writes
 * the plain rows to a file while the main thread runs the general compare.
 */
function runHelper(port: MessagePort, data: HelperData): void {
  let sf: FlatTable | null = null;
  // The storefront's half of deciding, done while the main thread still reads the NetSuite file.
  let pass: StorefrontPass | null = null;
  // The candidate pairs it decided (shared memory) and, once asked, their order (`sort`).
  let candidates: CandidatePairs | null = null;
  let sorted: { order: Uint32Array; prefixes: string } | null = null;
  // REFUND_RECON_TIMINGS=1: each task's wall and thread CPU time on stderr (benchmarks).
  const timed = process.env.REFUND_RECON_TIMINGS ? timer() : null;
  const post = (message: HelperMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  const fail = (error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  const format = (request: FormatRequest) => {
    if (!sf) throw new Error('The helper has no storefront table.');
    const ns = rewrapped(request.ns);
    const early =
      candidates && sorted?.prefixes === request.prefixes.join('\n')
        ? plainPairOrder(candidates, sorted.order, request.verdicts, request.pairs.count)
        : null;
    const order = early ?? sortedPairs(sf, request.pairs, request.prefixes);
    candidates = null;
    sorted = null;
    const fd = fs.openSync(request.file, 'w');
    let starts: Float64Array;
    try {
      starts = formatPlainRows(sf, ns, request.pairs, order, plainTexts(sf, request.verdicts), (chunk) => {
        for (let at = 0; at < chunk.length; ) at += fs.writeSync(fd, chunk, at, chunk.length - at);
      });
    } finally {
      fs.closeSync(fd);
    }
    // Timed before the post: the main thread stops this thread once it has the rows.
    timed?.('format');
    post({ type: 'formatted', order, starts }, [order.buffer as ArrayBuffer, starts.buffer as ArrayBuffer]);
  };
  // A Buffer posted to another thread arrives as a plain Uint8Array over the same memory.
  const scan = (bytes: Uint8Array) => {
    sf = flatTableOf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), data.side, true);
    post({ type: 'table', table: sf });
    if (sf) {
      timed?.('scan');
      pass = storefrontPass(sf);
    }
  };
  const decide = (nsTable: FlatTable) => {
    // In shared memory: both threads read them (this one sorts them next), nothing transferred.
    candidates = sf && candidatePairs(sf, rewrapped(nsTable), pass ?? undefined, true);
    pass = null;
    post({ type: 'candidates', candidates });
  };
  const sort = (prefixes: string[]) => {
    if (!sf || !candidates) return;
    sorted = { order: sortedPairs(sf, candidates, prefixes), prefixes: prefixes.join('\n') };
  };
  // In the order posted: the scan, then the decision on its table, then (later) the formatting.
  port.on('message', (request: HelperRequest) => {
    timed?.('waiting');
    try {
      if (request.type === 'scan') scan(request.bytes);
      else if (request.type === 'read') {
        // Handed the file before anyone looked at it: not a flat canonical CSV, not read.
        const bytes = hasFlatHeader(request.file) ? readFileBytes(request.file, true) : null;
        if (bytes) scan(bytes);
        else post({ type: 'table', table: null });
      } else if (request.type === 'decide') decide(request.ns);
      else if (request.type === 'sort') sort(request.prefixes);
      else format(request);
    } catch (error) {
      fail(error);
    }
    if (request.type !== 'format')
      timed?.(request.type === 'scan' || request.type === 'read' ? 'storefront pass' : request.type);
  });
}

/** A phase printer of this thread's own wall and CPU time (ms since the last call). */
function timer(): (name: string) => void {
  let wall = performance.now();
  let cpu = threadCpuMs();
  return (name) => {
    const c = threadCpuMs();
    process.stderr.write(
      `refund-recon: helper ${name}: wall ${Math.round(performance.now() - wall)} ms, this thread ${c !== null && cpu !== null ? c - cpu : '?'} ms\n`,
    );
    wall = performance.now();
    cpu = c;
  };
}

if (parentPort) runHelper(parentPort, workerData as HelperData);
