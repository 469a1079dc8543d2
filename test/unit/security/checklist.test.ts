import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { APP_ENTRY_URL, APP_ORIGIN, trustedOrigins } from '../../../src/main/electron/app-origin';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol, resolveAppRequest } from '../../../src/main/electron/app-protocol';
import { hardenSession, hardenWebContents } from '../../../src/main/electron/harden';
import { registerIpc } from '../../../src/main/electron/ipc';
import { secureWindowOptions } from '../../../src/main/electron/window-options';
import { FUSE_SETTINGS } from '../../../src/main/security/fuses';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../../src/main/serve/csp';
import { openWorkspace } from '../../../src/main/store/open';
import { buildApi } from '../../../src/preload/api-shape';
import { CHANNEL_NAMES } from '../../../src/shared/contract';

/**
 * One test per item of Electron's security checklist (electronjs.org/docs/latest/tutorial/security)
 * that can be proven without the Electron binary. docs/security.md maps each item to its test here.
 */

const read = (file: string) => fs.readFileSync(path.resolve(file), 'utf8');
const entry = read('src/main/index.ts');
const prod = secureWindowOptions({ preloadPath: '/app/out/preload/index.js', packaged: true });
const dev = secureWindowOptions({ preloadPath: '/app/out/preload/index.js', packaged: false });

type Listener = (event: { preventDefault: () => void }, url?: string) => void;
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    setWindowOpenHandler: (h: typeof openHandler) => {
      openHandler = h;
    },
    on: (name: string, listener: Listener) => {
      listeners.set(name, listener);
      return contents;
    },
  };
  const fire = (name: string, url?: string) => {
    let prevented = false;
    const listener = listeners.get(name);
    if (!listener) throw new Error(`no ${name} listener`);
    listener({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('Electron security checklist', () => {
  it('#1 only local content: the window loads app://renderer, never a remote URL or file://', () => {
    expect(APP_ENTRY_URL).toBe('app://renderer/index.html');
    expect(entry).toMatch(/url: devServerUrl \?\? APP_ENTRY_URL/);
    // The dev server URL is used only unpackaged, and only a loopback http origin is trusted.
    expect(entry).toMatch(/app\.isPackaged \? undefined : process\.env\.ELECTRON_RENDERER_URL/);
    expect(trustedOrigins('https://evil.example:5173')).toEqual([APP_ORIGIN]);
    expect(trustedOrigins('http://localhost:5173')).toEqual([APP_ORIGIN, 'http://localhost:5173']);
  });

  it('#2 no Node.js integration for remote (or any) content, in frames and workers too', () => {
    for (const options of [prod, dev]) {
      expect(options.webPreferences).toMatchObject({
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
      });
    }
  });

  it('#3 context isolation on', () => {
    expect(prod.webPreferences?.contextIsolation).toBe(true);
    expect(dev.webPreferences?.contextIsolation).toBe(true);
  });

  it('#4 process sandboxing on (per window and app-wide)', () => {
    expect(prod.webPreferences?.sandbox).toBe(true);
    expect(dev.webPreferences?.sandbox).toBe(true);
    expect(entry).toMatch(/^app\.enableSandbox\(\);/m);
  });

  it('#5 permission requests, checks and device requests are denied for the session', () => {
    const granted: boolean[] = [];
    const handlers: Array<(...args: unknown[]) => unknown> = [];
    hardenSession({
      setPermissionRequestHandler: (h: (wc: unknown, p: string, cb: (g: boolean) => void) => void) => {
        for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) {
          h({}, p, (g) => granted.push(g));
        }
      },
      setPermissionCheckHandler: (h: (...args: unknown[]) => unknown) => handlers.push(h),
      setDevicePermissionHandler: (h: (...args: unknown[]) => unknown) => handlers.push(h),
    } as never);
    expect(granted).toEqual([false, false, false, false, false, false]);
    expect(handlers.map((h) => h({}, 'media', APP_ORIGIN, {}))).toEqual([false, false]);
    expect(entry).toMatch(/hardenSession\(session\.defaultSession\)/);
  });

  it('#6 webSecurity stays on', () => {
    expect(prod.webPreferences?.webSecurity).toBe(true);
    expect(dev.webPreferences?.webSecurity).toBe(true);
  });

  it('#7 a Content-Security-Policy: no unsafe-eval, no unsafe-inline, no remote origins, default none', () => {
    for (const csp of [CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY]) {
      expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/);
      const directives = csp.split(';').map((d) => d.trim().split(/\s+/));
      expect(directives.find((d) => d[0] === 'default-src')).toEqual(['default-src', "'none'"]);
      for (const [name, ...sources] of directives) {
        for (const source of sources) {
          // Only keywords and data: for images; no scheme, host, wildcard or nonce.
          expect(["'self'", "'none'", ...(name === 'img-src' ? ['data:'] : [])], `${name} ${source}`).toContain(source);
        }
      }
      for (const required of ['script-src', 'object-src', 'base-uri', 'form-action', 'frame-src']) {
        expect(directives.map((d) => d[0])).toContain(required);
      }
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    // The build writes the meta CSP into index.html (electron.vite.config.ts).
    expect(read('electron.vite.config.ts')).toMatch(/META_CONTENT_SECURITY_POLICY/);
  });

  it('#7 the CSP is sent on every app:// response, found or not', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'app-proto-'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
    let handler: ((request: { method: string; url: string }) => Promise<Response>) | undefined;
    registerAppProtocol({ handle: (_scheme: string, h: typeof handler) => (handler = h) } as never, root);
    for (const [method, url, status] of [
      ['GET', 'app://renderer/index.html', 200],
      ['GET', 'app://renderer/missing.js', 404],
      ['GET', 'app://renderer/../../etc/passwd', 404],
      ['POST', 'app://renderer/index.html', 404],
    ] as const) {
      const response = await handler!({ method, url });
      expect(response.status, url).toBe(status);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('#8 allowRunningInsecureContent off', () => {
    expect(prod.webPreferences?.allowRunningInsecureContent).toBe(false);
  });

  it('#9 experimental features off', () => {
    expect(prod.webPreferences?.experimentalFeatures).toBe(false);
  });

  it('#10 no enableBlinkFeatures, additionalArguments or other escape hatches', () => {
    for (const options of [prod, dev]) {
      const prefs = options.webPreferences ?? {};
      for (const key of [
        'enableBlinkFeatures',
        'additionalArguments',
        'nodeIntegrationInWorker',
        'disableBlinkFeatures',
      ]) {
        if (key === 'nodeIntegrationInWorker') expect(prefs[key]).toBe(false);
        else expect(prefs).not.toHaveProperty(key);
      }
    }
    expect(prod.webPreferences?.devTools).toBe(false);
  });

  it('#11 no <webview>: the tag is disabled and attaching one is prevented', () => {
    expect(prod.webPreferences?.webviewTag).toBe(false);
    const { contents, fire } = fakeContents();
    hardenWebContents(contents as never, trustedOrigins());
    expect(fire('will-attach-webview')).toBe(true);
    const sources = [...walk('src/renderer'), 'src/renderer/index.html'];
    for (const file of sources) expect(read(file), file).not.toMatch(/<webview/i);
  });

  it('#12 navigation is limited to the app origin (will-navigate and will-redirect)', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents as never, trustedOrigins());
    for (const event of ['will-navigate', 'will-redirect']) {
      for (const url of [
        'https://evil.example/',
        'http://127.0.0.1:1234/',
        'file:///etc/passwd',
        'app://evil/index.html',
        'app://renderer.evil/',
        'app://user@renderer/index.html',
        'javascript:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'not a url',
      ]) {
        expect(fire(event, url), `${event} ${url}`).toBe(true);
      }
      expect(fire(event, 'app://renderer/index.html#/review')).toBe(false);
    }
  });

  it('#13 new windows are denied; only allow-listed https links go to the system browser', () => {
    const opened: string[] = [];
    const { contents, open } = fakeContents();
    hardenWebContents(contents as never, trustedOrigins(), (url) => opened.push(url));
    for (const url of [
      'https://help.shopify.com/en/manual',
      'https://evil.example/',
      'http://help.shopify.com/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://host/share',
      'app://renderer/index.html',
    ]) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://help.shopify.com/en/manual']);
    expect(entry).toMatch(/app\.on\('web-contents-created', \(_event, contents\) => hardenWebContents\(/);
  });

  it('#14 shell.openExternal is reached only through isAllowedExternalUrl', () => {
    const code = (f: string) =>
      read(f)
        .split('\n')
        .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l))
        .join('\n');
    const users = [...walk('src')].filter((f) => /openExternal/.test(code(f)));
    expect(users.sort()).toEqual(['src/main/electron/harden.ts', 'src/main/index.ts']);
    expect(read('src/main/electron/harden.ts')).toMatch(
      /isAllowedExternalUrl\(url\)\) void Promise\.resolve\(openExternal/,
    );
  });

  it('#15 a current Electron', () => {
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    const major = Number(/\d+/.exec(pkg.devDependencies.electron ?? '')?.[0]);
    expect(major).toBeGreaterThanOrEqual(45);
  });

  it('#16 IPC senders are validated before any payload is looked at', async () => {
    const db = openWorkspace(':memory:');
    const ctx: AppContext = { db, workspacePath: ':memory:', isDemo: false, appVersion: 't', emit: () => {} };
    const handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => unknown>();
    registerIpc({
      ipcMain: { handle: (c: string, h: never) => handlers.set(c, h), removeHandler: () => {} } as never,
      context: () => ctx,
      origins: trustedOrigins(),
      isOurWebContents: (id) => id === 7,
    });
    const event = (url: string | null, mainFrame = true, id = 7) =>
      ({ sender: { id }, senderFrame: url === null ? null : { url, parent: mainFrame ? null : {} } }) as never;
    for (const channel of CHANNEL_NAMES) {
      for (const bad of [
        event('https://evil.example/'),
        event('app://renderer/index.html', false),
        event('app://renderer/index.html', true, 8),
        event(null),
        event('file:///x'),
      ]) {
        expect(await handlers.get(channel)!(bad, {}), channel).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        });
      }
    }
    db.close();
  });

  it('#17 no file:// for app content: a privileged app:// scheme with path checks', () => {
    expect(entry).not.toMatch(/loadFile|file:\/\//);
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({
      standard: true,
      secure: true,
      bypassCSP: false,
      allowServiceWorkers: false,
      corsEnabled: false,
      supportFetchAPI: false,
    });
    const root = path.resolve('/srv/app/renderer');
    for (const url of [
      'app://renderer/../main/index.js',
      'app://renderer/..%2fmain%2findex.js',
      'app://renderer/%2e%2e%5cmain',
      'app://renderer/.env',
      'app://renderer/assets//x.js',
      'app://renderer/C:/Windows/win.ini',
      'app://renderer/a%00.js',
      'app://evil/index.html',
    ]) {
      const file = resolveAppRequest(url, root);
      expect(file === null || file.startsWith(root + path.sep), url).toBe(true);
    }
  });

  it('#18 the generic Electron APIs are not exposed: the preload exposes named contract functions only', () => {
    const preload = read('src/preload/index.ts');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\('api', api\)/);
    const api = buildApi(
      async () => ({ ok: true, value: null }),
      () => () => {},
    );
    expect(Object.keys(api).sort()).toEqual(['channels', 'events']);
    expect(Object.keys(api.channels).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const fn of Object.values(api.channels)) expect(typeof fn).toBe('function');
    expect(JSON.stringify(Object.keys(api.channels))).not.toMatch(/invoke|send|ipcRenderer/);
  });

  it('#19 fuses: no RunAsNode, cookie encryption, no NODE_OPTIONS/--inspect, ASAR integrity and ASAR-only', () => {
    expect(FUSE_SETTINGS).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
    const pkg = JSON.parse(read('package.json')) as { build: { afterPack: string; asar: boolean } };
    expect(pkg.build.afterPack).toBe('scripts/after-pack.cjs');
    expect(pkg.build.asar).toBe(true);
  });
});

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(file);
    else if (/\.(ts|tsx|html)$/.test(entry.name)) yield file;
  }
}

afterAll(() => {});
