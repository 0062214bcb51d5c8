import { LitElement, css, html, nothing } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { customElement, state } from 'lit/decorators.js';
import type { GpuContext, GpuEventMap } from '../gpu/context';
import { requestAppGpu } from './app-gpu';
import { localized, msg, str } from '@lit/localize';
import { formatCount } from '../locale-format';
import { pageDebugFlags } from '../gpu/debug';
import { WebGpuUnsupportedError, type GpuDeviceLostError } from '../gpu/errors';
import { presetSizeFor } from '../labs/depth/presets';
import { isSoftwareAdapter } from '../gpu/adapter';
import { describeStartupError, type StartupErrorView } from './startup-error';
import { banner, base, tokens } from './shared-styles';
import './gp-adapter-info';
import './gp-home';
import './gp-kernel-check';
import './gp-lang-switch';
import './gp-storage-notice';
import type { GpuReconnectDetail } from './gpu-recovery';
import type { StartDetail } from './gp-home';
import { hashRouter } from './hash-router';
import { ROUTES, routeTitle, type Route } from './route';
import { VIEWS } from './views';

const MAX_GPU_ERRORS = 5;

/**
 * The app shell: header with the adapter in use, hash-routed navigation between labs, and the GPU
 * context, requested once and passed down. Shows startup failures by error class, and device loss or
 * uncaptured GPU errors in dismissible banners (with Reconnect after a loss). Views stay mounted when
 * hidden or reconnected, so their results and settings survive.
 */
@customElement('gp-app')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpApp extends LitElement {
  static override styles = [
    tokens,
    base,
    banner,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--gp-bg);
      }
      [hidden] {
        display: none !important;
      }
      header.site {
        background: var(--gp-surface);
        border-bottom: 1px solid var(--gp-border);
      }
      .inner {
        max-width: 72rem;
        margin: 0 auto;
        padding: 0 1rem;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem 1.5rem;
        padding-top: 0.75rem;
      }
      h1 {
        margin: 0;
        font-size: 1.35rem;
        letter-spacing: -0.01em;
      }
      h1 small {
        display: block;
        font-size: 0.8rem;
        font-weight: 400;
        color: var(--gp-muted);
        letter-spacing: 0;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      nav a {
        display: inline-block;
        padding: 0.35rem 0.75rem;
        border-radius: var(--gp-radius);
        color: var(--gp-fg);
        text-decoration: none;
        font-weight: 500;
      }
      nav a:hover {
        background: var(--gp-bg);
        text-decoration: underline;
      }
      nav li.dev a {
        font-weight: 400;
        font-size: 0.9rem;
      }
      nav li.dev a:not([aria-current='page']) {
        color: var(--gp-muted);
      }
      nav li.first-dev {
        margin-left: 0.75rem;
        padding-left: 0.75rem;
        border-left: 1px solid var(--gp-border);
      }
      nav a[aria-current='page'] {
        background: var(--gp-accent);
        color: var(--gp-accent-fg);
      }
      gp-adapter-info {
        padding: 0.6rem 0 0.75rem;
      }
      main {
        padding-top: 1.25rem;
        padding-bottom: 3rem;
      }
      .banner p,
      .banner ul {
        margin: 0.25rem 0 0;
      }
      .banner ul {
        padding-left: 1.25rem;
        font-family: var(--gp-mono);
        font-size: 0.85rem;
        word-break: break-word;
      }
      .banner .actions {
        display: flex;
        gap: 0.5rem;
      }
      .banner.lost {
        color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .banner.gpu-error {
        color: var(--gp-warn);
        background: var(--gp-warn-bg);
      }
      .startup-error {
        margin: 0 0 1.5rem;
        padding: 1.25rem 1.5rem;
        border: 2px solid var(--gp-fail);
        border-radius: var(--gp-radius);
        background: var(--gp-fail-bg);
      }
      .startup-error h2 {
        margin: 0 0 0.5rem;
        color: var(--gp-fail);
        font-size: 1.3rem;
      }
      .startup-error p {
        max-width: 75ch;
        margin: 0 0 1rem;
        font-size: 1.05rem;
      }
      .startup-error .fallback-note {
        font-size: 0.95rem;
      }
      .needs-gpu {
        margin: 0 0 1rem;
        padding: 0.6rem 0.9rem;
        border-left: 4px solid var(--gp-warn);
        background: var(--gp-warn-bg);
      }
      .coming-soon h2 {
        margin: 0 0 0.5rem;
        font-size: 1.4rem;
      }
      .coming-soon p {
        max-width: 70ch;
      }
      footer {
        border-top: 1px solid var(--gp-border);
        padding: 1rem 0;
        color: var(--gp-muted);
        font-size: 0.8rem;
      }
    `,
  ];

  /** The GPU context the views run on (null while connecting or after a startup failure). */
  @state() gpu: GpuContext | null = null;
  @state() private route: Route = hashRouter.current.route;
  @state() private connecting = false;
  @state() private startupError: StartupErrorView | null = null;
  @state() private lost: GpuDeviceLostError | null = null;
  @state() private gpuErrors: { kind: string; message: string }[] = [];
  @state() private gpuErrorCount = 0;
  /** Which lazily registered views are defined yet (each is its own module, see main.ts). */
  @state() private defined = new Set(VIEWS.filter((v) => customElements.get(v.tag)).map((v) => v.tag));

  private connection: Promise<void> | null = null;
  private readonly debug = pageDebugFlags();

  /**
   * True when WebGPU could not be had: the labs then run on their CPU fallback (they get `gpu = null` and
   * `cpuFallback = true`), and the startup panel says why and what to use instead.
   */
  get cpuFallback(): boolean {
    return this.startupError !== null && this.gpu === null;
  }

  // A view lost its device mid-run: reconnect (once, however many views ask) and hand back the new context.
  private readonly onReconnectRequest = (ev: Event) => {
    const detail = (ev as CustomEvent<GpuReconnectDetail>).detail;
    if (!detail || detail.reply) return;
    ev.stopPropagation();
    detail.reply = (async () => {
      if (this.gpu && this.gpu !== detail.lost && !this.gpu.lost) return this.gpu;
      await this.connect();
      return this.gpu && this.gpu !== detail.lost && !this.gpu.lost ? this.gpu : null;
    })();
  };

  private unsubscribe: (() => void) | null = null;
  private readonly onRoute = () => {
    this.route = hashRouter.current.route;
    document.title = routeTitle(this.route);
  };

  // A start button of the home view: open the lab on its preset, then press its Run once the GPU (or the
  // CPU fallback) is ready and the lab has read the new settings.
  private readonly onStart = (ev: Event) => {
    const { route, query } = (ev as CustomEvent<StartDetail>).detail;
    const view = VIEWS.find((v) => v.route === route);
    if (!view) return;
    const loaded = new Promise<void>((resolve) => {
      const off = hashRouter.subscribe(() => (off(), resolve()));
    });
    hashRouter.navigate(view.route, query);
    void (async () => {
      await loaded;
      await this.connection;
      await this.updateComplete;
      const el = this.renderRoot.querySelector(view.tag) as (HTMLElement & { updateComplete?: Promise<unknown>; run?: () => Promise<void> }) | null;
      await el?.updateComplete;
      await el?.run?.();
    })();
  };

  private readonly onDeviceLost = (ev: Event) => {
    this.lost = (ev as GpuEventMap['device-lost']).detail;
  };

  private readonly onGpuError = (ev: Event) => {
    const detail = (ev as GpuEventMap['gpu-error']).detail;
    this.gpuErrorCount++;
    this.gpuErrors = [...this.gpuErrors, detail].slice(-MAX_GPU_ERRORS);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = hashRouter.subscribe(this.onRoute);
    this.addEventListener('gpu-reconnect', this.onReconnectRequest);
    this.addEventListener('gp-start', this.onStart);
    for (const p of this.debug.problems) console.warn(`[gradient playground] ?debug: ${p}`);
    this.onRoute();
    if (this.gpu) this.listen(this.gpu);
    else void this.connect();
    // The views are other modules; each shows once it registers.
    for (const v of VIEWS) {
      if (!this.defined.has(v.tag)) void customElements.whenDefined(v.tag).then(() => (this.defined = new Set([...this.defined, v.tag])));
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.removeEventListener('gpu-reconnect', this.onReconnectRequest);
    this.removeEventListener('gp-start', this.onStart);
    if (this.gpu) this.unlisten(this.gpu);
  }

  /** Requests a GPU context (again, after a loss); the old one is destroyed once the new one works. */
  connect(): Promise<void> {
    this.connection ??= this.doConnect().finally(() => (this.connection = null));
    return this.connection;
  }

  private async doConnect(): Promise<void> {
    this.connecting = true;
    try {
      // ?debug=no-webgpu: the CPU fallback without relaunching the browser.
      if (this.debug.noWebGpu) throw new WebGpuUnsupportedError(true);
      const gpu = await requestAppGpu();
      const old = this.gpu;
      if (old) {
        this.unlisten(old);
        try {
          old.destroy();
        } catch {
          // A lost device may refuse; it is gone either way.
        }
      }
      this.listen(gpu);
      this.gpu = gpu;
      this.lost = null;
      this.startupError = null;
    } catch (err) {
      console.error(err);
      this.startupError = describeStartupError(err);
      // A lost device that cannot be replaced: drop it, so the labs switch to their CPU fallback.
      if (this.gpu?.lost) {
        this.unlisten(this.gpu);
        this.gpu = null;
      }
    } finally {
      this.connecting = false;
    }
  }

  private listen(gpu: GpuContext): void {
    gpu.events.addEventListener('device-lost', this.onDeviceLost);
    gpu.events.addEventListener('gpu-error', this.onGpuError);
  }

  private unlisten(gpu: GpuContext): void {
    gpu.events.removeEventListener('device-lost', this.onDeviceLost);
    gpu.events.removeEventListener('gpu-error', this.onGpuError);
  }

  // The <title> follows the route and the language (set after every render, which a language switch triggers).
  protected override updated(): void {
    document.title = this.route === 'home' ? msg('Gradient Playground') : `${ROUTES.find((r) => r.id === this.route)!.label} · ${msg('Gradient Playground')}`;
  }

  override render() {
    return html`
      <header class="site">
        <div class="inner">
          <div class="bar">
            <h1>${msg('Gradient Playground')} <small>${msg('Normalizing inputs and vanishing / exploding gradients, on WebGPU')}</small></h1>
            <gp-lang-switch></gp-lang-switch>
            <nav aria-label=${msg('Views')}>
              <ul>
                ${ROUTES.map(
                  (r, i) => html`<li class=${r.dev ? (ROUTES[i - 1]?.dev ? 'dev' : 'dev first-dev') : ''}>
                    <a href=${hashRouter.href(r.id)} aria-current=${r.id === this.route ? 'page' : 'false'}>${r.label}</a>
                  </li>`,
                )}
              </ul>
            </nav>
          </div>
          <gp-adapter-info
            .summary=${this.gpu?.summary ?? null}
            placeholder=${
              this.connecting
                ? msg('Connecting to the GPU…')
                : this.cpuFallback
                  ? msg('No GPU adapter in use. The labs run on the CPU fallback.')
                  : msg('No GPU adapter in use.')
            }
          ></gp-adapter-info>
        </div>
      </header>
      <main class="inner">
        ${this.renderStartupError()} ${this.renderLost()} ${this.renderGpuErrors()}
        <gp-storage-notice></gp-storage-notice>
        <div ?hidden=${this.route !== 'home'}>
          <gp-home
            ?cpuFallback=${this.cpuFallback}
            .presetSize=${presetSizeFor({ softwareAdapter: !!this.gpu && isSoftwareAdapter(this.gpu.summary), cpuFallback: this.cpuFallback })}
          ></gp-home>
        </div>
        <div ?hidden=${this.route !== 'kernel-check'}>
          ${
            this.cpuFallback
              ? html`<p class="needs-gpu" role="note" data-testid="kernel-check-needs-webgpu">
                ${msg('The Kernel check tests the GPU kernels against the float64 reference, so it needs WebGPU: it cannot run in this browser.')}
                ${msg(html`The <a href="#/depth-lab">Depth lab</a> and the <a href="#/normalization-lab">Normalization lab</a> work here on the CPU fallback.`)}
              </p>`
              : nothing
          }
          <gp-kernel-check .gpu=${this.gpu} ?cpuFallback=${this.cpuFallback}></gp-kernel-check>
        </div>
        ${VIEWS.map(
          (v) => html`<div ?hidden=${this.route !== v.route}>
            ${
              this.defined.has(v.tag)
                ? staticHtml`<${unsafeStatic(v.tag)} .gpu=${this.gpu} .cpuFallback=${this.cpuFallback}></${unsafeStatic(v.tag)}>`
                : comingSoon(v.title, v.what)
            }
          </div>`,
        )}
      </main>
      <footer>
        <div class="inner">
          ${
            this.cpuFallback
              ? msg('Everything runs in this tab: without WebGPU the labs compute on the CPU in float64. Timings are indicative only.')
              : msg('Everything runs in this tab on your GPU through WebGPU compute shaders. Timings are indicative only.')
          }
        </div>
      </footer>
    `;
  }

  private renderStartupError() {
    const e = this.startupError;
    if (!e) return nothing;
    return html`<section class="startup-error" role="alert" aria-labelledby="startup-error-title" data-testid="startup-error" data-kind=${e.kind}>
      <h2 id="startup-error-title">${e.title}</h2>
      <p>${e.message}</p>
      <p class="fallback-note" data-testid="fallback-note">
        ${msg(html`<strong>The lessons still work:</strong> the Depth lab and the Normalization lab run on a <em>CPU fallback</em> (float64 JavaScript, smaller sizes, marked “CPU fallback”). The Kernel check and the shader views need WebGPU.`)}
        ${msg(html`For the GPU version use a recent Chrome or Edge (113+, desktop; 121+ on Android), Safari 26+, or Firefox 141+ on Windows, opened over https:// or http://127.0.0.1; on Linux start Chrome with <code>--enable-unsafe-webgpu --enable-features=Vulkan</code>.`)}
      </p>
      <button class="primary" @click=${() => void this.connect()} ?disabled=${this.connecting}>
        ${this.connecting ? msg('Trying…') : msg('Try again')}
      </button>
    </section>`;
  }

  private renderLost() {
    const lost = this.lost;
    if (!lost) return nothing;
    return html`<div class="banner lost" role="alert" data-testid="device-lost-banner">
      <div class="text">
        <strong>${msg('The GPU device was lost.')}</strong>
        <p>${lost.message}</p>
        <p>${msg('Your results and settings are kept; reconnect to run again.')}</p>
      </div>
      <div class="actions">
        <button class="primary" data-testid="reconnect" @click=${() => void this.connect()} ?disabled=${this.connecting}>
          ${this.connecting ? msg('Reconnecting…') : msg('Reconnect')}
        </button>
        <button data-testid="dismiss-lost" @click=${() => (this.lost = null)}>${msg('Dismiss')}</button>
      </div>
    </div>`;
  }

  private renderGpuErrors() {
    if (this.gpuErrors.length === 0) return nothing;
    const hidden = this.gpuErrorCount - this.gpuErrors.length;
    return html`<div class="banner gpu-error" role="alert" data-testid="gpu-error-banner">
      <div class="text">
        <strong>${this.gpuErrorCount === 1 ? msg('A GPU error was reported') : msg(str`${formatCount(this.gpuErrorCount)} GPU errors were reported`)}</strong>
        <ul>
          ${this.gpuErrors.map((e) => html`<li>${e.kind}: ${e.message}</li>`)}
        </ul>
        ${hidden > 0 ? html`<p>${msg(str`(${formatCount(hidden)} earlier not shown)`)}</p>` : nothing}
      </div>
      <div class="actions">
        <button
          data-testid="dismiss-gpu-error"
          @click=${() => {
            this.gpuErrors = [];
            this.gpuErrorCount = 0;
          }}
        >
          ${msg('Dismiss')}
        </button>
      </div>
    </div>`;
  }
}

function comingSoon(title: string, what: string) {
  return html`<section class="coming-soon" aria-label=${title}>
    <h2>${title}</h2>
    <p>${what}</p>
    <p>${msg(html`<em>Coming soon.</em> Meanwhile, the <a href="#/kernel-check">Kernel check</a> shows that the kernels it will use are correct on your GPU.`)}</p>
  </section>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-app': GpApp;
  }
}
