import type { Db } from '../store/open';
import { getSnapshot } from '../store/snapshots';
import { platformOfFormat, type TenderKindRules, tenderKindRules } from '../tenders/kind-rules';
import { readTenderSettings } from './tender-settings';

/**
 * The workspace's tender mapping as the rule every reader of stored tenders applies (tenders.md
 * §1.3): the comparison's columns, and the review's detail and the exports of a result whose split
 * is rebuilt from its records. A storefront snapshot's platform comes from its import format or
 * pull source. Undefined when the mapping names nothing.
 */
export function snapshotPlatformOf(db: Db): (snapshotId: number) => string | null {
  return (id) => platformOfFormat(getSnapshot(db, id)?.format ?? '');
}

export function workspaceTenderKinds(db: Db): TenderKindRules | undefined {
  return tenderKindRules(readTenderSettings(db).mapping, snapshotPlatformOf(db));
}
