import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { exitStatusFor, type Severity } from '../../../shared/codes';
import {
  type ReconcileRules,
  type ReconcileRulesInput,
  ReconcileRules as RulesSchema,
} from '../../../shared/contract/run';
import { ImportFormat } from '../../../shared/contract/snapshot';
import { UserError } from '../../../shared/errors';
import type { CanonicalRefund, Side } from '../../../shared/model';
import { isCurrencyCode } from '../../../shared/money';
import { resolveCurrency } from '../../../shared/money/currencies';
import { importFile } from '../../importers/import-file';
import { refuseDeepJson } from '../../importers/json-stream';
import { statRegularFileSync } from '../../importers/source';
import { type EngineSummary, type ReconcileResult, reconcileColumns } from '../../reconcile/engine';
import type { SnapshotColumns } from '../../reconcile/match-cache';
import { hydrate, keyFieldOf, readMatchColumns } from '../../reconcile/match-columns';
import { CsvWriter, JsonResultsWriter, jsonHead, jsonTail, TableWriter } from '../../reconcile/output';
import { finishRun, ResultWriter, startRun } from '../../reconcile/run-store';
import { BUSY_MESSAGE, beginImmediateWhenFree } from '../../store/busy';
import { type Db, openWorkspace } from '../../store/open';
import { withWorkspaceSettings } from '../../use-cases/settings';
import { withCurrencyFlag } from '../currency-advice';

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

/** Item mapping file: `{ "storefront-sku": "NetSuite item" }` or `[{ "storefront": …, "netsuite": … }]`. */
function readItemMapping(file: string): Record<string, string> {
  statRegularFileSync(file); // a pipe would block the read forever
  let value: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    refuseDeepJson(path.basename(file), text);
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      'bad_item_mapping',
      `Cannot read the item mapping: ${error instanceof Error ? error.message : String(error)}. Expected a JSON object {"storefront SKU": "NetSuite item"}.`,
      { file: path.basename(file) },
    );
  }
  const mapping: Record<string, string> = {};
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const e = entry as { storefront?: unknown; netsuite?: unknown };
      if (typeof e?.storefront !== 'string' || typeof e?.netsuite !== 'string') {
        throw new UserError(
          'bad_item_mapping',
          `Entry ${index + 1} is not {"storefront": "<SKU>", "netsuite": "<item>"}; found ${JSON.stringify(entry)?.slice(0, 80)}.`,
          { file: path.basename(file), field: `[${index}]` },
        );
      }
      mapping[e.storefront] = e.netsuite;
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') {
        throw new UserError(
          'bad_item_mapping',
          `The mapping for "${k}" must be a NetSuite item name (a string); found ${JSON.stringify(v)}.`,
          {
            file: path.basename(file),
            field: k,
          },
        );
      }
      mapping[k] = v;
    }
  } else {
    throw new UserError(
      'bad_item_mapping',
      'Expected a JSON object {"storefront SKU": "NetSuite item"} or an array of {storefront, netsuite}.',
      {
        file: path.basename(file),
      },
    );
  }
  return mapping;
}

function parseFormat(value: string | undefined, flag: string): ImportFormat | undefined {
  if (value === undefined) return undefined;
  const parsed = ImportFormat.safeParse(value);
  if (!parsed.success) {
    throw new UserError(
      'usage',
      `${flag}: "${value}" is not a known format. Expected one of: ${ImportFormat.options.join(', ')}.`,
      {
        field: flag,
      },
    );
  }
  return parsed.data;
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
 * Imports one side's files (after the given snapshots); the matcher's columns of each new snapshot
 * are built while it is written and put in `known`, so matching does not read them back.
 */
async function sideSnapshots(
  db: Db,
  side: Side,
  files: string[],
  snapshots: number[],
  format: ImportFormat | undefined,
  mapping: string | undefined,
  refundKeyField: ReconcileRules['refundKeyField'],
  known: Map<number, SnapshotColumns>,
  currency?: string,
): Promise<number[]> {
  const snapshotIds = [...snapshots];
  for (const file of files) {
    if (!fs.existsSync(file)) {
      throw new UserError('file_not_found', `The ${side} file does not exist. Check the path.`, { file });
    }
    const result = await importFile(db, {
      file,
      side,
      format,
      mapping: side === 'netsuite' ? mapping : undefined,
      currency,
      allowDuplicate: false,
      matchColumns: keyFieldOf(side, refundKeyField),
      onProgress: (p) => {
        if (p.phase === 'waiting') sayBusyOnce();
      },
    }).catch((error: unknown) => {
      throw withCurrencyFlag(error, side === 'storefront' ? '--storefront-currency' : '--netsuite-currency');
    });
    snapshotIds.push(result.snapshotId);
    if (result.matchColumns) known.set(result.snapshotId, result.matchColumns);
  }
  return snapshotIds;
}

let saidBusy = false;
/** The busy-workspace notice, once per command (stderr; stdout carries the results). */
function sayBusyOnce(): void {
  if (!saidBusy) process.stderr.write(`refund-recon: ${BUSY_MESSAGE}\n`);
  saidBusy = true;
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
  return (name) => {
    const c = process.cpuUsage(cpu);
    const used = mb(process.memoryUsage().heapUsed);
    gc?.();
    const live = gc ? ` (live ${mb(process.memoryUsage().heapUsed)} MB)` : '';
    process.stderr.write(
      `refund-recon: ${name}: wall ${Math.round(performance.now() - wall)} ms, CPU ${Math.round((c.user + c.system) / 1000)} ms, ` +
        `peak RSS so far ${mb(process.resourceUsage().maxRSS * 1024)} MB, heap used ${used} MB${live}\n`,
    );
    wall = performance.now();
    cpu = process.cpuUsage();
  };
}

/** Where results go as the engine produces them (one of the three formats). */
interface OutputSink {
  add(result: ReconcileResult): void;
  finish(summary: EngineSummary, notCompared: CanonicalRefund[], rules: ReconcileRules): void;
}

/** Copies a file to `write` in 4 MB chunks. */
function copyFile(file: string, write: (chunk: Buffer) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) break;
      write(chunk.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The output of `--format`: CSV rows and the table's counts stream as results come; the JSON
 * document starts with the summary (spec §7), so its results are spooled to a temporary file and
 * copied after the summary once matching is done. Nothing holds all results.
 */
function outputSink(
  format: ReconcileCliOptions['format'],
  write: (chunk: string | Buffer) => void,
  mapping: Readonly<Record<string, string>>,
  spoolDir: () => string,
): OutputSink {
  if (format === 'csv') {
    const csv = new CsvWriter(write);
    return { add: (r) => csv.add(r), finish: () => csv.finish() };
  }
  if (format === 'table') {
    const table = new TableWriter(write);
    return { add: (r) => table.add(r), finish: (summary) => table.finish(summary) };
  }
  const spool = path.join(spoolDir(), 'results.json.part');
  const spoolFd = fs.openSync(spool, 'w');
  const body = new JsonResultsWriter(fdWriter(spoolFd), mapping);
  return {
    add: (r) => body.add(r),
    finish: (summary, notCompared, rules) => {
      body.finish();
      fs.closeSync(spoolFd);
      write(jsonHead(summary, rules));
      copyFile(spool, write);
      fs.rmSync(spool, { force: true });
      write(jsonTail(notCompared));
    },
  };
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
  const rulesInput: ReconcileRulesInput = {
    storefrontLineItems: options.storefrontLineItems,
    ...(options.tolerance !== undefined ? { tolerance: parseTolerance(options.tolerance) } : {}),
    ...(options.dateWindow !== undefined ? { dateWindowDays: parseDateWindow(options.dateWindow) } : {}),
    ...(options.itemMapping ? { itemMapping: readItemMapping(options.itemMapping) } : {}),
  };
  let rules = RulesSchema.parse(rulesInput);
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
  const db = openWorkspace(workspace);
  // A named workspace's tolerances and date window apply unless given on the command line.
  if (options.workspace) {
    rules = withWorkspaceSettings(db, rules, {
      tolerance: options.tolerance !== undefined,
      dateWindow: options.dateWindow !== undefined,
      onlyGivenTolerances: options.tolerance !== undefined,
    });
  }
  let spoolDir: string | undefined;
  try {
    const phase = phaseTimer();
    const key = rules.refundKeyField;
    const known = new Map<number, SnapshotColumns>();
    const sfIds = await sideSnapshots(
      db,
      'storefront',
      sfFiles,
      sfSnaps,
      sfFormat,
      options.mapping,
      key,
      known,
      sfCurrency,
    );
    phase('import storefront');
    const nsIds = await sideSnapshots(
      db,
      'netsuite',
      nsFiles,
      nsSnaps,
      nsFormat,
      options.mapping,
      key,
      known,
      nsCurrency,
    );
    phase('import netsuite');
    // A temporary workspace is deleted afterwards: no match cache, no line summaries written back.
    const keep = tempDir === undefined;
    // Another import or compare may be writing to the workspace: wait for the lock without
    // blocking (store/busy.ts), then match and store in this one transaction (committed below).
    if (keep) await beginImmediateWhenFree(db, { onWait: sayBusyOnce });
    const sf = readMatchColumns(db, sfIds, 'storefront', key, { persist: keep, known });
    const ns = readMatchColumns(db, nsIds, 'netsuite', key, { persist: keep, known });
    phase('read');
    const fd = options.out ? fs.openSync(options.out, 'w') : 1;
    try {
      const write = fdWriter(fd);
      const sink = outputSink(options.format, write, rules.itemMapping, () => {
        spoolDir ??= tempDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-'));
        return spoolDir;
      });
      // Display fields (document numbers, source refs, external ids, status) come from the
      // workspace in batches: every record for JSON, the records of results with a hint otherwise.
      const hydrateAll = options.format === 'json';
      let batch: ReconcileResult[] = [];
      let writer: ResultWriter | null = null;
      const drain = () => {
        const records: CanonicalRefund[] = [];
        for (const r of batch) {
          if (!hydrateAll && r.code === 'matched') continue;
          for (const x of r.storefront) records.push(x);
          for (const x of r.netsuite) records.push(x);
        }
        if (records.length > 0) hydrate(db, records);
        for (const r of batch) {
          writer?.add(r);
          sink.add(r);
        }
        batch = [];
      };
      const match = () => {
        const out = reconcileColumns(
          sf,
          ns,
          rules,
          {},
          {
            add: (r) => {
              batch.push(r);
              if (batch.length >= 256) drain();
            },
          },
        );
        drain();
        hydrate(db, out.notCompared);
        return out;
      };
      let out: ReturnType<typeof match>;
      if (keep && sfIds.length === 1 && nsIds.length === 1) {
        // One transaction: the run is stored complete, or not at all.
        out = db.transaction(() => {
          const runId = startRun(db, { storefrontSnapshotId: sfIds[0]!, netsuiteSnapshotId: nsIds[0]!, rules });
          writer = new ResultWriter(db, runId);
          const done = match();
          writer.finish();
          finishRun(db, runId, 'complete', done.summary);
          process.stderr.write(`refund-recon: run ${runId} stored in ${workspace}\n`);
          return done;
        })();
      } else out = match();
      sink.finish(out.summary, out.notCompared, rules);
      if (db.inTransaction) db.exec('COMMIT');
      phase('match and write');
      return exitStatusFor(
        (Object.keys(out.summary.bySeverity) as Severity[]).filter((s) => (out.summary.bySeverity[s] ?? 0) > 0),
      );
    } finally {
      if (options.out) fs.closeSync(fd);
    }
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    if (spoolDir && spoolDir !== tempDir) fs.rmSync(spoolDir, { recursive: true, force: true });
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
