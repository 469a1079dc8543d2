import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { appVersion } from '../version';

export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UserError(
      'invalid_port',
      `--port expects a number from 0 to 65535 (0 = any free port), found "${text.slice(0, 20)}".`,
    );
  }
  return Number(text);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the UI in a browser on 127.0.0.1 only, with a per-start access token (browser mode)')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option(
      '--workspace <file>',
      'workspace file to open (default: the last one opened, or the demo workspace on first start)',
    )
    .option('--no-open', 'do not open the system browser; just print the URL')
    .action(async (opts: { port: string; workspace?: string; open: boolean }) => {
      // Loaded on use: `--help` stays fast.
      const { runServe } = await import('../../serve/run-serve');
      const session = await runServe({
        port: parsePort(opts.port),
        workspacePath: opts.workspace,
        open: opts.open,
        appVersion: appVersion(),
      });
      await new Promise<void>((resolve) => {
        const stop = () => {
          session.stop().finally(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
