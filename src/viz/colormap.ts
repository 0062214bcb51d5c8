// Colour tables and the colours reserved for cells that have no place on the colour scale.
//
// VIRIDIS and CIVIDIS are matplotlib's `_viridis_data` / `_cividis_data` (van der Walt & Smith; Nuñez,
// Anderton & Renslow; both CC0), 256 float RGB triples each, quantised here to 8 bits with round(255·x).
// Viridis is perceptually uniform in CAM02-UCS with monotonically rising lightness; cividis is its
// colour-vision-deficiency–optimised sibling. Never rainbow: hue-cycling maps invent boundaries.

/** Name of a sequential colour map. */
export type ColormapName = 'viridis' | 'cividis';

/** 256 RGB entries, 768 bytes, entry i at [3i, 3i + 3). */
export type ColorTable = Uint8Array;

/** An sRGB colour with 8-bit channels. */
export type Rgb = readonly [number, number, number];

/** An sRGB colour with 8-bit channels and 8-bit alpha. */
export type Rgba = readonly [number, number, number, number];

function fromHex(hex: string): ColorTable {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** matplotlib viridis, 256 entries, #440154 → #fde725. */
export const VIRIDIS: ColorTable = fromHex(
  '44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769' +
    '48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a' +
    '472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85' +
    '4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b' +
    '3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d' +
    '33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e' +
    '2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e' +
    '26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d' +
    '21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88' +
    '1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81' +
    '28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74' +
    '3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863' +
    '5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d' +
    '84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32' +
    'addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a' +
    'd8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725',
);

/** matplotlib cividis, 256 entries, #00224e → #fee838. */
export const CIVIDIS: ColorTable = fromHex(
  '00224e00234f00245100255300255400265600275800285900285b00295d002a5f002a61002b62002c64002c66002d68' +
    '002e6a002e6c002f6d00306f0030700031700031710132710533710833700c34700f357012357014367016377018376f' +
    '1a386f1c396f1e3a6f203a6f213b6e233c6e243c6e263d6e273e6e293f6e2a3f6d2b406d2d416d2e416d2f426d31436d' +
    '32436d33446d34456c35456c36466c38476c39486c3a486c3b496c3c4a6c3d4a6c3e4b6c3f4c6c404c6c414d6c424e6c' +
    '434e6c444f6c45506c46516c47516c48526c49536c4a536c4b546c4c556c4d556c4e566c4f576c50576c51586d52596d' +
    '535a6d545a6d555b6d555c6d565c6d575d6d585e6d595e6e5a5f6e5b606e5c616e5d616e5e626e5e636f5f636f60646f' +
    '61656f62656f636670646770656870656870666970676a71686a71696b716a6c716b6d726c6d726c6e726d6f726e6f73' +
    '6f70737071737172747272747273747374757474757575757676767777767777777878777979777a7a787b7a787c7b78' +
    '7d7c787e7c787e7d787f7e78807f78817f788280798381798482798582798683798784788885788985788a86788b8778' +
    '8c88788d88788e89788f8a78908b78918b78928c78928d78938e78948e77958f779690779791779892779992779a9376' +
    '9b94769c95769d95769e96769f9775a09875a19975a29975a39a74a49b74a59c74a69c74a79d73a89e73a99f73aaa073' +
    'aba072aca172ada272aea371afa471b0a571b1a570b3a670b4a76fb5a86fb6a96fb7a96eb8aa6eb9ab6dbaac6dbbad6d' +
    'bcae6cbdae6cbeaf6bbfb06bc0b16ac1b26ac2b369c3b369c4b468c5b568c6b667c7b767c8b866c9b965cbb965ccba64' +
    'cdbb63cebc63cfbd62d0be62d1bf61d2c060d3c05fd4c15fd5c25ed6c35dd7c45cd9c55cdac65bdbc75adcc859ddc858' +
    'dec958dfca57e0cb56e1cc55e2cd54e4ce53e5cf52e6d051e7d150e8d24fe9d34eead34cebd44bedd54aeed649efd748' +
    'f0d846f1d945f2da44f3db42f5dc41f6dd3ff7de3ef8df3cf9e03afbe138fce236fde334fee434fee535fee636fee838',
);

/** The colour tables by name. */
export const COLORMAPS: Readonly<Record<ColormapName, ColorTable>> = { viridis: VIRIDIS, cividis: CIVIDIS };

/** Number of entries in every colour table. */
export const TABLE_SIZE = 256;

/**
 * Table index for t in [0, 1] (clamped; NaN → 0): 256 equal-width bins, t = 1 in the last one, as
 * matplotlib's `Colormap.__call__` does (so viridis at 0.25 / 0.5 / 0.75 is #3b528b / #21918c / #5ec962).
 */
export function colorIndex(t: number): number {
  if (!(t > 0)) return 0;
  return Math.min(TABLE_SIZE - 1, Math.floor(t * TABLE_SIZE));
}

/** The table's colour for t in [0, 1] (clamped). */
export function colorAt(table: ColorTable, t: number): Rgb {
  const i = 3 * colorIndex(t);
  return [table[i], table[i + 1], table[i + 2]];
}

/**
 * Colours for cells off the colour scale, chosen to be far (CIE76 ΔE ≥ 30) from every entry of both
 * tables, from each other and from the white background: overflow is red (exploded), underflow light
 * blue (vanished), NaN black, lost (computed from an earlier overflow/NaN) violet, zero brown (a quantity
 * that is exactly 0 by right, e.g. Var z when every entry is equal: not a vanished signal), and "no such
 * layer" is transparent so the background shows through.
 */
export const SPECIAL_COLORS = {
  overflow: [0xd6, 0x27, 0x28, 255],
  underflow: [0xa6, 0xc8, 0xff, 255],
  nan: [0x00, 0x00, 0x00, 255],
  lost: [0xee, 0x82, 0xee, 255],
  zero: [0x8b, 0x45, 0x13, 255],
  none: [0, 0, 0, 0],
} as const satisfies Record<string, Rgba>;

/** Background behind the heatmap and chart (what a transparent "none" cell shows). */
export const BACKGROUND: Rgb = [255, 255, 255];

/** CSS `rgb()` / `rgba()` string for a colour. */
export function cssColor(c: Rgb | Rgba): string {
  return c.length === 4 && c[3] !== 255 ? `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3] / 255})` : `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** `#rrggbb` for a colour (alpha ignored). */
export function hexColor(c: Rgb | Rgba): string {
  return '#' + [c[0], c[1], c[2]].map((v) => v.toString(16).padStart(2, '0')).join('');
}

function srgbToLinear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** CIE L*a*b* (D65) of an sRGB colour. */
export function srgbToLab(c: Rgb | Rgba): [number, number, number] {
  const r = srgbToLinear(c[0]);
  const g = srgbToLinear(c[1]);
  const b = srgbToLinear(c[2]);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 colour difference ΔE*ab between two sRGB colours (≈ 2.3 is just noticeable). */
export function deltaE(a: Rgb | Rgba, b: Rgb | Rgba): number {
  const p = srgbToLab(a);
  const q = srgbToLab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
