import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

// Placeholder until its issue lands: registered so --help lists it, and says plainly it is not built yet.
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the UI in a browser on 127.0.0.1 (browser mode) (not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('not_implemented', 'serve is not built yet in this version.');
    });
}
