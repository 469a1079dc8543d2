import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { openWorkspace } from '../../../src/main/store/open';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { type JournalEntry, listJournal } from '../../../src/main/sync/journal';
import { previewPush } from '../../../src/main/sync/push';
import type { StorefrontOrderContext } from '../../../src/main/sync/types';
import type { CanonicalRefund } from '../../../src/shared/model';
import type { LoggedRequest } from '../../emulators/common/server';
import { meetReadiness } from '../../fixtures/sync/readiness';
import { OPTIONS } from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';
import { killAfterRequests, mulberry, runCli } from './crash-harness';

/**
 * The crash loop shared by the BigCommerce and WooCommerce crash tests: the real CLI pushes the
 * set and is SIGKILLed once the emulator has seen a random number of further requests (+0–2 ms),
 * then resumed; after the last kill it runs to the end. Returns the figures; the caller checks the
 * store holds each NetSuite refund exactly once.
 */
export interface StorefrontCrashInput {
  platform: 'bigcommerce' | 'woocommerce';
  dir: string;
  script: string;
  records: CanonicalRefund[];
  contexts: StorefrontOrderContext[];
  apiSettings: Record<string, unknown>;
  env: Record<string, string>;
  requests: LoggedRequest[];
  /** Requests one refund costs when nothing goes wrong (spreads the kills over the whole push). */
  requestsPerRefund: number;
  kills: number;
  seed: number;
  /** Whether the store holds a refund with this key now (to tell what a kill left in flight). */
  onStore: (key: string) => boolean;
}

export interface StorefrontCrashRun {
  kills: number;
  childRuns: number;
  journal: JournalEntry[];
  sendAttemptsJournaled: number;
  /** Kills that left a write `sending` whose refund the store had made (found by read-back next run). */
  inFlightLanded: number;
  /** Kills that left a write `sending` the store never got (sent again after the read-back). */
  inFlightLost: number;
  lastStdout: string;
}

export async function crashLoop(input: StorefrontCrashInput): Promise<StorefrontCrashRun> {
  const file = path.join(input.dir, 'workspace.sqlite');
  const w = await makeSyncWorkspace({
    file,
    platform: input.platform,
    storefront: [],
    netsuite: input.records,
    storefrontOrders: input.contexts,
    options: OPTIONS,
    storefrontApiSettings: input.apiSettings,
  });
  expect(
    setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 'crash-test' }).status,
  ).toBe('changed');
  // A live store: the push needs the readiness checklist met (checked again by every CLI run).
  await meetReadiness(w.db, w.accountId);
  const preview = previewPush(w.db, w.accountId);
  expect(preview.notPushable).toEqual([]);
  expect(preview.count).toBe(input.records.length);
  w.db.close();

  const env = {
    REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
    REFUND_RECON_SECRETS_FILE: path.join(input.dir, 'no-secrets.json'),
    REFUND_RECON_HTTP_BASE_DELAY_MS: '20',
    ...input.env,
  };
  const base = ['push', '--workspace', file, '--account', String(w.accountId), '--format', 'json'];
  const journaled = () => {
    const db = openWorkspace(file);
    try {
      return listJournal(db, w.accountId);
    } finally {
      db.close();
    }
  };
  const args = () =>
    journaled().length === 0 ? [...base, '--confirm', preview.confirmationCode] : [...base, '--resume'];
  const random = mulberry(input.seed);
  const perKill = Math.max(2, Math.floor((input.records.length * input.requestsPerRefund) / (input.kills + 1)));
  let kills = 0;
  let runs = 0;
  let inFlightLanded = 0;
  let inFlightLost = 0;
  while (kills < input.kills) {
    const run = runCli(input.script, args(), env);
    runs += 1;
    if (await killAfterRequests(run, () => input.requests.length, 1 + Math.floor(random() * perKill * 1.5), random)) {
      kills += 1;
      for (const row of journaled().filter((j) => j.state === 'sending')) {
        if (input.onStore(row.refundKey)) inFlightLanded += 1;
        else inFlightLost += 1;
      }
    } else {
      const done = await run.done;
      expect(done.stderr).toBe('');
      if (journaled().every((j) => j.state === 'confirmed')) break;
    }
  }
  const last = await runCli(input.script, args(), env).done;
  runs += 1;
  expect(last.stderr).toBe('');
  const journal = journaled();
  expect(
    journal.filter((j) => j.state !== 'confirmed').map((j) => `${j.refundKey} ${j.state}: ${j.lastError}`),
  ).toEqual([]);
  expect(last.code).toBe(0);
  return {
    kills,
    childRuns: runs,
    journal,
    sendAttemptsJournaled: journal.reduce((n, j) => n + j.attempts, 0),
    inFlightLanded,
    inFlightLost,
    lastStdout: last.stdout,
  };
}

export function writeFigures(name: string, figures: Record<string, unknown>): void {
  const dir = path.resolve(__dirname, '../../../test-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(name, JSON.stringify(figures));
}
