import { listPeople } from '../review/people';
import type { UseCaseContext } from './context';

/** What the app sends when nobody has chosen who is at the desk (the contract's default actor). */
export const UNNAMED_ACTOR = 'local user';

/**
 * Who an action is recorded under (the audit log), decided the same way for every face: the name
 * given, else — when the app sends its placeholder or the CLI was given no `--actor` — the
 * workspace's person when it has exactly one (the person the app's "You are" picker offers), else
 * "local user". The app keeps the chosen person on the computer, not in the workspace, so with
 * several people a script names one.
 */
export function resolveActor(ctx: UseCaseContext, given?: string): string {
  const name = given?.trim();
  if (name && name !== UNNAMED_ACTOR) return name;
  const people = listPeople(ctx.db);
  return people.length === 1 ? people[0]!.name : UNNAMED_ACTOR;
}
