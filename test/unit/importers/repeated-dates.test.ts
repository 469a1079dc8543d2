import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateReader, dateNote } from '../../../src/main/importers/common';
import { RepeatedDates } from '../../../src/main/importers/repeated-dates';
import { UserError } from '../../../src/shared/errors';

/**
 * The saved-search reader reads each distinct date text once (RepeatedDates). Whatever the texts
 * and their order, it must give what a DateReader reading every row gives: the same dates, the same
 * first error (code, message, line), the same order decided and the same note.
 */
type Outcome = { dates: string[]; error?: { code: string; message: string; line: number | undefined } };

function readAll(texts: string[], read: (raw: string, line: number) => string): Outcome {
  const dates: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    try {
      dates.push(read(texts[i]!, i + 2));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return { dates, error: { code: error.code, message: error.message, line: error.location?.line } };
    }
  }
  return { dates };
}

describe('RepeatedDates', () => {
  it('reads a file of dates as DateReader does row by row', () => {
    const day = fc.integer({ min: 0, max: 32 });
    const text = fc.oneof(
      // Ambiguous, day-first-only and month-first-only texts, invalid days, ISO, junk and spaces.
      fc.tuple(day, day).map(([a, b]) => `${a}/${b}/2025`),
      fc.tuple(day, day).map(([a, b]) => `${a}.${b}.2024 10:00 am`),
      fc
        .tuple(fc.integer({ min: 1, max: 13 }), day)
        .map(([m, d]) => `2025-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.constantFrom('', ' 5/1/2025 ', '13/1/2025', '1/13/2025', 'soon', '2/30/2025'),
    );
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 60 }),
        fc.constantFrom(undefined, 'mdy', 'dmy', 'iso'),
        fc.array(text, { maxLength: 3 }),
        (texts, mode, primed) => {
          const plain = new DateReader(mode as 'mdy' | 'dmy' | 'iso' | undefined);
          const reader = new DateReader(mode as 'mdy' | 'dmy' | 'iso' | undefined);
          plain.prime(primed);
          reader.prime(primed);
          const cached = new RepeatedDates(reader);
          const where = (line: number) => ({ file: 'f.csv', line, column: 'Date' });
          const expected = readAll(texts, (raw, line) => plain.read(raw, where(line)));
          const got = readAll(texts, (raw, line) => cached.read(raw, () => where(line)));
          expect(got).toEqual(expected);
          expect([reader.decided, reader.assumedAt, dateNote(reader)]).toEqual([
            plain.decided,
            plain.assumedAt,
            dateNote(plain),
          ]);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('asks for the location only when it reads a text it has not seen', () => {
    const cached = new RepeatedDates(new DateReader('mdy'));
    let asked = 0;
    const where = () => {
      asked++;
      return { file: 'f.csv', line: 2 };
    };
    expect(cached.read('5/1/2025', where)).toBe('2025-05-01');
    expect(cached.read('5/1/2025', where)).toBe('2025-05-01');
    expect(cached.read('5/2/2025', where)).toBe('2025-05-02');
    expect(asked).toBe(2);
  });
});
