import type { ChannelName } from '../shared/contract';
import { accountHandlers } from './services/account-service';
import { callHandlers } from './services/call-service';
import { connectionHandlers } from './services/connection-service';
import { deskHandlers } from './services/desk-service';
import { dialogHandlers } from './services/dialog-service';
import type { HandlerMap } from './services/handler';
import { reportHandlers } from './services/report-service';
import { runHandlers } from './services/run-service';
import { snapshotHandlers } from './services/snapshot-service';
import { syncHandlers } from './services/sync-service';
import { tenderSettingsHandlers } from './services/tender-settings-service';
import { uiHandlers } from './services/ui-service';
import { workspaceHandlers } from './services/workspace-service';

/**
 * The one facade that Electron IPC, browser mode and the CLI call. It only assembles the
 * per-domain handler maps; the TypeScript type makes a channel without a handler a compile error.
 */
export const handlers: HandlerMap<ChannelName> = {
  ...callHandlers,
  ...workspaceHandlers,
  ...runHandlers,
  ...snapshotHandlers,
  ...syncHandlers,
  ...connectionHandlers,
  ...reportHandlers,
  ...uiHandlers,
  ...dialogHandlers,
  ...accountHandlers,
  ...deskHandlers,
  ...tenderSettingsHandlers,
};
