/**
 * Certify: accuracy against ε with the certified curves (IBP, Gowal et al. 2018; CROWN, Zhang et al. 2018) under
 * the empirical one (PGD with restarts, Madry et al. 2018) on the same images, the band between them shaded —
 * nobody knows those images — and randomized smoothing's certified accuracy against the L2 radius (Cohen et al.
 * 2019). A method that cannot bound a model's layer says so in one sentence instead of drawing a zero.
 */
import { useState } from 'react';
import { type BandRow, certificationBand } from '../../state/analysis/certificationBand';
import { runCertify, setCertifySettings } from '../../state/analysis/certifyActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { useCertify } from '../../state/analysis/certifyStore';
import type { BoundMethodName, CertifyModelsResult, ModelCertification } from '../../worker/api';
import { AccuracyScaleToggle } from '../common/AccuracyScaleToggle';
import { ChartCard } from '../common/ChartCard';
import { PlainChart } from '../common/PlainChart';
import { accuracyAxis, epsAxis, formatTick } from '../common/chartAxes';
import { CERTIFY_FIELDS } from '../../core/options/certifyOptions';
import { SchemaListField, SchemaNumberField } from '../common/SchemaField';
import { ConceptLink } from './ConceptGlossary';
import { modelColour } from './modelColours';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
export const BAND_LABEL = 'unknown: no proof, no attack found';
const SIGMA_FROM = { model: 'its training noise', chosen: 'chosen' } as const;
const METHOD_TEXT: Record<BoundMethodName, string> = { ibp: 'IBP', crown: 'CROWN' };

/** One column of the band rows as a curve's points (ε where it has none are left out). */
function curve(rows: readonly BandRow[], key: 'empirical' | 'ibp' | 'crown'): { x: number; y: number }[] {
  return rows.flatMap((r) => (r[key] === null ? [] : [{ x: r.eps, y: r[key] }]));
}

interface ModelBandChartProps {
  m: ModelCertification;
  index: number;
  pgd: CertifyModelsResult['pgd'];
  /** The accuracy axis from 0 to 100 % instead of fitted to the curves. */
  fullScale: boolean;
}

function ModelBandChart({ m, index, pgd, fullScale }: ModelBandChartProps) {
  const { rows, violations, widest } = certificationBand(m);
  const xAxis = epsAxis(rows.map((r) => r.eps));
  const yAxis = accuracyAxis(
    rows.flatMap((r) => [r.ibp, r.crown, r.empirical]),
    fullScale,
  );
  const colour = modelColour(index);
  const attack = `PGD-${pgd.steps}, ${pgd.restarts} restart${pgd.restarts === 1 ? '' : 's'}`;
  const ran = m.certified.filter((c) => 'points' in c).map((c) => METHOD_TEXT[c.method]);
  return (
    <div>
      <ChartCard
        title={`${m.name}: certified vs empirical`}
        definition={
          `on the first ${m.n} test images (clean ${pct(m.cleanAccuracy)}): certified accuracy by ` +
          `${ran.join(' and ') || 'no method'} (proven, a lower bound) under accuracy against ${attack} (an ` +
          `upper bound); shaded: ${BAND_LABEL} (widest ${pct(widest)}).`
        }
        rows={rows.map((r) => ({ eps: r.eps, ibp: r.ibp, crown: r.crown, certified: r.certified, pgd: r.empirical }))}
        fileName={`certify-${index + 1}`}
        testId={`certify-chart-${index}`}
        series={JSON.stringify(rows)}
        explain={<ConceptLink id="certificates" />}
      >
        <PlainChart
          height={240}
          band={{
            name: BAND_LABEL,
            colour: '#f4a582',
            points: rows.flatMap((r) => (r.band ? [{ x: r.eps, lo: r.band[0], hi: r.band[1] }] : [])),
          }}
          series={[
            { id: 'empirical', name: `accuracy under ${attack}`, colour, points: curve(rows, 'empirical') },
            ...(m.certified.some((c) => c.method === 'crown' && 'points' in c)
              ? [
                  {
                    id: 'crown',
                    name: 'certified (CROWN)',
                    colour: '#1a1a1a',
                    dash: '6 3',
                    points: curve(rows, 'crown'),
                  },
                ]
              : []),
            ...(m.certified.some((c) => c.method === 'ibp' && 'points' in c)
              ? [{ id: 'ibp', name: 'certified (IBP)', colour: '#5b6577', dash: '2 2', points: curve(rows, 'ibp') }]
              : []),
          ]}
          x={{ ...xAxis, label: 'ε (L∞, pixels in [0,1])', format: formatTick }}
          y={{ ...yAxis, format: pct }}
        />
      </ChartCard>
      {m.certified.map((c) =>
        'error' in c ? (
          <p key={c.method} className="field-error" role="note">
            {METHOD_TEXT[c.method]} on {m.name}: {c.error}
          </p>
        ) : null,
      )}
      {violations.length > 0 && (
        <p className="field-error" role="alert">
          ⚠ At ε = {violations.join(', ')} the certified accuracy exceeds the accuracy under attack on the same images:
          a certificate was broken, so a bound is unsound. Please report it.
        </p>
      )}
    </div>
  );
}

function SmoothingChart({ result, fullScale }: { result: CertifyModelsResult; fullScale: boolean }) {
  const curves = result.models.filter((m) => m.smoothing !== null);
  if (curves.length === 0) return null;
  const described = curves.map((m) =>
    m.smoothing && 'points' in m.smoothing
      ? `${m.name}: σ = ${m.smoothing.sigma} (${SIGMA_FROM[m.smoothing.sigmaFrom]}), ` +
        `${m.smoothing.n} images, ${m.smoothing.abstained} abstained`
      : `${m.name}: failed`,
  );
  const rows = curves.flatMap((m) =>
    m.smoothing && 'points' in m.smoothing
      ? m.smoothing.points.map((p) => ({ model: m.name, radius: p.radius, certifiedAccuracy: p.certifiedAccuracy }))
      : [],
  );
  const xAxis = epsAxis(rows.map((r) => r.radius));
  const yAxis = accuracyAxis(
    rows.map((r) => r.certifiedAccuracy),
    fullScale,
  );
  return (
    <ChartCard
      title="Randomized smoothing: certified accuracy against the L2 radius"
      definition={
        `share of images the smoothed classifier gets right with a certified L2 radius ≥ r, each with ` +
        `probability ≥ 1 − α (Cohen et al. 2019); ${described.join('; ')}.`
      }
      rows={rows}
      fileName="certify-smoothing"
      testId="certify-smoothing-chart"
      series={JSON.stringify(rows)}
      explain={<ConceptLink id="randomized-smoothing" />}
    >
      <PlainChart
        height={220}
        series={curves.flatMap((m) =>
          m.smoothing && 'points' in m.smoothing
            ? [
                {
                  id: m.name,
                  name: m.name,
                  colour: modelColour(result.models.indexOf(m)),
                  points: m.smoothing.points.map((p) => ({ x: p.radius, y: p.certifiedAccuracy })),
                },
              ]
            : [],
        )}
        x={{ ...xAxis, label: 'L2 radius r', format: formatTick }}
        y={{ ...yAxis, format: pct }}
      />
    </ChartCard>
  );
}

function CertifySettingsFields() {
  const s = useCertify();
  const toggleMethod = (method: BoundMethodName, on: boolean) =>
    setCertifySettings({
      methods: on ? [...new Set([...s.methods, method])] : s.methods.filter((m) => m !== method),
    });
  return (
    <>
      <SchemaNumberField
        field={CERTIFY_FIELDS.images}
        value={s.images}
        onChange={(images) => setCertifySettings({ images })}
      />
      <SchemaListField
        field={CERTIFY_FIELDS.eps}
        values={s.eps}
        maxCount={20}
        onChange={(eps) => setCertifySettings({ eps })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={s.methods.includes('ibp')}
          onChange={(e) => toggleMethod('ibp', e.target.checked)}
        />
        IBP (interval bounds)
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={s.methods.includes('crown')}
          onChange={(e) => toggleMethod('crown', e.target.checked)}
        />
        CROWN (linear bounds)
      </label>
      <SchemaNumberField
        field={CERTIFY_FIELDS.pgdSteps}
        value={s.pgdSteps}
        onChange={(pgdSteps) => setCertifySettings({ pgdSteps })}
      />
      <SchemaNumberField
        field={CERTIFY_FIELDS.pgdRestarts}
        value={s.pgdRestarts}
        onChange={(pgdRestarts) => setCertifySettings({ pgdRestarts })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={s.smoothing}
          onChange={(e) => setCertifySettings({ smoothing: e.target.checked })}
        />
        Randomized smoothing (L2)
      </label>
      {s.smoothing && (
        <>
          <SchemaNumberField
            field={CERTIFY_FIELDS.smoothingImages}
            value={s.smoothingImages}
            maxAtMost={s.images}
            onChange={(smoothingImages) => setCertifySettings({ smoothingImages })}
          />
          <SchemaListField
            field={CERTIFY_FIELDS.radii}
            values={s.radii}
            maxCount={20}
            onChange={(radii) => setCertifySettings({ radii })}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={s.sigma === null}
              onChange={(e) => setCertifySettings({ sigma: e.target.checked ? null : s.fallbackSigma })}
            />
            σ of the model’s noise training, when it records one
          </label>
          <SchemaNumberField
            field={CERTIFY_FIELDS.sigma}
            value={s.sigma ?? s.fallbackSigma}
            onChange={(v) =>
              setCertifySettings(s.sigma === null ? { fallbackSigma: v } : { sigma: v, fallbackSigma: v })
            }
            help={s.sigma === null ? 'For models trained without noise.' : 'For every model.'}
          />
          <SchemaNumberField field={CERTIFY_FIELDS.n} value={s.n} onChange={(n) => setCertifySettings({ n })} />
          <SchemaNumberField
            field={CERTIFY_FIELDS.alpha}
            value={s.alpha}
            onChange={(alpha) => setCertifySettings({ alpha })}
          />
        </>
      )}
    </>
  );
}

export function CertifyPanel({ busy }: { busy: boolean }) {
  const models = useAnalysis((s) => s.models);
  const result = useCertify((s) => s.result);
  const methods = useCertify((s) => s.methods);
  const images = useCertify((s) => s.images);
  const [fullScale, setFullScale] = useState(false);
  return (
    <section className="panel" aria-labelledby="certify-heading">
      <h2 id="certify-heading">Certified robustness</h2>
      <p className="help">
        What provably holds beside what attacks find: the certified curve is a lower bound on robust accuracy, the
        attack’s an upper bound. <ConceptLink id="ibp-crown" label="Why IBP is loose and CROWN tighter" />{' '}
        <ConceptLink id="complete-verification" label="Complete vs incomplete verification" />
      </p>
      <fieldset className="analysis-controls" disabled={busy}>
        <CertifySettingsFields />
      </fieldset>
      <div className="button-row">
        <button type="button" onClick={() => void runCertify()} disabled={busy || models.length === 0}>
          Certify
        </button>
        <span className="help">
          {methods.length === 0
            ? 'No bound chosen: only the attack runs.'
            : `${images} images for every model; CROWN and smoothing cost the most, so start small.`}
        </span>
      </div>
      {result && (
        <>
          <AccuracyScaleToggle full={fullScale} onChange={setFullScale} />
          <div className="training-charts" data-testid="certify-results">
            {result.models.map((m, k) => (
              <ModelBandChart key={m.name} m={m} index={k} pgd={result.pgd} fullScale={fullScale} />
            ))}
            <SmoothingChart result={result} fullScale={fullScale} />
          </div>
          {result.models.map((m) =>
            m.smoothing && 'error' in m.smoothing ? (
              <p key={m.name} className="field-error" role="note">
                Smoothing on {m.name}: {m.smoothing.error}
              </p>
            ) : null,
          )}
          <p className="help">Certified in {result.seconds.toFixed(0)} s.</p>
        </>
      )}
    </section>
  );
}
