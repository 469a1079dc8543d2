import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

// Placeholder until its issue lands: registered so --help lists it, and says plainly it is not built yet.
export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('Compare storefront refunds with NetSuite records (files or snapshots) (not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('not_implemented', 'reconcile is not built yet in this version.');
    });
}
