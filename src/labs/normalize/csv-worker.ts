// The CSV worker: reads an uploaded file off the main thread with parseCsvBlob (progress after every
// chunk), checks f32 rounding, and posts the table back (its values transferred, not copied). A thin
// wrapper: every rule lives in csv-parser.ts (its wording in csv.ts). Cancel = the page terminates the worker.

import { f32Merges } from './csv-f32';
import { parseCsvBlob } from './csv-parser';
import type { CsvWorkerReply, CsvWorkerRequest } from './csv-load';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<CsvWorkerRequest>) => void) | null;
  postMessage(message: CsvWorkerReply, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  void (async () => {
    try {
      const result = await parseCsvBlob(e.data.file, {
        chunkBytes: e.data.chunkBytes,
        onProgress: (p) => scope.postMessage({ type: 'progress', progress: p }),
      });
      if (result.ok) scope.postMessage({ type: 'done', result, merges: f32Merges(result.table) }, [result.table.data.buffer]);
      else scope.postMessage({ type: 'done', result, merges: [] });
    } catch (err) {
      scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  })();
};
