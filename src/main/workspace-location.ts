import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Refund Reconciler';

/**
 * The OS app-data folder, the same one Electron's app.getPath('userData') gives, computed
 * without electron so the CLI and browser mode agree with the desktop app.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.REFUND_RECON_HOME) return env.REFUND_RECON_HOME;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

export function defaultWorkspacePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  return path.join(appDataDir(env, platform), 'workspace.sqlite');
}

export function demoWorkspacePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  return path.join(appDataDir(env, platform), 'demo-workspace.sqlite');
}
