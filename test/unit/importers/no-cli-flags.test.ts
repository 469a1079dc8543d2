import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAdvice } from '../../../src/main/cli/advice';
import { UserError } from '../../../src/shared/errors';

/**
 * Issue 16 item 8: a message from the core never names a CLI flag (the app shows its control
 * instead); the CLI adds its own flag to the core's advice.
 */
const FLAG = /['"`][^'"`\n]*--(side|format|decimal-comma|mapping)\b[^'"`\n]*['"`]/;

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

  it('the CLI adds the flag that does what the core advises', () => {
    expect(cliAdvice(new UserError('wrong_side', 'x', undefined, { side: 'netsuite' }))).toBe('Use --side netsuite.');
    expect(cliAdvice(new UserError('wrong_side', 'Import it as the storefront side.'))).toBe('Use --side storefront.');
    expect(cliAdvice(new UserError('unknown_format', 'x'))).toMatch(/--format/);
    expect(cliAdvice(new UserError('bad_amount', 'or import with a decimal comma if'))).toMatch(/--decimal-comma/);
    expect(cliAdvice(new UserError('bad_amount', 'Not a number.'))).toBeNull();
  });
});
