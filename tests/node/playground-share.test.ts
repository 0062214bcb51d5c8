// Share links: round trip (compressed and plain), the size limit with its message, damaged links.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeSharePayload,
  encodeSharePayload,
  kernelInHash,
  makeShareHash,
  MAX_SHARE_CHARS,
  readShareHash,
  ShareLinkError,
} from '../../src/playground/share-link';

const matmul = readFileSync('shaders/matmul.wgsl', 'utf8');

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
    await expect(decodeSharePayload(good.slice(0, good.length / 2))).rejects.toThrow(/damaged .*cut short/);
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
