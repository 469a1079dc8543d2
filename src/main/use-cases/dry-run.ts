import fs from 'node:fs';
import { UserError } from '../../shared/errors';
import { refuseDeepJson } from '../importers/json-stream';
import { statRegularFileSync } from '../importers/source';
import { saveOrderContexts } from '../sync/sources';
import { OrderContextFile } from '../sync/types';
import type { UseCaseContext } from './context';

/**
 * Test-order dry runs: the run itself is dryRunWithConnections (round-trip.ts), which the app's
 * dry-run:start and `refund-recon dry-run` both call; this file holds what feeds it.
 */

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
