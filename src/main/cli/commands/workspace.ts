import type { Command } from 'commander';

/** `refund-recon workspace create FILE`: a new, empty workspace (never overwrites one). */
export function registerWorkspace(program: Command): void {
  const workspace = program.command('workspace').description('Create workspaces (one SQLite file each)');
  workspace
    .command('create')
    .description('Create a new, empty workspace file')
    .argument('<file>', 'the new workspace file, such as refunds-2026.sqlite')
    .action(async (file: string) => {
      // Loaded on use: `--help` stays fast.
      const { createWorkspaceFile } = await import('../../use-cases/workspaces');
      const created = createWorkspaceFile(file);
      process.stdout.write(`Created the workspace ${created}. Next: add accounts with "refund-recon account add".\n`);
    });
}
