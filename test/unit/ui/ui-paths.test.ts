import { describe, expect, it } from 'vitest';
import { checkFolderPath, safeUploadName } from '../../../src/main/services/ui-service';

describe('checkFolderPath', () => {
  it.each([
    ['/home/me/exports', 'posix', '/home/me/exports'],
    ['  /tmp/x/  ', 'posix', '/tmp/x/'],
    ['/tmp/a/../b', 'posix', '/tmp/b'],
    ['C:\\Users\\me', 'win32', 'C:\\Users\\me'],
    ['\\\\server\\share\\dir', 'win32', '\\\\server\\share\\dir'],
  ] as const)('accepts %j (%s)', (input, platform, expected) => {
    expect(checkFolderPath(input, platform)).toBe(expected);
  });

  it.each([
    ['', 'posix', /Type a folder/],
    ['relative/dir', 'posix', /not an absolute path/],
    ['~/exports', 'posix', /not an absolute path/],
    ['/tmp/a\u0000b', 'posix', /control character/],
    ['/tmp/a\nb', 'posix', /control character/],
    ['exports', 'win32', /not an absolute path/],
    ['C:relative', 'win32', /not an absolute path/],
  ] as const)('refuses %j (%s)', (input, platform, message) => {
    expect(() => checkFolderPath(input, platform)).toThrow(message);
  });
});

describe('safeUploadName', () => {
  it.each([
    ['orders.json', 'orders.json'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\refunds.csv', 'refunds.csv'],
    ['.bashrc', 'bashrc'],
    ['..hidden.csv', 'hidden.csv'],
    ['a<b>c:d"e|f?g*h.csv', 'a_b_c_d_e_f_g_h.csv'],
    ['line\nbreak.csv', 'line_break.csv'],
    [`${'x'.repeat(200)}.csv`, `${'x'.repeat(116)}.csv`],
  ])('%j → %j', (input, expected) => {
    expect(safeUploadName(input)).toBe(expected);
  });

  it.each(['', '.', '..', '/', 'a/', '\u0000', '...'])('refuses %j', (input) => {
    expect(() => safeUploadName(input)).toThrow(/not a usable file name/);
  });
});
