import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Finding, judge, validateAllowList } from '../../../scripts/electronegativity-policy';

const finding = (over: Partial<Finding> = {}): Finding => ({
  id: 'CONTEXT_ISOLATION_JS_CHECK',
  severity: 'HIGH',
  confidence: 'FIRM',
  file: 'src/main/electron/window-options.ts',
  line: 3,
  description: 'x',
  ...over,
});
const reason = 'The option is set by the secure factory and proven by checklist #3.';

describe('electronegativity report policy (npm run test:security)', () => {
  it('fails HIGH and MEDIUM findings that are not allow-listed; LOW and INFORMATIONAL are notes', () => {
    const v = judge(
      [finding(), finding({ severity: 'MEDIUM', id: 'SANDBOX_JS_CHECK' }), finding({ severity: 'LOW' })],
      [],
      [],
    );
    expect(v.failures).toHaveLength(2);
    expect(v.notes).toHaveLength(1);
  });

  it('an allow-list entry covers only its check id in its file', () => {
    const allow = [{ id: 'CONTEXT_ISOLATION_JS_CHECK', file: 'src/main/electron/window-options.ts', reason }];
    const v = judge([finding(), finding({ file: 'src/main/other.ts' })], [], allow);
    expect(v.allowed).toHaveLength(1);
    expect(v.failures).toEqual([expect.stringContaining('src/main/other.ts')]);
    expect(v.unusedAllowEntries).toEqual([]);
  });

  it('files the scanner could not parse fail unless listed as PARSE_ERROR', () => {
    expect(judge([], [{ file: 'src/a.ts', message: 'boom' }], []).failures).toHaveLength(1);
    expect(
      judge([], [{ file: 'src/a.ts', message: 'boom' }], [{ id: 'PARSE_ERROR', file: 'src/a.ts', reason }]).failures,
    ).toEqual([]);
  });

  it('reports allow-list entries that no longer match anything', () => {
    const allow = [{ id: 'X', file: 'gone.ts', reason }];
    expect(judge([], [], allow).unusedAllowEntries).toEqual(allow);
  });

  it('refuses allow-list entries without a real reason', () => {
    expect(() => validateAllowList([{ id: 'X', file: 'a.ts', reason: 'ok' }])).toThrow(/reason/);
    expect(() => validateAllowList([{ id: 'X', reason }])).toThrow(/file/);
    expect(() => validateAllowList({})).toThrow(/array/);
  });

  it('the committed allow-list is valid', () => {
    const list = JSON.parse(fs.readFileSync('scripts/electronegativity-allow.json', 'utf8')) as unknown;
    expect(() => validateAllowList(list)).not.toThrow();
  });
});
