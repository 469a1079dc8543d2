import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAllowedNavigation, trustedOrigins } from '../../../src/main/electron/app-origin';
import { isTrustedSender, type SenderInfo } from '../../../src/main/electron/sender-check';

const origins = trustedOrigins();
const ok: SenderInfo = { frameUrl: 'app://renderer/index.html#/review', isMainFrame: true, fromOurWindow: true };

describe('IPC sender check', () => {
  it('trusts the main frame of our window on the app origin', () => {
    expect(isTrustedSender(ok, origins)).toBe(true);
  });

  it.each([
    ['a sub-frame', { ...ok, isMainFrame: false }],
    ['a foreign webContents', { ...ok, fromOurWindow: false }],
    ['a destroyed frame', { ...ok, frameUrl: null }],
    ['a remote https origin', { ...ok, frameUrl: 'https://evil.example/index.html' }],
    ['a file:// page', { ...ok, frameUrl: 'file:///tmp/evil.html' }],
    ['another app host', { ...ok, frameUrl: 'app://evil/index.html' }],
    ['a look-alike host', { ...ok, frameUrl: 'app://renderer.evil/index.html' }],
    ['credentials in the URL', { ...ok, frameUrl: 'app://user:pw@renderer/index.html' }],
    ['a loopback dev server not configured', { ...ok, frameUrl: 'http://localhost:5173/' }],
    ['data:', { ...ok, frameUrl: 'data:text/html,<script>1</script>' }],
    ['about:blank', { ...ok, frameUrl: 'about:blank' }],
    ['garbage', { ...ok, frameUrl: 'not a url' }],
  ])('rejects %s', (_name, sender) => {
    expect(isTrustedSender(sender, origins)).toBe(false);
  });

  it('trusts the dev server only when configured, and only on loopback http', () => {
    expect(trustedOrigins('http://localhost:5173')).toEqual([APP_ORIGIN, 'http://localhost:5173']);
    expect(trustedOrigins('https://evil.example')).toEqual([APP_ORIGIN]);
    expect(trustedOrigins('http://localhost.evil.example:5173')).toEqual([APP_ORIGIN]);
    const dev = trustedOrigins('http://localhost:5173');
    expect(isTrustedSender({ ...ok, frameUrl: 'http://localhost:5173/' }, dev)).toBe(true);
  });
});

describe('navigation lock', () => {
  it.each([
    ['app://renderer/index.html', true],
    ['app://renderer/other.html', true],
    ['https://example.com/', false],
    ['http://127.0.0.1:8080/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['app://other/index.html', false],
    ['', false],
  ])('%s allowed: %s', (url, allowed) => {
    expect(isAllowedNavigation(url, origins)).toBe(allowed);
  });
});
