import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

/** `refund-recon account pull NAME`: a pull through the account's own connection, linked to it. */
export function registerAccountPull(account: Command): void {
  account
    .command('pull')
    .description("Pull an account's refunds through its connection into a new snapshot linked to it")
    .argument('<name>', 'the account')
    .option('--workspace <file>', 'the workspace file')
    .option('--since <date>', 'only records changed since, YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { workspace?: string; since?: string; json?: boolean }) => {
      if (opts.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.since)) {
        throw new UserError('invalid_option', `--since: expected YYYY-MM-DD; found "${opts.since.slice(0, 20)}".`);
      }
      // Loaded on use: `--help` stays fast.
      const [{ printJson, printLines, withCliContext }, { requireAccountByName }, { pullAccount }] = await Promise.all([
        import('../cli-context'),
        import('../../use-cases/account-lookup'),
        import('../../use-cases/pull-account'),
      ]);
      const controller = new AbortController();
      const onSigint = () => controller.abort(new UserError('cancelled', 'The pull was cancelled; nothing was saved.'));
      process.once('SIGINT', onSigint);
      try {
        await withCliContext(opts.workspace, async (ctx) => {
          const found = requireAccountByName(ctx.db, name);
          const result = await pullAccount(
            ctx,
            { type: found.type, id: found.account.id, since: opts.since },
            controller.signal,
          );
          if (opts.json) printJson(result);
          else
            printLines([
              `Snapshot ${result.snapshotId}: ${result.refunds} refunds pulled for "${found.account.name}" with ${result.requests} requests.`,
            ]);
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
