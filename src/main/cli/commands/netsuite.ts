import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

// Placeholder until its issue lands: registered so --help lists it, and says plainly it is not built yet.
export function registerNetsuite(program: Command): void {
  const netsuite = program.command('netsuite').description('NetSuite helpers');
  netsuite
    .command('sign')
    .description('Print the TBA Authorization header for given credentials (not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('not_implemented', 'netsuite sign is not built yet in this version.');
    });
}
