import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** Why the desktop app cannot run here, or null when it can (binary present and a display). */
function electronUnavailable(): string | null {
  const dir = path.resolve('node_modules/electron');
  let binary = '';
  try {
    binary = path.join(dir, 'dist', fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim());
  } catch {
    return 'no Electron binary (node_modules/electron/path.txt missing; it cannot be downloaded on this machine)';
  }
  if (!fs.existsSync(binary)) return `no Electron binary at ${binary}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display';
  return null;
}

const reason = electronUnavailable();
if (reason) console.log(`electron.e2e.ts skipped: ${reason}`);

test('desktop window: sandboxed renderer with only the contract api, showing the workspace', async () => {
  test.skip(reason !== null, reason ?? '');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-electron-'));
  const app = await electron.launch({ args: ['.'], env: { ...process.env, REFUND_RECON_HOME: home } });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect(page.url()).toMatch(/^app:\/\/renderer\//);
    const globals = await page.evaluate(() => {
      const g = globalThis as { require?: unknown; process?: unknown; api?: { channels?: object } };
      return {
        require: typeof g.require,
        process: typeof g.process,
        channels: Object.keys(g.api?.channels ?? {}),
        apiKeys: Object.keys(g.api ?? {}),
      };
    });
    expect(globals.require).toBe('undefined');
    expect(globals.process).toBe('undefined');
    expect(globals.apiKeys.sort()).toEqual(['channels', 'events']);
    expect(globals.channels).toContain('account:list');
  } finally {
    await app.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
