import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, resolveAppRequest } from '../../../src/main/electron/app-protocol';

const root = path.resolve('/app/out/renderer');

describe('app:// protocol', () => {
  it('is a standard secure scheme that does not bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, bypassCSP: false });
  });

  it('maps app://renderer paths into the built renderer only', () => {
    expect(resolveAppRequest('app://renderer/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest('app://renderer/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest('app://renderer/assets/a.js', root)).toBe(path.join(root, 'assets', 'a.js'));
  });

  it.each(['app://renderer/../secret', 'app://renderer/%2e%2e/secret', 'app://renderer/a/../../../secret'])(
    'keeps %s inside the renderer folder (the URL parser folds the dots)',
    (url) => {
      const file = resolveAppRequest(url, root);
      expect(file === null || file.startsWith(root + path.sep)).toBe(true);
    },
  );

  it.each([
    'app://renderer/..%2fsecret',
    'app://renderer/..%5csecret',
    'app://renderer/%00',
    'app://other/index.html',
    'app://user@renderer/index.html',
    'file:///etc/passwd',
    'https://renderer/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppRequest(url, root)).toBeNull();
  });
});
