/**
 * True in the desktop app (the preload set `window.api`), false in browser mode. The desktop app
 * takes file and folder paths only from native dialogs (`dialog:open-file`,
 * `dialog:choose-folder`; the main process refuses other paths); browser mode keeps the typed path
 * and the `ui:list-folder` browser.
 */
export function isDesktopApp(): boolean {
  return typeof window !== 'undefined' && window.api !== undefined;
}
