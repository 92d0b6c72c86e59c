/** Reliability diagrams with ECE and MCE, before and after temperature scaling, per model. */
import { runCalibration, setBins } from '../../state/analysis/analysisActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import type { CalibrationResult } from '../../worker/api';
import { ChartCard } from '../common/ChartCard';
import { FULL_ACCURACY_AXIS } from '../common/chartAxes';
import { PlainChart } from '../common/PlainChart';
import { ANALYSIS_FIELDS } from '../../core/options/analysisOptions';
import { SchemaNumberField } from '../common/SchemaField';
import { ConceptLink } from './ConceptGlossary';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function ReliabilityChart({ result }: { result: CalibrationResult }) {
  const { before, after, fit, reportN } = result.report;
  const rows = before.bins.map((b, i) => ({
    lo: b.lo,
    hi: b.hi,
    count: b.count,
    accuracy: b.accuracy,
    confidence: b.confidence,
    countAfterT: after.bins[i].count,
    accuracyAfterT: after.bins[i].accuracy,
    confidenceAfterT: after.bins[i].confidence,
  }));
  const t = fit.temperature.toFixed(2);
  // Empty bins have no accuracy: no bar.
  const binBars = (bins: typeof before.bins, name: string) =>
    bins.flatMap((b) =>
      b.accuracy === null
        ? []
        : [
            {
              x: (b.lo + b.hi) / 2,
              y: b.accuracy,
              title: `${name}: ${pct(b.accuracy)} of ${b.count} at confidence (${pct(b.lo)}, ${pct(b.hi)}]`,
            },
          ],
    );
  const width = before.bins.length > 0 ? before.bins[0].hi - before.bins[0].lo : 1;
  return (
    <ChartCard
      title={`Reliability: ${result.name}`}
      definition={
        `accuracy per confidence bin (${before.numBins} equal-width bins, ${before.edgeConvention}) on ` +
        `${reportN} test images; a calibrated model sits on the diagonal. ECE ${pct(before.ece)} → ` +
        `${pct(after.ece)}, MCE ${pct(before.mce)} → ${pct(after.mce)} after temperature scaling (T = ` +
        `${t}, fitted on the other half).`
      }
      rows={rows}
      fileName={`reliability-${result.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}
      testId="reliability-chart"
      explain={<ConceptLink id="calibration" />}
    >
      <PlainChart
        height={220}
        x={{ ...FULL_ACCURACY_AXIS, format: pct, label: 'confidence' }}
        y={{ ...FULL_ACCURACY_AXIS, format: pct }}
        series={[
          {
            id: 'before',
            name: 'accuracy (T = 1)',
            colour: '#2166ac',
            kind: 'bars',
            barWidth: width,
            points: binBars(before.bins, 'T = 1'),
          },
          {
            id: 'after',
            name: `accuracy (T = ${t})`,
            colour: '#92c5de',
            kind: 'bars',
            barWidth: width,
            points: binBars(after.bins, `T = ${t}`),
          },
          {
            id: 'diagonal',
            name: 'perfect calibration',
            colour: '#7a8699',
            kind: 'curve',
            dash: '4 4',
            points: [
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ],
          },
        ]}
      />
    </ChartCard>
  );
}

export function CalibrationPanel({ busy }: { busy: boolean }) {
  const results = useAnalysis((s) => s.calibration);
  const bins = useAnalysis((s) => s.bins);
  const models = useAnalysis((s) => s.models);
  return (
    <section className="panel" aria-labelledby="calibration-heading">
      <h2 id="calibration-heading">Calibration</h2>
      <div className="button-row">
        <SchemaNumberField field={ANALYSIS_FIELDS.bins} value={bins} onChange={setBins} disabled={busy} help="" />
        <button type="button" onClick={() => void runCalibration()} disabled={busy || models.length === 0}>
          Measure calibration
        </button>
      </div>
      {results && (
        <div className="training-charts">
          {results.map((r) => (
            <ReliabilityChart key={r.name} result={r} />
          ))}
        </div>
      )}
    </section>
  );
}
