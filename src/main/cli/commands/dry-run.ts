import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

// Placeholder until its issue lands: registered so --help lists it, and says plainly it is not built yet.
export function registerDryRun(program: Command): void {
  program
    .command('dry-run')
    .description('Test-order dry run: build the records a sync would send and check them (not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('not_implemented', 'dry-run is not built yet in this version.');
    });
}
