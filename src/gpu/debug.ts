// Debug flags read from the page's query string (the part before `#`, which the labs' state does not use):
//
//   index.html?debug=lose-device-after-row=3#/depth-lab?…
//   index.html?debug=lose-device-after-row=0,lose-device-times=5#/depth-lab?…
//   index.html?debug=no-webgpu#/depth-lab
//
// `debug` holds a comma-separated list of `name` or `name=value` flags:
// - `lose-device-after-row=N` (integer 0..100000): once N rows of a sweep have finished on the current GPU
//   device, destroy it for real (`device.destroy()`) and report it as a device loss. N = 0 loses the device
//   as soon as a sweep starts on it. In the Normalization lab a "row" is one mode's study (4 per run).
// - `lose-device-times=K` (integer 1..100, default 1): how many devices to lose that way, one after another;
//   the lab's automatic recovery gives up after MAX_RUN_RECOVERIES (ui/gpu-recovery.ts) in one sweep, so K > 3 shows that.
// - `no-webgpu`: behave as if the browser had no WebGPU (the CPU fallback), without relaunching anything.
// - `wgsl` is src/gpu/debug-flags.ts's (log every pipeline's WGSL); this parser accepts it and leaves it alone.
// Unknown or malformed flags are ignored and listed in `problems` (logged by the app).

/** The parsed debug flags. */
export interface DebugFlags {
  /** Lose the device after this many rows finished on it; null = never. */
  loseDeviceAfterRow: number | null;
  /** How many forced losses in all. */
  loseDeviceTimes: number;
  /** Pretend there is no WebGPU. */
  noWebGpu: boolean;
  /** What could not be used, one message per flag. */
  problems: string[];
}

export const NO_DEBUG: Readonly<DebugFlags> = Object.freeze({ loseDeviceAfterRow: null, loseDeviceTimes: 1, noWebGpu: false, problems: [] });

// A debug value longer than this is not a flag list (guards against hostile 100 kB URLs).
const MAX_DEBUG_LENGTH = 200;

function intFlag(name: string, raw: string | undefined, min: number, max: number, problems: string[]): number | null {
  if (raw === undefined || !/^\d{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} needs an integer from ${min} to ${max}, got ${raw === undefined ? 'nothing' : JSON.stringify(raw.slice(0, 20))}`);
    return null;
  }
  return Number(raw);
}

/** Parses `?debug=…` from a query string (with or without `?`). Never throws. */
export function parseDebugOptions(search: string): DebugFlags {
  const flags: DebugFlags = { ...NO_DEBUG, problems: [] };
  let raw: string | null;
  try {
    raw = new URLSearchParams(search).get('debug');
  } catch {
    raw = null;
  }
  if (raw === null || raw === '') return flags;
  if (raw.length > MAX_DEBUG_LENGTH) {
    flags.problems.push(`debug is ${raw.length} characters long; at most ${MAX_DEBUG_LENGTH} are read (ignored)`);
    return flags;
  }
  for (const item of raw.split(',')) {
    const [name, value] = item.trim().split(/[=:]/, 2);
    switch (name) {
      case 'lose-device-after-row':
        flags.loseDeviceAfterRow = intFlag(name, value, 0, 100_000, flags.problems);
        break;
      case 'lose-device-times':
        flags.loseDeviceTimes = intFlag(name, value, 1, 100, flags.problems) ?? 1;
        break;
      case 'no-webgpu':
        flags.noWebGpu = true;
        break;
      case '':
      case 'wgsl': // read by src/gpu/debug-flags.ts (logs every pipeline's WGSL)
        break;
      default:
        flags.problems.push(`unknown debug flag ${JSON.stringify(name.slice(0, 40))} (known: lose-device-after-row=N, lose-device-times=K, no-webgpu, wgsl)`);
    }
  }
  return flags;
}

/** The flags of this page (`location.search`), or none outside a browser. */
export function pageDebugFlags(): DebugFlags {
  return typeof location === 'undefined' ? { ...NO_DEBUG, problems: [] } : parseDebugOptions(location.search);
}

/**
 * Decides when to force a device loss: `rowFinished()` after each finished row, `deviceChanged()` when a new
 * device takes over; true means "lose the device now". Shared by every sweep of the page, so
 * `lose-device-times` counts across sweeps.
 */
export class DeviceLossInjector {
  private rowsOnDevice = 0;
  private forced = 0;
  /** This device was already lost on purpose (rows of its last chunk may still be arriving). */
  private firedOnDevice = false;

  constructor(readonly flags: Pick<DebugFlags, 'loseDeviceAfterRow' | 'loseDeviceTimes'>) {}

  get active(): boolean {
    return this.flags.loseDeviceAfterRow !== null && this.forced < this.flags.loseDeviceTimes;
  }

  /** A new device is in use: its row count starts at 0. */
  deviceChanged(): void {
    this.rowsOnDevice = 0;
    this.firedOnDevice = false;
  }

  /** True when a sweep starting on this device should lose it at once (`lose-device-after-row=0`). */
  atStart(): boolean {
    return this.check();
  }

  /** A row finished on the current device: true when the device should be lost now. */
  rowFinished(): boolean {
    this.rowsOnDevice++;
    return this.check();
  }

  private check(): boolean {
    if (!this.active || this.firedOnDevice || this.rowsOnDevice < this.flags.loseDeviceAfterRow!) return false;
    this.forced++;
    this.firedOnDevice = true;
    return true;
  }
}
