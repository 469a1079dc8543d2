import type { WebContents } from 'electron';
import { ipcEventChannel } from '../../preload/api-shape';
import { events } from '../../shared/contract/events';
import type { Emit } from '../serve/event-hub';

/** An AppContext `emit` that forwards contract events (schema-checked) to the app windows. */
export function windowEmitter(targets: () => Pick<WebContents, 'send' | 'isDestroyed'>[]): Emit {
  return (event, payload) => {
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) return;
    for (const target of targets()) {
      if (!target.isDestroyed()) target.send(ipcEventChannel(event), parsed.data);
    }
  };
}
