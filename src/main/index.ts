import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import type { AppContext } from './context';
import { APP_ENTRY_URL, trustedOrigins } from './electron/app-origin';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './electron/app-protocol';
import { createMainWindow } from './electron/create-window';
import { windowDialogs } from './electron/dialogs';
import { windowEmitter } from './electron/events';
import { hardenSession, hardenWebContents } from './electron/harden';
import { registerIpc } from './electron/ipc';
import { desktopSecretStore } from './electron/secret-store';
import { setSecretStore } from './secrets';
import { PathGrants } from './security/path-grants';
import { openAppWorkspace } from './workspace/open-app-workspace';

// Electron entry: wiring only. Policy lives in src/main/electron (pure, unit-tested).
app.enableSandbox();
// The packaged app ships resources/ (demo files, icons) in Electron's resources folder.
if (app.isPackaged) {
  process.env.REFUND_RECON_RESOURCES ??= process.resourcesPath;
  // better-sqlite3 built for Electron's ABI by `npm run dist` (scripts/rebuild-sqlite-electron.ts),
  // shipped outside the asar; node_modules keeps the Node build for tests and the CLI.
  process.env.REFUND_RECON_SQLITE_BINDING ??= path.join(process.resourcesPath, 'native', 'better_sqlite3.node');
}
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const origins = trustedOrigins(devServerUrl);
const windows = new Set<BrowserWindow>();
let ctx: AppContext | undefined;

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origins, shell.openExternal));

function workspaceArg(argv: string[]): string | undefined {
  const index = argv.indexOf('--workspace');
  return index >= 0 ? argv[index + 1] : undefined;
}

function openWindow(): void {
  const window = createMainWindow({
    BrowserWindow,
    preloadPath: path.join(__dirname, '../preload/index.js'),
    packaged: app.isPackaged,
    url: devServerUrl ?? APP_ENTRY_URL,
  });
  windows.add(window);
  window.on('closed', () => windows.delete(window));
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  setSecretStore(desktopSecretStore(app.getPath('userData'), safeStorage));
  registerAppProtocol(protocol, path.join(__dirname, '../renderer'));
  const context = await openAppWorkspace({
    workspacePath: workspaceArg(process.argv),
    appVersion: app.getVersion(),
    emit: windowEmitter(() => [...windows].map((w) => w.webContents)),
  });
  // Renderer-sent paths are used only when the user chose them in a native dialog (security.md, 2).
  context.pathGrants = new PathGrants();
  ctx = context;
  registerIpc({
    ipcMain,
    context: () => context,
    origins,
    isOurWebContents: (id) => [...windows].some((w) => !w.isDestroyed() && w.webContents.id === id),
    dialogsFor: (id) => {
      const window = [...windows].find((w) => !w.isDestroyed() && w.webContents.id === id);
      return window ? windowDialogs(dialog, window) : undefined;
    },
  });
  openWindow();
  app.on('activate', () => {
    if (windows.size === 0) openWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [first] = windows;
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Refund Reconciler could not start', error instanceof Error ? error.message : String(error));
      app.quit();
    });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => ctx?.db.close());
}
