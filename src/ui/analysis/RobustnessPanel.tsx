/**
 * Accuracy against ε, one chart per attack with the models overlaid, the authors' released
 * numbers beside ours, a mean ± std table, and the sanity checks with what they mean.
 */
import { useState } from 'react';
import type { SweepSummary } from '../../core/eval/robustnessSweep';
import { runStrongEvaluation, runYanProtocol } from '../../state/analysis/analysisActions';
import { STRONG_EPS, STRONG_STEPS } from '../../state/analysis/strongEvaluation';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { YAN_RELEASED } from '../../state/analysis/yanProtocol';
import { AccuracyScaleToggle } from '../common/AccuracyScaleToggle';
import { ChartCard } from '../common/ChartCard';
import { PlainChart, type PlainSeries } from '../common/PlainChart';
import { accuracyAxis, epsAxis, formatTick } from '../common/chartAxes';
import { modelColour } from './modelColours';
import { ConceptLink } from './ConceptGlossary';
import { RefinementControl } from './RefinementControl';

const ATTACKS: { id: string; title: string; x: string; definition: string }[] = [
  {
    id: 'gaussian',
    title: 'Gaussian noise',
    x: 'σ (pixels in [0,1]; ×255 for the paper’s scale)',
    definition: 'accuracy on x + σ·N(0, I), clipped to [0,1]: a baseline, not an attack.',
  },
  {
    id: 'fgsm',
    title: 'FGSM (L∞)',
    x: 'ε',
    definition: 'accuracy after one signed-gradient step of size ε on the cross-entropy.',
  },
  {
    id: 'pgd',
    title: 'PGD (L∞)',
    x: 'ε',
    definition:
      'accuracy after projected gradient steps from a random start in the ε-ball (Yan et al.: 10 steps of 0.04 at ' +
      'ε 0.2, 0.06 at ε 0.3; strong evaluation: 20 steps of 2.5·ε/20).',
  },
  {
    id: 'apgd-ce',
    title: 'APGD-CE (L∞, 20 iterations)',
    x: 'ε',
    definition:
      'accuracy after Croce & Hein’s APGD on the cross-entropy: PGD that sets its own step size (2ε, halved when ' +
      'progress stalls), with momentum.',
  },
  {
    id: 'autoattack-lite',
    title: 'AutoAttack-lite (L∞, 20 iterations per run)',
    x: 'ε',
    definition:
      'accuracy after APGD-CE and then APGD-T on the 9 runner-up classes: a subset of AutoAttack (Croce & Hein ' +
      '2020), never AutoAttack itself.',
  },
];

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const refinementText = (r: { steps: number; draws: number }) =>
  `${plural(r.steps, 'SGLD step')}, EOT over ${plural(r.draws, 'draw')}`;

function AttackChart({
  attack,
  summaries,
  models,
  showReleased,
  fullScale,
}: {
  attack: (typeof ATTACKS)[number];
  summaries: SweepSummary[];
  models: string[];
  showReleased: boolean;
  fullScale: boolean;
}) {
  const rows = summaries.filter((s) => s.attack === attack.id);
  if (rows.length === 0) return null;
  const released = YAN_RELEASED.filter((r) => showReleased && r.attack === attack.id).map((r) => ({
    eps: r.eps,
    accuracy: r.accuracy,
    model: r.model,
  }));
  const xAxis = epsAxis([...rows, ...released].map((r) => r.eps));
  const yAxis = accuracyAxis([...rows.map((r) => r.mean), ...released.map((r) => r.accuracy)], fullScale);
  const csv = [
    ...rows.map((r) => ({
      source: 'ours',
      model: r.model,
      attack: r.attack,
      eps: r.eps,
      mean: r.mean,
      std: r.std,
      seeds: r.seeds,
    })),
    ...released.map((r) => ({
      source: 'Yan et al. (released)',
      model: r.model,
      attack: attack.id,
      eps: r.eps,
      mean: r.accuracy,
      std: null,
      seeds: 3,
    })),
  ];
  const series: PlainSeries[] = [
    ...models.map((m, i) => ({
      id: m,
      name: m,
      colour: modelColour(i),
      points: rows.filter((r) => r.model === m).map((r) => ({ x: r.eps, y: r.mean })),
    })),
    ...(['CNN', 'ODENet'] as const).flatMap((m, i) =>
      released.some((r) => r.model === m)
        ? [
            {
              id: `released-${m}`,
              name: `${m}: Yan et al. (released)`,
              colour: i === 0 ? '#7a8699' : '#e08214',
              kind: 'points' as const,
              points: released.filter((r) => r.model === m).map((r) => ({ x: r.eps, y: r.accuracy })),
            },
          ]
        : [],
    ),
  ];
  return (
    <ChartCard
      title={attack.title}
      definition={attack.definition}
      rows={csv}
      fileName={`robustness-${attack.id}`}
      testId={`robustness-chart-${attack.id}`}
      explain={<ConceptLink id="robust-accuracy" />}
    >
      <PlainChart
        height={220}
        series={series}
        x={{ ...xAxis, label: attack.x, format: formatTick }}
        y={{ ...yAxis, format: pct }}
      />
    </ChartCard>
  );
}

export function RobustnessPanel({ busy }: { busy: boolean }) {
  const summaries = useAnalysis((s) => s.summaries);
  const result = useAnalysis((s) => s.robustness);
  const models = useAnalysis((s) => s.models);
  const images = useAnalysis((s) => s.images);
  const protocol = useAnalysis((s) => s.protocol);
  const names = models.map((m) => m.name);
  const columns = [...new Map(summaries.map((s) => [`${s.attack}@${s.eps}`, s])).values()];
  const [fullScale, setFullScale] = useState(false);
  return (
    <section className="panel" aria-labelledby="robustness-heading">
      <h2 id="robustness-heading">Accuracy against ε</h2>
      <div className="button-row">
        <button type="button" onClick={() => void runYanProtocol()} disabled={busy || models.length === 0}>
          Run the Yan et al. protocol
        </button>
        <span className="help">
          Gaussian σ ∈ {'{50, 75, 100}'}/255, FGSM ε ∈ {'{0.15, 0.3, 0.5}'}, PGD ε ∈ {'{0.2, 0.3}'}, on the first{' '}
          {images.toLocaleString('en')} test images.
        </span>
      </div>
      <div className="button-row">
        <button type="button" onClick={() => void runStrongEvaluation()} disabled={busy || models.length === 0}>
          Run the strong evaluation
        </button>
        <span className="help">
          FGSM, PGD, APGD-CE and AutoAttack-lite at ε ∈ {`{${STRONG_EPS.join(', ')}}`}, {STRONG_STEPS} iterations each:
          how much a weaker attack overstates robustness. Try it on the PGD-trained model.{' '}
          <ConceptLink id="strong-attacks" />
        </span>
      </div>
      <RefinementControl busy={busy} />
      {summaries.length > 0 && <AccuracyScaleToggle full={fullScale} onChange={setFullScale} />}
      <div className="training-charts">
        {ATTACKS.map((a) => (
          <AttackChart
            key={a.id}
            attack={a}
            summaries={summaries}
            models={names}
            showReleased={protocol === 'yan'}
            fullScale={fullScale}
          />
        ))}
      </div>
      {summaries.length > 0 && (
        <div className="table-scroll">
          <table className="run-results" data-testid="robustness-table">
            <caption>
              Robust accuracy, mean ± std over seeds
              {result ? ` (${result.n} images, ${result.seconds.toFixed(0)} s)` : ' (filling in)'}
              {result?.refinement && `, each input refined by ${refinementText(result.refinement)}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                {result && <th scope="col">clean</th>}
                {columns.map((c) => (
                  <th key={`${c.attack}@${c.eps}`} scope="col">
                    {c.attack} {c.attack === 'gaussian' ? `σ ${Math.round(c.eps * 255)}/255` : `ε ${c.eps}`}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {names.map((m) => (
                <tr key={m}>
                  <th scope="row">{m}</th>
                  {result && <td>{pct(result.clean.find((c) => c.model === m)?.accuracy ?? NaN)}</td>}
                  {columns.map((c) => {
                    const s = summaries.find((x) => x.model === m && x.attack === c.attack && x.eps === c.eps);
                    return (
                      <td key={`${c.attack}@${c.eps}`}>
                        {s ? `${pct(s.mean)}${s.seeds > 1 ? ` ± ${(100 * s.std).toFixed(1)}` : ''}` : '…'}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result && (
        <div className="sanity-checks" data-testid="sanity-checks">
          <h3>Sanity checks (Carlini et al., “On Evaluating Adversarial Robustness”)</h3>
          <ul>
            {result.checks.map((c) => (
              <li key={`${c.model}: ${c.message}`} className={c.passed ? 'check-ok' : 'check-warn'}>
                {c.passed ? '✓' : '⚠'} {c.model && <strong>{c.model}: </strong>}
                {c.message}
              </li>
            ))}
          </ul>
          <p>
            <ConceptLink id="gradient-masking" label="Gradient masking, and why an adaptive ODE solver can cause it" />
          </p>
        </div>
      )}
    </section>
  );
}
