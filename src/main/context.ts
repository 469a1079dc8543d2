import type { z } from 'zod';
import type { EventName, events } from '../shared/contract/events';
import type { Db } from './store/open';

/** Everything a service needs, built once per open workspace by the transport (Electron, serve, CLI). */
export interface AppContext {
  db: Db;
  workspacePath: string;
  isDemo: boolean;
  appVersion: string;
  /** Pushes an event to whoever is listening (IPC window or browser-mode SSE clients). */
  emit<E extends EventName>(event: E, payload: z.input<(typeof events)[E]>): void;
}
