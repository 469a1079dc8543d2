import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathGrants } from '../../../src/main/security/path-grants';

// Known weakness 2 (docs/security.md): in the desktop app a renderer-sent path is used only when
// the user chose it in a native dialog. These are the grant rules, on a real temp folder.
let root: string;
let chosen: string; // a file the user chose
let other: string; // a file next to it, never chosen
let outside: string; // a secret elsewhere
let exports: string; // a folder chosen for exports
const now = { t: 1_000_000 };
const grants = () => new PathGrants({ now: () => now.t, fileTtlMs: 1000, folderTtlMs: 5000 });

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rr-grants-')));
  fs.mkdirSync(path.join(root, 'in'));
  fs.mkdirSync(path.join(root, 'secret'));
  fs.mkdirSync(path.join(root, 'out', 'sub'), { recursive: true });
  chosen = path.join(root, 'in', 'orders.json');
  other = path.join(root, 'in', 'other.json');
  outside = path.join(root, 'secret', 'books.csv');
  exports = path.join(root, 'out');
  for (const f of [chosen, other, outside]) fs.writeFileSync(f, '{}');
  fs.writeFileSync(path.join(exports, 'old.csv'), 'x');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('PathGrants', () => {
  it('a granted file may be read, by its realpath', () => {
    const g = grants();
    expect(g.grant(chosen, 'read-file')).toBe(chosen);
    expect(g.assertGranted(chosen, 'read-file')).toBe(chosen);
    // Textual variants of the same file resolve to it.
    expect(g.assertGranted(path.join(root, 'in', '..', 'in', '.', 'orders.json'), 'read-file')).toBe(chosen);
  });

  it('refuses any other file, relative paths, control characters and missing files', () => {
    const g = grants();
    g.grant(chosen, 'read-file');
    for (const p of [
      other,
      outside,
      'in/orders.json',
      `${chosen}\u0000`,
      `${chosen}\n`,
      path.join(root, 'in', 'missing.json'),
      '',
      path.join(root, 'in'),
    ]) {
      expect(() => g.assertGranted(p, 'read-file'), JSON.stringify(p)).toThrow(
        expect.objectContaining({ code: 'path_not_granted' }),
      );
    }
  });

  it('refuses a symlink escape: a link to another file, and a granted link retargeted later', () => {
    const g = grants();
    g.grant(chosen, 'read-file');
    const link = path.join(root, 'in', 'link-to-secret.json');
    fs.symlinkSync(outside, link);
    expect(g.isGranted(link, 'read-file')).toBe(false);

    // The user chose a link; the grant is for what it pointed at then, not for the link's name.
    const chosenLink = path.join(root, 'in', 'chosen-link.json');
    fs.symlinkSync(other, chosenLink);
    expect(g.grant(chosenLink, 'read-file')).toBe(other);
    expect(g.assertGranted(chosenLink, 'read-file')).toBe(other);
    fs.unlinkSync(chosenLink);
    fs.symlinkSync(outside, chosenLink);
    expect(g.isGranted(chosenLink, 'read-file')).toBe(false);
    expect(g.isGranted(outside, 'read-file')).toBe(false);

    // A folder link inside a granted folder does not extend the folder grant.
    g.grant(exports, 'write-folder');
    const folderLink = path.join(exports, 'to-secret');
    fs.symlinkSync(path.join(root, 'secret'), folderLink);
    expect(g.isGranted(folderLink, 'write-folder')).toBe(false);
  });

  it('a folder grant is for writing exports directly inside: not a sub-folder, not reading its files', () => {
    const g = grants();
    g.grant(exports, 'write-folder');
    expect(g.assertGranted(exports, 'write-folder')).toBe(exports);
    expect(g.assertGranted(`${exports}/`, 'write-folder')).toBe(exports);
    expect(g.isGranted(path.join(exports, 'sub'), 'write-folder')).toBe(false);
    expect(g.isGranted(root, 'write-folder')).toBe(false);
    expect(g.isGranted(path.join(exports, 'old.csv'), 'read-file')).toBe(false);
    // A file grant is no folder grant either, and kinds must match what is on disk.
    g.grant(chosen, 'read-file');
    expect(g.isGranted(path.dirname(chosen), 'write-folder')).toBe(false);
    expect(() => g.grant(chosen, 'write-folder')).toThrow(expect.objectContaining({ code: 'path_unusable' }));
    expect(() => g.grant(exports, 'read-file')).toThrow(expect.objectContaining({ code: 'path_unusable' }));
  });

  it('grants expire (files sooner than folders) and can be consumed', () => {
    now.t = 1_000_000;
    const g = grants();
    g.grant(chosen, 'read-file');
    g.grant(exports, 'write-folder');
    now.t += 999;
    expect(g.isGranted(chosen, 'read-file')).toBe(true);
    now.t += 1;
    expect(() => g.assertGranted(chosen, 'read-file')).toThrow(/expired/);
    expect(g.isGranted(exports, 'write-folder')).toBe(true);
    now.t += 4000;
    expect(g.isGranted(exports, 'write-folder')).toBe(false);
    expect(g.size).toBe(0);

    g.grant(chosen, 'read-file');
    g.consume(path.join(root, 'in', '.', 'orders.json'), 'read-file');
    expect(g.isGranted(chosen, 'read-file')).toBe(false);
    g.consume(outside, 'read-file'); // not granted: ignored
  });

  it('keeps at most maxGrants, dropping the oldest', () => {
    const g = new PathGrants({ maxGrants: 2 });
    g.grant(chosen, 'read-file');
    g.grant(other, 'read-file');
    g.grant(exports, 'write-folder');
    expect(g.size).toBe(2);
    expect(g.isGranted(chosen, 'read-file')).toBe(false);
    expect(g.isGranted(other, 'read-file')).toBe(true);
    expect(g.isGranted(exports, 'write-folder')).toBe(true);
  });

  it('the refusal says what to do and does not reveal whether the path exists', () => {
    const g = grants();
    const messageOf = (p: string, kind: 'read-file' | 'write-folder') => {
      try {
        g.assertGranted(p, kind);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('granted');
    };
    const existing = messageOf(outside, 'read-file');
    expect(existing).toMatch(/Choose file/);
    expect(existing).not.toContain(outside);
    expect(messageOf(path.join(root, 'secret', 'nope.csv'), 'read-file')).toBe(existing);
    expect(messageOf(path.join(root, 'secret'), 'read-file')).toBe(existing);
    expect(messageOf(path.join(root, 'secret'), 'write-folder')).toBe(
      messageOf(path.join(root, 'nope'), 'write-folder'),
    );
  });
});
