import type { Command } from 'commander';
import { DIRECTION_LABELS } from '../../../shared/direction-labels';
import { UserError } from '../../../shared/errors';
import { ENVIRONMENT_LABELS } from '../../../shared/netsuite-environment';
import { registerAccountPull } from './account-pull';
import { registerSyncOptions } from './sync-options';

interface WorkspaceOpt {
  workspace?: string;
  by?: string;
}

/** Loaded on use: `--help` stays fast. */
const load = () =>
  Promise.all([import('../cli-context'), import('../../use-cases/accounts'), import('../../use-cases/account-lookup')]);

const actor = (opts: WorkspaceOpt) => opts.by ?? process.env.USER ?? 'cli';
const DIRECTIONS: Record<string, 'off' | 'storefront_to_netsuite' | 'netsuite_to_storefront'> = {
  off: 'off',
  'storefront-to-netsuite': 'storefront_to_netsuite',
  'netsuite-to-storefront': 'netsuite_to_storefront',
};

function workspaceOption(cmd: Command): Command {
  return cmd
    .option('--workspace <file>', 'the workspace file')
    .option('--by <person>', 'who makes the change (audit log)');
}

export function registerAccount(program: Command): void {
  const account = program.command('account').description('Storefront and NetSuite accounts of a workspace');
  const add = account.command('add').description('Add an account');

  workspaceOption(
    add
      .command('netsuite')
      .description(
        'Add a NetSuite account (its environment comes from the account ID: _SB… sandbox, _RP release preview)',
      )
      .requiredOption('--name <name>', 'a name for the account')
      .requiredOption('--account-id <id>', 'the NetSuite account ID, such as 1234567 or 1234567_SB1'),
  ).action(async (opts: WorkspaceOpt & { name: string; accountId: string }) => {
    const [{ withCliContext }, { addAccount }] = await load();
    await withCliContext(opts.workspace, (ctx) => {
      const entry = addAccount(ctx, {
        type: 'netsuite',
        name: opts.name,
        accountId: opts.accountId,
        actor: actor(opts),
      });
      process.stdout.write(
        `Added NetSuite account "${entry.name}" (${entry.accountId}, ${ENVIRONMENT_LABELS[entry.environment!]}).\n`,
      );
    });
  });

  workspaceOption(
    add
      .command('storefront')
      .description('Add a storefront account linked to a NetSuite account')
      .requiredOption('--name <name>', 'a name for the account')
      .requiredOption(
        '--platform <platform>',
        'shopify, bigcommerce, woocommerce, magento, amazon, ebay, walmart or other',
      )
      .requiredOption('--netsuite <name>', 'the NetSuite account it syncs with (by name)')
      .option('--shop <address>', "the shop's address, such as my-store.myshopify.com")
      .option('--currency <code>', 'the base currency, such as USD'),
  ).action(
    async (
      opts: WorkspaceOpt & { name: string; platform: string; netsuite: string; shop?: string; currency?: string },
    ) => {
      const [{ withCliContext }, { addAccount }] = await load();
      await withCliContext(opts.workspace, (ctx) => {
        const entry = addAccount(ctx, {
          type: 'storefront',
          name: opts.name,
          platform: opts.platform,
          netsuite: opts.netsuite,
          ...(opts.shop !== undefined ? { shop: opts.shop } : {}),
          ...(opts.currency !== undefined ? { currency: opts.currency } : {}),
          actor: actor(opts),
        });
        process.stdout.write(
          `Added storefront account "${entry.name}" (${entry.platform}), linked to "${entry.netsuite}".\n`,
        );
      });
    },
  );

  account
    .command('list')
    .description('List the accounts')
    .option('--workspace <file>', 'the workspace file')
    .option('--json', 'print JSON')
    .action(async (opts: WorkspaceOpt & { json?: boolean }) => {
      const [{ printJson, printLines, withCliContext }, { listAccounts }] = await load();
      await withCliContext(opts.workspace, (ctx) => {
        const entries = listAccounts(ctx);
        if (opts.json) {
          printJson(
            entries.map((e) => ({
              name: e.name,
              type: e.type,
              platform: e.platform,
              accountId: e.accountId,
              environment: e.environment,
              direction: e.direction,
              netsuite: e.netsuite,
            })),
          );
          return;
        }
        if (entries.length === 0) {
          printLines([
            'No accounts yet. Add one with "refund-recon account add netsuite" or "… account add storefront".',
          ]);
          return;
        }
        printLines(
          entries.map((e) =>
            e.type === 'netsuite'
              ? `NetSuite    ${e.name}  ${e.accountId}  ${ENVIRONMENT_LABELS[e.environment!]}`
              : `Storefront  ${e.name}  ${e.platform}  → ${e.netsuite ?? '(no NetSuite account)'}  refund sync: ${DIRECTION_LABELS[(e.direction ?? 'off') as 'off']}`,
          ),
        );
      });
    });

  workspaceOption(
    account
      .command('edit')
      .description('Rename an account or change its details')
      .argument('<name>', 'the account')
      .option('--name <new>', 'a new name')
      .option('--account-id <id>', 'NetSuite: a corrected account ID')
      .option('--netsuite <name>', 'storefront: link to another NetSuite account')
      .option('--shop <address>', "storefront: the shop's address")
      .option('--currency <code>', 'storefront: the base currency'),
  ).action(
    async (
      name: string,
      opts: WorkspaceOpt & { name?: string; accountId?: string; netsuite?: string; shop?: string; currency?: string },
    ) => {
      const [{ withCliContext }, { editAccount }, { requireAccountByName }] = await load();
      await withCliContext(opts.workspace, (ctx) => {
        const found = requireAccountByName(ctx.db, name);
        const entry = editAccount(ctx, {
          type: found.type,
          id: found.account.id,
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.accountId !== undefined ? { accountId: opts.accountId } : {}),
          ...(opts.netsuite !== undefined ? { netsuite: opts.netsuite } : {}),
          ...(opts.shop !== undefined ? { shop: opts.shop } : {}),
          ...(opts.currency !== undefined ? { currency: opts.currency } : {}),
          actor: actor(opts),
        });
        process.stdout.write(`Saved "${entry.name}".\n`);
      });
    },
  );

  workspaceOption(
    account
      .command('remove')
      .description('Remove an account (refused while refunds pushed through it are in the journal)')
      .argument('<name>', 'the account'),
  ).action(async (name: string, opts: WorkspaceOpt) => {
    const [{ withCliContext }, { removeAccount }, { requireAccountByName }] = await load();
    await withCliContext(opts.workspace, (ctx) => {
      const found = requireAccountByName(ctx.db, name);
      const out = removeAccount(ctx, { type: found.type, id: found.account.id, actor: actor(opts) });
      process.stdout.write(`Removed "${out.removed}".\n`);
    });
  });

  registerSyncOptions(account);
  registerAccountPull(account);

  workspaceOption(
    account
      .command('direction')
      .description('Set the refund sync direction: off, storefront-to-netsuite or netsuite-to-storefront (never both)')
      .argument('<name>', 'the storefront account')
      .argument('<direction>', 'off, storefront-to-netsuite or netsuite-to-storefront')
      .option('--yes', 'confirm a direction against the recommendation'),
  ).action(async (name: string, direction: string, opts: WorkspaceOpt & { yes?: boolean }) => {
    const value = DIRECTIONS[direction.trim().toLowerCase()];
    if (!value) {
      throw new UserError(
        'invalid_direction',
        `"${direction.slice(0, 40)}" is not a direction: use off, storefront-to-netsuite or netsuite-to-storefront (an account syncs refunds one way only).`,
        { field: 'direction' },
      );
    }
    const [[{ withCliContext }, , { requireStorefrontByName }], { setAccountDirection }] = await Promise.all([
      load(),
      import('../../use-cases/sync-settings'),
    ]);
    await withCliContext(opts.workspace, (ctx) => {
      const accountRow = requireStorefrontByName(ctx.db, name);
      const result = setAccountDirection(ctx, {
        accountId: accountRow.id,
        direction: value,
        confirmAgainstRecommendation: !!opts.yes,
        actor: actor(opts),
      });
      if (result.status === 'confirmation_required') {
        throw new UserError(
          'confirmation_required',
          `${result.message} To choose it anyway, run the command again with --yes.`,
          {
            field: 'direction',
          },
        );
      }
      const rec = result.recommendation.direction
        ? ` (recommended: ${DIRECTION_LABELS[result.recommendation.direction]})`
        : '';
      process.stdout.write(
        `${result.status === 'unchanged' ? 'Unchanged' : 'Set'}: refund sync for "${result.account.name}" is ${DIRECTION_LABELS[result.account.direction]}${rec}.\n`,
      );
    });
  });
}
