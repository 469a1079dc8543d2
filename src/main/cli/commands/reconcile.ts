import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { Severity } from '../../../shared/codes';
import type { ReconcileRulesInput } from '../../../shared/contract/run';
import type { ImportFormat } from '../../../shared/contract/snapshot';
import { UserError } from '../../../shared/errors';
import { IMPORT_FORMATS } from '../../../shared/import-formats';
import { isCurrencyCode } from '../../../shared/money';
import { resolveCurrency } from '../../../shared/money/currencies';
import { threadCpuMs } from '../../thread-cpu';
import type { FlatHelper } from '../../use-cases/flat-helper';
import { withCurrencyFlag } from '../currency-advice';
import { openOutputFile } from '../output-file';
import { workspaceOnUse } from '../workspace-on-use';

interface ReconcileCliOptions {
  storefront?: string[];
  netsuite?: string[];
  storefrontSnapshot?: string[];
  netsuiteSnapshot?: string[];
  storefrontFormat?: string;
  netsuiteFormat?: string;
  storefrontCurrency?: string;
  netsuiteCurrency?: string;
  mapping?: string;
  itemMapping?: string;
  tolerance?: string;
  dateWindow?: string;
  storefrontLineItems: 'auto' | 'yes' | 'no';
  format: 'table' | 'json' | 'csv';
  out?: string;
  workspace?: string;
  disputes?: string[];
  creditPayoutDays?: string;
  asOf?: string;
}

/** `--tolerance 0.01`, `--tolerance USD=0.05,JPY=1` or both: `0.01,JPY=1`. */
export function parseTolerance(text: string): ReconcileRulesInput['tolerance'] {
  const out: { default: string | null; byCurrency: Record<string, string> } = { default: null, byCurrency: {} };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:([A-Za-z]{3})=)?(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) {
      throw new UserError(
        'usage',
        `--tolerance: "${part}" is not a tolerance. Expected a non-negative amount in currency units such as 0.01, or per currency such as USD=0.05,JPY=1.`,
        { field: '--tolerance' },
      );
    }
    if (m[1]) {
      const code = m[1].toUpperCase();
      if (!isCurrencyCode(code)) {
        throw new UserError('usage', `--tolerance: ${m[1]} is not an ISO 4217 currency code (such as USD, EUR, JPY).`, {
          field: '--tolerance',
        });
      }
      out.byCurrency[code] = m[2]!;
    } else out.default = m[2]!;
  }
  return out;
}

function parseDateWindow(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 3660) {
    throw new UserError('usage', `--date-window: "${text}" is not a number of days (0–3660), such as 7.`, {
      field: '--date-window',
    });
  }
  return Number(text);
}

function parseCreditPayoutDays(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 3660) {
    throw new UserError(
      'usage',
      `--credit-payout-days: "${text.slice(0, 20)}" is not a number of days (0–3660), such as 7.`,
      { field: '--credit-payout-days' },
    );
  }
  return Number(text);
}

function parseAsOf(text: string): string {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const ok = m && new Date(`${t}T00:00:00Z`).toISOString().slice(0, 10) === t;
  if (!ok) {
    throw new UserError(
      'usage',
      `--as-of: "${text.slice(0, 20)}" is not a calendar date; write it as YYYY-MM-DD, such as 2026-03-20.`,
      { field: '--as-of' },
    );
  }
  return t;
}

function parseFormat(value: string | undefined, flag: string): ImportFormat | undefined {
  if (value === undefined) return undefined;
  if (!(IMPORT_FORMATS as readonly string[]).includes(value)) {
    throw new UserError(
      'usage',
      `${flag}: "${value}" is not a known format. Expected one of: ${IMPORT_FORMATS.join(', ')}.`,
      {
        field: flag,
      },
    );
  }
  return value as ImportFormat;
}

/** `--storefront-currency USD`: the currency of files that do not say it (BigCommerce, WooCommerce refunds). */
function parseCurrency(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const code = resolveCurrency(value);
  if (!code) {
    throw new UserError(
      'usage',
      `${flag}: "${value.slice(0, 40)}" is not an ISO 4217 currency code (such as USD, EUR).`,
      {
        field: flag,
      },
    );
  }
  return code;
}

function parseSnapshotId(text: string, flag: string): number {
  if (!/^\d+$/.test(text))
    throw new UserError('usage', `${flag}: "${text}" is not a snapshot id (a whole number).`, { field: flag });
  return Number(text);
}

/** Writes synchronously (stdout may be a pipe), retrying while the pipe is full. */
function fdWriter(fd: number): (chunk: string | Buffer) => void {
  let closed = false;
  return (chunk) => {
    if (closed) return;
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let offset = 0;
    while (offset < buffer.length) {
      try {
        offset += fs.writeSync(fd, buffer, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          // The reader went away (`| head`): stop writing, keep the exit status.
          closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw error;
      }
    }
  };
}

/**
 * `REFUND_RECON_TIMINGS=1`: wall and CPU time, peak RSS and heap per phase on stderr (benchmarks).
 * Under `node --expose-gc` it also collects garbage to print the live heap (slower; diagnostics).
 */
function phaseTimer(): (name: string) => void {
  if (!process.env.REFUND_RECON_TIMINGS) return () => {};
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  const gc = (globalThis as { gc?: () => void }).gc;
  let wall = performance.now();
  let cpu = process.cpuUsage();
  let thread = threadCpuMs();
  return (name) => {
    const c = process.cpuUsage(cpu);
    const t = threadCpuMs();
    const used = mb(process.memoryUsage().heapUsed);
    gc?.();
    const live = gc ? ` (live ${mb(process.memoryUsage().heapUsed)} MB)` : '';
    process.stderr.write(
      `refund-recon: ${name}: wall ${Math.round(performance.now() - wall)} ms, CPU ${Math.round((c.user + c.system) / 1000)} ms` +
        `${t !== null && thread !== null ? ` (this thread ${t - thread} ms)` : ''}, ` +
        `peak RSS so far ${mb(process.resourceUsage().maxRSS * 1024)} MB, heap used ${used} MB${live}\n`,
    );
    wall = performance.now();
    cpu = process.cpuUsage();
    thread = threadCpuMs();
  };
}

let saidBusy = false;
/** The busy-workspace notice, once per command (stderr; stdout carries the results). */
function sayBusyOnce(message: string): void {
  if (!saidBusy) process.stderr.write(`refund-recon: ${message}\n`);
  saidBusy = true;
}

export async function runReconcileCommand(options: ReconcileCliOptions): Promise<number> {
  const sfFiles = options.storefront ?? [];
  const nsFiles = options.netsuite ?? [];
  const sfSnaps = (options.storefrontSnapshot ?? []).map((s) => parseSnapshotId(s, '--storefront-snapshot'));
  const nsSnaps = (options.netsuiteSnapshot ?? []).map((s) => parseSnapshotId(s, '--netsuite-snapshot'));
  if (sfFiles.length + sfSnaps.length === 0 || nsFiles.length + nsSnaps.length === 0) {
    throw new UserError(
      'usage',
      'reconcile needs both sides: --storefront <file>... (or --storefront-snapshot <id>) and --netsuite <file>... (or --netsuite-snapshot <id>).',
    );
  }
  if ((sfSnaps.length > 0 || nsSnaps.length > 0) && !options.workspace) {
    throw new UserError(
      'usage',
      '--storefront-snapshot and --netsuite-snapshot need --workspace <file.sqlite>, the workspace holding them.',
    );
  }
  // The flat one-shot's helper thread starts reading the storefront file now, while this thread
  // loads the modules below (reconcile/flat-fast/early-helper.ts); stopped when the command ends.
  const early = mayTakeFlatFast(options, sfFiles, nsFiles)
    ? (await import('../../use-cases/flat-helper')).startEarlyHelper(sfFiles[0]!, nsFiles[0]!)
    : null;
  try {
    return await reconcileWith(options, sfFiles, nsFiles, sfSnaps, nsSnaps, early);
  } finally {
    early?.stop();
  }
}

/**
 * The options of a one-shot the flat fast path may take (use-cases/reconcile-flat-fast.ts checks
 * the rest): CSV out, no workspace, one file a side, no mapping, disputes, currency or other format.
 */
function mayTakeFlatFast(options: ReconcileCliOptions, sfFiles: string[], nsFiles: string[]): boolean {
  const canonical = (format: string | undefined) => format === undefined || format === 'canonical-csv';
  return (
    options.format === 'csv' &&
    !options.workspace &&
    sfFiles.length === 1 &&
    nsFiles.length === 1 &&
    (options.storefrontSnapshot ?? []).length === 0 &&
    (options.netsuiteSnapshot ?? []).length === 0 &&
    !options.mapping &&
    (options.disputes ?? []).length === 0 &&
    canonical(options.storefrontFormat) &&
    canonical(options.netsuiteFormat) &&
    options.storefrontCurrency === undefined &&
    options.netsuiteCurrency === undefined
  );
}

async function reconcileWith(
  options: ReconcileCliOptions,
  sfFiles: string[],
  nsFiles: string[],
  sfSnaps: number[],
  nsSnaps: number[],
  early: FlatHelper | null,
): Promise<number> {
  // Loaded on use: `--help` stays fast.
  const [{ exitStatusFor }, { openWorkspace }, { readItemMappingFile, reconcileFiles }] = await Promise.all([
    import('../../../shared/codes'),
    import('../../store/open'),
    import('../../use-cases/reconcile-files'),
  ]);
  const rulesInput: ReconcileRulesInput = {
    storefrontLineItems: options.storefrontLineItems,
    ...(options.tolerance !== undefined ? { tolerance: parseTolerance(options.tolerance) } : {}),
    ...(options.dateWindow !== undefined ? { dateWindowDays: parseDateWindow(options.dateWindow) } : {}),
    ...(options.itemMapping ? { itemMapping: readItemMappingFile(options.itemMapping) } : {}),
    ...(options.creditPayoutDays !== undefined
      ? { creditPayoutDays: parseCreditPayoutDays(options.creditPayoutDays) }
      : {}),
    ...(options.asOf !== undefined ? { asOf: parseAsOf(options.asOf) } : {}),
  };
  const sfFormat = parseFormat(options.storefrontFormat, '--storefront-format');
  const nsFormat = parseFormat(options.netsuiteFormat, '--netsuite-format');
  const sfCurrency = parseCurrency(options.storefrontCurrency, '--storefront-currency');
  const nsCurrency = parseCurrency(options.netsuiteCurrency, '--netsuite-currency');

  let tempDir: string | undefined;
  let workspace = options.workspace;
  if (!workspace) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-'));
    workspace = path.join(tempDir, 'workspace.sqlite');
  } else if (sfSnaps.length + nsSnaps.length > 0 && !fs.existsSync(workspace)) {
    throw new UserError(
      'workspace_not_found',
      `The workspace ${workspace} does not exist; snapshots are read from an existing workspace.`,
      {
        file: workspace,
      },
    );
  }
  // The temporary workspace goes when the command ends: no fsync for it. Its close would checkpoint
  // with one, which on a journalling file system waits for the report file's own writeback (~0.3 s
  // after a 200 MB CSV, issue 15). It is created only if a use-case reads it (workspace-on-use.ts):
  // the one-shot's in-memory paths do not.
  const isTemporary = tempDir !== undefined;
  const workspaceFile = workspace;
  const opened = workspaceOnUse(workspaceFile, (file) => {
    const db = openWorkspace(file);
    if (isTemporary) db.pragma('synchronous = OFF');
    return db;
  });
  // A named workspace is opened now, as before: its errors (not a workspace, newer schema) come first.
  if (!isTemporary) void opened.ctx.db;
  try {
    const out = options.out ? openOutputFile(options.out) : null;
    const fd = out ? out.fd : 1;
    let succeeded = false;
    try {
      const { runId, summary } = await reconcileFiles(opened.ctx, {
        storefront: {
          files: sfFiles,
          snapshotIds: sfSnaps,
          ...(sfFormat ? { format: sfFormat } : {}),
          ...(sfCurrency ? { currency: sfCurrency } : {}),
        },
        netsuite: {
          files: nsFiles,
          snapshotIds: nsSnaps,
          ...(nsFormat ? { format: nsFormat } : {}),
          ...(nsCurrency ? { currency: nsCurrency } : {}),
        },
        ...(options.mapping ? { mapping: options.mapping } : {}),
        ...(options.disputes ? { disputes: options.disputes } : {}),
        onNotice: (message: string) => process.stderr.write(`refund-recon: ${message}\n`),
        rules: rulesInput,
        // A named workspace's tolerances and date window apply unless given on the command line.
        ...(options.workspace
          ? {
              workspaceSettings: {
                tolerance: options.tolerance !== undefined,
                dateWindow: options.dateWindow !== undefined,
                creditPayoutDays: options.creditPayoutDays !== undefined,
                onlyGivenTolerances: options.tolerance !== undefined,
              },
            }
          : {}),
        keepWorkspace: tempDir === undefined,
        format: options.format,
        write: fdWriter(fd),
        onPhase: phaseTimer(),
        onBusy: sayBusyOnce,
        // The CLI words the advice for a file without a currency: the flag of that side.
        onImportError: (side, error) =>
          withCurrencyFlag(error, side === 'storefront' ? '--storefront-currency' : '--netsuite-currency'),
        earlyFlatHelper: early,
      });
      out?.commit();
      succeeded = true;
      if (runId !== null) process.stderr.write(`refund-recon: run ${runId} stored in ${workspace}\n`);
      return exitStatusFor(
        (Object.keys(summary.bySeverity) as Severity[]).filter((s) => (summary.bySeverity[s] ?? 0) > 0),
      );
    } finally {
      if (!succeeded) out?.discard();
    }
  } finally {
    opened.close();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description(
      'Compare storefront refunds with NetSuite records (export files or snapshots); exit 0 ok/info, 1 warnings or errors, 2 bad input',
    )
    .option('--storefront <file...>', 'storefront export file(s), imported on the fly')
    .option('--netsuite <file...>', 'NetSuite export file(s), imported on the fly')
    .option('--storefront-snapshot <id>', 'an existing storefront snapshot of --workspace (repeatable)', collect)
    .option('--netsuite-snapshot <id>', 'an existing NetSuite snapshot of --workspace (repeatable)', collect)
    .option('--storefront-format <format>', 'storefront file format (default: detected)')
    .option('--netsuite-format <format>', 'NetSuite file format (default: detected)')
    .option(
      '--storefront-currency <code>',
      'currency of storefront files that do not say it (BigCommerce, WooCommerce)',
    )
    .option(
      '--netsuite-currency <code>',
      'currency of NetSuite files that do not say it (saved search without Currency)',
    )
    .option('--mapping <file.json>', 'saved-search header mapping for the NetSuite file')
    .option('--item-mapping <file.json>', 'storefront SKU → NetSuite item mapping (default: identical)')
    .option(
      '--tolerance <amount>',
      'totals may differ by this much and count as rounding: 0.01, or USD=0.05,JPY=1 (default: one minor unit)',
    )
    .option('--date-window <days>', 'equal-total refunds of an order pair by nearest date within this many days', '7')
    .option('--disputes <file...>', 'Shopify Payments disputes (REST or GraphQL JSON) to tell chargebacks from refunds')
    .option(
      '--credit-payout-days <days>',
      'an open Credit Memo counts as a card refund pending payout for this many days (default 7)',
    )
    .option('--as-of <YYYY-MM-DD>', 'the day open credit is aged against (default: the NetSuite snapshot date)')
    .addOption(
      new Option(
        '--storefront-line-items <mode>',
        "can the storefront refund single lines? 'auto' infers it from the data",
      )
        .choices(['auto', 'yes', 'no'])
        .default('auto'),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--out <file>', 'write the output to a file instead of stdout')
    .option(
      '--workspace <file.sqlite>',
      'import into this workspace and store the run there (default: a temporary workspace)',
    )
    .action(async (options: ReconcileCliOptions) => {
      process.exitCode = await runReconcileCommand(options);
    });
}
