/**
 * A small chart drawn as plain SVG by React, for every chart of the analysis view: accuracy against ε, Certify's
 * bands, the reliability diagrams, the energy and margin histograms, the margin scatter, the operator norms and the
 * stability curves. A chart library mounted each of those in one main-thread task of 0.1–1.8 s on a busy machine (its
 * own store and selectors, and text measured in the page, each measure a layout of the whole long view; issue 18: no
 * task over 50 ms). These are a few dozen to a few hundred points, which need no more than their axes (linear or
 * log), lines, markers, bars, a shaded band and a legend: a few hundred SVG elements, drawn in milliseconds. Each
 * marker's and bar's tooltip (an SVG title) gives its series, value and x.
 */
import { useEffect, useRef, useState } from 'react';
import type { Axis } from './chartAxes';

export interface PlainPoint {
  x: number;
  y: number;
  /** The tooltip, when "series: y at x" does not say it (a histogram's bin). */
  title?: string;
}

export interface PlainSeries {
  id: string;
  name: string;
  colour: string;
  points: readonly PlainPoint[];
  /**
   * 'line' (the default): a line with round markers; 'curve': the line alone; 'points': diamonds only (published
   * figures); 'dots' and 'rings': filled and hollow circles (a scatter); 'bars': a bar from 0 to y, `barWidth` wide
   * and centred on x (several bar series share that width side by side, a histogram's bins or grouped bars).
   */
  kind?: 'line' | 'curve' | 'points' | 'dots' | 'rings' | 'bars';
  /** SVG stroke-dasharray for a dashed line. */
  dash?: string;
  /** A bar's width in x units (kind 'bars'). */
  barWidth?: number;
}

/** A shaded range between two curves (Certify: between the certified and the empirical accuracy). */
export interface PlainBand {
  name: string;
  colour: string;
  points: readonly { x: number; lo: number; hi: number }[];
}

/** An axis of a plain chart: its range and ticks, how a value reads, and whether it is logarithmic. */
export type PlainAxis = Axis & { format: (v: number) => string; log?: boolean };

export interface PlainChartProps {
  series: readonly PlainSeries[];
  band?: PlainBand;
  height: number;
  x: PlainAxis & { label: string };
  y: PlainAxis & { label?: string };
  /** No legend (a chart of one series named by its title). */
  legend?: false;
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

/** Where a value falls on an axis, as a share of its length (0 at the start, 1 at the end); log10 when `log`. */
function axisShare(axis: PlainAxis, v: number): number {
  const t = axis.log ? Math.log10 : (u: number) => u;
  const [a, b] = [t(axis.domain[0]), t(axis.domain[1])];
  return (t(v) - a) / (b - a || 1);
}

export function PlainChart({ series, band, height, x, y, legend: showLegend }: PlainChartProps) {
  const [wrap, width] = useBoxWidth<HTMLDivElement>();
  const plotW = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const px = (v: number) => MARGIN.left + axisShare(x, v) * plotW;
  const py = (v: number) => MARGIN.top + (1 - axisShare(y, v)) * plotH;
  const legend =
    showLegend === false ? [] : [...(band ? [{ id: 'band', name: band.name, colour: band.colour }] : []), ...series];
  const bars = series.filter((s) => s.kind === 'bars');
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
              {y.label && (
                <text
                  transform="rotate(-90)"
                  x={-(MARGIN.top + plotH / 2)}
                  y={2}
                  textAnchor="middle"
                  dominantBaseline="hanging"
                >
                  {y.label}
                </text>
              )}
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
              <SeriesMarks
                key={s.id}
                s={s}
                barSlot={bars.indexOf(s)}
                barSlots={bars.length}
                px={px}
                py={py}
                x={x}
                y={y}
              />
            ))}
          </>
        )}
      </svg>
      {legend.length > 0 && (
        <ul className="canvas-chart-legend">
          {legend.map((s) => (
            <li key={s.id}>
              <span className="swatch" style={{ background: s.colour }} /> {s.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface SeriesMarksProps {
  s: PlainSeries;
  /** Which of the chart's bar series this is, and how many there are (bars side by side). */
  barSlot: number;
  barSlots: number;
  px: (v: number) => number;
  py: (v: number) => number;
  x: PlainAxis & { label: string };
  y: PlainAxis;
}

/** One series: its line, bars or markers, each mark with its tooltip. */
function SeriesMarks({ s, barSlot, barSlots, px, py, x, y }: SeriesMarksProps) {
  const kind = s.kind ?? 'line';
  const xName = x.label.split(' ')[0];
  const title = (p: PlainPoint) => p.title ?? `${s.name}: ${y.format(p.y)} at ${xName} = ${x.format(p.x)}`;
  const lined = (kind === 'line' || kind === 'curve') && s.points.length > 1;
  const w = s.barWidth ?? 1;
  const base = py(y.log ? y.domain[0] : Math.max(0, y.domain[0]));
  return (
    <g className="plain-chart-series" stroke={s.colour} fill={s.colour}>
      {lined && (
        <path
          className="plain-chart-line"
          fill="none"
          strokeWidth={2}
          strokeDasharray={s.dash}
          d={s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x)},${py(p.y)}`).join('')}
        />
      )}
      {kind === 'bars'
        ? s.points.map((p, i) => {
            // Bar series side by side within the bar's width: the k-th of K takes its k-th share.
            const left = px(p.x - w / 2 + (barSlot * w) / barSlots);
            const right = px(p.x - w / 2 + ((barSlot + 1) * w) / barSlots);
            return (
              <path
                key={`${i}-${p.x}`}
                className="plain-chart-bar"
                stroke="none"
                d={`M${left},${base}H${right}V${py(p.y)}H${left}Z`}
              >
                <title>{title(p)}</title>
              </path>
            );
          })
        : kind !== 'curve' &&
          s.points.map((p, i) => (
            <path
              key={`${i}-${p.x}`}
              d={marker(px(p.x), py(p.y), kind)}
              stroke={kind === 'points' ? 'none' : s.colour}
              fill={kind === 'rings' ? 'none' : s.colour}
            >
              <title>{title(p)}</title>
            </path>
          ))}
    </g>
  );
}

/** A dot (3 px radius) or a diamond (5 px, kind 'points'), centred on (cx, cy), as a path. */
function marker(cx: number, cy: number, kind: PlainSeries['kind']): string {
  if (kind === 'points') return `M${cx},${cy - 5}L${cx + 5},${cy}L${cx},${cy + 5}L${cx - 5},${cy}Z`;
  return `M${cx - 3},${cy}a3,3 0 1,0 6,0a3,3 0 1,0 -6,0`;
}
