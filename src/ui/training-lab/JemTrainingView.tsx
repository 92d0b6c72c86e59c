/**
 * What a JEM run shows while it trains (Grathwohl et al. 2020): the replay buffer's newest samples, one row per
 * class, and the mean energies of the data and of the samples; and, if a run diverged, what happened and what the
 * app did. Appears only when a run of the comparison trains as a JEM.
 */
import { useMemo } from 'react';
import { useTraining } from '../../state/training/trainingStore';
import type { TrainingSampleGrid } from '../../worker/api';
import { CONCEPTS, type ConceptId } from '../../state/teaching/concepts';
import { CanvasLineChart } from '../common/CanvasLineChart';
import { ChartCard } from '../common/ChartCard';
import { ImageCanvas } from '../common/ImageCanvas';
import { thinSeries } from '../common/thinSeries';
import { sampleGridImage } from './sampleGridImage';

/** On-screen width of a grid image (CSS pixels per grid pixel ≈ 3 for 14-pixel digits). */
const GRID_DISPLAY_WIDTH = 360;
const DATA_COLOUR = '#2166ac';
const SAMPLE_COLOUR = '#b2182b';
const JEM_CONCEPTS: readonly ConceptId[] = ['sgld', 'replay-buffer', 'jem-divergence'];

function SampleGrid({ grid, label }: { grid: TrainingSampleGrid; label: string }) {
  const image = useMemo(() => sampleGridImage(grid), [grid]);
  const name = `Replay-buffer samples of ${label}`;
  return (
    <figure className="chart-card jem-grid" data-testid="jem-sample-grid" data-samples={grid.samples}>
      <figcaption>
        <strong>{name}</strong>
        <span className="help">
          {' '}
          — the {grid.columns} entries per row the last batches wrote,{' '}
          {grid.rowsAreClasses ? 'one row per class (0 at the top)' : 'rows of an unconditional buffer'}, shrunk to{' '}
          {grid.width} × {grid.height}; after {grid.samples.toLocaleString('en')} training images.
        </span>
      </figcaption>
      <ImageCanvas
        rgba={image.rgba}
        width={image.width}
        height={image.height}
        displayWidth={GRID_DISPLAY_WIDTH}
        fluid
        label={name}
      />
    </figure>
  );
}

function EnergyChart({ runId, label }: { runId: string; label: string }) {
  const points = useTraining((s) => s.curves[runId]);
  const drawn = thinSeries(points ?? []);
  const data = drawn.flatMap((p) =>
    p.schedule?.energyData !== undefined ? [{ x: p.x, y: p.schedule.energyData }] : [],
  );
  const samples = drawn.flatMap((p) =>
    p.schedule?.energySample !== undefined ? [{ x: p.x, y: p.schedule.energySample }] : [],
  );
  const rows = (points ?? []).map((p) => ({
    epoch: p.x,
    energyData: p.schedule?.energyData ?? null,
    energySamples: p.schedule?.energySample ?? null,
  }));
  return (
    <ChartCard
      title={`Energy of data and samples: ${label}`}
      definition={
        'Mean E(x) = −logsumexp_y f(x)[y] of the training batches (data, with their small noise) and of the SGLD ' +
        'samples since the last point; the loss lowers the first and raises the second.'
      }
      rows={rows}
      fileName="training-jem-energy"
      testId="chart-jem-energy"
      series={JSON.stringify({ data: data.length, samples: samples.length, last: rows.at(-1) ?? null })}
    >
      <CanvasLineChart
        height={180}
        xLabel="epochs"
        formatX={(v) => v.toFixed(2)}
        formatY={(v) => v.toFixed(2)}
        series={[
          { id: 'data', name: 'E(data)', colour: DATA_COLOUR, points: data },
          { id: 'samples', name: 'E(samples)', colour: SAMPLE_COLOUR, points: samples },
        ]}
      />
    </ChartCard>
  );
}

function DivergenceNotes() {
  const divergences = useTraining((s) => s.divergences);
  const others = useTraining((s) => s.spec.runs.length > 1);
  const entries = Object.entries(divergences);
  if (entries.length === 0) return null;
  // The weights from before the diverging batch (interleaved) or from the last report (one run after another).
  return (
    <>
      {entries.map(([id, d]) => (
        <p key={id} className="field-error collapse-banner" role="alert">
          {d.label} diverged ({d.message}): the app stopped it and restored its last good weights
          {others ? '; the other models train on.' : '.'}
        </p>
      ))}
    </>
  );
}

export function JemTrainingView() {
  const runs = useTraining((s) => s.spec.runs);
  const jemRuns = runs.filter((r) => r.defense?.kind === 'jem');
  const grids = useTraining((s) => s.sampleGrids);
  const hasCurves = useTraining((s) => Object.keys(s.curves).length > 0);
  if (jemRuns.length === 0) return <DivergenceNotes />;
  return (
    <section className="jem-training" aria-label="JEM samples and energies">
      <DivergenceNotes />
      <div className="training-charts">
        {jemRuns.map((r) =>
          grids[r.id] ? (
            <SampleGrid key={`grid-${r.id}`} grid={grids[r.id]} label={r.label} />
          ) : hasCurves ? (
            <p key={`grid-${r.id}`} className="help">
              The replay buffer of {r.label} appears here after its first batches.
            </p>
          ) : null,
        )}
        {hasCurves && jemRuns.map((r) => <EnergyChart key={`energy-${r.id}`} runId={r.id} label={r.label} />)}
      </div>
      {JEM_CONCEPTS.map((id) => (
        <details key={id} className="concept">
          <summary>{CONCEPTS[id].title}</summary>
          {CONCEPTS[id].paragraphs.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </details>
      ))}
    </section>
  );
}
