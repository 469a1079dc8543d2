import { UserError } from '../../shared/errors';
import { openAppWorkspace } from '../workspace/open-app-workspace';
import { EventHub } from './event-hub';
import { openInBrowser } from './open-browser';
import { findRendererDir, isRendererBuilt } from './renderer-dir';
import { type RunningServer, startServer } from './server';

export interface RunServeOptions {
  port: number;
  workspacePath?: string;
  open: boolean;
  appVersion: string;
  rendererDir?: string;
  log?: (line: string) => void;
}

export interface ServeSession {
  server: RunningServer;
  workspacePath: string;
  stop(): Promise<void>;
}

/** Opens the workspace, starts browser mode and prints where to find it. */
export async function runServe(options: RunServeOptions): Promise<ServeSession> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const rendererDir = options.rendererDir ?? findRendererDir();
  if (!isRendererBuilt(rendererDir)) {
    throw new UserError(
      'ui_not_built',
      `The browser UI is not built (${rendererDir}/index.html is missing): run \`npm run build\`, then serve again.`,
    );
  }
  const hub = new EventHub();
  const ctx = await openAppWorkspace({
    workspacePath: options.workspacePath,
    appVersion: options.appVersion,
    emit: hub.emit,
  });
  let server: RunningServer;
  try {
    server = await startServer({ ctx, hub, rendererDir, port: options.port });
  } catch (error) {
    ctx.db.close();
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new UserError(
        'port_in_use',
        `Port ${options.port} is already in use: pick another with --port, or 0 for any free port.`,
      );
    }
    throw error;
  }
  log(`Browser mode: workspace ${ctx.workspacePath}${ctx.isDemo ? ' (demo)' : ''}`);
  log(`Open ${server.pageUrl}`);
  log('The URL holds this session’s access token: do not share it. Press Ctrl+C to stop.');
  if (options.open) openInBrowser(server.pageUrl);
  return {
    server,
    workspacePath: ctx.workspacePath,
    stop: async () => {
      await server.close();
      ctx.db.close();
    },
  };
}
