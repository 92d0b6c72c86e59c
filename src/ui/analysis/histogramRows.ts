/**
 * Histograms of several series on one set of edges, as chart rows: { lo, hi, mid, s0, s1, … }
 * (counts of series k under the key `s${k}`, so names with dots or brackets cannot confuse the
 * chart library). The edges follow the core's convention: (lo, hi], the first bin closed.
 */
import { BIN_EDGE_CONVENTION, histogram } from '../../core/metrics/histogram';
import type { PlainPoint } from '../common/PlainChart';

export { BIN_EDGE_CONVENTION };

export interface HistogramRow {
  lo: number;
  hi: number;
  mid: number;
  [series: `s${number}`]: number;
}

export function sharedHistogramRows(series: readonly (readonly number[])[], bins: number, lo?: number): HistogramRow[] {
  const all = series.flat().filter(Number.isFinite);
  if (all.length === 0) return [];
  let min = lo ?? Math.min(...all);
  let max = Math.max(...all);
  if (max - min < 1e-9) [min, max] = [min - 0.5, max + 0.5];
  const hists = series.map((values) => histogram(values, min, max, bins));
  const edges = hists[0].edges;
  return hists[0].counts.map((_, m) => {
    const row: HistogramRow = { lo: edges[m], hi: edges[m + 1], mid: (edges[m] + edges[m + 1]) / 2 };
    hists.forEach((h, k) => {
      row[`s${k}`] = h.counts[m];
    });
    return row;
  });
}

/** A histogram's bins as bars of a plain chart, each bar's tooltip its series, count and bin. */
export function binBars(edges: readonly number[], counts: readonly number[], name: string): PlainPoint[] {
  return counts.map((count, m) => ({
    x: (edges[m] + edges[m + 1]) / 2,
    y: count,
    title: `${name}: ${count} images in (${formatValue(edges[m])}, ${formatValue(edges[m + 1])}]`,
  }));
}

/** Three significant digits, without exponent for everyday magnitudes. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** A file-name-safe form of a model name. */
export const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
