/**
 * Schema checks for the playground's localStorage records: the custom kernels in use (kernel-overrides),
 * the per-kernel drafts and their backups (drafts). Storage is input like any other (another tab, an
 * extension, a hand edit or an older version may have written it), so each record is checked once on
 * load; what fails is dropped by its store with a notice naming it, and the built-in kernels run.
 * Plain functions, DOM-free; they never throw, whatever they are given.
 */
import { msg, str } from '@lit/localize';
import { formatCount } from '../locale-format';
import { BUILTIN_SHADERS } from '../gpu/builtin-shaders';

/** One active replacement of a built-in kernel (what the override store keeps). */
export interface KernelOverride {
  /** The built-in file it replaces, e.g. `shaders/matmul-direct.wgsl`. */
  file: string;
  code: string;
  /** Date.now() when it was switched on. */
  since: number;
  /** What Verify said when it was switched on: cases passed of cases run. */
  verified: { passed: number; total: number };
}

/** A checked value, or why it was refused (a phrase for the user: "its code is empty"). */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Longest kernel text kept in storage (a draft, a backup, a custom kernel), in characters. */
export const MAX_STORED_CODE_CHARS = 1_000_000;
/** Backups kept per kernel (the oldest is dropped beyond this). */
export const MAX_BACKUPS = 5;

// Every shipped kernel (full modules; a common block is not a kernel), for the entry points a replacement
// must keep (read here, not from the catalog, which imports the kernels).
const ENTRY_POINTS = new Map<string, string[]>(
  [...BUILTIN_SHADERS].map(([path, code]) => [path, [...code.matchAll(/@compute\b[^{;]*?\bfn\s+([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1])]),
);

/** The entry points of a shipped shader file (`shaders/matmul.wgsl` → ['main']), or undefined for an unknown file. */
export function builtInEntryPoints(file: string): readonly string[] | undefined {
  return ENTRY_POINTS.get(file);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/** Checks kernel text: a string, not blank, within MAX_STORED_CODE_CHARS, declaring every entry point in `entryPoints`. */
export function checkKernelCode(code: unknown, entryPoints: readonly string[] = []): Checked<string> {
  if (typeof code !== 'string') return { ok: false, reason: msg('its code is missing') };
  if (code.trim() === '') return { ok: false, reason: msg('its code is empty') };
  if (code.length > MAX_STORED_CODE_CHARS) return { ok: false, reason: msg(str`its code is longer than ${formatCount(MAX_STORED_CODE_CHARS)} characters`) };
  for (const name of entryPoints) {
    if (!new RegExp(`\\bfn\\s+${name}\\s*\\(`).test(code)) return { ok: false, reason: msg(str`its code has no entry point ${name}`) };
  }
  return { ok: true, value: code };
}

/**
 * One custom kernel record: `file` a shipped shader, `code` non-empty with that shader's entry points,
 * `since` a time, `verified` {passed, total} positive integers with every case passed.
 */
export function checkOverrideRecord(x: unknown): Checked<KernelOverride> {
  if (!isObject(x)) return { ok: false, reason: msg('it is not a record') };
  const { file, code, since, verified } = x;
  if (typeof file !== 'string') return { ok: false, reason: msg('it names no shader file') };
  const entryPoints = builtInEntryPoints(file);
  if (!entryPoints) return { ok: false, reason: msg(str`it replaces “${short(file)}”, which is not a shipped shader`) };
  const c = checkKernelCode(code, entryPoints);
  if (!c.ok) return c;
  if (!isTime(since)) return { ok: false, reason: msg('its time is not a time') };
  if (!isObject(verified) || !isCount(verified.passed) || !isCount(verified.total)) {
    return { ok: false, reason: msg('its Verify result is missing (it needs the cases passed and run, whole numbers above 0)') };
  }
  if (verified.passed !== verified.total) return { ok: false, reason: msg(str`it did not pass Verify (${verified.passed} of ${verified.total})`) };
  return { ok: true, value: { file, code: c.value, since, verified: { passed: verified.passed, total: verified.total } } };
}

/** A stored list's items, or why the whole stored value was dropped (not JSON, or not a list). */
function parseStoredList(raw: string): unknown[] | { dropped: string } {
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return { dropped: 'it is not valid JSON' };
  }
  return Array.isArray(list) ? list : { dropped: 'it is not a list' };
}

/** The stored list of custom kernels: the valid ones, and one sentence per record dropped. */
export function checkOverrideList(raw: string): { valid: KernelOverride[]; dropped: string[] } {
  const list = parseStoredList(raw);
  if (!Array.isArray(list)) return { valid: [], dropped: [list.dropped] };
  const valid: KernelOverride[] = [];
  const dropped: string[] = [];
  for (const [i, item] of list.entries()) {
    const c = checkOverrideRecord(item);
    const name = isObject(item) && typeof item.file === 'string' ? short(item.file) : `entry ${i + 1}`;
    if (!c.ok) dropped.push(msg(str`the custom kernel for ${name}: ${c.reason}`));
    else if (valid.some((o) => o.file === c.value.file)) dropped.push(`the custom kernel for ${name}: a second one for the same file`);
    else valid.push(c.value);
  }
  return { valid, dropped };
}

/** A draft: any text the user typed (empty included), within MAX_STORED_CODE_CHARS. */
export function checkDraft(x: unknown): Checked<string> {
  if (typeof x !== 'string') return { ok: false, reason: msg('it is not text') };
  if (x.length > MAX_STORED_CODE_CHARS) return { ok: false, reason: msg(str`it is longer than ${formatCount(MAX_STORED_CODE_CHARS)} characters`) };
  return { ok: true, value: x };
}

/** One kept copy of a draft: its text and when it was put aside (Date.now()). */
export interface DraftBackup {
  code: string;
  at: number;
}

/** One backup record: `code` text (within the cap), `at` a time. */
export function checkBackupRecord(x: unknown): Checked<DraftBackup> {
  if (!isObject(x)) return { ok: false, reason: msg('it is not a record') };
  const c = checkDraft(x.code);
  if (!c.ok) return c;
  if (!isTime(x.at)) return { ok: false, reason: msg('its time is not a time') };
  return { ok: true, value: { code: c.value, at: x.at } };
}

/** The stored backups of one kernel, newest first (at most MAX_BACKUPS), and one sentence per record dropped. */
export function checkBackupList(raw: string): { valid: DraftBackup[]; dropped: string[] } {
  const list = parseStoredList(raw);
  if (!Array.isArray(list)) return { valid: [], dropped: [list.dropped] };
  const valid: DraftBackup[] = [];
  const dropped: string[] = [];
  for (const [i, item] of list.entries()) {
    const c = checkBackupRecord(item);
    if (c.ok) valid.push(c.value);
    else dropped.push(msg(str`backup ${i + 1}: ${c.reason}`));
  }
  valid.sort((a, b) => b.at - a.at);
  if (valid.length > MAX_BACKUPS) dropped.push(`${valid.length - MAX_BACKUPS} backups beyond the newest ${MAX_BACKUPS}`);
  return { valid: valid.slice(0, MAX_BACKUPS), dropped };
}
