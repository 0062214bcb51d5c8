/**
 * The matmul tuning: what autotuneMatmul measured as fastest on an adapter, its schema check, and
 * MatmulTuningStore, which keeps tunings in memory and in a Storage the app passes in (localStorage in the
 * browser). Kernels read tunings through the context (`gpu.tunings`, see GpuContext), never from storage.
 */
import { msg, str } from '@lit/localize';
import type { AdapterSummary, GpuContext, KernelTunings } from '../gpu/context';
import { InputError } from '../errors';
import { MATMUL_VARIANTS, isObject, sizesProblem, type MatmulSizes, type MatmulVariant } from './matmul-variants';

/** A matmul autotune result (plain data, for the UI): what won on this adapter and what every candidate took. */
export interface MatmulTuning {
  /** Which adapter it belongs to (see matmulAdapterKey). */
  adapterKey: string;
  variant: MatmulVariant;
  /** The winner's size options (createMatmulKernel options). */
  constants: MatmulSizes;
  /** Every candidate: median ms over the tuning shapes (summed), or null if it failed verification. */
  candidates: { variant: MatmulVariant; constants: MatmulSizes; ms: number | null; verified: boolean; error?: string }[];
  /** ISO date of the measurement. */
  measuredAt: string;
}

// Bump when kernels change enough that old tunings should be measured again.
const TUNING_VERSION = 1;
/** Storage key prefix of stored tunings (the adapter key follows). */
export const MATMUL_TUNING_PREFIX = `gp.matmulTuning.v${TUNING_VERSION}:`;
const TUNING_PREFIX = MATMUL_TUNING_PREFIX;
/** The kernel name matmul's records go by in a KernelTunings. */
export const MATMUL_TUNING_KERNEL = 'matmul';

/** The cache key of an adapter's tuning: vendor, architecture, device and description. */
export function matmulAdapterKey(summary: Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description'>): string {
  return [summary.vendor, summary.architecture, summary.device, summary.description].join('|');
}

/**
 * Where the tuning store reports what it did to stored records (an invalid one dropped, a save refused):
 * the app passes its notice registry.
 */
export type TuningStorageReporter = (key: string, kind: 'dropped' | 'save-failed', text: string) => void;

/** The Storage surface the store uses (localStorage, or a Map-backed fake in tests). */
export type TuningStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & Partial<Pick<Storage, 'key' | 'length'>>;

/**
 * The schema check of a stored tuning: adapterKey equal to `adapterKey`, a known variant, its sizes among
 * the allowed ones (and within `limits` when given), candidates well formed, measuredAt a date. Never throws.
 */
export function checkMatmulTuning(
  x: unknown,
  adapterKey: string,
  limits?: GPUSupportedLimits,
): { ok: true; tuning: MatmulTuning } | { ok: false; reason: string } {
  const bad = (reason: string) => ({ ok: false as const, reason });
  if (!isObject(x)) return bad('it is not a record');
  if (x.adapterKey !== adapterKey) return bad('it belongs to another adapter');
  const known = (v: unknown): v is MatmulVariant => MATMUL_VARIANTS.some((i) => i.name === v);
  if (!known(x.variant))
    return bad(`its variant ${String(JSON.stringify(x.variant)).slice(0, 20)} is not one of ${MATMUL_VARIANTS.map((v) => v.name).join(', ')}`);
  const sizes = sizesProblem(x.variant, x.constants, limits);
  if (sizes) return bad(sizes);
  if (typeof x.measuredAt !== 'string' || Number.isNaN(Date.parse(x.measuredAt))) return bad('its date is not a date');
  if (!Array.isArray(x.candidates)) return bad('its list of candidates is missing');
  for (const c of x.candidates as unknown[]) {
    const fine =
      isObject(c) &&
      known(c.variant) &&
      sizesProblem(c.variant, c.constants) === null &&
      (c.ms === null || (typeof c.ms === 'number' && Number.isFinite(c.ms) && c.ms >= 0)) &&
      typeof c.verified === 'boolean' &&
      (c.error === undefined || typeof c.error === 'string');
    if (!fine) return bad('a candidate is malformed');
  }
  return { ok: true, tuning: x as unknown as MatmulTuning };
}

/**
 * Matmul tunings by adapter: in memory, and in `storage` (null: memory only) under MATMUL_TUNING_PREFIX +
 * adapter key. Stored records are checked when read (checkMatmulTuning); an invalid one is removed and
 * reported through `report`. A KernelTunings: the app passes it to requestGpu as `tunings`.
 */
export class MatmulTuningStore implements KernelTunings {
  private readonly memory = new Map<string, MatmulTuning>();

  constructor(
    private readonly storage: TuningStorage | null,
    private readonly report: TuningStorageReporter | null = null,
  ) {}

  get(kernel: string, gpu: Pick<GpuContext, 'summary'> & { limits?: GPUSupportedLimits }): MatmulTuning | null {
    return kernel === MATMUL_TUNING_KERNEL ? this.matmul(gpu) : null;
  }

  set(kernel: string, gpu: Pick<GpuContext, 'summary'>, record: unknown, persist = true): void {
    if (kernel !== MATMUL_TUNING_KERNEL) throw new InputError('kernel', `this store keeps ${MATMUL_TUNING_KERNEL} tunings only, got ${JSON.stringify(kernel)}`);
    this.setMatmul(gpu, record as MatmulTuning | null, persist);
  }

  /**
   * The tuning for this context's adapter (memory, then storage), or null. A stored one that fails
   * checkMatmulTuning (within the device's limits when the context has them) is removed and reported.
   */
  matmul(gpu: Pick<GpuContext, 'summary'> & { limits?: GPUSupportedLimits }): MatmulTuning | null {
    const key = matmulAdapterKey(gpu.summary);
    const hit = this.memory.get(key);
    if (hit) return hit;
    let text: string | null | undefined;
    try {
      text = this.storage?.getItem(TUNING_PREFIX + key);
    } catch {
      return null;
    }
    if (!text) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.drop(TUNING_PREFIX + key, 'it is not valid JSON');
      return null;
    }
    const c = checkMatmulTuning(parsed, key, gpu.limits);
    if (!c.ok) {
      this.drop(TUNING_PREFIX + key, c.reason);
      return null;
    }
    this.memory.set(key, c.tuning);
    return c.tuning;
  }

  /**
   * Keeps a tuning for its adapter: in memory, and in storage when `persist` (default true). null clears
   * this adapter's tuning from both.
   */
  setMatmul(gpu: Pick<GpuContext, 'summary'>, tuning: MatmulTuning | null, persist = true): void {
    const key = checkOwner(gpu, tuning);
    if (tuning) {
      this.memory.set(key, tuning);
      if (!persist) return;
      try {
        this.storage?.setItem(TUNING_PREFIX + key, JSON.stringify(tuning));
      } catch {
        // Quota or privacy mode: the in-memory copy still serves this session.
        this.report?.(
          TUNING_PREFIX + key,
          'save-failed',
          msg(
            str`Your browser refused to store the matmul tuning (storage full or disabled): it applies only until you close the page [${TUNING_PREFIX + key}].`,
          ),
        );
      }
    } else {
      this.memory.delete(key);
      this.storage?.removeItem(TUNING_PREFIX + key);
    }
  }

  /**
   * Checks every stored tuning (any adapter) without a device, removing and reporting the invalid ones;
   * returns the keys removed. The app runs it at startup, so a broken record is named before anything runs.
   */
  prune(): string[] {
    const store = this.storage;
    const removed: string[] = [];
    if (!store || typeof store.key !== 'function') return removed;
    let keys: string[];
    try {
      keys = Array.from({ length: store.length ?? 0 }, (_, i) => store.key!(i)).filter((k): k is string => k !== null && k.startsWith(TUNING_PREFIX));
    } catch {
      return removed;
    }
    for (const key of keys) {
      let reason: string | null = null;
      try {
        const c = checkMatmulTuning(JSON.parse(store.getItem(key) ?? 'null'), key.slice(TUNING_PREFIX.length));
        if (!c.ok) reason = c.reason;
      } catch {
        reason = 'it is not valid JSON';
      }
      if (reason !== null) {
        this.drop(key, reason);
        this.memory.delete(key.slice(TUNING_PREFIX.length));
        removed.push(key);
      }
    }
    return removed;
  }

  private drop(key: string, reason: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // It is checked (and ignored) again next time.
    }
    this.report?.(
      key,
      'dropped',
      // The reason stays as the check wrote it (a field and its rule), like the key.
      msg(str`A stored matmul tuning was invalid (${reason}) and has been removed; the default kernel runs until the next autotune [${key}].`),
    );
  }
}

/** The adapter key of `gpu`; throws when `tuning` belongs to another adapter. */
function checkOwner(gpu: Pick<GpuContext, 'summary'>, tuning: MatmulTuning | null): string {
  const key = matmulAdapterKey(gpu.summary);
  if (tuning && tuning.adapterKey !== key) throw new InputError('tuning', `belongs to adapter "${tuning.adapterKey}", not "${key}"`);
  return key;
}

/** The tuning 'auto' uses on this context's adapter (from `gpu.tunings`), or null. */
export function getMatmulTuning(gpu: Pick<GpuContext, 'summary' | 'tunings'> & { limits?: GPUSupportedLimits }): MatmulTuning | null {
  return (gpu.tunings.get(MATMUL_TUNING_KERNEL, gpu) as MatmulTuning | null | undefined) ?? null;
}

/**
 * Keeps a tuning for this context's adapter in `gpu.tunings` (persisted there unless `persist` is false);
 * null clears it. Throws when the tuning belongs to another adapter.
 */
export function setMatmulTuning(gpu: Pick<GpuContext, 'summary' | 'tunings'>, tuning: MatmulTuning | null, persist = true): void {
  checkOwner(gpu, tuning);
  gpu.tunings.set(MATMUL_TUNING_KERNEL, gpu, tuning, persist);
}
