import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The renderer's web preferences: isolated, sandboxed, no Node, no webview, web security on.
 * The same in tests and production; nothing here may be loosened to make something easier.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: true,
  };
}

export interface WindowFactoryOptions {
  preloadPath: string;
  /** Production hides devtools; unpackaged dev runs keep them. */
  packaged: boolean;
}

export function secureWindowOptions(options: WindowFactoryOptions): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Refund Reconciler',
    show: false,
    autoHideMenuBar: true,
    webPreferences: { ...secureWebPreferences(options.preloadPath), devTools: !options.packaged },
  };
}
