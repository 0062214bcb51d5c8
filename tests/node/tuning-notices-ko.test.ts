import { describe, expect, it } from 'vitest';
import {
  MATMUL_TUNING_PREFIX,
  MatmulTuningStore,
  getMatmulTuning,
  matmulAdapterKey,
  setMatmulTuning,
  type MatmulTuning,
} from '../../src/kernels/matmul-tuning';
import { useLocales } from '../helpers/node-locale';

// The matmul tuning store's notices (a stored tuning dropped, a save refused) in the language shown: Korean
// sentences under the Korean UI, with the check's reason and the storage key kept as written (they name a
// field and a key), and the English sentences unchanged.

const HANGUL = /[가-힣]/;
const setLocale = useLocales();

function memoryStorage(throwOnSet = false) {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (throwOnSet) throw new Error('QuotaExceeded');
      m.set(k, v);
    },
    removeItem: (k: string) => void m.delete(k),
  };
}

const summary = { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true } as never;
const key = matmulAdapterKey(summary);
const tuning = (constants: MatmulTuning['constants']): MatmulTuning => ({
  adapterKey: key,
  variant: 'tiled',
  constants,
  candidates: [{ variant: 'tiled', constants, ms: 1, verified: true }],
  measuredAt: '2026-01-01T00:00:00.000Z',
});

/** The notices a store reports when it reads an invalid stored tuning and when a save is refused. */
function notices(): { dropped: string; refused: string } {
  const texts: Record<string, string> = {};
  const bad = memoryStorage();
  bad.setItem(MATMUL_TUNING_PREFIX + key, JSON.stringify(tuning({ tileM: 7, tileN: 64, tileK: 16 })));
  const dropping = new MatmulTuningStore(bad, (_k, kind, text) => (texts[kind] = text));
  expect(getMatmulTuning({ summary, tunings: dropping })).toBeNull();
  const full = new MatmulTuningStore(memoryStorage(true), (_k, kind, text) => (texts[kind] = text));
  setMatmulTuning({ summary, tunings: full }, tuning({ tileM: 64, tileN: 64, tileK: 16 }));
  return { dropped: texts['dropped'], refused: texts['save-failed'] };
}

describe('matmul tuning notices in Korean', () => {
  it('read as Korean under the Korean UI, keeping the reason and the key; English is unchanged', async () => {
    await setLocale('en');
    const en = notices();
    expect(en.dropped).toBe(
      `A stored matmul tuning was invalid (tileM is 7, not a multiple of 4 from 4 to 1024) and has been removed; the default kernel runs until the next autotune [${MATMUL_TUNING_PREFIX + key}].`,
    );
    expect(en.refused).toMatch(/^Your browser refused to store the matmul tuning \(storage full or disabled\)/);

    await setLocale('ko');
    const ko = notices();
    for (const text of [ko.dropped, ko.refused]) {
      expect(text, text).toMatch(HANGUL);
      expect(text).toContain(`[${MATMUL_TUNING_PREFIX + key}]`);
    }
    expect(ko.dropped).toContain('(tileM is 7, not a multiple of 4 from 4 to 1024)');
    expect(ko.dropped).not.toContain('has been removed');
    expect(ko.refused).not.toContain('refused');
  });
});
