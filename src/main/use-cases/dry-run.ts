import fs from 'node:fs';
import { UserError } from '../../shared/errors';
import { refuseDeepJson } from '../importers/json-stream';
import { statRegularFileSync } from '../importers/source';
import { targetFor } from '../sync/connections';
import { type DryRunInput, type DryRunRecord, runDryRun } from '../sync/dry-run';
import { saveOrderContexts } from '../sync/sources';
import { OrderContextFile } from '../sync/types';
import type { UseCaseContext } from './context';

/**
 * Test-order dry runs: build the records a sync would send and check them against the source,
 * sending nothing that writes (a sandbox round trip only when asked). The app's dry-run:start and
 * `refund-recon dry-run` call these.
 */

export interface DryRunStartInput extends DryRunInput {
  /** No live lookups: "already synced?" is answered from the workspace only. */
  offline?: boolean;
}

/** Runs a dry run for one account; the live target (when configured and not offline) answers lookups. */
export function startDryRun(ctx: UseCaseContext, input: DryRunStartInput): Promise<DryRunRecord> {
  const { offline, ...dryRun } = input;
  const target = offline ? null : targetFor(ctx.db, input.accountId);
  return runDryRun(ctx.db, dryRun, target ? { target } : {});
}

/** Loads an order-context file (how NetSuite billed each order, line ids…) into the workspace. */
export function loadOrderContextFile(ctx: UseCaseContext, input: { file: string; accountId: number }): number {
  const { file } = input;
  statRegularFileSync(file); // a pipe would block the read forever
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      'file_unreadable',
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      { file },
    );
  }
  refuseDeepJson(file, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError('invalid_json', `${file}: not valid JSON (${(error as Error).message}).`, { file });
  }
  const parsed = OrderContextFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError('invalid_order_context', `${file}, field ${issue.path.join('.')}: ${issue.message}.`, {
      file,
      field: issue.path.join('.'),
    });
  }
  return saveOrderContexts(ctx.db, input.accountId, parsed.data);
}
