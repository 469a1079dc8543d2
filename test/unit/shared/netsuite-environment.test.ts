import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { netsuiteEnvironment, storedEnvironment } from '../../../src/shared/netsuite-environment';

describe('netsuiteEnvironment (from the account ID)', () => {
  it('reads sandbox, release preview and production from the ID', () => {
    expect(netsuiteEnvironment('1234567_SB1')).toBe('sandbox');
    expect(netsuiteEnvironment('1234567-sb2')).toBe('sandbox');
    expect(netsuiteEnvironment('1234567_SB')).toBe('sandbox');
    expect(netsuiteEnvironment('1234567_RP')).toBe('release_preview');
    expect(netsuiteEnvironment('1234567')).toBe('production');
    expect(netsuiteEnvironment('TSTDRV1234567')).toBe('production');
    expect(netsuiteEnvironment('SB1234567')).toBe('production');
  });
  it('only an _SB suffix is stored as sandbox: no other ID is ever a sandbox', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{5,8}$/),
        fc.constantFrom('', '_RP', '_rp', '_X1', 'SB1'),
        (digits, suffix) => {
          expect(storedEnvironment(digits + suffix)).toBe('production');
        },
      ),
    );
  });
});
