import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { MAIN_THREAD_BUSY_MS } from '../store/busy';
import { openWorkspace } from '../store/open';
import { rememberWorkspace } from '../use-cases/workspaces';
import { demoWorkspacePath } from '../workspace-location';
import { createDemoWorkspace } from './create-demo-workspace';
import { readAppSettings } from './settings-file';

export interface OpenAppWorkspaceOptions {
  /** A workspace file to open (created empty if absent). Without it: the last one, or the demo. */
  workspacePath?: string;
  appVersion: string;
  emit: AppContext['emit'];
  nativeBinding?: string;
}

/**
 * Opens the workspace the app should show. On first start (nothing opened before) that is the
 * demo workspace, created from the bundled export files if it does not exist yet.
 */
export async function openAppWorkspace(options: OpenAppWorkspaceOptions): Promise<AppContext> {
  const demoPath = demoWorkspacePath();
  let workspacePath = options.workspacePath;
  if (!workspacePath) {
    const last = readAppSettings().lastWorkspace;
    workspacePath = last && fs.existsSync(last) ? last : demoPath;
  }
  workspacePath = path.resolve(workspacePath);
  const isDemo = workspacePath === path.resolve(demoPath);
  if (isDemo && !fs.existsSync(workspacePath)) await createDemoWorkspace(workspacePath);
  // The main thread's connection: a short busy wait, so the event loop never stalls behind a job's write.
  const db = openWorkspace(workspacePath, { nativeBinding: options.nativeBinding, busyTimeoutMs: MAIN_THREAD_BUSY_MS });
  // The app reopens the last workspace used, and lists it among the recent ones.
  rememberWorkspace(workspacePath);
  return { db, workspacePath, isDemo, appVersion: options.appVersion, emit: options.emit };
}
