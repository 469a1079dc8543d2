import { describe, expect, it } from 'vitest';
import { csvSafeText } from '../../../src/main/reconcile/output';
import { startsWithFormulaTrigger } from '../../../src/main/reports/cells';

describe('CLI CSV cells (reconcile --format csv)', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    [' =1+1', "' =1+1"],
    ['\u200B=1+1', "'\u200B=1+1"],
    ['＝1+1', "'＝1+1"],
    ['-1006', "'-1006"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['#1001', '#1001'],
    ['a,b', '"a,b"'],
  ])('%j → %j', (input, expected) => {
    expect(csvSafeText(input)).toBe(expected);
  });

  it('uses the same trigger rule as the app exports', () => {
    for (const text of ['=1', ' +1', '\t-1', '＠x', 'plain', '1.00']) {
      expect(csvSafeText(text).replace(/^"/, '').startsWith("'")).toBe(startsWithFormulaTrigger(text));
    }
  });
});
