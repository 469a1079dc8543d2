import type { Command } from 'commander';
import type { ReadinessView } from '../../../shared/contract/accounts';

/** Loaded on use: `--help` stays fast. */
const load = () =>
  Promise.all([
    import('../cli-context'),
    import('../../use-cases/account-lookup'),
    import('../../use-cases/readiness'),
  ]);

function viewLines(view: ReadinessView): string[] {
  const lines = [`Readiness of "${view.account}": ${view.ready ? 'READY' : 'NOT READY'}`];
  for (const item of view.items) {
    lines.push(`  [${item.done ? 'x' : ' '}] ${item.title}  (${item.id})`);
    if (item.done && item.by)
      lines.push(`        ${item.by}, ${item.at?.slice(0, 10) ?? ''}${item.note ? `: ${item.note}` : ''}`);
    if (!item.done && item.nextStep) lines.push(`        Next: ${item.nextStep}`);
  }
  return lines;
}

export function registerReadiness(program: Command): void {
  const readiness = program
    .command('readiness')
    .description('The readiness checklist of a storefront account (before production sync)');
  readiness
    .command('show')
    .description('Show the checklist')
    .argument('<name>', 'the storefront account')
    .option('--workspace <file>', 'the workspace file')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { workspace?: string; json?: boolean }) => {
      const [{ printJson, printLines, withCliContext }, { requireStorefrontByName }, { showReadiness }] = await load();
      await withCliContext(opts.workspace, (ctx) => {
        const view = showReadiness(ctx, { accountId: requireStorefrontByName(ctx.db, name).id });
        if (opts.json) {
          printJson({
            ready: view.ready,
            items: view.items.map((i) => ({
              id: i.id,
              title: i.title,
              done: i.done,
              by: i.by,
              at: i.at,
              nextStep: i.nextStep,
            })),
          });
        } else printLines(viewLines(view));
      });
    });
  readiness
    .command('confirm')
    .description('Confirm a manual item: activation_steps, deployment_reviewed or order_sync_tested')
    .argument('<name>', 'the storefront account')
    .argument('<item>', 'activation_steps, deployment_reviewed or order_sync_tested')
    .requiredOption('--by <person>', 'who confirms it')
    .option('--workspace <file>', 'the workspace file')
    .option('--note <text>', 'a note kept with the confirmation')
    .action(async (name: string, item: string, opts: { workspace?: string; by: string; note?: string }) => {
      const [{ printLines, withCliContext }, { requireStorefrontByName }, { confirmReadiness }] = await load();
      await withCliContext(opts.workspace, (ctx) => {
        const view = confirmReadiness(ctx, {
          accountId: requireStorefrontByName(ctx.db, name).id,
          item: item.trim().replace(/-/g, '_'),
          actor: opts.by,
          note: opts.note,
        });
        printLines(viewLines(view));
      });
    });
  readiness
    .command('cutoff')
    .description('Set the "Import Orders Created After" cutoff date')
    .argument('<name>', 'the storefront account')
    .argument('<date>', 'YYYY-MM-DD')
    .option('--workspace <file>', 'the workspace file')
    .option('--by <person>', 'who sets it (audit log)')
    .action(async (name: string, date: string, opts: { workspace?: string; by?: string }) => {
      const [{ printLines, withCliContext }, { requireStorefrontByName }, { setReadinessCutoff }] = await load();
      await withCliContext(opts.workspace, (ctx) => {
        printLines(
          viewLines(
            setReadinessCutoff(ctx, {
              accountId: requireStorefrontByName(ctx.db, name).id,
              date,
              actor: opts.by ?? process.env.USER ?? 'cli',
            }),
          ),
        );
      });
    });
}
