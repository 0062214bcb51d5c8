// The Korean catalog keeps one word per concept, the word of the course's Korean write-up (the glossary in
// docs/i18n.md): every Korean target is scanned for the variants the glossary rejects, and for particles
// left as alternatives (을(를), 이(가), 와(과) …), which read as unfinished. A message that legitimately needs
// a rejected word is listed as an exception by its English source.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const XLIFF = resolve(__dirname, '../../xliff/ko.xlf');

interface Unit {
  id: string;
  source: string;
  target: string;
}

/** The catalog's messages, placeholders removed (their equiv-text is code, never Korean). */
function units(): Unit[] {
  const xliff = readFileSync(XLIFF, 'utf8');
  const bare = (s: string) => s.replace(/<x [^>]*\/>/g, '·');
  return [...xliff.matchAll(/<trans-unit id="([^"]+)">\s*<source>([\s\S]*?)<\/source>\s*<target>([\s\S]*?)<\/target>/g)].map((m) => ({
    id: m[1],
    source: bare(m[2]),
    target: bare(m[3]),
  }));
}

interface Rule {
  /** The English term and the Korean word the glossary chose. */
  term: string;
  use: string;
  /** Variants that must not appear in a target. */
  reject: RegExp[];
  /** English sources whose target may use a rejected variant. */
  except?: (source: string) => boolean;
}

const RULES: Rule[] = [
  { term: 'lesson, lecture', use: '강의', reject: [/교훈/, /수업/] },
  {
    term: 'example (one data point; an illustration)',
    use: '예시',
    // 예제 anywhere; 예 as a word of its own, except 예: for "e.g." at the start of a clause.
    reject: [/예제/, /(?<![가-힣])예(?![가-힣]|:)/, /[가-힣] 예:/],
    except: (source) => source === 'yes',
  },
  { term: 'feature', use: '특징', reject: [/특성/] },
  { term: 'step (gradient-descent step, training step, stage)', use: '단계', reject: [/스텝/] },
  // 망 only inside 신경망; 망가지다/망가뜨리다 (to break) is another word.
  { term: 'network, net', use: '신경망', reject: [/네트워크/, /(?<!신경)망(?!가)/] },
  { term: 'cost, loss (J)', use: '비용', reject: [/손실/] },
  // 학습 only in 학습률 (learning rate).
  { term: 'train, training, learn', use: '훈련', reject: [/학습(?!률)/] },
  { term: 'update (of the weights)', use: '갱신', reject: [/업데이트/] },
];

/** Each (rule, English source, Korean target) where a target uses a rejected variant. */
function violations(rule: Rule): string[] {
  return units()
    .filter((u) => !rule.except?.(u.source) && rule.reject.some((re) => re.test(u.target)))
    .map((u) => `${u.source}  →  ${u.target}`);
}

describe('Korean glossary (docs/i18n.md)', () => {
  it('reads the whole catalog', () => {
    expect(units().length).toBeGreaterThan(1000);
  });

  for (const rule of RULES) {
    it(`${rule.term}: ${rule.use}, never ${rule.reject.map((r) => r.source).join(' / ')}`, () => {
      expect(violations(rule)).toEqual([]);
    });
  }

  it('standardize → 표준화 (the (x − μ)/σ mode), normalize → 정규화 (the lesson and the general act)', () => {
    const all = units();
    const standardize = /standardi[sz]/i;
    // 표준화 only where the English names standardization, and there it is never rendered as 정규화 alone.
    expect(all.filter((u) => /표준화/.test(u.target) && !standardize.test(u.source)).map((u) => `${u.source}  →  ${u.target}`)).toEqual([]);
    expect(all.filter((u) => standardize.test(u.source) && !/표준화/.test(u.target)).map((u) => `${u.source}  →  ${u.target}`)).toEqual([]);
    // normalize without standardize is 정규화.
    const normalize = all.filter((u) => /normali[sz]/i.test(u.source) && !standardize.test(u.source));
    expect(normalize.length).toBeGreaterThan(10);
    expect(normalize.filter((u) => !/정규화/.test(u.target)).map((u) => `${u.source}  →  ${u.target}`)).toEqual([]);
  });

  it('no target leaves a particle as an alternative (을(를), 이(가), 은(는), 와(과), (으)로)', () => {
    const alternative = /\((을|를|이|가|은|는|와|과|으|으로|로|이다|이라는|라는)\)/;
    expect(
      units()
        .filter((u) => alternative.test(u.target))
        .map((u) => `${u.source}  →  ${u.target}`),
    ).toEqual([]);
  });

  it('the rules catch what they are for', () => {
    const hit = (term: string, text: string) => RULES.find((r) => r.term.startsWith(term))!.reject.some((re) => re.test(text));
    expect(hit('network', '실제 네트워크는')).toBe(true);
    expect(hit('network', '선형망과 ReLU 망에서는')).toBe(true);
    expect(hit('network', '깊은 신경망을 망가뜨리는')).toBe(false);
    expect(hit('example', '훈련 예(●)')).toBe(true);
    expect(hit('example', '강의의 예: 활성화')).toBe(true);
    expect(hit('example', '(예: 12, -0.5)')).toBe(false);
    expect(hit('example', '예: 1..100')).toBe(false);
    expect(hit('example', '훈련 예시(●), 예측, 예상')).toBe(false);
    expect(hit('train', '실제 학습처럼')).toBe(true);
    expect(hit('train', '학습률을 올려 훈련')).toBe(false);
  });
});
