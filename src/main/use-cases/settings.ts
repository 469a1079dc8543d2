import type { ReconcileSettings } from '../../shared/contract/accounts';
import type { ReconcileRules } from '../../shared/contract/run';
import { UserError } from '../../shared/errors';
import { isCurrencyCode } from '../../shared/money';
import type { AppContext } from '../context';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { readWorkspaceSetting, writeWorkspaceSetting } from '../store/workspace-settings';

/**
 * The comparison settings a workspace keeps (migration 012, `workspace_settings`): a default
 * tolerance, tolerances per currency, and the date window. Tolerances are decimal text in the
 * currency's units ("0.05"), as the rules of a run store them; never floats.
 */
const KEY = 'reconcile_rules';
export const DEFAULT_SETTINGS: ReconcileSettings = {
  defaultTolerance: null,
  tolerances: {},
  dateWindowDays: 7,
  creditPayoutDays: 7,
};

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;

export function readReconcileSettings(db: Db): ReconcileSettings {
  const value = readWorkspaceSetting(db, KEY);
  if (value === undefined) return { ...DEFAULT_SETTINGS, tolerances: {} };
  try {
    const parsed = JSON.parse(value) as Partial<ReconcileSettings>;
    return {
      defaultTolerance: typeof parsed.defaultTolerance === 'string' ? parsed.defaultTolerance : null,
      tolerances: parsed.tolerances && typeof parsed.tolerances === 'object' ? { ...parsed.tolerances } : {},
      dateWindowDays: typeof parsed.dateWindowDays === 'number' ? parsed.dateWindowDays : 7,
      creditPayoutDays: typeof parsed.creditPayoutDays === 'number' ? parsed.creditPayoutDays : 7,
    };
  } catch {
    return { ...DEFAULT_SETTINGS, tolerances: {} };
  }
}

function checkTolerance(value: string, where: string): string {
  const text = value.trim();
  if (!DECIMAL.test(text)) {
    throw new UserError(
      'invalid_tolerance',
      `${where}: "${value.slice(0, 20)}" is not an amount: write a non-negative amount such as 0.05 (in the currency's units).`,
      { field: where },
    );
  }
  return text;
}

export function getSettings(ctx: AppContext): ReconcileSettings {
  return readReconcileSettings(ctx.db);
}

/** Changes the settings; each field given replaces the stored one. Checked before anything is written. */
export function setSettings(
  ctx: AppContext,
  input: {
    defaultTolerance?: string | null | undefined;
    tolerances?: Record<string, string> | undefined;
    dateWindowDays?: number | undefined;
    creditPayoutDays?: number | undefined;
    actor?: string | undefined;
  },
): ReconcileSettings {
  const before = readReconcileSettings(ctx.db);
  const next: ReconcileSettings = { ...before, tolerances: { ...before.tolerances } };
  if (input.defaultTolerance !== undefined) {
    next.defaultTolerance =
      input.defaultTolerance === null || input.defaultTolerance.trim() === ''
        ? null
        : checkTolerance(input.defaultTolerance, 'default tolerance');
  }
  if (input.tolerances !== undefined) {
    const tolerances: Record<string, string> = {};
    for (const [currency, value] of Object.entries(input.tolerances)) {
      const code = currency.trim().toUpperCase();
      if (!isCurrencyCode(code)) {
        throw new UserError(
          'invalid_currency',
          `"${currency.slice(0, 10)}" is not an ISO 4217 currency code: use three letters such as USD.`,
          { field: 'tolerances' },
        );
      }
      tolerances[code] = checkTolerance(value, `tolerance for ${code}`);
    }
    next.tolerances = tolerances;
  }
  if (input.dateWindowDays !== undefined) {
    if (!Number.isInteger(input.dateWindowDays) || input.dateWindowDays < 0 || input.dateWindowDays > 3660) {
      throw new UserError('invalid_date_window', 'The date window is a whole number of days from 0 to 3660.', {
        field: 'dateWindowDays',
      });
    }
    next.dateWindowDays = input.dateWindowDays;
  }
  if (input.creditPayoutDays !== undefined) {
    if (!Number.isInteger(input.creditPayoutDays) || input.creditPayoutDays < 0 || input.creditPayoutDays > 3660) {
      throw new UserError(
        'invalid_credit_payout_days',
        'The days an open credit may wait for its payout are a whole number from 0 to 3660.',
        { field: 'creditPayoutDays' },
      );
    }
    next.creditPayoutDays = input.creditPayoutDays;
  }
  const now = nowIso();
  ctx.db.transaction(() => {
    writeWorkspaceSetting(ctx.db, KEY, JSON.stringify(next), now);
    appendAudit(ctx.db, {
      actor: input.actor ?? 'local user',
      action: 'settings.reconcile',
      entity: 'workspace',
      before,
      after: next,
    });
  })();
  return next;
}

/**
 * The rules of a comparison with the workspace's settings filled in: per-currency tolerances from
 * the workspace unless the caller gave one for that currency; the default tolerance and the date
 * window from the workspace unless the caller gave them (`given`). `onlyGivenTolerances`: a
 * tolerance typed on the command line replaces the workspace's, per currency ones included.
 */
export function withWorkspaceSettings(
  db: Db,
  rules: ReconcileRules,
  given: { tolerance: boolean; dateWindow: boolean; onlyGivenTolerances?: boolean; creditPayoutDays?: boolean },
): ReconcileRules {
  const settings = readReconcileSettings(db);
  return {
    ...rules,
    tolerance: {
      default: given.tolerance ? rules.tolerance.default : (settings.defaultTolerance ?? rules.tolerance.default),
      byCurrency: given.onlyGivenTolerances
        ? rules.tolerance.byCurrency
        : { ...settings.tolerances, ...rules.tolerance.byCurrency },
    },
    dateWindowDays: given.dateWindow ? rules.dateWindowDays : settings.dateWindowDays,
    creditPayoutDays: given.creditPayoutDays ? rules.creditPayoutDays : settings.creditPayoutDays,
  };
}
