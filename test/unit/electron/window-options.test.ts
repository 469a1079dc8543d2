import { describe, expect, it } from 'vitest';
import { secureWebPreferences, secureWindowOptions } from '../../../src/main/electron/window-options';

describe('window-options factory', () => {
  it('returns the secure defaults', () => {
    const prefs = secureWindowOptions({ preloadPath: '/app/out/preload/index.js', packaged: true }).webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('keeps every security setting in unpackaged (dev and test) runs; only devtools differ', () => {
    const dev = secureWindowOptions({ preloadPath: 'p', packaged: false }).webPreferences;
    const prod = secureWindowOptions({ preloadPath: 'p', packaged: true }).webPreferences;
    expect({ ...dev, devTools: false }).toEqual(prod);
  });

  it('web preferences alone are the same secure set', () => {
    const prefs = secureWebPreferences('p');
    expect([prefs.contextIsolation, prefs.sandbox, prefs.nodeIntegration, prefs.webSecurity]).toEqual([
      true,
      true,
      false,
      true,
    ]);
  });
});
