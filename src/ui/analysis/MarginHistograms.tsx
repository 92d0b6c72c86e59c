/**
 * Histograms of the margins panel: clean against adversarial logit margins per model, and the
 * distributions of the distances DeepFool (L2) and PGD bisection (L∞) needed, models overlaid.
 */
import type { MarginsResult } from '../../worker/api';
import { ChartCard } from '../common/ChartCard';
import { valueAxis } from '../common/chartAxes';
import { PlainChart } from '../common/PlainChart';
import { BIN_EDGE_CONVENTION, binBars, formatValue, sharedHistogramRows, slug } from './histogramRows';
import { modelColour } from './modelColours';
import { ConceptLink } from './ConceptGlossary';

const DISTANCE_BINS = 15;

/** The count axis of a histogram: from 0, whole steps. */
const countAxis = (counts: readonly number[]) => ({
  ...valueAxis(counts, { from0: true, integer: true }),
  format: String,
  label: 'images',
});

/** Clean and adversarial margins of one model on the same edges. */
export function MarginHistogram({ result, index }: { result: MarginsResult; index: number }) {
  const { margins, adversarial, n, accuracy } = result.result;
  const clean = adversarial?.cleanHistogram ?? margins.histogram;
  const rows = clean.counts.map((count, m) => ({
    lo: clean.edges[m],
    hi: clean.edges[m + 1],
    mid: (clean.edges[m] + clean.edges[m + 1]) / 2,
    clean: count,
    adversarial: adversarial ? adversarial.histogram.counts[m] : null,
  }));
  const advText = adversarial
    ? ` Red: the same images after PGD-${adversarial.steps} (L∞, ε = ${adversarial.eps}, step ` +
      `${formatValue(adversarial.alpha)}): median ${formatValue(adversarial.summary.median)}, ` +
      `${(100 * adversarial.robustAccuracy).toFixed(1)}% still correct.`
    : '';
  const edges = clean.edges;
  return (
    <ChartCard
      title={`Logit margins: ${result.name}`}
      definition={
        `q = z_y − max_{j≠y} z_j on ${n} test images (negative = misclassified; ` +
        `${(100 * accuracy).toFixed(1)}% correct, median ${formatValue(margins.summary.median)}).${advText} Bins ` +
        `${BIN_EDGE_CONVENTION}.`
      }
      rows={rows}
      fileName={`margins-${slug(result.name)}`}
      testId="margin-histogram"
      explain={<ConceptLink id="margins" />}
    >
      <PlainChart
        height={220}
        x={{ ...valueAxis(edges), format: formatValue, label: 'margin q (logit units)' }}
        y={countAxis([...clean.counts, ...(adversarial?.histogram.counts ?? [])])}
        series={[
          {
            id: 'clean',
            name: 'clean',
            colour: modelColour(index),
            kind: 'bars',
            barWidth: edges[1] - edges[0],
            points: binBars(edges, clean.counts, 'clean'),
          },
          ...(adversarial
            ? [
                {
                  id: 'adversarial',
                  name: `PGD ε = ${adversarial.eps}`,
                  colour: '#d6604d',
                  kind: 'bars' as const,
                  barWidth: edges[1] - edges[0],
                  points: binBars(edges, adversarial.histogram.counts, `PGD ε = ${adversarial.eps}`),
                },
              ]
            : []),
        ]}
      />
    </ChartCard>
  );
}

interface DistanceSpec {
  id: 'deepfool' | 'pgd';
  title: string;
  unit: string;
  definition: string;
  values: (r: MarginsResult) => number[];
}

const DISTANCES: DistanceSpec[] = [
  {
    id: 'deepfool',
    title: 'DeepFool L2 distances',
    unit: '‖x_adv − x‖₂ (pixels in [0,1])',
    definition:
      'the L2 distance at which DeepFool (overshoot 0.02, clipped to [0,1]) first changed the class of a correctly ' +
      'classified image: an upper bound on its distance to the decision boundary.',
    values: (r) => r.result.examples.flatMap((e) => (e.deepFoolDistance === null ? [] : [e.deepFoolDistance])),
  },
  {
    id: 'pgd',
    title: 'PGD L∞ distances',
    unit: 'smallest ε that broke the image (L∞)',
    definition:
      'the smallest L∞ budget at which PGD-20 found an adversarial example, by bisection on ε to 1/255: an upper ' +
      'bound on the L∞ robust radius.',
    values: (r) => r.result.examples.flatMap((e) => (e.pgdLinfDistance === null ? [] : [e.pgdLinfDistance])),
  },
];

/** One distance's distribution, models overlaid on shared edges from 0. */
export function DistanceHistogram({ spec, results }: { spec: DistanceSpec; results: MarginsResult[] }) {
  const series = results.map(spec.values);
  const rows = sharedHistogramRows(series, DISTANCE_BINS, 0);
  const stats = results
    .map((r, k) => `${r.name}: n ${series[k].length}, median ${formatValue(median(series[k]))}`)
    .join('; ');
  const unbroken =
    spec.id === 'pgd' ? results.map((r) => r.result.pgdDistance?.notBrokenAtEpsMax ?? 0).reduce((a, b) => a + b, 0) : 0;
  const csv = rows.map((row) => ({
    lo: row.lo,
    hi: row.hi,
    ...Object.fromEntries(results.map((r, k) => [r.name, row[`s${k}`]])),
  }));
  const edges = rows.length > 0 ? [rows[0].lo, ...rows.map((row) => row.hi)] : [0, 1];
  return (
    <ChartCard
      title={spec.title}
      definition={[spec.definition, `${stats}.`, unbroken ? `${unbroken} image(s) not broken at ε_max, left out.` : '']
        .filter(Boolean)
        .join(' ')}
      rows={csv}
      fileName={`distances-${spec.id}`}
      testId={`distance-histogram-${spec.id}`}
      explain={<ConceptLink id="distances" />}
    >
      <PlainChart
        height={220}
        x={{ ...valueAxis(edges), format: formatValue, label: spec.unit }}
        y={countAxis(rows.flatMap((row) => results.map((_, k) => row[`s${k}`])))}
        series={results.map((r, k) => ({
          id: r.name,
          name: r.name,
          colour: modelColour(k),
          kind: 'bars',
          barWidth: edges[1] - edges[0],
          points: binBars(
            edges,
            rows.map((row) => row[`s${k}`]),
            r.name,
          ),
        }))}
      />
    </ChartCard>
  );
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The distance histograms that have data. */
export function DistanceHistograms({ results }: { results: MarginsResult[] }) {
  return (
    <>
      {DISTANCES.filter((d) => d.id === 'deepfool' || results.some((r) => r.result.pgdDistance)).map((d) => (
        <DistanceHistogram key={d.id} spec={d} results={results} />
      ))}
    </>
  );
}
