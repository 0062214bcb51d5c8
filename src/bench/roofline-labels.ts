// Where the roofline's words go, DOM-free: each point's number beside its circle, or, in a crowd, a little way
// off with a leader line back to it (or, when the plot has no room left, nowhere: the caller lists it), and the
// two roofs' labels beside their lines, never across them. Text sizes are estimates (no DOM to measure), taken
// on the wide side so that boxes that do not touch here do not touch when drawn.

/** A rectangle in SVG pixels (y grows downwards). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A line segment in SVG pixels. */
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Estimated width of `text` drawn at `fontSize` px: CJK and Hangul about 1 em, anything else about 0.62 em. */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.62;
  return w * fontSize;
}

/** Whether two boxes overlap, keeping `gap` px between them. */
export function boxesOverlap(a: Box, b: Box, gap = 0): boolean {
  return a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;
}

/** Whether segment `s` passes through box `b` (Liang–Barsky clipping). */
export function segmentHitsBox(s: Segment, b: Box): boolean {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, s.x1 - b.left],
    [dx, b.left + b.width - s.x1],
    [-dy, s.y1 - b.top],
    [dy, b.top + b.height - s.y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

const inside = (b: Box, area: Box) =>
  b.left >= area.left && b.top >= area.top && b.left + b.width <= area.left + area.width && b.top + b.height <= area.top + area.height;

/** A point's number: its box, and the leader from its circle's edge to the box when it sits away from it. */
export interface PointLabelPlace {
  box: Box;
  leader: Segment | null;
}

/** A point's circle (centre, radius) and its label's size. */
export interface PointLabelInput {
  x: number;
  y: number;
  r: number;
  width: number;
  height: number;
}

/** The point on box `b` nearest to (x, y). */
function nearestOnBox(x: number, y: number, b: Box): [number, number] {
  return [Math.max(b.left, Math.min(b.left + b.width, x)), Math.max(b.top, Math.min(b.top + b.height, y))];
}

/** How far box `b` is from circle `p`'s edge: from its nearest point, and from its centre. */
export function labelDistances(p: PointLabelInput, b: Box): { edge: number; centre: number } {
  const [nx, ny] = nearestOnBox(p.x, p.y, b);
  return {
    edge: Math.hypot(nx - p.x, ny - p.y) - p.r,
    centre: Math.hypot(b.left + b.width / 2 - p.x, b.top + b.height / 2 - p.y) - p.r,
  };
}

/**
 * Whether a label box `b` without a leader reads as point i's: it is nearer to point i's circle than to any
 * other circle, both from its nearest point and from its centre (walk s10 N5: a number 33 px from its own dot
 * and 19 px from another column's was read as the other's).
 */
export function nearestToOwn(points: readonly PointLabelInput[], i: number, b: Box): boolean {
  const own = labelDistances(points[i], b);
  return points.every((q, j) => {
    if (j === i) return true;
    const d = labelDistances(q, b);
    return d.edge > own.edge && d.centre > own.centre;
  });
}

/**
 * Places the points' labels inside `area`: no label overlaps another label, any circle or any of `avoid`
 * (with `gap` px between), none crosses one of `lines`, and no leader line crosses a label or another circle.
 * Each label goes beside its circle where it can (eight positions, the upper right first) and where it is
 * nearer to its own circle than to any other (nearestToOwn), so that it cannot be read as another's; else at the
 * nearest free spot found within 150 px, joined to its circle by a leader; else it gets null and the caller
 * lists its number instead.
 */
export function placePointLabels(
  points: readonly PointLabelInput[],
  area: Box,
  avoid: readonly Box[] = [],
  lines: readonly Segment[] = [],
  gap = 1,
): (PointLabelPlace | null)[] {
  const circles: Box[] = points.map((p) => ({ left: p.x - p.r, top: p.y - p.r, width: 2 * p.r, height: 2 * p.r }));
  const placed: Box[] = [];
  const leaders: Segment[] = [];
  const free = (i: number, b: Box, leader: Segment | null): boolean => {
    if (!inside(b, area)) return false;
    if (avoid.some((o) => boxesOverlap(b, o, gap)) || placed.some((o) => boxesOverlap(b, o, gap))) return false;
    if (circles.some((c) => boxesOverlap(b, c, gap))) return false;
    if (lines.some((l) => segmentHitsBox(l, b)) || leaders.some((l) => segmentHitsBox(l, b))) return false;
    if (!leader && !nearestToOwn(points, i, b)) return false;
    if (leader) {
      // The leader runs from the circle's edge to the box: it passes no other circle (but one overlapping its own,
      // which it cannot help starting in) and no other label.
      const own = points[i];
      const crossed = (j: number) =>
        j !== i && Math.hypot(points[j].x - own.x, points[j].y - own.y) >= own.r + points[j].r && segmentHitsBox(leader, circles[j]);
      if (points.some((_, j) => crossed(j))) return false;
      if (placed.some((o) => segmentHitsBox(leader, o)) || avoid.some((o) => segmentHitsBox(leader, o))) return false;
    }
    return true;
  };
  return points.map((p, i) => {
    const { x, y, r, width: w, height: h } = p;
    const d = r + gap + 1;
    // Beside the circle: upper right (where the chart always put it), right, upper left, left, above, below, lower right, lower left.
    const beside: [number, number][] = [
      [x + d, y - h - d + 4],
      [x + d, y - h / 2],
      [x - d - w, y - h - d + 4],
      [x - d - w, y - h / 2],
      [x - w / 2, y - d - h],
      [x - w / 2, y + d],
      [x + d, y + d - 4],
      [x - d - w, y + d - 4],
    ];
    for (const [left, top] of beside) {
      const box = { left, top, width: w, height: h };
      if (free(i, box, null)) {
        placed.push(box);
        return { box, leader: null };
      }
    }
    // Away from the circle, with a leader: rings of growing radius, sideways directions first.
    const angles = Array.from({ length: 24 }, (_, k) => (k % 2 ? 1 : -1) * Math.ceil(k / 2) * (Math.PI / 12));
    for (let R = d + 10; R <= 150; R += 8) {
      for (const side of [0, Math.PI]) {
        for (const a of angles) {
          const t = side + a;
          const cx = x + (R + w / 2) * Math.cos(t);
          const cy = y - (R + h / 2) * Math.sin(t);
          const box = { left: cx - w / 2, top: cy - h / 2, width: w, height: h };
          const [ex, ey] = nearestOnBox(x, y, box);
          const len = Math.hypot(ex - x, ey - y);
          if (len <= r) continue;
          const leader = { x1: x + ((ex - x) * r) / len, y1: y + ((ey - y) * r) / len, x2: ex, y2: ey };
          if (free(i, box, leader)) {
            placed.push(box);
            leaders.push(leader);
            return { box, leader };
          }
        }
      }
    }
    return null;
  });
}

/**
 * A roof's label beside its line, crossing neither roof: the first of `candidates` (boxes, in order of
 * preference) inside `area` that no segment of `lines` passes through and that keeps off `avoid`, or the first
 * candidate if none is clear.
 */
export function placeRoofLabel(candidates: readonly Box[], area: Box, lines: readonly Segment[], avoid: readonly Box[] = []): Box {
  return candidates.find((b) => inside(b, area) && !lines.some((l) => segmentHitsBox(l, b)) && !avoid.some((o) => boxesOverlap(b, o, 2))) ?? candidates[0];
}
