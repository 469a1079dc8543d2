import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { appDataDir } from '../workspace-location';

/** App-level preferences that live outside any workspace (which workspace to reopen). */
const AppSettings = z.object({
  lastWorkspace: z.string().optional(),
  /** Most recent first, the open one included. */
  recentWorkspaces: z.array(z.string()).max(50).optional(),
});
export type AppSettings = z.infer<typeof AppSettings>;

function settingsPath(): string {
  return path.join(appDataDir(), 'settings.json');
}

export function readAppSettings(): AppSettings {
  try {
    const parsed = AppSettings.safeParse(JSON.parse(fs.readFileSync(settingsPath(), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Written to a temp file and renamed, so a crash never leaves half a settings file. */
export function writeAppSettings(settings: AppSettings): void {
  const file = settingsPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(settings, null, 2), { mode: 0o600 });
  fs.renameSync(temp, file);
}
