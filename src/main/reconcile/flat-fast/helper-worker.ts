import fs from 'node:fs';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type FlatTable, readFlatTable } from './flat-table';
import type { FormatRequest, HelperData, HelperMessage } from './helper-messages';
import { rewrapped } from './helper-messages';
import { formatPlainRows, plainTexts, sortedPairs } from './plain-row-format';

/**
 * Worker-thread entry of the flat fast path's helper (helper-thread.ts), a small entry of its own
 * so it loads only what it runs (not the importers: the main thread reads the odd rows, which
 * keeps this thread's heap small): it reads the storefront file into a FlatTable in shared memory
 * while the main thread reads the NetSuite file, then, asked to, writes the
 * plain rows to a file while the main thread runs the general compare.
 */
function runHelper(port: MessagePort, data: HelperData): void {
  let sf: FlatTable | null = null;
  const post = (message: HelperMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  const fail = (error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  port.on('message', (request: FormatRequest) => {
    try {
      if (!sf) throw new Error('The helper has no storefront table.');
      const ns = rewrapped(request.ns);
      const order = sortedPairs(sf, request.pairs, request.prefixes);
      const fd = fs.openSync(request.file, 'w');
      let starts: Float64Array;
      try {
        starts = formatPlainRows(sf, ns, request.pairs, order, plainTexts(sf, request.verdicts), (chunk) => {
          for (let at = 0; at < chunk.length; ) at += fs.writeSync(fd, chunk, at, chunk.length - at);
        });
      } finally {
        fs.closeSync(fd);
      }
      post({ type: 'formatted', order, starts }, [order.buffer as ArrayBuffer, starts.buffer as ArrayBuffer]);
    } catch (error) {
      fail(error);
    }
  });
  (async () => {
    sf = readFlatTable(data.file, data.side, true);
    post({ type: 'table', table: sf });
  })().catch(fail);
}

if (parentPort) runHelper(parentPort, workerData as HelperData);
