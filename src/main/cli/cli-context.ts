import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import type { AppContext } from '../context';
import { openWorkspace } from '../store/open';
import { appVersion } from './version';

/**
 * The context a CLI command runs a use-case in: the workspace named by `--workspace`, which must
 * exist (commands that change accounts never create a workspace by accident), no events.
 */
export function openCliContext(workspace: string | undefined): AppContext {
  if (!workspace) {
    throw new UserError(
      'usage',
      'Name the workspace with --workspace FILE (create one with: refund-recon workspace create FILE).',
    );
  }
  const file = path.resolve(workspace);
  if (!fs.existsSync(file)) {
    throw new UserError(
      'workspace_not_found',
      `The workspace ${file} does not exist: create it with "refund-recon workspace create ${workspace}", or check the path.`,
      { file },
    );
  }
  return { db: openWorkspace(file), workspacePath: file, isDemo: false, appVersion: appVersion(), emit: () => {} };
}

/** Runs `fn` with an open CLI context and closes the workspace afterwards, whatever happens. */
export async function withCliContext<T>(
  workspace: string | undefined,
  fn: (ctx: AppContext) => T | Promise<T>,
): Promise<T> {
  const ctx = openCliContext(workspace);
  try {
    return await fn(ctx);
  } finally {
    ctx.db.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}
