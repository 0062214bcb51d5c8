import { formatCount } from '../locale-format';
import { msg, str } from '@lit/localize';
/**
 * Share links for edited kernels: `#/shaders?kernel=<id>&code=<payload>`, where the payload is the
 * WGSL as UTF-8, deflate-compressed (CompressionStream 'deflate-raw') when the platform has it, in
 * base64url. A one-letter prefix says which: `z` compressed, `u` plain. Links are size-limited so they
 * survive chat apps and servers; a longer one is refused with a message saying by how much.
 */

/** Longest payload a link may carry, in characters (URLs beyond ~8 KB get cut by some servers and apps). */
export const MAX_SHARE_CHARS = 8000;

/**
 * Most bytes a link's code may inflate to (64 KiB of WGSL, several times any shipped kernel). Checked while
 * inflating: a small deflate stream can expand a thousandfold, so the stream is cancelled as soon as the
 * output passes this, before it is ever held whole.
 */
export const MAX_SHARE_DECODED_BYTES = 64 * 1024;

/** A decoded link. */
export interface SharedKernel {
  kernel: string;
  code: string;
}

/** Why a link could not be made or read; `message` is for the user. */
export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s))
    throw new ShareLinkError(msg('The link’s code is damaged (it holds characters base64url never uses); ask for the link again.'));
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new ShareLinkError(msg('The link’s code is damaged (not valid base64url); ask for the link again.'));
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: GenericTransformStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream as unknown as ReadableWritablePair<Uint8Array, Uint8Array>));
  return new Uint8Array(await out.arrayBuffer());
}

/** Thrown inside inflate when the output passes the cap (told apart from a damaged stream). */
class TooLarge extends Error {}

/** Inflates deflate-raw `bytes`, reading chunk by chunk and cancelling once the output passes `cap` bytes. */
async function inflateCapped(bytes: Uint8Array, cap: number): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      // Stop the decompressor now; its rejection (if any) no longer matters.
      reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const canCompress = () => typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

/** The payload for `code` (prefix + base64url); throws ShareLinkError when it exceeds `max` characters. */
export async function encodeSharePayload(code: string, max = MAX_SHARE_CHARS): Promise<string> {
  const utf8 = new TextEncoder().encode(code);
  if (utf8.byteLength > MAX_SHARE_DECODED_BYTES) {
    throw new ShareLinkError(
      msg(
        str`This shader is too long to share as a link: it is ${formatCount(utf8.byteLength)} bytes of text, and a shared shader may hold at most ${formatCount(MAX_SHARE_DECODED_BYTES / 1024)} KB. Shorten it, or copy the code itself.`,
      ),
    );
  }
  const payload = canCompress() ? 'z' + toBase64Url(await pipe(utf8, new CompressionStream('deflate-raw'))) : 'u' + toBase64Url(utf8);
  if (payload.length > max) {
    throw new ShareLinkError(
      msg(
        str`This shader is too long to share as a link: it encodes to ${formatCount(payload.length)} characters, and links are limited to ${formatCount(max)}. Shorten it (long comments count too), or copy the code itself.`,
      ),
    );
  }
  return payload;
}

/**
 * The WGSL in a payload made by encodeSharePayload; throws ShareLinkError (and nothing else) with a specific
 * message. `max` caps the payload's characters, `maxBytes` the decoded text's UTF-8 bytes (checked while
 * inflating).
 */
export async function decodeSharePayload(payload: string, max = MAX_SHARE_CHARS, maxBytes = MAX_SHARE_DECODED_BYTES): Promise<string> {
  if (payload.length > max) throw new ShareLinkError(msg(str`The link’s code is ${payload.length} characters long; at most ${max} are accepted.`));
  const kind = payload[0];
  if (kind !== 'z' && kind !== 'u') throw new ShareLinkError(msg('The link’s code is not in a format this playground knows (it should start with z or u).'));
  let bytes = fromBase64Url(payload.slice(1));
  if (kind === 'z') {
    if (!canCompress()) throw new ShareLinkError(msg('This browser cannot decompress shared shaders (no DecompressionStream).'));
    try {
      bytes = await inflateCapped(bytes, maxBytes);
    } catch (err) {
      if (err instanceof TooLarge) throw tooLarge(maxBytes);
      throw new ShareLinkError(msg('The link’s code is damaged (it does not decompress); it was probably cut short when copied.'));
    }
  } else if (bytes.byteLength > maxBytes) {
    throw tooLarge(maxBytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ShareLinkError(msg('The link’s code is damaged (not valid UTF-8 text).'));
  }
}

function tooLarge(maxBytes: number): ShareLinkError {
  return new ShareLinkError(
    msg(
      str`The link’s code expands to more than ${formatCount(maxBytes / 1024)} KB of text, the most a shared shader may hold; it was refused without being read further. Ask for the code itself instead.`,
    ),
  );
}

/** The hash of a share link, `#/shaders?kernel=<id>&code=<payload>`. */
export async function makeShareHash(kernel: string, code: string, max = MAX_SHARE_CHARS): Promise<string> {
  const payload = await encodeSharePayload(code, max);
  return `#/shaders?kernel=${encodeURIComponent(kernel)}&code=${payload}`;
}

/** Reads a share hash; null when the hash carries no shared code (a plain `#/shaders`). */
export async function readShareHash(hash: string): Promise<SharedKernel | null> {
  const q = hash.indexOf('?');
  if (q < 0) return null;
  const params = new URLSearchParams(hash.slice(q + 1));
  const payload = params.get('code');
  if (payload === null) return null;
  const kernel = params.get('kernel');
  if (!kernel) throw new ShareLinkError(msg('The link has code but does not say which kernel it replaces (kernel=… is missing).'));
  return { kernel, code: await decodeSharePayload(payload) };
}

/** The kernel a `#/shaders?kernel=<id>` hash selects (with or without code), or null. */
export function kernelInHash(hash: string): string | null {
  const q = hash.indexOf('?');
  if (q < 0) return null;
  return new URLSearchParams(hash.slice(q + 1)).get('kernel');
}
