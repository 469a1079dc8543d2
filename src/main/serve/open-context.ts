import type { AppContext } from '../context';
import { openWorkspace } from '../store/open';
import { demoWorkspacePath } from '../workspace-location';
import type { Emit } from './event-hub';

export interface OpenContextOptions {
  workspacePath?: string;
  appVersion: string;
  emit: Emit;
}

/**
 * Interim: opens the workspace file (the demo workspace path when none is given) as an
 * AppContext. To be replaced by the lead's `openAppWorkspace`, which also seeds the demo.
 */
export async function openContext(options: OpenContextOptions): Promise<AppContext> {
  const workspacePath = options.workspacePath ?? demoWorkspacePath();
  const db = openWorkspace(workspacePath);
  return {
    db,
    workspacePath,
    isDemo: options.workspacePath === undefined,
    appVersion: options.appVersion,
    emit: options.emit,
  };
}
