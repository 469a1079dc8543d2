import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import { UserError } from '../../shared/errors';
import type { NativeDialogs } from '../services/dialog-service';

/** The parts of a window the dialogs need. */
export type DialogParent = Pick<BaseWindow, 'isDestroyed'>;

/** Windows with a dialog open: one at a time per window (a renderer cannot stack dialogs). */
const open = new WeakSet<object>();

/**
 * `AppContext.dialogs` for one window: `dialog.showOpenDialog` parented to the window whose
 * renderer asked (the IPC wrapper has already checked that sender). Options are fixed here; the
 * renderer chooses none of them. One file or one folder, never several; a cancelled dialog is null.
 */
export function windowDialogs(dialog: Pick<Dialog, 'showOpenDialog'>, window: DialogParent): NativeDialogs {
  const ask = async (options: OpenDialogOptions): Promise<string | null> => {
    if (window.isDestroyed()) return null;
    if (open.has(window)) {
      throw new UserError('dialog_busy', 'A file dialog is already open for this window; answer or close it first.');
    }
    open.add(window);
    try {
      const answer = await dialog.showOpenDialog(window as BaseWindow, options);
      if (answer.canceled) return null;
      const [first] = answer.filePaths;
      return typeof first === 'string' && first !== '' ? first : null;
    } finally {
      open.delete(window);
    }
  };
  return {
    openFile: ({ title, filters }) => ask({ title, filters, properties: ['openFile', 'dontAddToRecent'] }),
    chooseFolder: ({ title }) =>
      ask({
        title,
        buttonLabel: 'Use this folder',
        properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
      }),
  };
}
