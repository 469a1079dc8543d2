import type { ErrorLocation } from '../../shared/errors';
import type { DateReader } from './common';

/** Distinct date texts remembered; past it the memory starts again (a file of that many days is rare). */
const REMEMBERED_DATES = 4096;

/**
 * `DateReader.read` for a file whose rows repeat a few hundred date texts (a saved search: one per
 * day), each text read once: two regular expressions, the parts and the ISO text were ~10 % of the
 * saved-search reader's own time at 1M records.
 *
 * Why a remembered answer is the reader's answer: `read` depends on the text, the fixed mode and
 * `decided`, which is set once and never changes after. A text read while `decided` was unset is
 * either unambiguous (it gives the same answer with either order, or it sets `decided` to its own
 * order) or ambiguous, read as M/D/YYYY and `assumedAt` set: after that `decided` can only become
 * `mdy`, since a D/M/YYYY-only date then throws. A text that throws is never remembered, so every
 * error (and the first ambiguous text, which sets `assumedAt`) still comes from the reader, at its
 * row. The location is made only when the reader is called.
 */
export class RepeatedDates {
  private readonly known = new Map<string, string>();

  constructor(private readonly reader: DateReader) {}

  read(raw: string, where: () => ErrorLocation): string {
    const known = this.known.get(raw);
    if (known !== undefined) return known;
    const date = this.reader.read(raw, where());
    if (this.known.size >= REMEMBERED_DATES) this.known.clear();
    this.known.set(raw, date);
    return date;
  }
}
