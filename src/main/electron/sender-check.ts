import { originOf } from './app-origin';

/** What the IPC wrapper knows about who sent a message (from `event.senderFrame`). */
export interface SenderInfo {
  /** null when the frame is gone (navigated away or destroyed) before the message was handled. */
  frameUrl: string | null;
  isMainFrame: boolean;
  /** The sender's webContents belongs to one of our windows. */
  fromOurWindow: boolean;
}

/**
 * A message is trusted only from the main frame of one of our windows, showing the app origin.
 * Sub-frames, unknown webContents, destroyed frames and other origins are refused.
 */
export function isTrustedSender(sender: SenderInfo, origins: readonly string[]): boolean {
  if (!sender.fromOurWindow || !sender.isMainFrame || sender.frameUrl === null) return false;
  const origin = originOf(sender.frameUrl);
  return origin !== null && origins.includes(origin);
}
