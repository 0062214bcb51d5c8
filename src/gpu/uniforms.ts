/**
 * Uniform buffers written from the shader's own struct: `uniformWriter(code, 'params')` reads the struct
 * of the uniform variable `params` (or a struct named so) from the WGSL a kernel compiles, lays it out by
 * the WGSL spec's alignment and size rules (§ Memory layout: AlignOf / SizeOf, member offsets, array
 * strides, @align / @size) and returns a writer whose `set({ field: value })` packs the bytes. No byte
 * offset is written by hand, and a user's edited kernel whose struct differs is written by its own layout
 * or refused with a message naming the field.
 *
 * Types read: f32, u32, i32; vec2/3/4 of them (`vec3<f32>`, `vec3f`, `vec3u`, `vec3i`); matCxR of f32
 * (`mat4x4<f32>`, `mat4x4f`); fixed-size arrays (`array<T, 4>`, the count a literal or a module `const`);
 * nested structs; `alias`es of these. f16 and bool are refused (not written by this project; bool is not
 * host-shareable). The GPU compiler stays the judge of the uniform address space's extra rules (16-byte
 * array strides and struct alignment): a struct breaking them does not compile.
 */
import { GpuError } from './errors';
import { parseWgsl, stripComments, type WgslStruct } from './wgsl-parse';

/** A uniform struct's layout or values do not fit: the message names the struct and field. */
export class UniformLayoutError extends GpuError {
  override name = 'UniformLayoutError';
}

export type ScalarType = 'f32' | 'u32' | 'i32';

/** The host-shareable layout of one WGSL type: alignment and size in bytes, and its parts. */
export type TypeLayout =
  | { kind: 'scalar'; type: ScalarType; align: number; size: number }
  | { kind: 'vector'; type: ScalarType; length: 2 | 3 | 4; align: number; size: number }
  | { kind: 'matrix'; type: 'f32'; columns: number; rows: number; columnStride: number; align: number; size: number }
  | { kind: 'array'; element: TypeLayout; count: number; stride: number; align: number; size: number }
  | StructLayout;

export interface StructLayout {
  kind: 'struct';
  name: string;
  align: number;
  size: number;
  members: { name: string; offset: number; layout: TypeLayout }[];
}

/** A value for one field: a number (scalar), numbers (vector, matrix columns flat or nested), an array, a struct. */
export type UniformValue = number | readonly UniformValue[] | ArrayLike<number> | UniformValues;
export interface UniformValues {
  readonly [field: string]: UniformValue;
}

/** Packs values into the bytes of one struct. */
export interface UniformWriter {
  /** The struct's name (`Params`). */
  readonly struct: string;
  /** SizeOf(struct) in bytes: the buffer `set` returns. */
  readonly size: number;
  readonly layout: StructLayout;
  /**
   * The struct's bytes holding `values`. Every field must be given except padding (names starting with
   * `_`, written as 0); an unknown field, a missing one or a value of the wrong shape throws
   * UniformLayoutError naming it.
   */
  set(values: UniformValues): ArrayBuffer;
}

const roundUp = (k: number, n: number) => Math.ceil(n / k) * k;
const SCALARS: readonly string[] = ['f32', 'u32', 'i32'];
const SHORT: Record<string, ScalarType> = { f: 'f32', u: 'u32', i: 'i32' };

/** A module's structs, aliases and scalar consts, read once. */
interface Module {
  structs: Map<string, WgslStruct>;
  aliases: Map<string, string>;
  consts: Map<string, number>;
  uniforms: Map<string, string>;
}

function readModule(code: string): Module {
  const parsed = parseWgsl(code);
  const src = stripComments(code);
  const aliases = new Map<string, string>();
  for (const m of src.matchAll(/\balias\s+([A-Za-z_]\w*)\s*=\s*([^;]+);/g)) aliases.set(m[1], m[2].replace(/\s+/g, ''));
  const consts = new Map<string, number>();
  for (const m of src.matchAll(/\bconst\s+([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*(0[xX][0-9a-fA-F]+|\d+)[iu]?\s*;/g)) consts.set(m[1], Number(m[2]));
  return {
    structs: new Map(parsed.structs.map((s) => [s.name, s])),
    aliases,
    consts,
    uniforms: new Map(parsed.bindings.filter((b) => b.addressSpace === 'uniform').map((b) => [b.name, b.type])),
  };
}

/** Splits `T, N` at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((a) => a.trim());
}

function typeLayout(mod: Module, rawType: string, where: string, seen: readonly string[]): TypeLayout {
  const type = rawType.replace(/\s+/g, '');
  const fail = (why: string): never => {
    throw new UniformLayoutError(`${where}: ${why}`);
  };
  if (SCALARS.includes(type)) return { kind: 'scalar', type: type as ScalarType, align: 4, size: 4 };
  if (type === 'bool') fail("type 'bool' is not host-shareable (use u32)");
  if (type === 'f16' || /^(vec[234]h|mat[234]x[234]h)$/.test(type) || /<f16>/.test(type))
    fail(`type '${type}' (f16) is not supported by the uniform writer (use f32)`);

  const alias = mod.aliases.get(type);
  if (alias !== undefined) {
    if (seen.includes(type)) fail(`alias '${type}' refers to itself`);
    return typeLayout(mod, alias, where, [...seen, type]);
  }

  let m = /^vec([234])(?:([fui])|<(f32|u32|i32)>)$/.exec(type);
  if (m) {
    const length = Number(m[1]) as 2 | 3 | 4;
    const scalar = m[2] ? SHORT[m[2]] : (m[3] as ScalarType);
    return { kind: 'vector', type: scalar, length, align: length === 2 ? 8 : 16, size: 4 * length };
  }
  m = /^mat([234])x([234])(?:f|<f32>)$/.exec(type);
  if (m) {
    const columns = Number(m[1]);
    const rows = Number(m[2]);
    const align = rows === 2 ? 8 : 16;
    const columnStride = roundUp(align, 4 * rows);
    return { kind: 'matrix', type: 'f32', columns, rows, columnStride, align, size: columns * columnStride };
  }
  m = /^array<(.+)>$/.exec(type);
  if (m) {
    const args = splitArgs(m[1]);
    if (args.length !== 2) fail(`'${type}' has no fixed element count (a runtime-sized array cannot be a uniform)`);
    const element = typeLayout(mod, args[0], where, seen);
    const lit = /^(0[xX][0-9a-fA-F]+|\d+)[iu]?$/.exec(args[1]);
    const count = lit ? Number(lit[1]) : mod.consts.get(args[1]);
    if (count === undefined) fail(`array count '${args[1]}' is neither a literal nor a module const with a literal value`);
    if (count! < 1) fail(`array count must be at least 1, got ${count}`);
    const stride = roundUp(element.align, element.size);
    return { kind: 'array', element, count: count!, stride, align: element.align, size: count! * stride };
  }
  const struct = mod.structs.get(type);
  if (struct) {
    if (seen.includes(type)) fail(`struct '${type}' contains itself`);
    return structLayoutOf(mod, struct, [...seen, type]);
  }
  return fail(`unknown type '${rawType}'`);
}

function structLayoutOf(mod: Module, struct: WgslStruct, seen: readonly string[]): StructLayout {
  const members: StructLayout['members'] = [];
  let end = 0;
  let align = 1;
  for (const f of struct.fields) {
    const where = `struct ${struct.name}, field '${f.name}'`;
    const layout = typeLayout(mod, f.type, where, seen);
    const fieldAlign = f.align ?? layout.align;
    const fieldSize = f.size ?? layout.size;
    if (f.align !== undefined && (f.align < 1 || (f.align & (f.align - 1)) !== 0)) {
      throw new UniformLayoutError(`${where}: @align(${f.align}) must be a power of two`);
    }
    if (fieldSize < layout.size) throw new UniformLayoutError(`${where}: @size(${fieldSize}) is smaller than its type's size ${layout.size}`);
    const offset = roundUp(fieldAlign, end);
    members.push({ name: f.name, offset, layout });
    end = offset + fieldSize;
    align = Math.max(align, fieldAlign);
  }
  if (members.length === 0) throw new UniformLayoutError(`struct ${struct.name} has no fields`);
  return { kind: 'struct', name: struct.name, align, size: roundUp(align, end), members };
}

/** The layout of the struct `name`, or of the struct type of the uniform variable `name`, in `code`. */
export function structLayout(code: string, name: string, file = 'shader'): StructLayout {
  const mod = readModule(code);
  const struct = mod.structs.get(name);
  if (struct) return structLayoutOf(mod, struct, [name]);
  const varType = mod.uniforms.get(name);
  if (varType === undefined) {
    throw new UniformLayoutError(`${file}: no struct and no var<uniform> named '${name}' (the kernel writes its uniforms through it)`);
  }
  const layout = typeLayout(mod, varType, `${file}: var<uniform> ${name}`, []);
  if (layout.kind !== 'struct') throw new UniformLayoutError(`${file}: var<uniform> ${name} has type '${varType}'; the kernel expects a struct`);
  return layout;
}

const isPadding = (field: string) => field.startsWith('_');

function write(view: DataView, offset: number, layout: TypeLayout, value: UniformValue | undefined, path: string): void {
  const fail = (why: string): never => {
    throw new UniformLayoutError(`${path}: ${why}`);
  };
  switch (layout.kind) {
    case 'scalar': {
      const v = value ?? 0;
      if (typeof v !== 'number') return fail(`${layout.type} needs a number, got ${describe(v)}`);
      if (layout.type === 'f32') view.setFloat32(offset, v, true);
      else if (layout.type === 'u32') {
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) fail(`u32 needs an integer in 0 … 4294967295, got ${v}`);
        view.setUint32(offset, v, true);
      } else {
        if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) fail(`i32 needs an integer in −2147483648 … 2147483647, got ${v}`);
        view.setInt32(offset, v, true);
      }
      return;
    }
    case 'vector':
    case 'array': {
      const count = layout.kind === 'vector' ? layout.length : layout.count;
      const element: TypeLayout = layout.kind === 'vector' ? { kind: 'scalar', type: layout.type, align: 4, size: 4 } : layout.element;
      const stride = layout.kind === 'vector' ? 4 : layout.stride;
      const items = value === undefined ? null : listOf(value);
      if (items && items.length !== count) fail(`needs ${count} values, got ${items.length}`);
      if (!items && value !== undefined) fail(`needs ${count} values, got ${describe(value)}`);
      for (let i = 0; i < count; i++) write(view, offset + i * stride, element, items?.[i], `${path}[${i}]`);
      return;
    }
    case 'matrix': {
      const items = value === undefined ? null : listOf(value);
      if (value !== undefined && !items) fail(`needs ${layout.columns} columns of ${layout.rows}, got ${describe(value)}`);
      const flat = items && items.length === layout.columns * layout.rows && items.every((x) => typeof x === 'number');
      if (items && !flat && items.length !== layout.columns)
        fail(`needs ${layout.columns} columns of ${layout.rows} (nested or flat, column-major), got ${items.length} values`);
      const column: TypeLayout = { kind: 'vector', type: 'f32', length: layout.rows as 2 | 3 | 4, align: 0, size: 0 };
      for (let c = 0; c < layout.columns; c++) {
        const v = !items ? undefined : flat ? (items as number[]).slice(c * layout.rows, (c + 1) * layout.rows) : items[c];
        write(view, offset + c * layout.columnStride, column, v, `${path}[${c}]`);
      }
      return;
    }
    case 'struct': {
      if (value !== undefined && (typeof value !== 'object' || listOf(value))) fail(`struct ${layout.name} needs an object of fields, got ${describe(value)}`);
      const values = (value ?? {}) as UniformValues;
      const names = layout.members.map((m) => m.name);
      for (const key of Object.keys(values)) {
        if (!names.includes(key)) fail(`struct ${layout.name} has no field '${key}' (its fields: ${names.join(', ')})`);
      }
      for (const m of layout.members) {
        const v = values[m.name];
        // A whole nested struct left out is zeros only inside padding; elsewhere every field is named.
        if (v === undefined && value !== undefined && !isPadding(m.name)) fail(`no value for field '${m.name}' of struct ${layout.name}`);
        write(view, offset + m.offset, m.layout, v, `${path}.${m.name}`);
      }
      return;
    }
  }
}

function listOf(value: UniformValue): readonly UniformValue[] | null {
  if (Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return null;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Writers by source text and name; kernels are built again and again with the same few texts. */
const writers = new Map<string, UniformWriter>();
const WRITER_CACHE = 64;

/**
 * A writer for the struct `name` (or the struct of the uniform variable `name`) of `code`, laid out by
 * the WGSL rules. `file` names the shader in messages; `fields`, when given, are the fields the caller
 * writes: a struct whose non-padding fields differ is refused now (naming the missing or unknown field)
 * rather than at the first dispatch.
 */
export function uniformWriter(code: string, name: string, options: { file?: string; fields?: readonly string[] } = {}): UniformWriter {
  const file = options.file ?? 'shader';
  const key = `${file}\n${name}\n${code}`;
  let writer = writers.get(key);
  if (!writer) {
    const layout = structLayout(code, name, file);
    const prefix = `${file}: ${layout.name}`;
    writer = {
      struct: layout.name,
      size: layout.size,
      layout,
      set(values) {
        const buffer = new ArrayBuffer(layout.size);
        write(new DataView(buffer), 0, layout, values, prefix);
        return buffer;
      },
    };
    if (writers.size >= WRITER_CACHE) writers.delete(writers.keys().next().value as string);
    writers.set(key, writer);
  }
  if (options.fields) {
    const have = writer.layout.members.map((m) => m.name).filter((f) => !isPadding(f));
    const missing = options.fields.filter((f) => !have.includes(f));
    const extra = have.filter((f) => !options.fields!.includes(f));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`lacks ${missing.map((f) => `'${f}'`).join(', ')}`] : []),
        ...(extra.length > 0 ? [`has ${extra.map((f) => `'${f}'`).join(', ')} that this kernel does not write (name padding fields with a leading '_')`] : []),
      ];
      throw new UniformLayoutError(`${file}: struct ${writer.struct} ${parts.join(' and ')}; this kernel writes ${options.fields.join(', ')}`);
    }
  }
  return writer;
}
