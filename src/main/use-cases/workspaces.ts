import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import type { AppContext } from '../context';
import { runningLongCalls } from '../jobs/running';
import { MAIN_THREAD_BUSY_MS } from '../store/busy';
import { openWorkspace } from '../store/open';
import { createDemoWorkspace } from '../workspace/create-demo-workspace';
import { readAppSettings, writeAppSettings } from '../workspace/settings-file';
import { demoWorkspacePath } from '../workspace-location';

/**
 * Workspaces: create a new (empty) one, open one, switch, and the list of recent ones. The demo
 * workspace is one among others, labelled as the demo. Switching swaps the database of the
 * transport's context in place, so every later call of that window or browser tab reads the
 * new workspace; the app remembers the last one opened.
 */
const RECENT_MAX = 10;

export interface RecentWorkspace {
  path: string;
  name: string;
  isDemo: boolean;
  exists: boolean;
  current: boolean;
}

function isDemoPath(file: string): boolean {
  return path.resolve(file) === path.resolve(demoWorkspacePath());
}

function checkWorkspaceFile(file: string): string {
  const trimmed = file.trim();
  if (!trimmed)
    throw new UserError('invalid_path', 'Give the workspace file, such as refunds-2026.sqlite.', { field: 'path' });
  if (trimmed.includes('\0'))
    throw new UserError('invalid_path', 'The workspace path holds a NUL character.', { field: 'path' });
  return path.resolve(trimmed);
}

/**
 * A path that came from a screen: the full path of a `.sqlite` file in a folder that exists. In
 * the desktop app it must also be one the user chose (a recent workspace, or granted by a native
 * dialog), as for every other renderer-sent path.
 */
function checkScreenPath(ctx: AppContext, file: string, create: boolean): string {
  const trimmed = file.trim();
  if (!path.isAbsolute(trimmed) || !/\.sqlite$/i.test(trimmed)) {
    throw new UserError(
      'invalid_path',
      'Give the full path of a workspace file ending in .sqlite, such as /Users/ann/Refunds/2026.sqlite.',
      {
        field: 'path',
      },
    );
  }
  const target = checkWorkspaceFile(trimmed);
  if (!fs.existsSync(path.dirname(target))) {
    throw new UserError(
      'folder_not_found',
      `The folder ${path.dirname(target)} does not exist: choose a folder that does.`,
      { field: 'path' },
    );
  }
  if (ctx.pathGrants) {
    const recent = recentWorkspaces(ctx).some((w) => w.path === target);
    const granted = create
      ? ctx.pathGrants.isGranted(path.dirname(target), 'write-folder')
      : ctx.pathGrants.isGranted(target, 'read-file');
    if (!recent && !granted) {
      throw new UserError('path_not_granted', 'Choose the workspace with the Browse button first.', { field: 'path' });
    }
  }
  return target;
}

/** `workspace:open` / `workspace:create` from a screen. */
export function switchFromScreen(
  ctx: AppContext,
  input: { path: string; create?: boolean },
): Promise<{ path: string; isDemo: boolean }> {
  const target = checkScreenPath(ctx, input.path, !!input.create);
  return switchWorkspace(ctx, { path: target, ...(input.create ? { create: true } : {}) });
}

/** Creates a new, empty workspace file (refuses to overwrite one). Returns its absolute path. */
export function createWorkspaceFile(file: string): string {
  const target = checkWorkspaceFile(file);
  if (fs.existsSync(target)) {
    throw new UserError(
      'workspace_exists',
      `${target} already exists: open it, or choose another file name for a new workspace.`,
      { file: target },
    );
  }
  const db = openWorkspace(target);
  db.close();
  return target;
}

export function rememberWorkspace(file: string): void {
  const settings = readAppSettings();
  const recent = [file, ...(settings.recentWorkspaces ?? []).filter((p) => p !== file)].slice(0, RECENT_MAX);
  writeAppSettings({ ...settings, lastWorkspace: file, recentWorkspaces: recent });
}

export function recentWorkspaces(ctx: AppContext): RecentWorkspace[] {
  const settings = readAppSettings();
  const list = [ctx.workspacePath, ...(settings.recentWorkspaces ?? []), demoWorkspacePath()].map((p) =>
    path.resolve(p),
  );
  const seen = new Set<string>();
  const out: RecentWorkspace[] = [];
  for (const p of list) {
    if (seen.has(p)) continue;
    seen.add(p);
    const demo = isDemoPath(p);
    out.push({
      path: p,
      name: demo ? 'Demo workspace (sample data)' : path.basename(p).replace(/\.sqlite$/i, ''),
      isDemo: demo,
      exists: demo || fs.existsSync(p),
      current: p === path.resolve(ctx.workspacePath),
    });
  }
  return out;
}

async function openForSwitch(file: string): Promise<AppContext['db']> {
  if (isDemoPath(file) && !fs.existsSync(file)) await createDemoWorkspace(file);
  // The main thread's connection, as at start-up: a short busy wait (store/busy.ts).
  return openWorkspace(file, { busyTimeoutMs: MAIN_THREAD_BUSY_MS });
}

/**
 * Opens another workspace in this context: the old database is closed only after the new one
 * opened, so a file that cannot be opened leaves the current workspace as it was.
 */
export async function switchWorkspace(
  ctx: AppContext,
  input: { path: string; create?: boolean },
  open: (file: string) => Promise<AppContext['db']> = openForSwitch,
): Promise<{ path: string; isDemo: boolean }> {
  const busy = runningLongCalls(ctx);
  if (busy.length > 0) {
    throw new UserError(
      'job_running',
      `A ${busy.join(' and a ')} is still running in this workspace. Wait for it to finish, or cancel it, then open the other workspace.`,
    );
  }
  const target = checkWorkspaceFile(input.path);
  const demo = isDemoPath(target);
  if (input.create) createWorkspaceFile(target);
  else if (!demo && !fs.existsSync(target)) {
    throw new UserError(
      'workspace_not_found',
      `${target} does not exist: create a new workspace there, or pick another file.`,
      {
        file: target,
      },
    );
  }
  let db: AppContext['db'];
  try {
    db = await open(target);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      'workspace_unreadable',
      `${target} could not be opened as a workspace (${error instanceof Error ? error.message : String(error)}).`,
      { file: target },
    );
  }
  const old = ctx.db;
  ctx.db = db;
  ctx.workspacePath = target;
  ctx.isDemo = demo;
  if (old !== db && old.open) old.close();
  rememberWorkspace(target);
  ctx.emit('workspace:changed', { path: target, isDemo: demo });
  return { path: target, isDemo: demo };
}
