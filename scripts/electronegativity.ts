import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { META_CONTENT_SECURITY_POLICY } from '../src/main/serve/csp';
import { type Finding, judge, validateAllowList } from './electronegativity-policy';

/**
 * `npm run test:security` (part of `npm test`): runs @doyensec/electronegativity over the project
 * and fails on any HIGH or MEDIUM finding that scripts/electronegativity-allow.json does not list
 * with a reason (see docs/security.md). The scanner sees the project's own files (git's view:
 * tracked and untracked, not ignored; node_modules and build output excluded), with the renderer's
 * index.html as the build ships it (the CSP meta tag is added at build time).
 * The report is written to test-results/electronegativity.json.
 */
const root = path.resolve(__dirname, '..');
const SCANNED = /\.(js|cjs|mjs|jsx|ts|tsx|html|htm)$|(^|\/)package\.json$/;
const CANARY_DIR = '__electronegativity_canary__';
const CANARY_CHECKS = ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK'];
const SKIPPED = /^(test\/fixtures|resources\/demo|bench\/data)\//;

interface RawIssue {
  id: string;
  severity: { name: string };
  confidence: { name: string };
  file: string;
  location: { line: number; column: number };
  description: string;
  manualReview?: boolean;
}
interface RawResult {
  issues: RawIssue[];
  errors: { file: string; message: string; tolerable: boolean }[];
  globalChecks: number;
  atomicChecks: number;
}

function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).toString('utf8');
  return out
    .split('\0')
    .filter((f) => f !== '' && SCANNED.test(f) && !SKIPPED.test(f) && fs.existsSync(path.join(root, f)));
}

function stage(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
  // The shipped index.html carries the CSP as a meta tag (electron.vite.config.ts adds it).
  const html = path.join(dir, 'src/renderer/index.html');
  if (fs.existsSync(html)) {
    const text = fs.readFileSync(html, 'utf8');
    fs.writeFileSync(
      html,
      text.replace(
        '<head>',
        `<head>\n    <meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}" />`,
      ),
    );
  }
  // A known-insecure canary: if the scanner does not flag it, the scanner is not working.
  fs.mkdirSync(path.join(dir, CANARY_DIR));
  fs.writeFileSync(
    path.join(dir, CANARY_DIR, 'insecure-window.js'),
    "const { BrowserWindow } = require('electron');\n" +
      'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\n',
  );
  return dir;
}

async function main(): Promise<void> {
  const allowList = validateAllowList(
    JSON.parse(fs.readFileSync(path.join(__dirname, 'electronegativity-allow.json'), 'utf8')),
  );
  const electronVersion = (
    JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }
  ).version;
  const files = projectFiles();
  const staged = stage(files);
  try {
    const run = require('@doyensec/electronegativity/dist/runner.js') as (
      options: Record<string, unknown>,
      forCli: boolean,
    ) => Promise<RawResult>;
    // The scanner logs progress and a failed online look-up (translations, Electron releases);
    // keep its chatter out of the test output.
    const log = console.log;
    const warn = console.warn;
    console.log = () => {};
    console.warn = () => {};
    let result: RawResult;
    try {
      result = await run(
        {
          input: staged,
          isRelative: true,
          electronVersionOverride: electronVersion,
          parserPlugins: [],
          customScan: [],
          excludeFromScan: [],
        },
        false,
      );
    } finally {
      console.log = log;
      console.warn = warn;
    }
    const all: Finding[] = result.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file.split(path.sep).join('/'),
      line: i.location.line,
      description: i.description,
    }));
    const canary = all.filter((f) => f.file.startsWith(`${CANARY_DIR}/`));
    const missed = CANARY_CHECKS.filter((id) => !canary.some((f) => f.id === id));
    if (missed.length > 0) {
      throw new Error(`the scanner did not flag the insecure canary window (${missed.join(', ')}): it is not working`);
    }
    const findings = all.filter((f) => !f.file.startsWith(`${CANARY_DIR}/`));
    const parseErrors = result.errors
      .filter((e) => !e.tolerable)
      .map((e) => ({ file: path.relative(staged, e.file).split(path.sep).join('/'), message: e.message }));
    const verdict = judge(findings, parseErrors, allowList);
    fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'test-results', 'electronegativity.json'),
      `${JSON.stringify({ electronVersion, files: files.length, findings, parseErrors, verdict }, null, 2)}\n`,
    );
    console.log(
      `electronegativity: ${files.length} files (canary flagged: ${canary.map((f) => f.id).join(', ')}), ${result.atomicChecks} atomic + ${result.globalChecks} global checks, Electron ${electronVersion}`,
    );
    for (const line of verdict.notes) console.log(`  note    ${line}`);
    for (const line of verdict.allowed) console.log(`  allowed ${line}`);
    for (const e of verdict.unusedAllowEntries) {
      console.log(`  unused allow-list entry ${e.id} ${e.file}: remove it if the finding is gone`);
    }
    for (const line of verdict.failures) console.error(`  FAIL    ${line}`);
    if (verdict.failures.length > 0) {
      console.error(
        `electronegativity: ${verdict.failures.length} HIGH/MEDIUM finding(s) not in scripts/electronegativity-allow.json`,
      );
      process.exit(1);
    }
    console.log('electronegativity: no unlisted HIGH or MEDIUM finding');
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`electronegativity could not run: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
