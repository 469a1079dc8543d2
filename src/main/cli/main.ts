import { Command, CommanderError } from 'commander';
import { describeLocation, UserError } from '../../shared/errors';
import { isBusyError, workspaceBusyError } from '../store/busy';
import { cliAdvice } from './advice';
import { registerAccount } from './commands/account';
import { registerCapabilities } from './commands/capabilities';
import { registerConnection } from './commands/connection';
import { registerDryRun } from './commands/dry-run';
import { registerImport } from './commands/import';
import { registerNetsuite } from './commands/netsuite';
import { registerPull } from './commands/pull';
import { registerPush } from './commands/push';
import { registerReadiness } from './commands/readiness';
import { registerReconcile } from './commands/reconcile';
import { registerServe } from './commands/serve';
import { registerSettings } from './commands/settings';
import { registerWorkspace } from './commands/workspace';
import { appVersion } from './version';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('refund-recon')
    .description('Reconcile storefront refunds with NetSuite refund records, from export files or live APIs.')
    .version(appVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerReconcile(program);
  registerImport(program);
  registerDryRun(program);
  registerPush(program);
  registerPull(program);
  registerNetsuite(program);
  registerServe(program);
  // Issue 13: workspaces, accounts, connections, capabilities, readiness, settings.
  registerWorkspace(program);
  registerAccount(program);
  registerConnection(program);
  registerCapabilities(program);
  registerReadiness(program);
  registerSettings(program);
  return program;
}

/** Prints a user error the way every command does and returns exit status 2. */
export function reportUserError(error: UserError): number {
  const where = describeLocation(error.location);
  const advice = cliAdvice(error);
  process.stderr.write(`refund-recon: ${where ? `${where}: ` : ''}${error.message}${advice ? ` ${advice}` : ''}\n`);
  return 2;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; usage errors are status 2 (spec §7).
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UserError) {
      process.exitCode = reportUserError(error);
      return;
    }
    if (isBusyError(error)) {
      // Another process held the workspace's write lock past SQLite's wait: a clear message, not a stack.
      process.exitCode = reportUserError(workspaceBusyError());
      return;
    }
    process.stderr.write(
      `refund-recon: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  }
}
