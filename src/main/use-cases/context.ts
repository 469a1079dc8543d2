import type { AppContext } from '../context';

/**
 * What a use-case needs from the face that calls it: the open workspace and where it lives, and
 * (optionally) a listener for progress events. The desktop app and browser mode pass their whole
 * AppContext; the CLI builds one from the workspace it opened (cliContext).
 *
 * Convention for every use-case in this folder:
 *   export function doThing(ctx: UseCaseContext, input: DoThingInput, signal?: AbortSignal): DoThingResult | Promise<DoThingResult>
 * Faces (src/main/cli, src/main/serve, src/main/electron and the services behind the contract)
 * call these functions and nothing below them (.dependency-cruiser.cjs enforces it).
 */
export type UseCaseContext = Pick<AppContext, 'db' | 'workspacePath'> & Partial<Pick<AppContext, 'emit'>>;
