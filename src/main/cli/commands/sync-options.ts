import fs from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

/** Reads a JSON file of sync options; the use-case checks its fields. */
function readOptionsFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UserError(
      'invalid_options_file',
      `${file}: not a readable JSON file (${(error as Error).message.slice(0, 120)}).`,
      { file },
    );
  }
}

/** `refund-recon account sync-options NAME --file options.json`: the NetSuite items a sync posts against. */
export function registerSyncOptions(account: Command): void {
  account
    .command('sync-options')
    .description(
      'Set the sync options of a storefront account from a JSON file (genericItemId, shippingItemId, taxOnlyItemId, refundAccountId, currencyIds, itemMap, restockType, notifyCustomer)',
    )
    .argument('<name>', 'the storefront account')
    .requiredOption('--file <options.json>', 'the options, as a JSON object')
    .option('--workspace <file>', 'the workspace file')
    .option('--by <person>', 'who makes the change (audit log)')
    .action(async (name: string, opts: { file: string; workspace?: string; by?: string }) => {
      const options = readOptionsFile(opts.file);
      // Loaded on use: `--help` stays fast.
      const [{ printJson, withCliContext }, { requireStorefrontByName }, { setAccountSyncOptions }] = await Promise.all(
        [import('../cli-context'), import('../../use-cases/account-lookup'), import('../../use-cases/sync-settings')],
      );
      await withCliContext(opts.workspace, (ctx) => {
        printJson(
          setAccountSyncOptions(ctx, {
            accountId: requireStorefrontByName(ctx.db, name).id,
            options,
            actor: opts.by ?? process.env.USER ?? 'cli',
            fileName: opts.file,
          }),
        );
      });
    });
}
