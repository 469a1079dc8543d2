import type { Command } from 'commander';
import { createWorkspaceFile } from '../../use-cases/workspaces';

/** `refund-recon workspace create FILE`: a new, empty workspace (never overwrites one). */
export function registerWorkspace(program: Command): void {
  const workspace = program.command('workspace').description('Create workspaces (one SQLite file each)');
  workspace
    .command('create')
    .description('Create a new, empty workspace file')
    .argument('<file>', 'the new workspace file, such as refunds-2026.sqlite')
    .action((file: string) => {
      const created = createWorkspaceFile(file);
      process.stdout.write(`Created the workspace ${created}. Next: add accounts with "refund-recon account add".\n`);
    });
}
