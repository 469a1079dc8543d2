import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

// Placeholder until its issue lands: registered so --help lists it, and says plainly it is not built yet.
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import an export file into a new snapshot (not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('not_implemented', 'import is not built yet in this version.');
    });
}
