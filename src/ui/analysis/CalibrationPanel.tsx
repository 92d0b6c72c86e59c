/** Reliability diagrams with ECE and MCE, before and after temperature scaling, per model. */
import { Bar, Line } from 'recharts';
import { runCalibration, setBins } from '../../state/analysis/analysisActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import type { CalibrationResult } from '../../worker/api';
import { ChartFrame } from '../common/ChartFrame';
import { ANALYSIS_FIELDS } from '../../core/options/analysisOptions';
import { SchemaNumberField } from '../common/SchemaField';
import { ConceptLink } from './ConceptGlossary';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function ReliabilityChart({ result }: { result: CalibrationResult }) {
  const { before, after, fit, reportN } = result.report;
  const data = before.bins.map((b, i) => ({
    mid: (b.lo + b.hi) / 2,
    accuracy: b.accuracy,
    afterAccuracy: after.bins[i].accuracy,
    count: b.count,
    diagonal: (b.lo + b.hi) / 2,
  }));
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
  return (
    <ChartFrame
      card={{
        title: `Reliability: ${result.name}`,
        definition:
          `accuracy per confidence bin (${before.numBins} equal-width bins, ${before.edgeConvention}) on ` +
          `${reportN} test images; a calibrated model sits on the diagonal. ECE ${pct(before.ece)} → ` +
          `${pct(after.ece)}, MCE ${pct(before.mce)} → ${pct(after.mce)} after temperature scaling (T = ` +
          `${fit.temperature.toFixed(2)}, fitted on the other half).`,
        rows,
        fileName: `reliability-${result.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        testId: 'reliability-chart',
        explain: <ConceptLink id="calibration" />,
      }}
      kind="composed"
      height={220}
      data={data}
      x={{ dataKey: 'mid', type: 'number', domain: [0, 1], tickFormatter: pct, label: 'confidence' }}
      y={{ domain: [0, 1], tickFormatter: pct, width: 52 }}
      tooltip={{
        formatter: (v, name) => (name === 'examples' ? String(v) : pct(Number(v))),
        labelFormatter: (x) => `confidence ≈ ${pct(Number(x))}`,
      }}
    >
      <Bar dataKey="accuracy" name="accuracy (T = 1)" fill="#2166ac" isAnimationActive={false} />
      <Bar
        dataKey="afterAccuracy"
        name={`accuracy (T = ${fit.temperature.toFixed(2)})`}
        fill="#92c5de"
        isAnimationActive={false}
      />
      <Line
        dataKey="diagonal"
        name="perfect calibration"
        stroke="#7a8699"
        strokeDasharray="4 4"
        dot={false}
        isAnimationActive={false}
      />
    </ChartFrame>
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
