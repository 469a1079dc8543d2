import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../../shared/errors';
import { setSyncOptions } from '../../sync/direction-policy';
import { SyncOptions } from '../../sync/types';
import { requireStorefrontByName } from '../../use-cases/account-lookup';
import { printJson, withCliContext } from '../cli-context';

/** Reads a JSON file of sync options (refund items, refund account, currency ids, item mapping). */
function readOptionsFile(file: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(
      'invalid_options_file',
      `${file}: not a readable JSON file (${(error as Error).message.slice(0, 120)}).`,
      { file },
    );
  }
  const parsed = SyncOptions.partial().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(
      'invalid_options_file',
      `${file}, field ${issue.path.join('.') || '(file)'}: ${issue.message}.`,
      {
        file,
        field: issue.path.join('.'),
      },
    );
  }
  return z.record(z.string(), z.unknown()).parse(json);
}

/** `refund-recon account sync-options NAME --file options.json`: the NetSuite items a sync posts against. */
export function registerSyncOptions(account: Command): void {
  account
    .command('sync-options')
    .description(
      'Set the sync options of a storefront account from a JSON file (genericItemId, shippingItemId, taxOnlyItemId, refundAccountId, currencyIds, itemMapping)',
    )
    .argument('<name>', 'the storefront account')
    .requiredOption('--file <options.json>', 'the options, as a JSON object')
    .option('--workspace <file>', 'the workspace file')
    .option('--by <person>', 'who makes the change (audit log)')
    .action(async (name: string, opts: { file: string; workspace?: string; by?: string }) => {
      const options = readOptionsFile(opts.file);
      await withCliContext(opts.workspace, (ctx) => {
        printJson(
          setSyncOptions(ctx.db, {
            accountId: requireStorefrontByName(ctx.db, name).id,
            options,
            actor: opts.by ?? process.env.USER ?? 'cli',
          }),
        );
      });
    });
}
