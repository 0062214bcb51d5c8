// The translation catalog is complete and current: `lit-localize extract` run on the sources (into a copy of
// the committed XLIFF) must reproduce the committed xliff/ko.xlf byte for byte (a new, changed or removed
// msg() shows up as a difference: run `npm run i18n:extract`, translate, `npm run i18n:build`), every message
// must have a Korean target with the same placeholders, and the runtime module src/ui/locales/ko.ts must
// hold exactly the catalog's messages (i.e. `npm run i18n:build` was run after the last translation).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const COMMITTED = join(ROOT, 'xliff/ko.xlf');

interface Unit {
  id: string;
  source: string;
  target: string | null;
}

function units(xliff: string): Unit[] {
  return [...xliff.matchAll(/<trans-unit id="([^"]+)">\s*<source>([\s\S]*?)<\/source>\s*(?:<target>([\s\S]*?)<\/target>)?/g)].map((m) => ({
    id: m[1],
    source: m[2],
    target: m[3] ?? null,
  }));
}

const placeholders = (s: string) => [...s.matchAll(/<x id="(\d+)"/g)].map((m) => m[1]).sort();

let dir = '';
let extracted = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gp-i18n-'));
  const xliffDir = join(dir, 'xliff');
  mkdirSync(xliffDir);
  copyFileSync(COMMITTED, join(xliffDir, 'ko.xlf'));
  const config = JSON.parse(readFileSync(join(ROOT, 'lit-localize.json'), 'utf8'));
  config.tsConfig = join(ROOT, 'tsconfig.json');
  config.inputFiles = config.inputFiles.map((p: string) => join(ROOT, p));
  config.output.outputDir = join(dir, 'out');
  config.output.localeCodesModule = join(dir, 'out/locale-codes.ts');
  config.interchange.xliffDir = xliffDir;
  const configPath = join(dir, 'lit-localize.json');
  writeFileSync(configPath, JSON.stringify(config));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/@lit/localize-tools/bin/lit-localize.js'), 'extract', '--config', configPath], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  extracted = readFileSync(join(xliffDir, 'ko.xlf'), 'utf8');
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('i18n catalog (xliff/ko.xlf)', () => {
  it('is what lit-localize extract makes of the current sources', () => {
    const committed = readFileSync(COMMITTED, 'utf8');
    const ids = (x: string) => new Set(units(x).map((u) => u.id));
    const added = [...ids(extracted)].filter((id) => !ids(committed).has(id)).map((id) => units(extracted).find((u) => u.id === id)!.source);
    const removed = [...ids(committed)].filter((id) => !ids(extracted).has(id)).map((id) => units(committed).find((u) => u.id === id)!.source);
    expect({ added, removed }, 'run `npm run i18n:extract` and translate the new messages').toEqual({ added: [], removed: [] });
    expect(extracted).toBe(committed);
  });

  it('has a Korean target for every message, with the same placeholders', () => {
    const all = units(readFileSync(COMMITTED, 'utf8'));
    expect(all.length).toBeGreaterThan(100);
    const untranslated = all.filter((u) => !u.target?.trim()).map((u) => u.source);
    expect(untranslated).toEqual([]);
    const badPlaceholders = all.filter((u) => u.target !== null && placeholders(u.target).join() !== placeholders(u.source).join()).map((u) => u.source);
    expect(badPlaceholders).toEqual([]);
    // A target that is still the English text is only allowed for names and formulas: no lowercase English
    // word other than a function name.
    const NAMES = new Set(['tanh', 'sigmoid']);
    const words = (s: string) => (s.replace(/<x [^>]*\/>/g, '').match(/\b[a-z]{3,}\b/g) ?? []).filter((w) => !NAMES.has(w));
    const copied = all.filter((u) => u.target === u.source && words(u.source).length > 0).map((u) => u.source);
    expect(copied).toEqual([]);
  });

  it('is built: src/ui/locales/ko.ts holds exactly the catalog messages', () => {
    const built = readFileSync(join(ROOT, 'src/ui/locales/ko.ts'), 'utf8');
    const builtIds = [...built.matchAll(/^\s*'?([sh][0-9a-f]{16})'?:/gm)].map((m) => m[1]).sort();
    const ids = units(readFileSync(COMMITTED, 'utf8'))
      .map((u) => u.id)
      .sort();
    expect(builtIds).toEqual(ids);
  });
});
