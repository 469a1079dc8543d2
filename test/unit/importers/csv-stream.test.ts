import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvText, readCsvBatches } from '../../../src/main/importers/csv-stream';
import type { TextSource } from '../../../src/main/importers/source';

/**
 * The CSV reader splits a line with no quote and no lone CR with indexOf (issue 15); any other
 * record goes through the character loop. Checked here: the records, their line numbers and the
 * errors are the same whatever the chunks the text arrives in, against a plain split for
 * quote-free text and against the whole text read at once for anything else (which fuzz.test.ts
 * checks against csv-parse).
 */

type Parsed = { records: Array<{ fields: string[]; line: number }> } | { error: string };

function chunked(text: string, cuts: number[]): TextSource {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const cut of at) {
    pieces.push(text.slice(from, cut));
    from = cut;
  }
  pieces.push(text.slice(from));
  return {
    name: 'test.csv',
    async *chunks() {
      for (const piece of pieces) if (piece !== '') yield piece;
    },
  } as TextSource;
}

async function streamed(text: string, cuts: number[], delimiter: string): Promise<Parsed> {
  try {
    const records: Array<{ fields: string[]; line: number }> = [];
    for await (const batch of readCsvBatches(chunked(text, cuts), { delimiter })) records.push(...batch.records());
    return { records };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const delimiter = fc.constantFrom(',', ';', '\t', '|');
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

describe('CSV reader: plain lines split by indexOf', () => {
  it('quote-free text: the lines split at the delimiter, with their line numbers, in any chunks', async () => {
    const plainChar = fc.constantFrom('a', '1', ' ', 'é', ',', ';', '\t', '|', '\n', '\r\n');
    await fc.assert(
      fc.asyncProperty(fc.array(plainChar, { maxLength: 300 }), cuts, delimiter, async (chars, at, d) => {
        const text = chars.join('');
        const expected: Array<{ fields: string[]; line: number }> = [];
        text.split(/\r?\n/).forEach((l, i) => {
          if (l !== '') expected.push({ fields: l.split(d), line: i + 1 });
        });
        expect(await streamed(text, at, d)).toEqual({ records: expected });
      }),
      { numRuns: 1500 },
    );
  });

  it('quotes, lone CRs and plain lines mixed: the same records, lines and errors in any chunks', async () => {
    const anyChar = fc.constantFrom('a', '1', ' ', ',', ';', '"', '"', '\n', '\n', '\r\n', '\r', 'é');
    await fc.assert(
      fc.asyncProperty(fc.array(anyChar, { maxLength: 300 }), cuts, delimiter, async (chars, at, d) => {
        const text = chars.join('');
        let whole: Parsed;
        try {
          whole = { records: parseCsvText(text, { delimiter: d }) };
        } catch (error) {
          whole = { error: (error as Error).message };
        }
        const got = await streamed(text, at, d);
        if ('error' in whole) expect(got).toHaveProperty('error');
        else expect(got).toEqual(whole);
      }),
      { numRuns: 1500 },
    );
  });
});
