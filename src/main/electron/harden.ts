import type { Session, WebContents } from 'electron';
import { isAllowedExternalUrl } from '../security/external-url';
import { isAllowedNavigation } from './app-origin';

type Hardenable = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** `shell.openExternal`, injected so this module stays free of runtime electron imports. */
export type OpenExternal = (url: string) => unknown;

/**
 * Every webContents the app creates: no new windows, no navigation or redirect away from the
 * app, no <webview>. Registered from `web-contents-created`, so no window can skip it.
 * A `target=_blank` link to an allow-listed https: page (isAllowedExternalUrl) opens in the
 * user's browser instead; the app window itself never opens anything.
 */
export function hardenWebContents(contents: Hardenable, origins: readonly string[], openExternal?: OpenExternal): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal && isAllowedExternalUrl(url)) void Promise.resolve(openExternal(url)).catch(() => {});
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, origins)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, origins)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** The app needs no camera, notifications, clipboard-read, HID…: every permission is denied. */
export function hardenSession(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
