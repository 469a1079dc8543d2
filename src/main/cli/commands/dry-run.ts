import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { formatAmount } from '../../../shared/money';
import type { DryRunSelection } from '../../sync/dry-run';

interface DryRunOptions {
  account: string;
  direction?: string;
  orders?: string;
  testOrders?: boolean;
  sample?: string;
  snapshot?: string;
  ordersContext?: string;
  roundTrip?: boolean;
  offline?: boolean;
  format: string;
  workspace?: string;
  actor: string;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UserError('invalid_option', `${flag}: expected a positive whole number; found "${value}".`, {
      field: flag,
    });
  }
  return Number(value);
}

export function registerDryRun(program: Command): void {
  program
    .command('dry-run')
    .description(
      'Test-order dry run: build the records a sync would send, check them against the source; sends nothing that writes',
    )
    .requiredOption('--account <id>', 'storefront account id')
    .option('--direction <d>', 'storefront_to_netsuite or netsuite_to_storefront (default: the account’s direction)')
    .option('--orders <refs>', 'comma-separated order references, e.g. "#1001,#1002"')
    .option('--test-orders', 'the orders flagged as test orders')
    .option('--sample <n>', 'a sample of the n most recently refunded orders')
    .option('--snapshot <id>', 'source snapshot (default: the newest of the source side for the account)')
    .option('--orders-context <file.json>', 'order context file: how NetSuite billed each order, storefront line ids')
    .option('--round-trip', 'sandbox only: send the records and read them back')
    .option('--offline', 'no live lookups: "already synced?" is answered from the workspace only')
    .option('--format <f>', 'table or json', 'table')
    .option('--workspace <file>', 'workspace file (default: the workspace in the app-data folder)')
    .option('--actor <name>', 'who runs it (audit log)', process.env.USER ?? 'cli')
    .action(async (opts: DryRunOptions) => {
      const accountId = positiveInt(opts.account, '--account')!;
      const modes = [opts.orders !== undefined, !!opts.testOrders, opts.sample !== undefined].filter(Boolean).length;
      if (modes > 1)
        throw new UserError('invalid_option', 'Choose orders one way: --orders, --test-orders or --sample.');
      const selection: DryRunSelection = opts.orders
        ? {
            mode: 'refs',
            orderRefs: opts.orders
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : opts.testOrders
          ? { mode: 'test' }
          : { mode: 'sample', size: positiveInt(opts.sample, '--sample') ?? 5 };
      if (opts.format !== 'table' && opts.format !== 'json') {
        throw new UserError('invalid_option', `--format: expected table or json; found "${opts.format}".`);
      }
      // Loaded on use: `--help` stays fast.
      const [{ openWorkspace }, { loadOrderContextFile, startDryRun }, { defaultWorkspacePath }] = await Promise.all([
        import('../../store/open'),
        import('../../use-cases/dry-run'),
        import('../../workspace-location'),
      ]);
      const workspacePath = opts.workspace ?? defaultWorkspacePath();
      const db = openWorkspace(workspacePath);
      const ctx = { db, workspacePath };
      try {
        if (opts.ordersContext) loadOrderContextFile(ctx, { file: opts.ordersContext, accountId });
        const snapshotId = positiveInt(opts.snapshot, '--snapshot');
        const run = await startDryRun(ctx, {
          accountId,
          ...(opts.direction ? { direction: opts.direction } : {}),
          selection,
          ...(snapshotId ? { snapshotId } : {}),
          sandboxRoundTrip: !!opts.roundTrip,
          actor: opts.actor,
          offline: !!opts.offline,
        });
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
        } else {
          const out: string[] = [
            `Dry run ${run.id}: ${run.direction}, ${run.status.toUpperCase()} — ${run.passed} passed, ${run.failed} failed`,
          ];
          for (const o of run.orders) {
            out.push(
              `  ${o.status === 'pass' ? 'PASS' : 'FAIL'}  ${o.orderRef}  refund ${o.refundId}  ${o.scope}  ${formatAmount(o.total, o.currency)} ${o.currency}`,
            );
            for (const r of o.reasons) out.push(`        - ${r}`);
          }
          out.push(
            `Coverage: ${run.coverage.covered.join(', ') || 'none'}${run.coverage.missing.length ? `; missing ${run.coverage.missing.join(', ')}` : ''}`,
          );
          if (run.roundTrip) out.push(`Round trip: ${run.roundTrip.sent} sent, ${run.roundTrip.readBack} read back`);
          out.push('Nothing was sent that writes. Full payloads: --format json.');
          process.stdout.write(`${out.join('\n')}\n`);
        }
        process.exitCode = run.status === 'fail' ? 1 : 0;
      } finally {
        db.close();
      }
    });
}
