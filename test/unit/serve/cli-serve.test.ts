import { describe, expect, it } from 'vitest';
import { parsePort } from '../../../src/main/cli/commands/serve';
import { browserCommand } from '../../../src/main/serve/open-browser';
import { UserError } from '../../../src/shared/errors';

describe('serve --port', () => {
  it.each([
    ['0', 0],
    ['8080', 8080],
    ['65535', 65535],
  ])('accepts %s', (text, port) => {
    expect(parsePort(text)).toBe(port);
  });

  it.each(['', '-1', '65536', '80.5', '0x50', 'abc', '8080 ', '1e3'])('refuses %j with a user error', (text) => {
    expect(() => parsePort(text)).toThrow(UserError);
  });
});

describe('opening the browser', () => {
  const url = 'http://127.0.0.1:4000/#token=abc_DEF-123';

  it('opens only our own loopback page', () => {
    expect(browserCommand(url, 'linux', { DISPLAY: ':0' })).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, 'darwin', {})).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, 'win32', {})?.command).toBe('rundll32');
  });

  it('does nothing without a display on Linux', () => {
    expect(browserCommand(url, 'linux', {})).toBeNull();
  });

  it.each([
    'http://evil.example/',
    'https://127.0.0.1:4000/',
    'http://127.0.0.1:4000/#token=a&b',
    'http://127.0.0.1:4000/#token=a" & calc',
    'file:///etc/passwd',
    'http://127.0.0.1:4000/x',
    '--help',
  ])('refuses %j', (bad) => {
    expect(browserCommand(bad, 'linux', { DISPLAY: ':0' })).toBeNull();
  });
});
