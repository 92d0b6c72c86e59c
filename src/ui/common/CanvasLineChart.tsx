/**
 * A line chart drawn on a canvas, for live series that grow while the user watches (the training lab's curves). An
 * SVG chart library re-renders its whole component tree for each new point: with nine charts growing together that
 * took seconds of the main thread per report on a busy machine (issue 18). Here a redraw is a few hundred lineTo
 * calls, done in an effect, never more than once per render and so once a frame at most (the store batches reports
 * per frame). Hovering shows every series' value at the nearest x; the legend is plain HTML.
 */
import { useEffect, useRef, useState } from 'react';
import { useBoxWidth } from './PlainChart';

export interface CanvasSeries {
  id: string;
  name: string;
  colour: string;
  points: readonly { x: number; y: number }[];
}

export interface CanvasLineChartProps {
  series: readonly CanvasSeries[];
  height: number;
  xLabel: string;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  /** Fixed y range (accuracies: [0, 1]); otherwise the data's, padded. */
  yDomain?: [number, number];
}

const MARGIN = { top: 8, right: 12, bottom: 34, left: 64 };
const TICKS = 5;
const GRID = '#d5d9e0';
const INK = '#5b6577';

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = TICKS): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function extent(series: readonly CanvasSeries[], key: 'x' | 'y'): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const p of s.points) {
      if (p[key] < lo) lo = p[key];
      if (p[key] > hi) hi = p[key];
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

export function CanvasLineChart({ series, height, xLabel, formatX, formatY, yDomain }: CanvasLineChartProps) {
  const [wrap, width] = useBoxWidth<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const [x0, x1] = [0, Math.max(extent(series, 'x')[1], 1e-9)];
  const dataY = extent(series, 'y');
  const pad = (dataY[1] - dataY[0]) * 0.05;
  const [y0, y1] = yDomain ?? [dataY[0] - pad, dataY[1] + pad];
  const plotW = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    el.width = Math.round(width * ratio);
    el.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = GRID;
    ctx.fillStyle = INK;
    ctx.setLineDash([3, 3]);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(y0, y1)) {
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, py(t));
      ctx.lineTo(MARGIN.left + plotW, py(t));
      ctx.stroke();
      ctx.fillText(formatY(t), MARGIN.left - 6, py(t));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of niceTicks(x0, x1)) {
      ctx.beginPath();
      ctx.moveTo(px(t), MARGIN.top);
      ctx.lineTo(px(t), MARGIN.top + plotH);
      ctx.stroke();
      ctx.fillText(formatX(t), px(t), MARGIN.top + plotH + 4);
    }
    ctx.setLineDash([]);
    ctx.textAlign = 'right';
    ctx.fillText(xLabel, MARGIN.left + plotW, MARGIN.top + plotH + 18);
    ctx.lineWidth = 2;
    for (const s of series) {
      ctx.strokeStyle = s.colour;
      ctx.beginPath();
      for (const [i, p] of s.points.entries()) {
        if (i === 0) ctx.moveTo(px(p.x), py(p.y));
        else ctx.lineTo(px(p.x), py(p.y));
      }
      ctx.stroke();
    }
    if (hoverX !== null) {
      ctx.strokeStyle = INK;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px(hoverX), MARGIN.top);
      ctx.lineTo(px(hoverX), MARGIN.top + plotH);
      ctx.stroke();
    }
  });

  const nearest = (s: CanvasSeries) =>
    hoverX === null || s.points.length === 0
      ? null
      : s.points.reduce((best, p) => (Math.abs(p.x - hoverX) < Math.abs(best.x - hoverX) ? p : best));
  return (
    <div className="canvas-chart" ref={wrap}>
      <canvas
        ref={canvas}
        style={{ width: '100%', height }}
        onMouseMove={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const x = x0 + ((e.clientX - box.left - MARGIN.left) / plotW) * (x1 - x0);
          setHoverX(Math.min(x1, Math.max(x0, x)));
        }}
        onMouseLeave={() => setHoverX(null)}
      />
      {hoverX !== null && (
        <div className="canvas-chart-tooltip" role="status">
          {series.map((s) => {
            const p = nearest(s);
            return p ? (
              <span key={s.id} style={{ color: s.colour }}>
                {s.name}: {formatY(p.y)} at {xLabel.replace(/s$/, '')} {formatX(p.x)}
              </span>
            ) : null;
          })}
        </div>
      )}
      <ul className="canvas-chart-legend">
        {series.map((s) => (
          <li key={s.id}>
            <span className="swatch" style={{ background: s.colour }} /> {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
