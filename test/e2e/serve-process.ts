import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServeProcess {
  pageUrl: string;
  origin: string;
  token: string;
  home: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts browser mode the way a user does (`refund-recon serve`), on a temporary app-data folder
 * (REFUND_RECON_HOME) so the demo workspace is created fresh and the user's own is never touched.
 */
export async function startServe(extraArgs: string[] = []): Promise<ServeProcess> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [path.resolve('bin/refund-recon.js'), 'serve', '--no-open', '--port', '0', ...extraArgs],
    { env: { ...process.env, REFUND_RECON_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const pageUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in time:\n${output}`)), 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  const [origin, fragment] = pageUrl.split('#');
  return {
    pageUrl,
    origin: origin ?? '',
    token: (fragment ?? '').replace('token=', ''),
    home,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
