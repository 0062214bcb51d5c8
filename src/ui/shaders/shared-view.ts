import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { CatalogKernel } from '../../playground/catalog';
import type { DraftBackup } from '../../playground/drafts';
import { diffHunks, diffStats, type DiffLine } from '../../playground/line-diff';
import { MAX_BACKUPS } from '../../playground/storage-schema';
import { formatCount, formatDateTime } from '../../locale-format';

/** A shared kernel from the address, shown read-only until the user opens or discards it. */
export interface SharedLink {
  kernel: string;
  code: string;
  diff: DiffLine[];
}

/**
 * The inert view of a shared link: banner, Open in editor / Discard, and the diff against the built-in.
 * `own` is the user's stored draft of that kernel (null: none).
 */
export function renderShared(link: SharedLink | 'reading', k: CatalogKernel | undefined, own: string | null, on: { open(): void; discard(): void }) {
  if (link === 'reading' || !k) return html`<p role="status" data-testid="shared-reading">${msg('Reading the shared link…')}</p>`;
  const { added, removed } = diffStats(link.diff);
  return html`<section class="shared" data-testid="shared-view" aria-labelledby="shared-title">
    <div class="notice shared-banner" role="status" data-testid="shared-banner">
      <strong id="shared-title">${msg('Shared kernel from a link — not run.')}</strong>
      ${msg(html`It replaces <code>${k.file}</code>. Nothing of it has been compiled, run or stored: read the changes below first.`)}
      ${own !== null && own !== link.code ? msg(str`Opening it keeps your own draft of ${k.id} as a backup you can restore.`) : nothing}
      <div class="toolbar">
        <button type="button" class="primary" data-testid="shared-open" @click=${on.open}>${msg('Open in editor')}</button>
        <button type="button" data-testid="shared-discard" @click=${on.discard}>${msg('Discard')}</button>
      </div>
    </div>
    <h3>${msg(html`Changes against the built-in <code>${k.file}</code>`)}</h3>
    <p class="muted" data-testid="shared-stats">
      ${added === 0 && removed === 0 ? msg('Identical to the built-in text.') : added === 1 ? msg(str`1 line added, ${removed} removed.`) : msg(str`${added} lines added, ${removed} removed.`)}
    </p>
    <pre class="diff" data-testid="shared-diff">${diffHunks(link.diff).map((d) =>
      d.kind === 'skip'
        ? html`<span class="skip">⋯ ${d.count === 1 ? msg('1 unchanged line') : msg(str`${d.count} unchanged lines`)}\n</span>`
        : html`<span class=${d.kind} data-kind=${d.kind}>${d.kind === 'add' ? '+ ' : d.kind === 'del' ? '− ' : '  '}${d.text}\n</span>`,
    )}</pre>
  </section>`;
}

/** The link made by Share link, to copy. */
export function renderShareBox(share: { url: string; copied: boolean }) {
  return html`<p class="share" data-testid="share-box">
    <label>${share.copied ? msg('Link to this version (copied to the clipboard):') : msg('Link to this version (copy it):')}
      <input readonly .value=${share.url} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
    </label>
  </p>`;
}

/** The kept copies of a kernel's earlier texts, newest first, each with Restore and Delete. */
export function renderBackups(
  k: CatalogKernel,
  list: readonly DraftBackup[],
  current: string,
  on: { restore(b: DraftBackup): void; remove(b: DraftBackup): void },
) {
  if (list.length === 0) return nothing;
  return html`<section data-testid="backups">
    <h3>${msg(str`Backups of ${k.id}`)}</h3>
    <p class="muted">${msg(str`Earlier texts put aside when a link, Reset, Load naive or Restore replaced them (newest first; up to ${MAX_BACKUPS} are kept, the oldest goes first).`)}</p>
    <ul class="backups">
      ${list.map(
        (b) => html`<li data-testid="backup" data-at=${b.at}>
          <span>${formatDateTime(new Date(b.at))} — ${b.code === current ? msg(str`${formatCount(b.code.split('\n').length)} lines (in the editor)`) : msg(str`${formatCount(b.code.split('\n').length)} lines`)}</span>
          <button type="button" data-testid="backup-restore" ?disabled=${b.code === current} @click=${() => on.restore(b)}>${msg('Restore')}</button>
          <button type="button" data-testid="backup-delete" @click=${() => on.remove(b)}>${msg('Delete')}</button>
        </li>`,
      )}
    </ul>
  </section>`;
}
