import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes a chunk and, when the stream's buffer is full, waits for `drain` (rejects on `error`). */
export async function writeWithBackpressure(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.destroyed) throw out.errored ?? new Error('The export stream was closed before the export finished');
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Ends a stream and waits until everything is flushed (`finish`). */
export async function endStream(out: Writable): Promise<void> {
  if (out.writableFinished) return;
  const finished = once(out, 'finish');
  out.end();
  await finished;
}
