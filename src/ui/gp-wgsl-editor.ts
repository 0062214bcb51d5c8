import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { formatLocale } from '../locale-format';
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { indentWithTab } from '@codemirror/commands';
import { keymap } from '@codemirror/view';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { wgsl } from '@iizukak/codemirror-lang-wgsl';
import type { WgslDiagnostic } from '../playground/compile';
import { base } from './shared-styles';

/** Compiler messages for one exact text: they are only shown while the editor still holds that text. */
export interface EditorDiagnostics {
  code: string;
  list: readonly WgslDiagnostic[];
  /** A message about the whole module (e.g. the pipeline could not be built), shown in the list. */
  general?: string | null;
}

/** Detail of `wgsl-change` (debounced) and `wgsl-input` (every keystroke). */
export interface WgslChangeDetail {
  code: string;
}

/** Pause after the last keystroke before `wgsl-change` fires (and the view recompiles). */
export const RECOMPILE_DELAY_MS = 400;

/** CodeMirror's user-visible words (its `phrases`) that basicSetup shows: fold markers, search and go-to-line panels. */
function editorPhrases(): Extension {
  return EditorState.phrases.of({
    'Fold line': msg('Fold line'),
    'Unfold line': msg('Unfold line'),
    'folded code': msg('folded code'),
    unfold: msg('unfold'),
    Find: msg('Find'),
    Replace: msg('Replace'),
    next: msg('next'),
    previous: msg('previous'),
    all: msg('all'),
    'match case': msg('match case'),
    regexp: msg('regexp'),
    'by word': msg('by word'),
    replace: msg('replace'),
    'replace all': msg('replace all'),
    close: msg('close'),
    'Go to line': msg('Go to line'),
    go: msg('go'),
    'Control character': msg('Control character'),
    Completions: msg('Completions'),
    Diagnostics: msg('Diagnostics'),
    'No diagnostics': msg('No diagnostics'),
  });
}

/**
 * A CodeMirror 6 WGSL editor: syntax highlighting (Lezer WGSL grammar), compiler diagnostics inline at
 * their line and column (lint underline + gutter marker) and in a list beside, each entry jumping to its
 * place. Fires `wgsl-input` on every edit and `wgsl-change` once typing pauses for RECOMPILE_DELAY_MS.
 * It compiles nothing itself: the parent compiles and hands back `diagnostics`.
 */
@customElement('gp-wgsl-editor')
@localized()
export class GpWgslEditor extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .wrap {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.75rem;
      }
      .cm {
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        overflow: hidden;
      }
      .cm .cm-editor {
        height: var(--gp-editor-height, 32rem);
        font-size: 0.85rem;
      }
      .cm .cm-scroller {
        font-family: var(--gp-mono);
      }
      .cm .cm-editor.cm-focused {
        outline: 3px solid var(--gp-focus);
        outline-offset: -1px;
      }
      .diagnostics h3 {
        margin: 0 0 0.35rem;
        font-size: 0.95rem;
      }
      .diagnostics ul {
        list-style: none;
        margin: 0;
        padding: 0;
        font-size: 0.85rem;
      }
      .diagnostics li button {
        display: block;
        width: 100%;
        text-align: left;
        font-weight: 400;
        padding: 0.3rem 0.5rem;
        margin: 0 0 0.25rem;
      }
      .diagnostics li[data-severity='error'] button {
        border-color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .diagnostics li[data-severity='warning'] button {
        border-color: var(--gp-warn);
        background: var(--gp-warn-bg);
      }
      .where {
        font-family: var(--gp-mono);
        font-weight: 600;
      }
      .general {
        margin: 0 0 0.25rem;
        padding: 0.3rem 0.5rem;
        border: 1px solid var(--gp-fail);
        background: var(--gp-fail-bg);
        border-radius: var(--gp-radius);
        font-size: 0.85rem;
        white-space: pre-wrap;
      }
      .none {
        color: var(--gp-muted);
        font-size: 0.85rem;
        margin: 0;
      }
    `,
  ];

  /** The text to show; setting it replaces the document (undoable). Edits do not write back here. */
  @property({ attribute: false }) value = '';
  /** Compiler messages for a given text (see EditorDiagnostics). */
  @property({ attribute: false }) diagnostics: EditorDiagnostics | null = null;
  /** Which document this is (e.g. the kernel id): each key keeps its own text, cursor and undo history. */
  @property() docKey = '';
  /** Accessible name of the editing area. */
  @property() label = 'WGSL source';

  @state() private shown: readonly WgslDiagnostic[] = [];
  @state() private general: string | null = null;

  private view: EditorView | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * Texts this editor reported since the last outside change: a parent that stores each reported text
   * and passes it back as `value` must not overwrite newer keystrokes with it (echoes are ignored).
   */
  private emitted: string[] = [];
  /** Editor states of the other documents (by docKey), so switching back restores undo history. */
  private states = new Map<string, EditorState>();

  /** The editor's current text. */
  get code(): string {
    return this.view ? this.view.state.doc.toString() : this.value;
  }

  /** The CodeMirror view (for tests and keyboard-driven tools). */
  get editorView(): EditorView | null {
    return this.view;
  }

  /** Replaces the whole text as one undoable edit, and fires the change events. */
  setCode(code: string): void {
    if (!this.view) {
      this.value = code;
      return;
    }
    if (code === this.code) return;
    this.emitted = [];
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: code } });
  }

  /** Moves the cursor to a diagnostic and focuses the editor. */
  reveal(d: Pick<WgslDiagnostic, 'offset'>): void {
    if (!this.view) return;
    const pos = Math.min(d.offset, this.view.state.doc.length);
    this.view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    this.view.focus();
  }

  /** Holds CodeMirror's phrases, so a language switch can replace them. */
  private readonly phrases = new Compartment();
  private phrasesLocale = formatLocale();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearTimeout(this.timer);
  }

  override render() {
    return html`<div class="wrap">
      <div class="cm" data-testid="wgsl-editor"></div>
      <section class="diagnostics" aria-live="polite" data-testid="diagnostics">
        <h3>${msg('Compiler messages')}</h3>
        ${this.general ? html`<p class="general" data-testid="general-error" translate="no">${this.general}</p>` : nothing}
        ${
          this.shown.length === 0 && !this.general
            ? html`<p class="none" data-testid="no-diagnostics">${msg('None: the last compile of this text was clean.')}</p>`
            : html`<ul>
              ${this.shown.map(
                (d) => html`<li data-severity=${d.severity} data-line=${d.line} data-column=${d.column}>
                  <button type="button" @click=${() => this.reveal(d)} title=${msg('Show in the editor')}>
                    <span class="where">${d.line}:${d.column}</span> ${d.severity === 'error' ? msg('error') : d.severity === 'warning' ? msg('warning') : msg('info')}: <span translate="no">${d.message}</span>
                  </button>
                </li>`,
              )}
            </ul>`
        }
      </section>
    </div>`;
  }

  protected override firstUpdated(): void {
    const parent = this.renderRoot.querySelector('.cm') as HTMLElement;
    this.view = new EditorView({ parent, root: this.shadowRoot!, state: this.makeState(this.value) });
    this.pushDiagnostics();
  }

  private makeState(doc: string): EditorState {
    return EditorState.create({
      doc,
      extensions: [
        this.phrases.of(editorPhrases()),
        basicSetup,
        keymap.of([indentWithTab]),
        wgsl(),
        lintGutter(),
        EditorView.contentAttributes.of({ 'aria-label': this.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) this.onEdit();
        }),
      ],
    });
  }

  // The message list is derived before rendering (setting it in updated() would schedule a second update).
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('diagnostics') && !changed.has('value') && !changed.has('docKey')) return;
    const d = this.diagnostics;
    // The text the editor will hold after this update: an outside `value` replaces it, an echo does not.
    const incoming = changed.has('docKey') || (changed.has('value') && !this.emitted.includes(this.value));
    const code = incoming || !this.view ? this.value : this.code;
    // The list keeps the last messages while a new compile is pending, so it does not flicker.
    if (d !== null && d.code === code) {
      this.shown = d.list;
      this.general = d.general ?? null;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const oldKey = changed.get('docKey') as string | undefined;
    if (changed.has('docKey') && oldKey !== undefined && this.view) {
      // Another document: park this one's state (text, selection, undo history) and bring that one's back.
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.states.set(oldKey, this.view.state);
      const saved = this.states.get(this.docKey);
      this.view.setState(saved && saved.doc.toString() === this.value ? saved : this.makeState(this.value));
      this.emitted = [];
    } else if (changed.has('value') && this.view && this.value !== this.code && !this.emitted.includes(this.value)) {
      this.emitted = [];
      this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: this.value } });
    }
    if (changed.has('diagnostics') || changed.has('value')) this.pushDiagnostics();
    // CodeMirror's own words (fold markers, search panel) in the language shown; a parked state may hold another's.
    if (this.view && (changed.has('docKey') || this.phrasesLocale !== formatLocale())) {
      this.phrasesLocale = formatLocale();
      this.view.dispatch({ effects: this.phrases.reconfigure(editorPhrases()) });
    }
  }

  private onEdit(): void {
    const code = this.code;
    this.emitted.push(code);
    if (this.emitted.length > 64) this.emitted.shift();
    this.dispatchEvent(new CustomEvent<WgslChangeDetail>('wgsl-input', { detail: { code }, bubbles: true, composed: true }));
    // The previous text's messages stay, mapped through the edit by CodeMirror, until the next compile.
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dispatchEvent(new CustomEvent<WgslChangeDetail>('wgsl-change', { detail: { code: this.code }, bubbles: true, composed: true }));
    }, RECOMPILE_DELAY_MS);
  }

  /** Underlines the messages of the current text in CodeMirror (none when they belong to another text). */
  private pushDiagnostics(): void {
    if (!this.view) return;
    const d = this.diagnostics;
    const list = d !== null && d.code === this.code ? d.list : [];
    const len = this.view.state.doc.length;
    const cm: Diagnostic[] = list.map((m) => {
      const from = Math.min(m.offset, len);
      return {
        from,
        to: Math.min(len, from + Math.max(m.length, 0)),
        severity: m.severity,
        message: `${m.line}:${m.column} ${m.message}`,
      };
    });
    this.view.dispatch(setDiagnostics(this.view.state, cm));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-wgsl-editor': GpWgslEditor;
  }
}
