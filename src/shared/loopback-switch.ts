/**
 * The environment variable that lets API clients talk to http://127.0.0.1 (the local vendor
 * emulators). Here, not in the destination policy, so the CLI's help text can name it cheaply.
 */
export const LOOPBACK_SWITCH = 'REFUND_RECON_ALLOW_LOOPBACK_APIS';
