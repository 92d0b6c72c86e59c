/**
 * A small chart drawn as plain SVG by React, for the analysis view's curves that fill in while a run goes on (accuracy
 * against ε, Certify's bands). A chart library mounted each of those in one main-thread task of 0.1–0.7 s on a busy
 * machine (its own store, selectors and text measuring; issue 18: no task over 50 ms); these are a few dozen points,
 * which need no more than their axes, lines, markers, a shaded band and a legend: a few hundred SVG elements, drawn
 * in milliseconds. Each marker's tooltip (an SVG title) gives its series, value and x.
 */
import { useEffect, useRef, useState } from 'react';
import type { Axis } from './chartAxes';

export interface PlainSeries {
  id: string;
  name: string;
  colour: string;
  points: readonly { x: number; y: number }[];
  /** 'line' (the default): a line with round markers; 'points': diamonds only (published figures). */
  kind?: 'line' | 'points';
  /** SVG stroke-dasharray for a dashed line. */
  dash?: string;
}

/** A shaded range between two curves (Certify: between the certified and the empirical accuracy). */
export interface PlainBand {
  name: string;
  colour: string;
  points: readonly { x: number; lo: number; hi: number }[];
}

export interface PlainChartProps {
  series: readonly PlainSeries[];
  band?: PlainBand;
  height: number;
  x: Axis & { label: string; format: (v: number) => string };
  y: Axis & { format: (v: number) => string };
}

const MARGIN = { top: 8, right: 14, bottom: 34, left: 56 };
const GRID = '#d5d9e0';
const INK = '#5b6577';

/**
 * The width of the chart's box, followed as the layout changes. Read from the ResizeObserver's reports (the first
 * comes right after the box is first laid out), never from clientWidth at mount: that would force the browser to lay
 * out the whole page then and there, hundreds of ms of one task on a long page (measured on the analysis view).
 */
export function useBoxWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const wrap = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries.at(-1)?.contentRect;
      if (box) setWidth(Math.round(box.width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [wrap, width];
}

export function PlainChart({ series, band, height, x, y }: PlainChartProps) {
  const [wrap, width] = useBoxWidth<HTMLDivElement>();
  const plotW = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const [x0, x1] = x.domain;
  const [y0, y1] = y.domain;
  const px = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
  const py = (v: number) => MARGIN.top + (1 - (v - y0) / (y1 - y0 || 1)) * plotH;
  const xName = x.label.split(' ')[0];
  const legend = [...(band ? [{ id: 'band', name: band.name, colour: band.colour }] : []), ...series];
  return (
    <div className="plain-chart" ref={wrap}>
      <svg className="plain-chart-surface" width="100%" height={height} role="img" aria-label={x.label}>
        {width > 0 && (
          <>
            <g stroke={GRID} strokeDasharray="3 3">
              {y.ticks.map((t) => (
                <line key={`y${t}`} x1={MARGIN.left} x2={MARGIN.left + plotW} y1={py(t)} y2={py(t)} />
              ))}
              {x.ticks.map((t) => (
                <line key={`x${t}`} x1={px(t)} x2={px(t)} y1={MARGIN.top} y2={MARGIN.top + plotH} />
              ))}
            </g>
            <g fill={INK} fontSize={11}>
              {y.ticks.map((t) => (
                <text key={t} x={MARGIN.left - 6} y={py(t)} textAnchor="end" dominantBaseline="middle">
                  {y.format(t)}
                </text>
              ))}
              {x.ticks.map((t) => (
                <text key={t} x={px(t)} y={MARGIN.top + plotH + 14} textAnchor="middle">
                  {x.format(t)}
                </text>
              ))}
              <text x={MARGIN.left + plotW} y={height - 4} textAnchor="end">
                {x.label}
              </text>
            </g>
            {band && band.points.length > 1 && (
              <path
                className="plain-chart-band"
                fill={band.colour}
                fillOpacity={0.45}
                d={`${band.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x)},${py(p.hi)}`).join('')}${[
                  ...band.points,
                ]
                  .reverse()
                  .map((p) => `L${px(p.x)},${py(p.lo)}`)
                  .join('')}Z`}
              />
            )}
            {series.map((s) => (
              <g key={s.id} className="plain-chart-series" stroke={s.colour} fill={s.colour}>
                {s.kind !== 'points' && s.points.length > 1 && (
                  <path
                    className="plain-chart-line"
                    fill="none"
                    strokeWidth={2}
                    strokeDasharray={s.dash}
                    d={s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x)},${py(p.y)}`).join('')}
                  />
                )}
                {s.points.map((p) => (
                  <path
                    key={p.x}
                    d={marker(px(p.x), py(p.y), s.kind === 'points')}
                    stroke={s.kind === 'points' ? 'none' : s.colour}
                  >
                    <title>{`${s.name}: ${y.format(p.y)} at ${xName} = ${x.format(p.x)}`}</title>
                  </path>
                ))}
              </g>
            ))}
          </>
        )}
      </svg>
      <ul className="canvas-chart-legend">
        {legend.map((s) => (
          <li key={s.id}>
            <span className="swatch" style={{ background: s.colour }} /> {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A dot (3 px radius) or a diamond (5 px), centred on (cx, cy), as a path. */
function marker(cx: number, cy: number, diamond: boolean): string {
  if (diamond) return `M${cx},${cy - 5}L${cx + 5},${cy}L${cx},${cy + 5}L${cx - 5},${cy}Z`;
  return `M${cx - 3},${cy}a3,3 0 1,0 6,0a3,3 0 1,0 -6,0`;
}
