import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

// Placeholder until its issue lands: registered so --help lists it, and says plainly it is not built yet.
export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('Pull refunds from a live API into a new snapshot (not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('not_implemented', 'pull is not built yet in this version.');
    });
}
