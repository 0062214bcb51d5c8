// A progress bar with the time left, on stderr (cli-progress): shown when stderr is a terminal, or always
// with --progress (then one line every two seconds when stderr is a file or a pipe).
import cliProgress from 'cli-progress';

/** A started bar: update with the work done and the time left (ms, NaN while unknown); stop when done. */
export interface Progress {
  update(done: number, remainingMs: number, what?: string): void;
  stop(): void;
}

/** `1 min 05 s`, `12 s`, `…` while unknown. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '…';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const NONE: Progress = { update() {}, stop() {} };

/** A bar for `total` steps of `label`, or a no-op when it should not show. */
export function startProgress(label: string, total: number, options: { force: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = options.stream ?? process.stderr;
  if (!options.force && !stream.isTTY) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} | {left} left | {what}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: !stream.isTTY,
      notTTYSchedule: 2000,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { left: '…', what: '' });
  return {
    update(done, remainingMs, what = '') {
      bar.update(done, { left: formatDuration(remainingMs), what });
    },
    stop() {
      bar.stop();
    },
  };
}
