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
    // 예제 anywhere; 예 as a word of its own, except 예: for "e.g." at the start of a clause; 예 with a particle
    // (예의, 예를, 예가, 예는, 예에서, 예들이 …: write 예시의, 예시를 …), except the idiom 예를 들어 / 예를 들면
    // ("for example"). Words that merely start with 예 (예시, 예측, 예상, 예외 …) are other words.
    reject: [
      /예제/,
      /(?<![가-힣])예(?![가-힣]|:)/,
      /[가-힣] 예:/,
      /(?<![가-힣])예(?:들)?(?:의|를|을|가|이|는|은|도|만|와|과|로|로서|로는|에|에서|에는|에도|에게|처럼|보다|까지|마다|부터|이다|입니다|였|들)(?:은|는|도|만|의|서)?(?![가-힣])(?!\s*들(?:어|면))/,
    ],
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
  // A test case of a kernel check (and of the Shaders view's Verify): 검사 항목; 사례 reads as "an instance, a precedent".
  { term: 'case (a test case of a kernel check or of Verify)', use: '검사 항목', reject: [/사례/] },
  // Time on the clock from submit to done: 경과 시간, as the Kernel check and the labs say; 벽시계 is the clock on the wall.
  { term: 'wall clock, wall time', use: '경과 시간', reject: [/벽시계/] },
  // The write-up's 기울기 폭발 for exploding gradients (and values, runs); a diverging descent is 발산. 폭주 is neither.
  { term: 'explode (gradients, values); diverge (gradient descent, the cost)', use: '폭발; 발산', reject: [/폭주/] },
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

  it('the worst log10 ratio → 0에서 가장 먼: the one furthest from 0, never 가장 큰 (the largest, which a negative worst is not)', () => {
    const worst = units().filter((u) => /worst\s+log10/i.test(u.source));
    expect(worst.length).toBeGreaterThan(1);
    expect(worst.filter((u) => !/0에서 가장 먼 log10/.test(u.target) || /가장 큰/.test(u.target)).map((u) => `${u.source}  →  ${u.target}`)).toEqual([]);
  });

  it('explode → 폭발, diverge → 발산: one word per concept, never swapped', () => {
    const all = units();
    const show = (u: Unit) => `${u.source}  →  ${u.target}`;
    // What explodes (gradients, activations, a value, a run) is 폭발.
    expect(all.filter((u) => /explod/i.test(u.source) && !/폭발/.test(u.target)).map(show)).toEqual([]);
    // Gradient descent (a mode, a path, the learning rate's limit) diverges: 발산, never 폭발.
    const diverge = all.filter((u) => /diverg/i.test(u.source));
    expect(diverge.length).toBeGreaterThan(5);
    expect(diverge.filter((u) => !/발산/.test(u.target) || /폭발/.test(u.target)).map(show)).toEqual([]);
    // 발산 only where the English says diverge, or that gradient descent blows up.
    expect(all.filter((u) => /발산/.test(u.target) && !/diverg|gradient descent does not blow up/i.test(u.source)).map(show)).toEqual([]);
  });

  it('W = s·I says what s is (the gain the learner chose), in English and in Korean', () => {
    const withS = units().filter((u) => /s·I/.test(u.source) || /s·I/.test(u.target));
    expect(withS.length).toBeGreaterThan(0);
    expect(withS.filter((u) => !/s = gain/.test(u.source) || !/s = 게인/.test(u.target)).map((u) => `${u.source}  →  ${u.target}`)).toEqual([]);
  });

  it('no target leaves a particle as an alternative (을(를), 이(가), 은(는), 와(과), (으)로)', () => {
    const alternative = /\((을|를|이|가|은|는|와|과|으|으로|로|이다|이라는|라는)\)/;
    expect(
      units()
        .filter((u) => alternative.test(u.target))
        .map((u) => `${u.source}  →  ${u.target}`),
    ).toEqual([]);
  });

  it('no particle follows a parenthesis after a placeholder: it would attach to a word the translator cannot see', () => {
    // Walk F11: "초기화(6개 행)과" — the particle after a parenthesis follows the word before it, here a placeholder
    // (초기화, 깊이, 게인 …), so no one particle fits them all. A Korean noun goes first: 행(초기화, 6개)과.
    const afterPlaceholder = /·\([^()]*\)(과|와|을|를|은|는|이|가)(?=[\s,.;:]|$)/;
    expect(
      units()
        .filter((u) => afterPlaceholder.test(u.target))
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
    expect(hit('example', '각 예의 L2 노름')).toBe(true);
    expect(hit('example', '예는 4,000개까지')).toBe(true);
    expect(hit('example', '훈련 예를 더하면')).toBe(true);
    expect(hit('example', '테스트 예에서는')).toBe(true);
    expect(hit('example', '예들이 모두')).toBe(true);
    expect(hit('example', '예를 들어 x1은')).toBe(false);
    expect(hit('example', '예를 들면')).toBe(false);
    expect(hit('example', '예시의 L2 노름, 예측은, 예상보다, 예외로')).toBe(false);
    expect(hit('explode', '경사 하강법이 폭주하지 않는')).toBe(true);
    expect(hit('explode', '기울기 폭발, 발산합니다')).toBe(false);
    expect(hit('train', '실제 학습처럼')).toBe(true);
    expect(hit('train', '학습률을 올려 훈련')).toBe(false);
  });
});
