import { z } from 'zod';
import { Side } from '../model';
import { channel } from './define';

/**
 * Native dialogs (desktop app only). In the desktop app, the paths `snapshot:import`,
 * `snapshot:detect-format` and `report:export` use must come from these: the main process shows
 * the dialog for the window that asked, records the answer as granted and returns it. In browser
 * mode (and the CLI) they answer `not_available`: there the path is typed or browsed with
 * `ui:list-folder`.
 */
export const DialogAnswer = z.object({
  /** The chosen path (its realpath), or null when the user cancelled. */
  path: z.string().nullable(),
});
export type DialogAnswer = z.infer<typeof DialogAnswer>;

export const dialogChannels = {
  'dialog:open-file': channel(
    z
      .object({
        side: Side.optional(),
        /**
         * `import` (default): an export file; `workspace`: a workspace file (.sqlite) to open;
         * `order-context`: the order-context file a dry run reads (JSON).
         */
        purpose: z.enum(['import', 'workspace', 'order-context']).optional(),
      })
      .strict(),
    DialogAnswer,
    'Desktop app: choose an export file to import, or a workspace to open, in a native dialog (filters for that kind of file); the file is granted for that use',
  ),
  'dialog:choose-folder': channel(
    z.object({}).strict(),
    DialogAnswer,
    'Desktop app: choose a folder to write exports into in a native dialog; the folder is granted for export',
  ),
};
