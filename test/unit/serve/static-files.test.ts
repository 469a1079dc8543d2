import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../../src/main/serve/static-files';

const root = path.resolve('/srv/app/renderer');

describe('resolveStaticPath', () => {
  it.each([
    ['/', path.join(root, 'index.html')],
    ['/index.html', path.join(root, 'index.html')],
    ['/assets/index-abc.js', path.join(root, 'assets', 'index-abc.js')],
    ['/assets/index-abc.js?v=1', path.join(root, 'assets', 'index-abc.js')],
    ['/assets/a%20b.css', path.join(root, 'assets', 'a b.css')],
  ])('maps %s inside the root', (url, expected) => {
    expect(resolveStaticPath(root, url)).toBe(expected);
  });

  it.each([
    '',
    'index.html',
    '/..',
    '/../secret',
    '/assets/../../secret',
    '/assets/./x.js',
    '/%2e%2e/secret',
    '/%2E%2E%2Fsecret',
    '/..%2fsecret',
    '/..%5csecret',
    '/a%00.js',
    '/a\u0000.js',
    '/..\\secret',
    '/C:/Windows/win.ini',
    '/c:%5cwindows',
    '//etc/passwd',
    '/assets//x.js',
    '/.env',
    '/assets/.git/config',
    '/%E0%A4%A',
    `/${'a/'.repeat(600)}`,
  ])('refuses %j', (url) => {
    expect(resolveStaticPath(root, url)).toBeNull();
  });
});
