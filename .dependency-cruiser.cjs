/**
 * The import-graph rules of the architecture (issue 12 §3; CONTRIBUTING.md, "Layers"), checked by
 * `npm run test:deps` as part of `npm test`. Type-only imports (`import type`) are erased at build
 * time and allowed everywhere: the rules are about what runs.
 *
 * There is no baseline of known violations: every edge that breaks a rule fails the test.
 *
 * Layers of src/main, bottom up:
 *   store/                         the floor: SQLite schema, migrations, snapshots
 *   mapping/, connectors/          vendor JSON → canonical refunds; vendor API clients
 *   importers/, reconcile/, pull/, sync/, reports/, …   the core's engines
 *   use-cases/, services/          what a user can ask for; services are the contract's handlers
 *   cli/, serve/, electron/        the faces
 */

/** Runtime dependencies only: type-only imports and `export type … from` do not count. */
const RUNTIME = { dependencyTypesNot: ['type-only', 'type-import'] };

const CORE_ENGINES =
  '^src/main/(store|mapping|connectors|importers|reconcile|pull|sync|reports|secrets|security|demo|jobs|workspace)/';

/**
 * What a face may use below the use-cases: the infrastructure it is made of, not business logic.
 * - store/open.ts, workspace/: opening the workspace the face's context is built on (bootstrap);
 * - store/busy.ts: recognising "another process holds the workspace's write lock" to word it;
 * - secrets/: the face chooses the secret store (the desktop app's keychain-backed one, the CLI's
 *   environment + owner-only file) that use-cases read credentials from;
 * - security/: the desktop shell's hardening (navigation, external URLs, fuses);
 * - connectors/request-log.ts: the CLI's `--request-log <file>` (where the face wants the log).
 */
const FACE_INFRASTRUCTURE =
  '^src/main/store/(open|busy)\\.ts$|^src/main/workspace/|^src/main/secrets/|^src/main/security/|^src/main/connectors/request-log\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'renderer-not-main',
      comment:
        'The renderer talks to the main process only through the contract (preload or HTTP). It may share src/preload/api-shape.ts, the pure (no electron, no DOM, no node) shape of the api object.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^src/main/|^src/preload/(?!api-shape\\.ts$)', ...RUNTIME },
    },
    {
      name: 'shared-imports-no-side',
      comment: 'src/shared is used by every process: it imports nothing of main, preload or renderer.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/(main|preload|renderer)/', ...RUNTIME },
    },
    {
      name: 'electron-only-in-the-shell',
      comment:
        'Business logic never imports electron: only the desktop shell (src/main/electron/, src/main/index.ts) and the preload may.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main/electron/|^src/main/index\\.ts$|^src/preload/' },
      to: { path: '^electron$|node_modules/electron/', ...RUNTIME },
    },
    {
      name: 'store-is-the-floor',
      comment: 'store/ imports none of the layers above it.',
      severity: 'error',
      from: { path: '^src/main/store/' },
      to: {
        path: '^src/main/(reconcile|importers|sync|services|use-cases|pull|connectors|cli|serve|electron|reports)/',
        ...RUNTIME,
      },
    },
    {
      name: 'importers-not-reconcile',
      comment: 'Importers write snapshots; matching is reconcile/, which reads them.',
      severity: 'error',
      from: { path: '^src/main/importers/' },
      to: { path: '^src/main/reconcile/', ...RUNTIME },
    },
    {
      name: 'connectors-not-sync-or-importers',
      comment:
        'Connectors are API clients; the vendor JSON → canonical mappings they share with the importers live in src/main/mapping/.',
      severity: 'error',
      from: { path: '^src/main/connectors/' },
      to: { path: '^src/main/(sync|importers)/', ...RUNTIME },
    },
    {
      name: 'mapping-is-pure',
      comment:
        'src/main/mapping/ turns vendor JSON into canonical refunds for both the importers (files) and the pulls (APIs): it reads no workspace and calls no API.',
      severity: 'error',
      from: { path: '^src/main/mapping/' },
      to: {
        path: '^src/main/(store|connectors|pull|sync|reconcile|services|use-cases|cli|serve|electron)/',
        ...RUNTIME,
      },
    },
    {
      name: 'faces-through-use-cases',
      comment:
        'The faces (cli/, serve/, electron/) reach the core only through use-cases/ and services/ (the contract handlers), plus shared/ and their own folder.',
      severity: 'error',
      from: { path: '^src/main/(cli|serve|electron)/' },
      to: { path: CORE_ENGINES, pathNot: FACE_INFRASTRUCTURE, ...RUNTIME },
    },
    {
      name: 'no-runtime-cycles',
      comment: 'Modules that need each other at run time load in an order that depends on who came first.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: RUNTIME },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'] },
    exclude: { path: '^(out|dist|node_modules)/' },
  },
};
