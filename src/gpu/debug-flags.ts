/**
 * Debug switches read from the page URL. `?log-wgsl` (or `?debug=wgsl`, also accepted after the hash as
 * `#/view?…&debug=wgsl`) logs every compute pipeline's WGSL source, entry point and override constants to
 * the console once, when the pipeline is created: e.g. http://127.0.0.1:5173/?log-wgsl#/depth-lab
 */

/** The debug flags in a URL's query string and hash: `log-wgsl` and each value of `debug=` (comma-separated). */
export function parseDebugFlags(url: string): Set<string> {
  const flags = new Set<string>();
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://localhost/');
  } catch {
    return flags;
  }
  const hashQuery = parsed.hash.includes('?') ? parsed.hash.slice(parsed.hash.indexOf('?') + 1) : '';
  for (const params of [parsed.searchParams, new URLSearchParams(hashQuery)]) {
    if (params.has('log-wgsl')) flags.add('wgsl');
    for (const v of params.getAll('debug')) for (const f of v.split(',')) if (f.trim()) flags.add(f.trim());
  }
  return flags;
}

/** True when the page was opened with `?log-wgsl` / `debug=wgsl` (read at each call, so it follows the URL). */
export function wgslLoggingEnabled(): boolean {
  const href = typeof location !== 'undefined' ? location.href : '';
  return href !== '' && parseDebugFlags(href).has('wgsl');
}

/** What is logged about one pipeline. */
export interface PipelineLogEntry {
  label: string;
  file: string;
  entryPoint: string;
  constants: Record<string, number>;
  code: string;
}

/** The console text for one pipeline: a header line naming it, then its WGSL. */
export function formatPipelineLog(p: PipelineLogEntry): { header: string; body: string } {
  const constants =
    Object.entries(p.constants)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || 'none';
  return {
    header: `[gp wgsl] pipeline ${p.label} · ${p.file} · entry point ${p.entryPoint} · constants { ${constants} }`,
    body: p.code,
  };
}

/** Logs the pipeline's WGSL and constants when the WGSL flag is on (a collapsed console group). */
export function logPipelineWGSL(p: PipelineLogEntry): void {
  if (!wgslLoggingEnabled()) return;
  const { header, body } = formatPipelineLog(p);
  console.groupCollapsed(header);
  console.log(`${header}\n${body}`);
  console.groupEnd();
}
