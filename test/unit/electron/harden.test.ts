import { describe, expect, it } from 'vitest';
import { trustedOrigins } from '../../../src/main/electron/app-origin';
import { hardenSession, hardenWebContents } from '../../../src/main/electron/harden';

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
    listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('webContents hardening', () => {
  const { contents, fire, open } = fakeContents();
  hardenWebContents(contents as never, trustedOrigins());

  it('denies every new window', () => {
    expect(open('https://example.com')).toEqual({ action: 'deny' });
    expect(open('app://renderer/index.html')).toEqual({ action: 'deny' });
  });

  it('locks navigation and redirects to the app', () => {
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(fire('will-navigate', 'app://renderer/index.html')).toBe(false);
  });

  it('refuses <webview>', () => {
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('session hardening', () => {
  it('denies every permission request and check', () => {
    const decisions: boolean[] = [];
    let check: (() => boolean) | undefined;
    let device: (() => boolean) | undefined;
    hardenSession({
      setPermissionRequestHandler: (h: (wc: unknown, p: string, cb: (granted: boolean) => void) => void) => {
        for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
          h({}, permission, (granted) => decisions.push(granted));
        }
      },
      setPermissionCheckHandler: (h: () => boolean) => {
        check = h;
      },
      setDevicePermissionHandler: (h: () => boolean) => {
        device = h;
      },
    } as never);
    expect(decisions).toEqual([false, false, false, false, false]);
    expect(check?.()).toBe(false);
    expect(device?.()).toBe(false);
  });
});
