/**
 * Electron fuses for the packaged app, flipped in the binary by the electron-builder afterPack
 * hook (scripts/after-pack.cjs) with @electron/fuses. Kept as plain data so a unit test proves
 * the values without the Electron binary. Fuse names follow @electron/fuses' FuseV1Options.
 */
export const FUSE_SETTINGS = {
  /** ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter. */
  RunAsNode: false,
  /** Cookies and other Chromium storage encrypted with the OS keychain key. */
  EnableCookieEncryption: true,
  /** NODE_OPTIONS / NODE_EXTRA_CA_CERTS cannot inject code or CAs into the app. */
  EnableNodeOptionsEnvironmentVariable: false,
  /** --inspect / --inspect-brk / SIGUSR1 cannot attach a debugger to the main process. */
  EnableNodeCliInspectArguments: false,
  /** app.asar is checked against the hash embedded at build time (macOS and Windows). */
  EnableEmbeddedAsarIntegrityValidation: true,
  /** The app only runs code from app.asar, never from a loose app/ folder placed beside it. */
  OnlyLoadAppFromAsar: true,
  /** The V8 snapshot in the browser process is the one shipped, not a replaced file. */
  LoadBrowserProcessSpecificV8Snapshot: false,
  /** file:// pages do not get extra privileges (the app never loads file:// anyway). */
  GrantFileProtocolExtraPrivileges: false,
} as const satisfies Record<string, boolean>;

export type FuseName = keyof typeof FUSE_SETTINGS;

/** Fuses that electron-builder must also be told about (asar integrity needs the asar hash). */
export const FUSE_VERSION = 'V1' as const;
