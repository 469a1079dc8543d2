import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAdvice, cliNoteAdvice } from '../../../src/main/cli/advice';
import { UserError } from '../../../src/shared/errors';

/**
 * Issue 16 item 8: a message from the core never names a CLI flag (the app shows its control
 * instead); the CLI adds its own flag to the core's advice.
 */
const FLAG = /['"`][^'"`\n]*--(side|format|decimal-comma|mapping)\b[^'"`\n]*['"`]/;
/** Any `--flag` inside a string literal (the core has no CSS custom properties to confuse it with). */
const ANY_FLAG = /['"`][^'"`\n]*(?<![\w-])--[a-z][a-z-]*[^'"`\n]*['"`]/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p.includes(`${path.sep}cli`) ? [] : sources(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe('messages outside the CLI name no CLI flag', () => {
  it('no string literal in src (outside src/main/cli) names --side, --format, --decimal-comma or --mapping', () => {
    const offenders = sources(path.resolve('src')).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => !/^\s*(\/\/|\*|\/\*\*)/.test(line) && FLAG.test(line))
        .map(({ i }) => `${path.relative(process.cwd(), file)}:${i + 1}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no string literal in the core (src/main outside the faces, src/shared) names any --flag', () => {
    // A ratchet: the core returns a code (and details); cli/advice.ts words the flag, the app its control.
    const faces = new Set(['cli', 'serve', 'electron', 'index.ts']);
    const core = [
      ...fs
        .readdirSync(path.resolve('src/main'))
        .filter((name) => !faces.has(name))
        .flatMap((name) => {
          const p = path.resolve('src/main', name);
          return fs.statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(name) ? [p] : [];
        }),
      ...sources(path.resolve('src/shared')),
    ];
    // Node's own V8 flags (v8.setFlagsFromString) are not CLI advice.
    const offenders = core.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(
          ({ line }) => !/^\s*(\/\/|\*|\/\*\*)/.test(line) && !/setFlagsFromString/.test(line) && ANY_FLAG.test(line),
        )
        .map(({ i }) => `${path.relative(process.cwd(), file)}:${i + 1}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the CLI adds the flag that does what the core advises', () => {
    expect(cliAdvice(new UserError('wrong_side', 'x', undefined, { side: 'netsuite' }))).toBe('Use --side netsuite.');
    expect(cliAdvice(new UserError('wrong_side', 'Import it as the storefront side.'))).toBe('Use --side storefront.');
    expect(cliAdvice(new UserError('unknown_format', 'x'))).toMatch(/--format/);
    expect(cliAdvice(new UserError('bad_amount', 'or import with a decimal comma if'))).toMatch(/--decimal-comma/);
    expect(cliAdvice(new UserError('bad_amount', 'Not a number.'))).toBeNull();
    expect(cliAdvice(new UserError('ambiguous_date', 'x', undefined, { dateOrder: 'dmy' }))).toBe(
      'Use --date-format dmy.',
    );
    expect(cliAdvice(new UserError('bad_date', 'x', undefined, { dateOrder: 'choose' }))).toMatch(/--date-format mdy/);
    expect(cliAdvice(new UserError('bad_date', 'x', undefined, { dateOrder: 'check' }))).toMatch(/--date-format/);
    // A date error that is not about the order (an API timestamp) gets no date-format advice.
    expect(cliAdvice(new UserError('bad_date', 'Expected a date such as 2026-01-15'))).toBeNull();
    expect(cliAdvice(new UserError('shopify_refund_too_large', 'x'))).toMatch(/--bulk/);
    expect(cliNoteAdvice('… import again with the date order set to D/M/YYYY.')).toMatch(/--date-format dmy\.$/);
    expect(cliNoteAdvice('Dates were read as M/D/YYYY (detected from the file).')).not.toMatch(/--/);
  });
});
