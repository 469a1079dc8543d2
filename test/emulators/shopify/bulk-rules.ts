/**
 * What Shopify refuses in a bulk query, and how it writes the result file — the emulator's rules
 * for `bulkOperationRunQuery`, each from Shopify's documentation:
 *
 * - Operation restrictions (https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions,
 *   and the mutation's description in https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/bulkOperationRunQuery:
 *   "The query must include at least one connection field and supports up to five connections with a
 *   maximum nesting depth of two levels"):
 *   at least one connection; at most five; nested at most two levels; no top-level `node`/`nodes`;
 *   no connection inside a list field (Shopify's user error: "Queries that contain a connection field
 *   within a list field are not currently supported.").
 * - Grouping (https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false):
 *   `groupObjects` exists from 2025-07; it defaults to true before 2026-01 and to false from 2026-01,
 *   when a child line need not follow its parent.
 * - Concurrency (https://shopify.dev/docs/api/usage/bulk-operations/queries, "Limitations"): one bulk
 *   query at a time per shop before 2026-01; from 2026-01, up to five.
 *
 * Not a GraphQL parser: enough of the selection syntax (fields, aliases, arguments, inline
 * fragments) to find connections (a field selecting `edges` or `nodes`) and list fields.
 */

export interface Field {
  name: string;
  children: Field[];
}

/** The fields of a query's selection set (arguments skipped, inline fragments merged). */
export function parseSelection(query: string): Field[] {
  let i = 0;
  const s = query;
  const skipWs = () => {
    while (i < s.length && /[\s,]/.test(s[i]!)) i++;
    if (s[i] === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      skipWs();
    }
  };
  const skipBalanced = (open: string, close: string) => {
    let depth = 0;
    let inString = false;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) {
        i++;
        return;
      }
    }
  };
  const name = (): string => {
    const m = /^[A-Za-z_]\w*/.exec(s.slice(i, i + 200));
    if (!m) throw new Error(`Parse error on "${s.slice(i, i + 20)}"`);
    i += m[0].length;
    return m[0];
  };
  const selection = (): Field[] => {
    // at '{'
    i++;
    const out: Field[] = [];
    for (;;) {
      skipWs();
      if (i >= s.length) throw new Error('Parse error: unexpected end of query');
      if (s[i] === '}') {
        i++;
        return out;
      }
      if (s.startsWith('...', i)) {
        i += 3;
        skipWs();
        if (s.startsWith('on', i) && /\s/.test(s[i + 2] ?? '')) {
          i += 2;
          skipWs();
          name();
          skipWs();
        }
        if (s[i] === '{') out.push(...selection());
        continue;
      }
      let field = name();
      skipWs();
      if (s[i] === ':') {
        i++;
        skipWs();
        field = name();
        skipWs();
      }
      if (s[i] === '(') {
        skipBalanced('(', ')');
        skipWs();
      }
      while (s[i] === '@') {
        i++;
        name();
        skipWs();
        if (s[i] === '(') skipBalanced('(', ')');
        skipWs();
      }
      out.push({ name: field, children: s[i] === '{' ? selection() : [] });
    }
  };
  skipWs();
  if (s.startsWith('query', i)) {
    i += 5;
    skipWs();
    if (/[A-Za-z_]/.test(s[i] ?? '')) name();
    skipWs();
    if (s[i] === '(') skipBalanced('(', ')');
    skipWs();
  }
  if (s[i] !== '{') throw new Error('Parse error: expected "{"');
  return selection();
}

/** Fields of the Admin API that are plain lists (`[T!]!`), not connections (apis.md §2.2). */
const LIST_FIELDS = new Set(['refunds', 'duties', 'taxLines', 'discountAllocations', 'shippingLines']);

const isConnection = (f: Field): boolean => f.children.some((c) => c.name === 'edges' || c.name === 'nodes');

export const LIST_CONNECTION_MESSAGE =
  'Queries that contain a connection field within a list field are not currently supported.';

/** The user errors Shopify gives a bulk query, or none. */
export function bulkQueryErrors(query: string): string[] {
  let fields: Field[];
  try {
    fields = parseSelection(query);
  } catch (error) {
    return [`Invalid bulk query: ${(error as Error).message}`];
  }
  const errors: string[] = [];
  if (fields.some((f) => f.name === 'node' || f.name === 'nodes')) {
    errors.push('Bulk queries cannot contain a top level `node` or `nodes` field.');
  }
  let connections = 0;
  let deepest = 0;
  let inList = false;
  const walk = (list: Field[], depth: number, underList: boolean) => {
    for (const f of list) {
      const connection = isConnection(f);
      const d = connection ? depth + 1 : depth;
      if (connection) {
        connections++;
        deepest = Math.max(deepest, d);
        if (underList) inList = true;
      }
      walk(f.children, d, underList || LIST_FIELDS.has(f.name));
    }
  };
  walk(fields, 0, false);
  if (connections === 0) errors.push('Bulk queries must contain at least one connection.');
  if (connections > 5) errors.push(`Bulk queries cannot contain more than 5 connections (found ${connections}).`);
  if (deepest > 2) errors.push('Bulk queries cannot contain connections with a nesting depth greater than 2.');
  if (inList) errors.push(LIST_CONNECTION_MESSAGE);
  return errors;
}

/** Whether this API version has `groupObjects`, and what it defaults to. */
export function groupingOf(apiVersion: string, asked: boolean | undefined): boolean {
  if (apiVersion !== 'unstable' && apiVersion < '2025-07') return true; // no argument: always grouped
  if (asked !== undefined) return asked;
  return apiVersion !== 'unstable' && apiVersion < '2026-01';
}

/** Concurrent bulk queries per shop. */
export function bulkConcurrency(apiVersion: string): number {
  return apiVersion !== 'unstable' && apiVersion < '2026-01' ? 1 : 5;
}

/**
 * JSONL lines of roots with their children: grouped (each child right after its parent), or as an
 * ungrouped operation may write them (here: every root first, then the children, last first).
 */
export function writeJsonl(items: { root: string; children: string[] }[], grouped: boolean): string[] {
  if (grouped) return items.flatMap((x) => [x.root, ...x.children]);
  return [...items.map((x) => x.root), ...items.flatMap((x) => x.children).reverse()];
}
