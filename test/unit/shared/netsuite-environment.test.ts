import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNetsuiteSandbox, netsuiteEnvironmentOf, storedEnvironment } from '../../../src/shared/netsuite-environment';

/** The environment comes from the account ID alone (issue 13 item 2, issue 17 Y2). */
describe('netsuiteEnvironmentOf', () => {
  it.each([
    ['1234567_SB1', 'sandbox'],
    ['1234567_SB2', 'sandbox'],
    ['1234567_sb1', 'sandbox'],
    ['1234567-sb1', 'sandbox'],
    [' 1234567_SB1 ', 'sandbox'],
    ['1234567_SB', 'sandbox'],
    ['1234567_RP', 'release_preview'],
    ['1234567-rp', 'release_preview'],
    ['1234567', 'production'],
    ['TSTDRV1234567', 'production'],
    ['1234567_SB1X', 'production'],
    ['SB1', 'production'],
    ['1234567_SBX', 'production'],
    ['', 'production'],
    ['1234567_SB1_EXTRA', 'production'],
  ])('%s → %s', (id, want) => {
    expect(netsuiteEnvironmentOf(id)).toBe(want);
  });

  it('only a sandbox ID is a sandbox', () => {
    expect(isNetsuiteSandbox('1234567_SB1')).toBe(true);
    expect(isNetsuiteSandbox('1234567_RP')).toBe(false);
    expect(isNetsuiteSandbox('1234567')).toBe(false);
  });
});

describe('storedEnvironment (the workspace column)', () => {
  it('only an _SB suffix is stored as sandbox: a release preview or production ID never is', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{5,8}$/),
        fc.constantFrom('', '_RP', '_rp', '_X1', 'SB1'),
        (digits, suffix) => {
          expect(storedEnvironment(digits + suffix)).toBe('production');
        },
      ),
    );
    expect(storedEnvironment('1234567_SB1')).toBe('sandbox');
  });
});
