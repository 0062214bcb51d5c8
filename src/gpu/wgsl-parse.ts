/**
 * A small WGSL reader for the Shaders view and the uniform writers (uniforms.ts): the resource bindings,
 * `override` constants, entry points and structs of a module, found textually (comments stripped, positions kept). Not a full parser: it
 * reads the declarations this project's kernels use, and reports what it cannot read as absent rather
 * than guessing. The GPU compiler stays the judge of validity.
 */

/** One `@group(g) @binding(b) var<…> name: type;` declaration. */
export interface WgslBinding {
  group: number;
  binding: number;
  name: string;
  /** `uniform`, `storage`, or `handle` for textures and samplers (no address space). */
  addressSpace: 'uniform' | 'storage' | 'handle';
  /** `read` for uniforms and default storage, `read_write` / `write` when declared. */
  access: 'read' | 'read_write' | 'write';
  /** The declared type as written, e.g. `array<f32>` or `Params`. */
  type: string;
  /** 1-based line of the declaration. */
  line: number;
}

/** One `override NAME: type = default;` declaration. */
export interface WgslOverride {
  name: string;
  /** Declared type, or the literal's type when only a default is given (`1u` → u32), else null. */
  type: string | null;
  /** Default expression as written (`64u`, `TILE_N / WPT`), or null when the host must set it. */
  defaultValue: string | null;
  /** `@id(n)` when given. */
  id: number | null;
  /** The trailing `// …` comment of the declaration's line, if any. */
  comment: string | null;
  line: number;
}

/** One `@compute @workgroup_size(…) fn name(…)` entry point. */
export interface WgslEntryPoint {
  name: string;
  stage: 'compute' | 'vertex' | 'fragment';
  /** Workgroup size expressions as written (compute only). */
  workgroupSize: string[];
  line: number;
}

/** One `struct Name { field: type, … }`. */
export interface WgslStruct {
  name: string;
  fields: WgslField[];
  line: number;
}

/** One member of a struct; `align` / `size` only when given as `@align(n)` / `@size(n)`. */
export interface WgslField {
  name: string;
  type: string;
  align?: number;
  size?: number;
}

/** Everything parseWgsl finds in a module. */
export interface WgslInterface {
  bindings: WgslBinding[];
  overrides: WgslOverride[];
  entryPoints: WgslEntryPoint[];
  structs: WgslStruct[];
}

/**
 * Replaces comments (line and nested block) with spaces, keeping every newline, so offsets and line
 * numbers in the result are those of the source.
 */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (src.startsWith('/*', i)) {
      let depth = 0;
      do {
        if (src.startsWith('/*', i)) {
          depth++;
          out += '  ';
          i += 2;
        } else if (src.startsWith('*/', i)) {
          depth--;
          out += '  ';
          i += 2;
        } else {
          out += src[i] === '\n' ? '\n' : ' ';
          i++;
        }
      } while (depth > 0 && i < src.length);
    } else {
      out += src[i++];
    }
  }
  return out;
}

/** 1-based line of character `offset`. */
function lineAt(src: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < src.length; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
}

const squash = (s: string) =>
  s
    .replace(/\s+/g, ' ')
    .replace(/\s*([<>,])\s*/g, '$1')
    .replace(/,/g, ', ')
    .trim();

function literalType(expr: string): string | null {
  const e = expr.trim();
  if (/^(true|false)$/.test(e)) return 'bool';
  if (/^-?(0[xX][0-9a-fA-F]+|\d+)u$/.test(e)) return 'u32';
  if (/^-?(0[xX][0-9a-fA-F]+|\d+)i$/.test(e)) return 'i32';
  if (/^-?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?f$/.test(e) || /^-?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$/.test(e)) return 'f32';
  if (/^-?\d+[eE][+-]?\d+$/.test(e)) return 'f32';
  return null;
}

/** Reads the bindings, overrides, entry points and structs of a WGSL module (see the module comment). */
export function parseWgsl(source: string): WgslInterface {
  const src = stripComments(source);
  const lines = source.split('\n');
  const bindings: WgslBinding[] = [];
  const overrides: WgslOverride[] = [];
  const entryPoints: WgslEntryPoint[] = [];
  const structs: WgslStruct[] = [];

  // Attributes may come in either order and span lines.
  const bindingRe = /((?:@\s*(?:group|binding)\s*\(\s*\d+\s*\)\s*){2})var\s*(?:<\s*([a-z_]+)\s*(?:,\s*([a-z_]+)\s*)?>)?\s*([A-Za-z_]\w*)\s*:\s*([^;]+);/g;
  for (const m of src.matchAll(bindingRe)) {
    const group = /@\s*group\s*\(\s*(\d+)\s*\)/.exec(m[1]);
    const binding = /@\s*binding\s*\(\s*(\d+)\s*\)/.exec(m[1]);
    if (!group || !binding) continue;
    const space = m[2] ?? 'handle';
    const addressSpace = space === 'uniform' || space === 'storage' ? space : 'handle';
    const access = (m[3] === 'read_write' || m[3] === 'write' ? m[3] : 'read') as WgslBinding['access'];
    bindings.push({
      group: Number(group[1]),
      binding: Number(binding[1]),
      name: m[4],
      addressSpace,
      access,
      type: squash(m[5]),
      line: lineAt(src, m.index!),
    });
  }
  bindings.sort((a, b) => a.group - b.group || a.binding - b.binding);

  const overrideRe = /(@\s*id\s*\(\s*(\d+)\s*\)\s*)?\boverride\s+([A-Za-z_]\w*)\s*(?::\s*([A-Za-z_][\w<>\s,]*?))?\s*(?:=\s*([^;]+))?;/g;
  for (const m of src.matchAll(overrideRe)) {
    const line = lineAt(src, m.index! + (m[1]?.length ?? 0));
    const text = lines[line - 1] ?? '';
    const comment = /\/\/\s*(.*)$/.exec(text)?.[1]?.trim() || null;
    const defaultValue = m[5] ? squash(m[5]) : null;
    overrides.push({
      name: m[3],
      type: m[4] ? squash(m[4]) : defaultValue ? literalType(defaultValue) : null,
      defaultValue,
      id: m[2] !== undefined ? Number(m[2]) : null,
      comment,
      line,
    });
  }

  const entryRe = /@\s*(compute|vertex|fragment)\b((?:\s*@\s*\w+\s*(?:\([^)]*\))?)*)\s*fn\s+([A-Za-z_]\w*)/g;
  const attrsBefore = /((?:@\s*\w+\s*(?:\([^)]*\))?\s*)*)$/;
  for (const m of src.matchAll(entryRe)) {
    const before = attrsBefore.exec(src.slice(Math.max(0, m.index! - 400), m.index!))?.[1] ?? '';
    const attrs = before + m[2];
    const ws = /@\s*workgroup_size\s*\(([^)]*)\)/.exec(attrs);
    entryPoints.push({
      name: m[3],
      stage: m[1] as WgslEntryPoint['stage'],
      workgroupSize: ws
        ? ws[1]
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
      line: lineAt(src, m.index!),
    });
  }

  const structRe = /\bstruct\s+([A-Za-z_]\w*)\s*\{([^}]*)\}/g;
  for (const m of src.matchAll(structRe)) {
    const fields: WgslField[] = [];
    // Split on commas outside <…> (array<f32, 4> holds one).
    let depth = 0;
    let cur = '';
    const parts: string[] = [];
    for (const ch of m[2]) {
      if (ch === '<') depth++;
      if (ch === '>') depth--;
      if (ch === ',' && depth === 0) {
        parts.push(cur);
        cur = '';
      } else cur += ch;
    }
    parts.push(cur);
    for (const p of parts) {
      const f = /^\s*((?:@\s*\w+\s*(?:\([^)]*\))?\s*)*)([A-Za-z_]\w*)\s*:\s*([\s\S]+?)\s*$/.exec(p);
      if (!f) continue;
      const field: WgslField = { name: f[2], type: squash(f[3]) };
      const align = /@\s*align\s*\(\s*(\d+)u?\s*\)/.exec(f[1]);
      const size = /@\s*size\s*\(\s*(\d+)u?\s*\)/.exec(f[1]);
      if (align) field.align = Number(align[1]);
      if (size) field.size = Number(size[1]);
      fields.push(field);
    }
    structs.push({ name: m[1], fields, line: lineAt(src, m.index!) });
  }

  return { bindings, overrides, entryPoints, structs };
}
