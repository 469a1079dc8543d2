import { z } from 'zod';
import { channel } from './define';

/** Create, open and switch workspaces (issue 13). The demo is one workspace among others. */
export const RecentWorkspace = z.object({
  path: z.string(),
  name: z.string(),
  isDemo: z.boolean(),
  exists: z.boolean(),
  current: z.boolean(),
});

const WorkspacePath = z.string().trim().min(1).max(1000);

export const workspaceSwitchChannels = {
  'workspace:recent': channel(
    z.object({}).strict(),
    z.array(RecentWorkspace),
    'The open workspace, the recent ones and the demo',
  ),
  'workspace:open': channel(
    z.object({ path: WorkspacePath }).strict(),
    z.object({ path: z.string(), isDemo: z.boolean() }),
    'Open another workspace in this window (the app reopens it next time)',
  ),
  'workspace:create': channel(
    z.object({ path: WorkspacePath }).strict(),
    z.object({ path: z.string(), isDemo: z.boolean() }),
    'Create a new, empty workspace and open it',
  ),
};
