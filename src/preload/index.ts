import { contextBridge, ipcRenderer } from 'electron';
import { z } from 'zod';
import { buildApi, ipcEventChannel } from './api-shape';

// Sandboxed preload (one bundled CommonJS file). It exposes one named function per contract
// channel and one subscription per event; the renderer never sees ipcRenderer, an event object
// or a generic invoke. Main validates every payload again: the renderer is untrusted.
z.config({ jitless: true }); // no eval under the app's CSP

const api = buildApi(
  // The call id (if any) travels as a third argument; main checks its form before using it.
  (channel, input, options) =>
    options?.callId ? ipcRenderer.invoke(channel, input, options.callId) : ipcRenderer.invoke(channel, input),
  (event, listener) => {
    const name = ipcEventChannel(event);
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(name, handler);
    return () => {
      ipcRenderer.removeListener(name, handler);
    };
  },
);

contextBridge.exposeInMainWorld('api', api);
