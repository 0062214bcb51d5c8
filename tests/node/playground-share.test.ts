// Share links: round trip (compressed and plain), the size limit with its message, damaged links.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeSharePayload,
  encodeSharePayload,
  kernelInHash,
  makeShareHash,
  MAX_SHARE_CHARS,
  MAX_SHARE_DECODED_BYTES,
  readShareHash,
  ShareLinkError,
} from '../../src/playground/share-link';
import { readShaderModule } from '../helpers/shader-module';

const matmul = readShaderModule('shaders/matmul.wgsl');

describe('share links', () => {
  it('round-trips a shipped shader through a compressed link shorter than the source', async () => {
    const hash = await makeShareHash('matmul', matmul);
    expect(hash).toMatch(/^#\/shaders\?kernel=matmul&code=z[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(matmul.length);
    expect(await readShareHash(hash)).toEqual({ kernel: 'matmul', code: matmul });
    expect(kernelInHash(hash)).toBe('matmul');
  });

  it('round-trips any text, including non-ASCII (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (s) => {
        expect(await decodeSharePayload(await encodeSharePayload(s))).toBe(s);
      }),
      { numRuns: 60 },
    );
  });

  it('reads plain (uncompressed) payloads too', async () => {
    const b64 = Buffer.from('fn f() {} // ∂J/∂W', 'utf8').toString('base64url');
    expect(await decodeSharePayload('u' + b64)).toBe('fn f() {} // ∂J/∂W');
  });

  it('refuses a shader that encodes beyond the limit, saying how long it is and what is allowed', async () => {
    // Random text does not compress: ~1.37 characters per byte after base64.
    let x = 1;
    const noise = Array.from({ length: 9000 }, () => String.fromCharCode(33 + ((x = (x * 1103515245 + 12345) >>> 0) % 90))).join('');
    const err = await encodeSharePayload(noise).catch((e) => e);
    expect(err).toBeInstanceOf(ShareLinkError);
    expect(err.message).toMatch(/too long to share as a link: it encodes to [\d,]+ characters/);
    expect(err.message).toContain(MAX_SHARE_CHARS.toLocaleString('en-US'));
    // A small limit applies the same way.
    await expect(encodeSharePayload(matmul, 100)).rejects.toThrow(/limited to 100/);
  });

  it('explains damaged links instead of throwing something obscure', async () => {
    const good = await encodeSharePayload(matmul);
    // Cut at a whole base64url quad (a length ≡ 1 mod 4 is refused earlier, as not base64url).
    await expect(decodeSharePayload(good.slice(0, 4 * Math.floor(good.length / 8)))).rejects.toThrow(/damaged .*cut short/);
    await expect(decodeSharePayload('z***')).rejects.toThrow(/damaged/);
    await expect(decodeSharePayload('qabc')).rejects.toThrow(/format/);
    await expect(readShareHash('#/shaders?code=' + good)).rejects.toThrow(/which kernel/);
  });

  it('a hash without code is not a share link', async () => {
    expect(await readShareHash('#/shaders')).toBeNull();
    expect(await readShareHash('#/shaders?kernel=norms')).toBeNull();
    expect(kernelInHash('#/shaders?kernel=norms')).toBe('norms');
  });
});

/** deflate-raw of `bytes` as a link payload ('z' + base64url), made with Node's CompressionStream. */
async function deflatePayload(bytes: Uint8Array): Promise<string> {
  const out = await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
  return 'z' + Buffer.from(out).toString('base64url');
}

/** Whether `err` is a ShareLinkError (the only thing decoding may throw). */
const onlyShareLinkError = (err: unknown) => {
  if (!(err instanceof ShareLinkError)) throw new Error(`threw something else: ${String(err)}`);
};

describe('the decompressed size cap', () => {
  const RealDecompressionStream = globalThis.DecompressionStream;
  afterEach(() => {
    globalThis.DecompressionStream = RealDecompressionStream;
  });

  it('refuses a short link that expands to millions of characters, having read little past the cap', async () => {
    // 3,500,000 characters of WGSL-looking text deflate to a link within the 8,000-character limit.
    const bomb = new TextEncoder().encode('// x\n'.repeat(700_000));
    const payload = await deflatePayload(bomb);
    expect(payload.length).toBeLessThanOrEqual(MAX_SHARE_CHARS);
    // Count what the decompressor hands out: decoding must stop soon after the cap, not inflate it all.
    let inflated = 0;
    globalThis.DecompressionStream = class {
      readonly readable: ReadableStream<Uint8Array>;
      readonly writable: WritableStream<BufferSource>;
      constructor(format: CompressionFormat) {
        const real = new RealDecompressionStream(format);
        this.writable = real.writable;
        this.readable = real.readable.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, ctl) {
              inflated += chunk.byteLength;
              ctl.enqueue(chunk);
            },
          }),
        );
      }
    } as unknown as typeof DecompressionStream;
    const err = await decodeSharePayload(payload).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShareLinkError);
    expect((err as Error).message).toMatch(/expands to more than 64 KB of text, the most a shared shader may hold/);
    expect(inflated).toBeGreaterThan(MAX_SHARE_DECODED_BYTES);
    expect(inflated).toBeLessThan(bomb.byteLength / 5);
    // The hash reader says the same.
    await expect(readShareHash(`#/shaders?kernel=matmul&code=${payload}`)).rejects.toThrow(/64 KB/);
  });

  it('accepts text right at the cap and refuses one byte more; the encoder refuses what the decoder would', async () => {
    const at = 'a'.repeat(MAX_SHARE_DECODED_BYTES);
    expect(await decodeSharePayload(await deflatePayload(new TextEncoder().encode(at)))).toBe(at);
    await expect(decodeSharePayload(await deflatePayload(new TextEncoder().encode(at + 'a')))).rejects.toThrow(/64 KB/);
    await expect(encodeSharePayload(at + 'a')).rejects.toThrow(/at most 64 KB/);
    // A plain payload is held to the same cap (with a small cap, since plain links are short).
    await expect(decodeSharePayload('u' + Buffer.from('abcdef').toString('base64url'), MAX_SHARE_CHARS, 5)).rejects.toThrow(/expands to more than/);
  });

  it('random bytes as a payload never expand past the cap and throw nothing but ShareLinkError (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom('z', 'u'), fc.integer({ min: 1, max: 70_000 }), async (bytes, kind, cap) => {
        try {
          const text = await decodeSharePayload(kind + Buffer.from(bytes).toString('base64url'), MAX_SHARE_CHARS, cap);
          expect(new TextEncoder().encode(text).byteLength).toBeLessThanOrEqual(cap);
        } catch (err) {
          onlyShareLinkError(err);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random deflate streams (repetitive, some huge, some damaged) never expand past the cap, round-trip when within it, and throw only ShareLinkError (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 400_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { nil: undefined }),
        async (unit, repeat, cap, damage) => {
          const text = unit.repeat(Math.min(repeat, Math.ceil(1_000_000 / unit.length)));
          const bytes = new TextEncoder().encode(text);
          let payload = await deflatePayload(bytes);
          if (damage) {
            const raw = Buffer.from(payload.slice(1), 'base64url');
            raw[damage[0] % raw.length] ^= damage[1];
            payload = 'z' + raw.toString('base64url');
          }
          try {
            const out = await decodeSharePayload(payload, MAX_SHARE_CHARS, cap);
            expect(new TextEncoder().encode(out).byteLength).toBeLessThanOrEqual(cap);
            if (!damage) expect(out).toBe(new TextDecoder().decode(bytes)); // (lone surrogates become U+FFFD in UTF-8)
          } catch (err) {
            onlyShareLinkError(err);
            if (!damage && payload.length <= MAX_SHARE_CHARS) expect(bytes.byteLength).toBeGreaterThan(cap);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
