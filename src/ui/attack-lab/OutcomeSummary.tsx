/** Did the attack work, how large is δ, and exactly what ran. */
import type { AttackOutcome } from '../../worker/api';
import { formatEps } from '../common/format';

function successText(o: AttackOutcome): string {
  const now = o.adversarial.label;
  if (o.target !== undefined) {
    return o.success ? `Attack succeeded: the model now says ${now}, the target.` : `Attack failed: the model says ${now}, not the target ${o.target}.`;
  }
  return o.success ? `Attack succeeded: the model now says ${now}.` : `Attack failed: the model still says ${now}.`;
}

function ranText(o: AttackOutcome): string {
  const r = o.options;
  const norm = r.norm === 'linf' ? 'L∞' : 'L2';
  const steps = r.method === 'fgsm' ? 'one step' : `${r.steps} steps of ${Number(r.alpha.toPrecision(3))}`;
  const restarts = r.method === 'pgd' ? ` · ${r.restarts} restart${r.restarts === 1 ? '' : 's'}` : '';
  return `${r.method.toUpperCase()} · ${norm} · ε = ${formatEps(r.eps)} · ${steps}${restarts} · ${Math.round(o.ms)} ms`;
}

export function OutcomeSummary({ outcome }: { outcome: AttackOutcome }) {
  return (
    <div className="outcome-summary">
      <p className={outcome.success ? 'success yes' : 'success no'} data-testid="attack-success" data-success={outcome.success}>
        {outcome.success ? '✔ ' : '✘ '}
        {successText(outcome)}
      </p>
      <p data-testid="perturbation-norms">
        ‖δ‖∞ = {outcome.linf.toFixed(3)} · ‖δ‖₂ = {outcome.l2.toFixed(2)}
      </p>
      <p className="note">{ranText(outcome)}</p>
    </div>
  );
}
