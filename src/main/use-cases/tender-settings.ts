import fs from 'node:fs';
import { ItemRoles, TenderMapping } from '../../shared/contract/snapshot';
import { type TenderMappingView, TenderPlatform } from '../../shared/contract/tender-settings';
import { UserError } from '../../shared/errors';
import type { TenderKind } from '../../shared/model';
import type { AppContext } from '../context';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { readReconcileSettings, setSettings } from './settings';

/**
 * The user's tender mapping for pulls (tenders.md §1.3): `tenders.storefront` / `tenders.netsuite`
 * and the NetSuite tender items (`itemRoles.tender`, §1.4), kept in the workspace settings
 * (`workspace_settings`, key `tender_mapping`) and, for one pull, given by a mapping file — the
 * same file the importers take. A pull uses the file's when given, else the workspace's.
 */

const KEY = 'tender_mapping';

export interface TenderSettings {
  mapping?: TenderMapping;
  tenderItems?: { item: string; kind: TenderKind }[];
}

const Stored = TenderMapping.extend({
  tenderItems: ItemRoles.shape.tender,
});

export function readTenderSettings(db: Db): TenderSettings {
  const row = db.prepare('SELECT value FROM workspace_settings WHERE key = ?').get(KEY) as
    | { value: string }
    | undefined;
  if (!row) return {};
  try {
    const parsed = Stored.safeParse(JSON.parse(row.value));
    if (!parsed.success) return {};
    const { tenderItems, ...mapping } = parsed.data;
    return { mapping, ...(tenderItems ? { tenderItems } : {}) };
  } catch {
    return {};
  }
}

/** Replaces the workspace's tender mapping; the change goes to the audit log (§1.3). */
export function setTenderSettings(ctx: Pick<AppContext, 'db'>, value: TenderSettings, actor = 'user'): TenderSettings {
  const before = readTenderSettings(ctx.db);
  const mapping = TenderMapping.parse(value.mapping ?? {});
  const next: TenderSettings = { mapping, ...(value.tenderItems ? { tenderItems: value.tenderItems } : {}) };
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        `INSERT INTO workspace_settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(
        KEY,
        JSON.stringify({ ...mapping, ...(next.tenderItems ? { tenderItems: next.tenderItems } : {}) }),
        nowIso(),
      );
    appendAudit(ctx.db, { actor, action: 'settings:tender-mapping', entity: 'workspace', before, after: next });
  })();
  return next;
}

/** The tender part of a mapping file (`tenders`, `itemRoles.tender`), as the importers read it. */
export function readTenderMappingFile(file: string): TenderSettings {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UserError(
      'bad_mapping',
      `Cannot read the mapping file ${file} as JSON (${(error as Error).message.slice(0, 120)}). Expected {"tenders": {"storefront": […], "netsuite": […]}, "itemRoles": {"tender": […]}}.`,
      { file },
    );
  }
  const obj =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const out: TenderSettings = {};
  if (obj.tenders !== undefined) {
    const parsed = TenderMapping.safeParse(obj.tenders);
    if (!parsed.success) {
      throw new UserError(
        'bad_mapping',
        `The mapping's "tenders" is not valid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}. Expected {"storefront": [{"platform": "shopify", "gateway": "…", "kind": "card"}], "netsuite": [{"paymentMethod": "…", "kind": "store_credit"}]}.`,
        { file },
      );
    }
    out.mapping = parsed.data;
  }
  if (obj.itemRoles !== undefined) {
    const parsed = ItemRoles.safeParse(obj.itemRoles);
    if (!parsed.success) {
      throw new UserError(
        'bad_mapping',
        `The mapping's "itemRoles" is not valid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}.`,
        { file },
      );
    }
    if (parsed.data.tender) out.tenderItems = parsed.data.tender;
  }
  return out;
}

const PLATFORM_NAMES: Record<string, string> = {
  shopify: 'Shopify',
  bigcommerce: 'BigCommerce',
  woocommerce: 'WooCommerce',
};

/** The mapping as the settings screen shows it: gateways, payment methods, and the tender items kept as they are. */
export function getTenderMapping(ctx: Pick<AppContext, 'db'>): TenderMappingView {
  const settings = readTenderSettings(ctx.db);
  const netsuite = settings.mapping?.netsuite ?? [];
  return {
    storefront: (settings.mapping?.storefront ?? []).flatMap((r) => {
      const platform = TenderPlatform.safeParse(r.platform.trim().toLowerCase());
      return platform.success ? [{ platform: platform.data, gateway: r.gateway, kind: r.kind }] : [];
    }),
    paymentMethods: netsuite.flatMap((r) => ('paymentMethod' in r ? [r] : [])),
    tenderItems: [
      ...netsuite.flatMap((r) => ('item' in r ? [{ item: r.item, kind: r.kind }] : [])),
      ...(settings.tenderItems ?? []),
    ],
    creditPayoutDays: readReconcileSettings(ctx.db).creditPayoutDays,
  };
}

/** A name checked for the screen and the CLI alike: trimmed, not empty, not given twice. */
function checkNames(names: string[], what: string, where: string): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const name = raw.trim();
    if (name === '') {
      throw new UserError(
        'bad_tender_mapping',
        `Row ${i + 1} of the ${where} has no ${what}: type it as it appears in the export, or remove the row.`,
        { field: what },
      );
    }
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new UserError(
        'bad_tender_mapping',
        `The ${what} "${name.slice(0, 60)}" is in rows ${first + 1} and ${i + 1} of the ${where}: keep one row for it.`,
        { field: what },
      );
    }
    seen.set(key, i);
    return name;
  });
}

export interface SaveTenderMappingInput {
  storefront: { platform: string; gateway: string; kind: TenderKind }[];
  paymentMethods: { paymentMethod: string; kind: TenderKind }[];
  /** NetSuite tender items; absent: the workspace's are kept (the settings screen does not edit them). */
  tenderItems?: { item: string; kind: TenderKind }[];
  creditPayoutDays?: number | undefined;
  actor?: string;
}

/**
 * Replaces the tender mapping (the settings screen and `refund-recon settings tenders`): every
 * row is checked before anything is written; the change goes to the audit log, and the next
 * comparison applies it (tenders/remap-columns.ts), as do later pulls.
 */
export function saveTenderMapping(ctx: AppContext, input: SaveTenderMappingInput): TenderMappingView {
  const before = readTenderSettings(ctx.db);
  const byPlatform = new Map<string, number[]>();
  input.storefront.forEach((r, i) => {
    const platform = r.platform.trim().toLowerCase();
    if (!PLATFORM_NAMES[platform]) {
      throw new UserError(
        'bad_tender_mapping',
        `Row ${i + 1} of the storefront gateways names the platform "${r.platform.slice(0, 30)}": choose Shopify, BigCommerce or WooCommerce.`,
        { field: 'platform' },
      );
    }
    byPlatform.set(platform, [...(byPlatform.get(platform) ?? []), i]);
  });
  const gateways = input.storefront.map((r) => r.gateway);
  for (const [platform, rows] of byPlatform) {
    checkNames(
      rows.map((i) => gateways[i]!),
      'gateway',
      `${PLATFORM_NAMES[platform]} gateways`,
    );
  }
  const methods = checkNames(
    input.paymentMethods.map((r) => r.paymentMethod),
    'payment method',
    'NetSuite payment methods',
  );
  const keptItems = (before.mapping?.netsuite ?? []).flatMap((r) => ('item' in r ? [r] : []));
  if (input.creditPayoutDays !== undefined) {
    setSettings(ctx, { creditPayoutDays: input.creditPayoutDays, actor: input.actor ?? 'local user' });
  }
  const tenderItems = input.tenderItems ?? before.tenderItems;
  setTenderSettings(
    ctx,
    {
      mapping: {
        storefront: input.storefront.map((r, i) => ({
          platform: r.platform.trim().toLowerCase(),
          gateway: gateways[i]!.trim(),
          kind: r.kind,
        })),
        netsuite: [
          ...input.paymentMethods.map((r, i) => ({ paymentMethod: methods[i]!, kind: r.kind })),
          ...(input.tenderItems ? [] : keptItems),
        ],
      },
      ...(tenderItems ? { tenderItems } : {}),
    },
    input.actor ?? 'local user',
  );
  return getTenderMapping(ctx);
}
