import fs from 'node:fs';
import { ItemRoles, TenderMapping } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { TenderKind } from '../../shared/model';
import type { AppContext } from '../context';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { readWorkspaceSetting, writeWorkspaceSetting } from '../store/workspace-settings';

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
  const value = readWorkspaceSetting(db, KEY);
  if (value === undefined) return {};
  try {
    const parsed = Stored.safeParse(JSON.parse(value));
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
    writeWorkspaceSetting(
      ctx.db,
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
