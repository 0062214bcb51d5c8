// Loading an uploaded CSV file without freezing the page: in a Web Worker (csv-worker.ts) when the browser
// has them, else on the main thread in chunks (the same parseCsvBlob, awaiting between chunks). Either way:
// progress after every chunk, and Cancel (an AbortSignal) stops it.

import { msg, str } from '@lit/localize';
import type { F32Merge } from './csv';
import { f32Merges } from './csv-f32';
import { parseCsvBlob, type CsvProgress, type CsvResult } from './csv-parser';

/** What the worker is sent. */
export interface CsvWorkerRequest {
  file: Blob;
  chunkBytes?: number;
}

/** What the worker posts back. */
export type CsvWorkerReply =
  { type: 'progress'; progress: CsvProgress } | { type: 'done'; result: CsvResult; merges: F32Merge[] } | { type: 'error'; message: string };

/** A loaded (or refused) file and its f32-rounding merges (empty when refused). */
export interface CsvLoad {
  result: CsvResult;
  merges: F32Merge[];
  /** Where it was parsed. */
  via: 'worker' | 'main-thread';
}

/** Options of `loadCsvFile`. */
export interface CsvLoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: CsvProgress) => void;
  /** Use a Web Worker when available (default true). */
  worker?: boolean;
  chunkBytes?: number;
}

const abortReason = (signal: AbortSignal) => signal.reason ?? new DOMException('Cancelled', 'AbortError');

/** Parses a file on the main thread, in chunks. */
export async function loadCsvOnMainThread(file: Blob, options: CsvLoadOptions = {}): Promise<CsvLoad> {
  const result = await parseCsvBlob(file, { signal: options.signal, onProgress: options.onProgress, chunkBytes: options.chunkBytes });
  if (!result.ok) return { result, merges: [], via: 'main-thread' };
  // Yield once so a Cancel pressed during the last chunk still counts.
  await new Promise((r) => setTimeout(r, 0));
  options.signal?.throwIfAborted();
  return { result, merges: f32Merges(result.table), via: 'main-thread' };
}

/**
 * Parses an uploaded file in a Web Worker (falls back to the main thread when Worker is missing or the
 * worker cannot start). Rejects with the signal's reason when cancelled (the worker is terminated at once).
 */
export function loadCsvFile(file: Blob, options: CsvLoadOptions = {}): Promise<CsvLoad> {
  const { signal, onProgress } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  let worker: Worker;
  try {
    if (options.worker === false || typeof Worker === 'undefined') throw new Error('no Worker');
    worker = new Worker(new URL('./csv-worker.ts', import.meta.url), { type: 'module', name: 'csv-parser' });
  } catch {
    return loadCsvOnMainThread(file, options);
  }
  return new Promise<CsvLoad>((resolve, reject) => {
    let heard = false;
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (e: MessageEvent<CsvWorkerReply>) => {
      heard = true;
      const m = e.data;
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') {
        finish();
        resolve({ result: m.result, merges: m.merges, via: 'worker' });
      } else {
        finish();
        reject(new Error(msg(str`Reading the file failed: ${m.message}`)));
      }
    };
    worker.onerror = (e) => {
      // A worker that never started (blocked by a policy, no module workers): parse here instead.
      e.preventDefault();
      finish();
      if (!heard) loadCsvOnMainThread(file, options).then(resolve, reject);
      else reject(new Error(msg(str`Reading the file failed: ${e.message || msg('the CSV worker stopped')}`)));
    };
    worker.postMessage({ file, chunkBytes: options.chunkBytes } satisfies CsvWorkerRequest);
  });
}
