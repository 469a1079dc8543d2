import type { Api } from '../../preload/api-shape';
import { createHttpApi } from './http-transport';
import { takeToken } from './token';

declare global {
  interface Window {
    /** Set by the preload in Electron; absent in browser mode. */
    api?: Api;
  }
}

export type ApiConnection = { api: Api; transport: 'electron' | 'http' } | { api: null; transport: 'http' };

/** The one `api` object: the preload's in Electron, HTTP in browser mode (null without a token). */
export function connectApi(): ApiConnection {
  if (window.api) return { api: window.api, transport: 'electron' };
  const token = takeToken(window.location, window.history, window.sessionStorage);
  return token ? { api: createHttpApi(token), transport: 'http' } : { api: null, transport: 'http' };
}

export type { Api, EventPayload } from '../../preload/api-shape';
