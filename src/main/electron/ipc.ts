import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CallId, CHANNEL_NAMES, type Result } from '../../shared/contract';
import type { AppContext } from '../context';
import { dispatch } from '../dispatch';
import type { NativeDialogs } from '../services/dialog-service';
import { isTrustedSender, type SenderInfo } from './sender-check';

export function senderInfo(event: IpcMainInvokeEvent, isOurWebContents: (id: number) => boolean): SenderInfo {
  const frame = event.senderFrame;
  return {
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame ? frame.parent === null : false,
    fromOurWindow: isOurWebContents(event.sender.id),
  };
}

export interface IpcRegistration {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  context: () => AppContext;
  origins: readonly string[];
  isOurWebContents: (id: number) => boolean;
  /**
   * Native dialogs parented to the window of the (already trusted) sender; they are added to the
   * context of that one call only, so a dialog always belongs to the window that asked.
   */
  dialogsFor?: (webContentsId: number) => NativeDialogs | undefined;
}

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from the app window and was refused.' },
};

/**
 * The one registration wrapper: a handler per contract channel that checks the sender frame and
 * origin, then hands the untrusted payload to dispatch() (zod in, zod out, errors as values).
 * Returns a function that removes the handlers.
 */
export function registerIpc(registration: IpcRegistration): () => void {
  // Calls started with an id (the preload's optional third argument), per window: `call:cancel`
  // from the same window aborts the call's signal, which cancels its job. IPC has no abort of its own.
  const inFlight = new Map<string, AbortController>();
  for (const channel of CHANNEL_NAMES) {
    registration.ipcMain.handle(channel, async (event, payload: unknown, callId?: unknown) => {
      if (!isTrustedSender(senderInfo(event, registration.isOurWebContents), registration.origins)) return FORBIDDEN;
      const base = registration.context();
      const sender = event.sender.id;
      const dialogs = registration.dialogsFor?.(sender);
      const calls = { cancel: (id: string) => cancelCall(inFlight, sender, id) };
      const controller = new AbortController();
      const key = CallId.safeParse(callId).success ? `${sender}:${callId as string}` : null;
      if (key) inFlight.set(key, controller);
      try {
        return await dispatch(channel, payload, { ...base, calls, ...(dialogs ? { dialogs } : {}) }, controller.signal);
      } finally {
        if (key && inFlight.get(key) === controller) inFlight.delete(key);
      }
    });
  }
  return () => {
    for (const channel of CHANNEL_NAMES) registration.ipcMain.removeHandler(channel);
  };
}

/** Aborts a call of this window only: another window's ids are not reachable. */
function cancelCall(inFlight: Map<string, AbortController>, sender: number, callId: string): boolean {
  const controller = inFlight.get(`${sender}:${callId}`);
  if (!controller) return false;
  controller.abort();
  return true;
}
