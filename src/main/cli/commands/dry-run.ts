import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { formatAmount } from '../../../shared/money';
import type { DryRunRecord, DryRunSelection } from '../../sync/dry-run';

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
  actor?: string;
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

/** Exactly what was sent where (issue 17 Y2): never "nothing was sent" after a round trip wrote. */
export function whatWasSent(run: DryRunRecord): string[] {
  const trip = run.roundTrip;
  if (!trip) return ['Nothing was sent that writes.'];
  const where = trip.target ?? 'the sandbox';
  const out = [
    `Round trip to ${where}: ${trip.sent} record${trip.sent === 1 ? '' : 's'} sent, ${trip.readBack} read back, ${trip.problems.length} problem${trip.problems.length === 1 ? '' : 's'}.`,
  ];
  for (const w of trip.writes ?? []) {
    out.push(
      `  ${w.status === 'pass' ? 'SAME' : 'FAIL'}  ${w.orderRef}  ${w.record}${w.remoteId ? ` (id ${w.remoteId})` : ''}`,
    );
    for (const p of w.problems) out.push(`        - ${p}`);
  }
  if (!trip.writes) for (const p of trip.problems) out.push(`  - ${p}`);
  out.push(
    trip.sent === 0
      ? `Nothing was sent that writes (not to ${where}, not anywhere else).`
      : `Written: ${trip.sent} record${trip.sent === 1 ? '' : 's'} to ${where} only; nothing was sent anywhere else.`,
  );
  return out;
}

export function registerDryRun(program: Command): void {
  program
    .command('dry-run')
    .description(
      'Test-order dry run: build the records a sync would send, check them against the source; sends nothing that writes (with --round-trip, writes to a sandbox target only)',
    )
    .requiredOption('--account <id>', 'storefront account id')
    .option('--direction <d>', 'storefront_to_netsuite or netsuite_to_storefront (default: the account’s direction)')
    .option('--orders <refs>', 'comma-separated order references, e.g. "#1001,#1002"')
    .option('--test-orders', 'the orders flagged as test orders')
    .option('--sample <n>', 'a sample of the n most recently refunded orders')
    .option('--snapshot <id>', 'source snapshot (default: the newest of the source side for the account)')
    .option('--orders-context <file.json>', 'order context file: how NetSuite billed each order, storefront line ids')
    .option(
      '--round-trip',
      'send the records to the target of the direction tested and read them back, field by field — only when that target is a sandbox (NetSuite _SB account, Shopify development store)',
    )
    .option('--offline', 'no live lookups: "already synced?" is answered from the workspace only')
    .option('--format <f>', 'table or json', 'table')
    .option('--workspace <file>', 'workspace file (default: the workspace in the app-data folder)')
    .option(
      '--actor <name>',
      'who runs it (audit log; default: the workspace’s person when it has exactly one, as in the app, else "local user")',
    )
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
      if (opts.offline && opts.roundTrip) {
        throw new UserError('invalid_option', '--offline and --round-trip exclude each other: a round trip is live.');
      }
      const snapshotId = positiveInt(opts.snapshot, '--snapshot');
      // Loaded on use: `--help` stays fast.
      const [{ openWorkspace }, { dryRunWithConnections }, { defaultWorkspacePath }] = await Promise.all([
        import('../../store/open'),
        import('../../use-cases/round-trip'),
        import('../../workspace-location'),
      ]);
      const workspacePath = opts.workspace ?? defaultWorkspacePath();
      const db = openWorkspace(workspacePath);
      const ctx = { db, workspacePath };
      try {
        const run = await dryRunWithConnections(ctx, {
          accountId,
          ...(opts.direction ? { direction: opts.direction } : {}),
          selection,
          ...(snapshotId ? { snapshotId } : {}),
          roundTrip: !!opts.roundTrip,
          offline: !!opts.offline,
          ...(opts.ordersContext ? { orderContextFile: opts.ordersContext } : {}),
          ...(opts.actor ? { actor: opts.actor } : {}),
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
          out.push(...whatWasSent(run));
          out.push('Full payloads: --format json.');
          process.stdout.write(`${out.join('\n')}\n`);
        }
        process.exitCode = run.status === 'fail' ? 1 : 0;
      } finally {
        db.close();
      }
    });
}
