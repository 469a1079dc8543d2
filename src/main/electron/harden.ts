import type { Session, WebContents } from 'electron';
import { isAllowedNavigation } from './app-origin';

type Hardenable = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/**
 * Every webContents the app creates: no new windows, no navigation or redirect away from the
 * app, no <webview>. Registered from `web-contents-created`, so no window can skip it.
 */
export function hardenWebContents(contents: Hardenable, origins: readonly string[]): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
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
