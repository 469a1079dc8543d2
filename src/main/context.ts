import type { z } from 'zod';
import type { EventName, events } from '../shared/contract/events';
import type { PathGrants } from './security/path-grants';
import type { NativeDialogs } from './services/dialog-service';
import type { Db } from './store/open';

/** Everything a service needs, built once per open workspace by the transport (Electron, serve, CLI). */
export interface AppContext {
  db: Db;
  workspacePath: string;
  isDemo: boolean;
  appVersion: string;
  /** Pushes an event to whoever is listening (IPC window or browser-mode SSE clients). */
  emit<E extends EventName>(event: E, payload: z.input<(typeof events)[E]>): void;
  /**
   * Desktop app only: files and folders the user chose in a native dialog. When present, the
   * services use a renderer-sent path only if it is granted here (`snapshot:import`,
   * `snapshot:detect-format`, `report:export`) and refuse `ui:list-folder`. Absent in browser
   * mode and the CLI, where typed paths are part of the design.
   */
  pathGrants?: PathGrants;
  /** Desktop app only, per IPC call: native dialogs parented to the window that asked. */
  dialogs?: NativeDialogs;
  /**
   * Desktop app only, per IPC call: cancels a call of the same window by the id it was started
   * with (`call:cancel`). Browser mode cancels by aborting the HTTP request instead.
   */
  calls?: { cancel(callId: string): boolean };
}
