/**
 * JEM's energy score as an out-of-distribution detector: per model, histograms of logsumexp(z) on
 * the test images against noise, inverted images, adversarial examples and the user's own
 * pictures, with the AUROC of each comparison (and of the max-softmax baseline).
 */
import { OOD_DESCRIPTIONS, type EnergySource, type OodSource } from '../../core/eval/oodSources';
import { ENERGY_FIELDS } from '../../core/options/analysisOptions';
import {
  addOodPictures,
  forgetOodPictures,
  MAX_OOD_IMAGES,
  runEnergy,
  setEnergySettings,
  toggleSource,
} from '../../state/analysis/energyActions';
import { useEnergy } from '../../state/analysis/energyStore';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { useDatasets } from '../../state/datasetStore';
import type { EnergyResult } from '../../worker/api';
import { ACCEPTED_TYPES, decodeImageFile } from '../attack-lab/imageFile';
import { ChartCard } from '../common/ChartCard';
import { valueAxis } from '../common/chartAxes';
import { PlainChart } from '../common/PlainChart';
import { SchemaNumberField } from '../common/SchemaField';
import { binBars, formatValue, slug } from './histogramRows';
import { ConceptLink } from './ConceptGlossary';

const SOURCE_COLOURS: Record<EnergySource, string> = {
  'in-distribution': '#2166ac',
  uniform: '#7a8699',
  inverted: '#e08214',
  adversarial: '#b2182b',
  user: '#1a7f4b',
};

const auc = (v: number | null) => (v === null ? '—' : v.toFixed(3));

function EnergyHistogram({ result }: { result: EnergyResult }) {
  const { sets, histograms } = result.result;
  const edges = histograms[0].histogram.edges;
  const rows = histograms[0].histogram.counts.map((_, m) => ({
    lo: edges[m],
    hi: edges[m + 1],
    mid: (edges[m] + edges[m + 1]) / 2,
    ...Object.fromEntries(histograms.map((h) => [h.source, h.histogram.counts[m]])),
  }));
  const aurocs = sets
    .filter((s) => s.aurocEnergy !== null)
    .map((s) => `${s.description}: ${auc(s.aurocEnergy)}`)
    .join('; ');
  return (
    <ChartCard
      title={`Energy score: ${result.name}`}
      definition={
        `logsumexp_y z_y(x) = −E(x) per image (higher = more like the training data, Grathwohl et al. ` +
        `2020); ${sets[0].n} test images against each other set. AUROC of test vs ${aurocs}. Bins (lo, hi], the ` +
        `first closed.`
      }
      rows={rows}
      fileName={`energy-${slug(result.name)}`}
      testId="energy-histogram"
      explain={<ConceptLink id="energy" />}
    >
      <PlainChart
        height={220}
        x={{ ...valueAxis(edges), format: formatValue, label: 'logsumexp(z) (logit units)' }}
        y={{
          ...valueAxis(
            histograms.flatMap((h) => h.histogram.counts),
            { from0: true, integer: true },
          ),
          format: String,
          label: 'images',
        }}
        series={sets.map((s) => {
          const h = histograms.find((x) => x.source === s.source);
          return {
            id: s.source,
            name: s.description,
            colour: SOURCE_COLOURS[s.source],
            kind: 'bars' as const,
            barWidth: edges[1] - edges[0],
            points: h ? binBars(edges, h.histogram.counts, s.description) : [],
          };
        })}
      />
    </ChartCard>
  );
}

function AurocTable({ results }: { results: EnergyResult[] }) {
  const others = results[0].result.sets.filter((s) => s.source !== 'in-distribution');
  return (
    <div className="table-scroll">
      <table className="run-results" data-testid="energy-table">
        <caption>
          AUROC, test images (positive) against each set: energy score log p(x) = −E(x) / max softmax / gradient norm
          −‖∂E(x)/∂x‖ (Grathwohl et al. 2020, §5.2). 1 = perfectly separated, 0.5 = chance, below 0.5 = the set looks
          more in-distribution than the test images.
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {others.map((s) => (
              <th key={s.source} scope="col">
                {s.description} (n {s.n})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              {others.map((o) => {
                const s = r.result.sets.find((x) => x.source === o.source);
                const cell = s
                  ? `${auc(s.aurocEnergy)} / ${auc(s.aurocMaxSoftmax)} / ${auc(s.aurocGradientNorm ?? null)}`
                  : '—';
                return <td key={o.source}>{cell}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const BUILT_IN_SOURCES: OodSource[] = ['uniform', 'inverted', 'adversarial'];

export function EnergyPanel({ busy }: { busy: boolean }) {
  const { images, sources, eps, userImages, results } = useEnergy();
  const models = useAnalysis((s) => s.models);
  const dataset = useDatasets((s) => s.active);
  const ownImages = userImages && userImages.dataset === dataset ? userImages : null;
  const onFiles = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    void addOodPictures(Array.from(files, (f) => ({ name: f.name, decode: () => decodeImageFile(f) })));
  };
  return (
    <section className="panel" aria-labelledby="energy-heading">
      <h2 id="energy-heading">Energy score and out-of-distribution inputs</h2>
      <p className="help">
        JEM reads a classifier’s logits as an energy model: E(x) = −logsumexp(z(x)). Images like the training data
        should get a high logsumexp(z), anything else a low one. How well does that separate the test images from inputs
        the model never saw? Adversarial examples usually fool it too: PGD drives the logits up. The gradient norm ‖∂
        log p(x)/∂x‖ is the paper’s third score: small where p(x) is at a peak, as on training-like data. Compare a JEM
        (“Strided CNN, JEM”) with the standard CNN.
      </p>
      <div className="button-row">
        {BUILT_IN_SOURCES.map((s) => (
          <label key={s} className="checkbox">
            <input
              type="checkbox"
              checked={sources.includes(s)}
              onChange={(e) => toggleSource(s, e.target.checked)}
              disabled={busy}
            />
            {OOD_DESCRIPTIONS[s]}
          </label>
        ))}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={ownImages !== null && sources.includes('user')}
            onChange={(e) => toggleSource('user', e.target.checked)}
            disabled={busy || ownImages === null}
          />
          your images{ownImages ? ` (${ownImages.names.length})` : ''}
        </label>
      </div>
      <div className="button-row">
        <SchemaNumberField
          field={ENERGY_FIELDS.images}
          value={images}
          onChange={(v) => setEnergySettings({ images: v })}
          disabled={busy}
        />
        <SchemaNumberField
          field={ENERGY_FIELDS.eps}
          value={eps}
          onChange={(v) => setEnergySettings({ eps: v })}
          disabled={busy}
        />
        <label className="button-like secondary">
          Add your own images
          <input
            type="file"
            className="visually-hidden"
            accept={ACCEPTED_TYPES}
            multiple
            aria-label="Add your own images"
            disabled={busy}
            onChange={(e) => {
              onFiles(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        {ownImages && (
          <button type="button" className="link-button" onClick={forgetOodPictures} disabled={busy}>
            Forget your images
          </button>
        )}
        <span className="help">Up to {MAX_OOD_IMAGES} pictures, preprocessed as in the attack lab.</span>
      </div>
      <div className="button-row">
        <button
          type="button"
          onClick={() => void runEnergy()}
          disabled={busy || models.length === 0 || sources.length === 0}
        >
          Measure energy
        </button>
      </div>
      {results && results.length > 0 && (
        <>
          <div className="training-charts">
            {results.map((r) => (
              <EnergyHistogram key={r.name} result={r} />
            ))}
          </div>
          <AurocTable results={results} />
        </>
      )}
    </section>
  );
}
