import { spawn } from 'node:child_process';

/** The command that opens a URL in the user's browser, or null where there is none to try. */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): { command: string; args: string[] } | null {
  // Only ever our own loopback page: never a URL that came from elsewhere.
  if (!/^http:\/\/127\.0\.0\.1:\d{1,5}\/(#token=[A-Za-z0-9_-]+)?$/.test(url)) return null;
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return { command: 'xdg-open', args: [url] };
}

/** Best effort: a missing opener is not an error, the URL is printed anyway. */
export function openInBrowser(url: string): boolean {
  const cmd = browserCommand(url);
  if (!cmd) return false;
  try {
    const child = spawn(cmd.command, cmd.args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
