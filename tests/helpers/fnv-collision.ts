// Finds a 32-bit FNV-1a collision for the shader-cache tests: the hash the pipeline cache once keyed WGSL
// by (src/gpu/shader.ts before issue 13), over UTF-16 code units. FNV-1a's step h ← (h ⊕ c)·P mod 2³² is
// invertible (P is odd), so a meet-in-the-middle over six padding characters (three forward from the
// text's state, three backward from the target) finds one in a fraction of a second.

const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;
// 64 characters that are harmless inside a WGSL line comment.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** The old cache's hash: 32-bit FNV-1a over UTF-16 code units, as an unsigned number. */
export function fnv1a32(s: string, h = OFFSET): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), PRIME);
  return h >>> 0;
}

// P⁻¹ mod 2³² by Newton's iteration (each step doubles the correct low bits).
function inversePrime(): number {
  let inv = PRIME;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(PRIME, inv));
  if (Math.imul(inv, PRIME) !== 1) throw new Error('FNV prime inverse is wrong');
  return inv;
}
const PRIME_INV = inversePrime();

/** The state before `c` that `c` takes to `h`. */
function back(h: number, c: number): number {
  return (Math.imul(h, PRIME_INV) ^ c) >>> 0;
}

/**
 * `text` + `\n// ` + six characters + `\n`, chosen so its fnv1a32 equals `target`'s. Throws if no
 * six-character padding of the alphabet works (unlikely: about 16 are expected).
 */
export function padToCollide(text: string, target: string): string {
  const head = `${text}\n// `;
  const tail = '\n';
  const start = fnv1a32(head);
  // The state the padding must end in for `tail` to bring it to the target's hash.
  let want = fnv1a32(target);
  for (let i = tail.length - 1; i >= 0; i--) want = back(want, tail.charCodeAt(i));
  const n = ALPHABET.length;
  const forward = new Map<number, number>();
  for (let i = 0; i < n * n * n; i++) {
    const h = fnv1a32(ALPHABET[i % n] + ALPHABET[Math.floor(i / n) % n] + ALPHABET[Math.floor(i / (n * n))], start);
    forward.set(h, i);
  }
  for (let j = 0; j < n * n * n; j++) {
    const last3 = ALPHABET[j % n] + ALPHABET[Math.floor(j / n) % n] + ALPHABET[Math.floor(j / (n * n))];
    let h = want;
    for (let i = 2; i >= 0; i--) h = back(h, last3.charCodeAt(i));
    const i = forward.get(h);
    if (i === undefined) continue;
    const first3 = ALPHABET[i % n] + ALPHABET[Math.floor(i / n) % n] + ALPHABET[Math.floor(i / (n * n))];
    const padded = head + first3 + last3 + tail;
    if (fnv1a32(padded) === fnv1a32(target) && padded !== target) return padded;
  }
  throw new Error('no six-character FNV-1a padding found');
}
