import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

/** Loaded on use: `--help` stays fast. */
const load = () =>
  Promise.all([
    import('../cli-context'),
    import('../../use-cases/account-lookup'),
    import('../../use-cases/capabilities'),
    import('../../use-cases/sync-settings'),
  ]);

function yesNo(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'yes') return true;
  if (v === 'no') return false;
  throw new UserError('invalid_option', `${flag}: expected yes or no; found "${value.slice(0, 20)}".`);
}

export function registerCapabilities(program: Command): void {
  const caps = program
    .command('capabilities')
    .description("A storefront's capabilities: line-item refunds, store credit, split tender");
  caps
    .command('set')
    .description('Correct the capabilities by hand')
    .argument('<name>', 'the storefront account')
    .option('--workspace <file>', 'the workspace file')
    .option('--line-item-refunds <answer>', 'yes, no or unknown')
    .option('--store-credit <answer>', 'yes or no')
    .option('--split-tender <answer>', 'yes or no')
    .option('--by <person>', 'who makes the change (audit log)')
    .action(
      async (
        name: string,
        opts: { workspace?: string; lineItemRefunds?: string; storeCredit?: string; splitTender?: string; by?: string },
      ) => {
        const li = opts.lineItemRefunds?.trim().toLowerCase();
        if (li !== undefined && li !== 'yes' && li !== 'no' && li !== 'unknown') {
          throw new UserError(
            'invalid_option',
            `--line-item-refunds: expected yes, no or unknown; found "${li.slice(0, 20)}".`,
          );
        }
        const storeCredit = yesNo(opts.storeCredit, '--store-credit');
        const splitTender = yesNo(opts.splitTender, '--split-tender');
        const [{ printLines, withCliContext }, { requireStorefrontByName }, , { setAccountCapabilities }] =
          await load();
        await withCliContext(opts.workspace, (ctx) => {
          const account = setAccountCapabilities(ctx, {
            accountId: requireStorefrontByName(ctx.db, name).id,
            ...(li ? { lineItemRefunds: li } : {}),
            ...(storeCredit !== undefined ? { storeCredit } : {}),
            ...(splitTender !== undefined ? { splitTender } : {}),
            actor: opts.by ?? process.env.USER ?? 'cli',
          });
          printLines([
            `"${account.name}": line-item refunds ${account.lineItemRefunds}, store credit ${account.storeCredit ? 'yes' : 'no'}, split tender ${account.splitTender ? 'yes' : 'no'}.`,
          ]);
        });
      },
    );
  caps
    .command('learn')
    .description('Record what one test refund shows (pick it from a storefront snapshot)')
    .argument('<name>', 'the storefront account')
    .requiredOption('--snapshot <id>', 'the storefront snapshot holding the test refund')
    .requiredOption('--refund <id>', 'the refund id')
    .option('--workspace <file>', 'the workspace file')
    .option('--json', 'print JSON')
    .option('--by <person>', 'who makes the change (audit log)')
    .action(
      async (
        name: string,
        opts: { workspace?: string; snapshot: string; refund: string; json?: boolean; by?: string },
      ) => {
        if (!/^\d+$/.test(opts.snapshot)) {
          throw new UserError(
            'invalid_option',
            `--snapshot: expected a snapshot number; found "${opts.snapshot.slice(0, 20)}".`,
          );
        }
        const [{ printJson, printLines, withCliContext }, { requireStorefrontByName }, { learnCapabilities }] =
          await load();
        await withCliContext(opts.workspace, (ctx) => {
          const evidence = learnCapabilities(ctx, {
            accountId: requireStorefrontByName(ctx.db, name).id,
            snapshotId: Number(opts.snapshot),
            refundId: opts.refund,
            actor: opts.by ?? process.env.USER ?? 'cli',
          });
          if (opts.json) printJson(evidence);
          else printLines(evidence.findings.map((f) => `${f.capability}: ${f.value} — ${f.evidence}`));
        });
      },
    );
}
