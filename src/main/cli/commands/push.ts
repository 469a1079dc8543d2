import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

// Placeholder until its issue lands: registered so --help lists it, and says plainly it is not built yet.
export function registerPush(program: Command): void {
  program
    .command('push')
    .description('Push refunds in the enabled sync direction (journaled, idempotent) (not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('not_implemented', 'push is not built yet in this version.');
    });
}
