import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { secureWindowOptions } from './window-options';

export interface CreateWindowOptions {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preloadPath: string;
  packaged: boolean;
  url: string;
}

export function createMainWindow(options: CreateWindowOptions): BrowserWindow {
  const window = new options.BrowserWindow(secureWindowOptions(options));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
