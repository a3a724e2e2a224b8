// Pictures of a run: the loss curves and, for 2-D slices, prediction / reference / error
// heatmaps. Vega-Lite describes them, Vega renders SVG without a browser, resvg turns the SVG
// into PNG; both files are written atomically.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../io/atomic.js';
import type { MetricsHistory } from '../train/events.js';

/** The SVG and PNG of a spec. */
export async function renderImages(spec: TopLevelSpec): Promise<{ svg: string; png: Buffer }> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    return { svg, png };
  } finally {
    view.finalize();
  }
}

/** Writes `<base>.svg` and `<base>.png`; returns their paths. */
export async function render(spec: TopLevelSpec, base: string): Promise<string[]> {
  const { svg, png } = await renderImages(spec);
  writeFileAtomic(`${base}.svg`, Buffer.from(svg));
  writeFileAtomic(`${base}.png`, png);
  return [`${base}.svg`, `${base}.png`];
}

/** Every raw loss term and the weighted total against the step, log scale; phase starts as rules. */
export function lossSpec(h: MetricsHistory, phaseNames: string[], maxPoints = 1500): TopLevelSpec {
  const n = h.step.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const rows: Array<{ step: number; term: string; loss: number }> = [];
  const series: Record<string, number[]> = { ...h.losses, 'total (weighted)': h.total };
  for (const [term, values] of Object.entries(series)) {
    for (let i = 0; i < n; i += stride) {
      const v = values[i];
      if (Number.isFinite(v) && v > 0) rows.push({ step: h.step[i], term, loss: v });
    }
  }
  const starts = h.phase.flatMap((p, i) => (i === 0 || p !== h.phase[i - 1] ? [{ step: h.step[i], phase: phaseNames[p] ?? String(p) }] : []));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Training loss',
    width: 640,
    height: 360,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.2 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step', scale: { nice: false } },
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss' },
          color: { field: 'term', type: 'nominal', title: 'term' },
        },
      },
      {
        data: { values: starts.slice(1) },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'step', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

export interface FieldData {
  axes: [string, string];
  /** Cell centres along each axis. */
  xs: number[];
  ys: number[];
  title: string;
  /** Per output: prediction and reference, row-major [ny][nx] flattened, horizontal axis fastest. */
  fields: Array<{ name: string; prediction: Float64Array; reference: Float64Array }>;
}

/** One row per output: prediction, reference and |prediction − reference| as heatmaps. */
export function fieldSpec(d: FieldData): TopLevelSpec {
  const half = (v: number[]) => (v.length > 1 ? (v[1] - v[0]) / 2 : 0.5);
  // Cells overlap their neighbours so anti-aliasing leaves no hairline seams between them.
  const hx = half(d.xs) * 1.2, hy = half(d.ys) * 1.2;
  const panel = (title: string, values: ArrayLike<number>, scheme: string) => ({
    title,
    width: 220,
    height: 220,
    data: {
      values: Array.from(values, (v, k) => {
        const x = d.xs[k % d.xs.length], y = d.ys[Math.floor(k / d.xs.length)];
        return { x0: x - hx, x1: x + hx, y0: y - hy, y1: y + hy, v };
      }),
    },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: d.axes[0], scale: { zero: false, nice: false } },
      x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative', title: d.axes[1], scale: { zero: false, nice: false } },
      y2: { field: 'y1' },
      color: { field: 'v', type: 'quantitative', title: null, scale: { scheme } },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Fields (${d.title})`,
    vconcat: d.fields.map((f) => ({
      hconcat: [
        panel(`${f.name}: prediction`, f.prediction, 'viridis'),
        panel(`${f.name}: reference`, f.reference, 'viridis'),
        panel(`${f.name}: |error|`, f.prediction.map((p, k) => Math.abs(p - f.reference[k])), 'inferno'),
      ],
      resolve: { scale: { color: 'independent' } },
    })),
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
