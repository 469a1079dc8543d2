/**
 * One redaction mechanism for credentials (issue 17 S1). A connector registers every secret it
 * holds (its HTTP policy does, on construction); from then on a secret — and the forms a vendor
 * may echo it in: base64 (Basic auth), base64url, URL- and OAuth-percent-encoded — is replaced by
 * `***` in every error body the policy keeps and in every UserError built in this process (its
 * message and details), so nothing a vendor echoes reaches stderr, the renderer, the request log
 * or the journal. No dependencies: threads that only rebuild errors load it cheaply.
 */

const known = new Map<string, string[]>();
/** Every form of every known secret, longest first (a longer form may contain a shorter one). */
let forms: string[] = [];

/** Shorter values are not redacted (an ordinary word or number would vanish from every message). */
const MIN_LENGTH = 4;
/**
 * Process-wide redaction (every UserError) only for values that look like credentials: real tokens
 * and keys are 30+ characters; a short test value must not blank out account ids in messages.
 */
const MIN_REGISTERED_LENGTH = 8;

function percentEncodeOAuth(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Standard base64 of the UTF-8 bytes (no Buffer: this module also loads in the renderer). */
function base64Of(value: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The ways a secret can appear in a vendor's answer or a header echoed back. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_LENGTH) return [];
  const base64 = base64Of(secret);
  const all = [
    secret,
    encodeURIComponent(secret),
    percentEncodeOAuth(secret),
    base64,
    base64.replace(/=+$/, ''),
    base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'),
    JSON.stringify(secret).slice(1, -1),
  ];
  return [...new Set(all)].filter((f) => f.length >= MIN_LENGTH);
}

/** Remembers secrets for the whole process (never written anywhere). */
export function registerSecrets(secrets: readonly string[]): void {
  let changed = false;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_REGISTERED_LENGTH || known.has(secret)) continue;
    known.set(secret, secretForms(secret));
    changed = true;
  }
  if (changed) forms = [...new Set([...known.values()].flat())].sort((a, b) => b.length - a.length);
}

/** Replaces every form of the given secrets (and of every registered one) in `text` by `***`. */
export function redactSecrets(text: string, extra: readonly string[] = []): string {
  if (text === '' || (forms.length === 0 && extra.length === 0)) return text;
  const all =
    extra.length === 0
      ? forms
      : [...new Set([...extra.flatMap(secretForms), ...forms])].sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of all) if (out.includes(form)) out = out.split(form).join('***');
  return out;
}

/** The same for every string inside a value (error details). */
export function redactDeep(value: unknown): unknown {
  if (forms.length === 0) return value;
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  }
  return value;
}

/** Tests only: forget every registered secret. */
export function forgetSecretsForTests(): void {
  known.clear();
  forms = [];
}
