/**
 * "Certify this image": on one L∞ ruler the largest radius IBP certifies (Gowal et al. 2018), the largest CROWN
 * certifies (Zhang et al. 2018) and the smallest ε at which PGD found an adversarial example (Madry et al. 2018):
 * proof ≤ truth ≤ attack, the true distance somewhere between the last two. Below, randomized smoothing's L2
 * radius with its confidence, or its abstention (Cohen et al. 2019), beside DeepFool's L2 distance on the base
 * network (Moosavi-Dezfooli et al. 2016) — a different classifier, so no order is promised there.
 */
import { CERTIFY_FIELDS } from '../../core/options/certifyOptions';
import { useAppStore } from '../../state/appStore';
import { useAttackLab } from '../../state/attackLabStore';
import {
  certifyCurrentPicture,
  setPictureCertifySettings,
  usePictureCertificate,
} from '../../state/pictureCertificate';
import { cancelTask } from '../../state/workerSession';
import type { PictureCertificate, RadiusOrError } from '../../worker/api';
import { formatTick, roundStep } from '../common/chartAxes';
import { SchemaNumberField } from '../common/SchemaField';
import { ProgressBar } from '../common/ProgressBar';

const TRAINED_SIGMA = ', the model’s training noise';
const fmt = (v: number) => v.toFixed(3);

interface Mark {
  id: string;
  label: string;
  value: number;
  colour: string;
}

/**
 * An L∞ ruler from 0 to a round number past the largest mark, labelled at round numbers (chartAxes.ts); a tick per
 * mark; the interval between the tightest proof and the attack shaded.
 */
function Ruler({ marks, proven, attack }: { marks: Mark[]; proven: number; attack: number | null }) {
  const { step, hi: top } = roundStep(0, Math.max(0.05, ...marks.map((m) => m.value)) * 1.1, 4);
  const labels = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const x = (v: number) => 20 + (360 * v) / top;
  return (
    <svg viewBox="0 0 400 90" className="certificate-ruler" role="img" aria-label="Certified radii and attack on ε">
      <line x1={20} x2={380} y1={50} y2={50} stroke="#5b6577" />
      {attack !== null && attack > proven && (
        <rect x={x(proven)} width={x(attack) - x(proven)} y={42} height={16} fill="#f4a582" opacity={0.5}>
          <title>unknown: no proof, no attack found</title>
        </rect>
      )}
      {labels.map((t) => (
        <text key={t} x={x(t)} y={75} fontSize={10} textAnchor="middle">
          {formatTick(t)}
        </text>
      ))}
      {marks.map((m, i) => (
        <g key={m.id}>
          <line x1={x(m.value)} x2={x(m.value)} y1={38} y2={62} stroke={m.colour} strokeWidth={2} />
          <text x={x(m.value)} y={12 + 12 * i} fontSize={10} fill={m.colour} textAnchor="middle">
            {m.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

function radiusText(r: RadiusOrError): string {
  return 'radius' in r ? fmt(r.radius) : 'cannot bound this model';
}

function CertificateView({ c }: { c: PictureCertificate }) {
  const marks: Mark[] = [];
  if ('radius' in c.ibp) marks.push({ id: 'ibp', label: 'IBP', value: c.ibp.radius, colour: '#5b6577' });
  if ('radius' in c.crown) marks.push({ id: 'crown', label: 'CROWN', value: c.crown.radius, colour: '#1a1a1a' });
  if (c.attackLinf.eps !== null) marks.push({ id: 'pgd', label: 'PGD', value: c.attackLinf.eps, colour: '#b2182b' });
  const proven = Math.max(0, ...marks.filter((m) => m.id !== 'pgd').map((m) => m.value));
  const s = c.smoothing;
  return (
    <div data-testid="picture-certificate">
      {c.prediction !== c.label && (
        <p className="help">
          The model predicts {c.prediction}, not {c.label}: nothing is certified for the label, and the attack needs no
          perturbation.
        </p>
      )}
      <Ruler marks={marks} proven={proven} attack={c.attackLinf.eps} />
      <dl className="certificate-list">
        <dt>Certified L∞ radius, IBP</dt>
        <dd data-testid="radius-ibp" data-value={'radius' in c.ibp ? c.ibp.radius : ''}>
          {radiusText(c.ibp)}
        </dd>
        <dt>Certified L∞ radius, CROWN</dt>
        <dd data-testid="radius-crown" data-value={'radius' in c.crown ? c.crown.radius : ''}>
          {radiusText(c.crown)}
        </dd>
        <dt>
          Smallest L∞ ε PGD-{c.attackLinf.steps} ({c.attackLinf.restarts} restarts) found
        </dt>
        <dd data-testid="attack-linf" data-value={c.attackLinf.eps ?? ''}>
          {c.attackLinf.eps !== null
            ? `${fmt(c.attackLinf.eps)} (failed at ${fmt(c.attackLinf.lastFailed)})`
            : `none up to ${c.attackLinf.max}`}
        </dd>
        <dt>Smoothed classifier, certified L2 radius</dt>
        <dd data-testid="radius-smoothing" data-value={'radius' in s && s.radius !== null ? s.radius : ''}>
          {'error' in s
            ? s.error
            : s.prediction === null
              ? `abstains: p̲_A = ${s.pALower.toFixed(3)} ≤ ½ (σ = ${s.sigma}, n = ${s.n})`
              : `${fmt(s.radius ?? 0)} for class ${s.prediction}, with probability ≥ ${1 - s.alpha} ` +
                `(p̲_A = ${s.pALower.toFixed(4)}, σ = ${s.sigma}${s.sigmaFrom === 'model' ? TRAINED_SIGMA : ''}, ` +
                `n = ${s.n})`}
        </dd>
        <dt>DeepFool’s L2 distance on the base network</dt>
        <dd data-testid="attack-l2" data-value={c.attackL2 ?? ''}>
          {c.attackL2 !== null ? fmt(c.attackL2) : 'DeepFool did not change the class'}
        </dd>
      </dl>
      {'error' in c.crown && (
        <p className="field-error" role="note">
          CROWN: {c.crown.error}
        </p>
      )}
      {'error' in c.ibp && (
        <p className="field-error" role="note">
          IBP: {c.ibp.error}
        </p>
      )}
      <p className="help">
        Proof ≤ truth ≤ attack: no perturbation within the certified radius changes the class; PGD found one at its ε;
        the true distance lies in the shaded gap. Took {c.seconds.toFixed(1)} s.
      </p>
    </div>
  );
}

export function PictureCertificatePanel() {
  const image = useAttackLab((s) => s.image);
  const { certificate, image: certified, fallbackSigma, n } = usePictureCertificate();
  const task = useAppStore((s) => (s.task?.kind === 'certify' ? s.task : null));
  const busy = useAppStore((s) => s.task !== null);
  return (
    <section className="panel" aria-labelledby="picture-certificate-heading">
      <h2 id="picture-certificate-heading">Certificate for this image</h2>
      <fieldset className="analysis-controls" disabled={busy}>
        <SchemaNumberField
          field={CERTIFY_FIELDS.sigma}
          label="Smoothing σ (unless the model was trained with noise)"
          value={fallbackSigma}
          onChange={(v) => setPictureCertifySettings({ fallbackSigma: v })}
        />
        <SchemaNumberField
          field={CERTIFY_FIELDS.n}
          label="Smoothing samples n"
          value={n}
          onChange={(v) => setPictureCertifySettings({ n: v })}
        />
      </fieldset>
      <div className="button-row">
        <button type="button" onClick={() => void certifyCurrentPicture()} disabled={busy || !image}>
          Certify this image
        </button>
        <span className="help">IBP and CROWN by bisection, PGD by bisection, smoothing by sampling.</span>
      </div>
      {task && (
        <ProgressBar
          label={task.label}
          fraction={task.progress?.fraction ?? null}
          message={task.progress?.message ?? task.label}
          onCancel={cancelTask}
        />
      )}
      {certificate && certified === image && <CertificateView c={certificate} />}
    </section>
  );
}
