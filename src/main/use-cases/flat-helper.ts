/**
 * The flat one-shot reconcile's helper thread as a face may start it early (before loading the
 * modules of `reconcileFiles`, which adopts it: ReconcileFilesInput.earlyFlatHelper). A small
 * module of its own: importing it loads no importer, engine or store code.
 */
export { startEarlyHelper } from '../reconcile/flat-fast/early-helper';
export type { FlatHelper } from '../reconcile/flat-fast/helper-thread';
