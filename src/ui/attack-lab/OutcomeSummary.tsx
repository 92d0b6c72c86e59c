/** Did the attack work, how large is δ, and exactly what ran. */
import { useDatasets } from '../../state/datasetStore';
import type { AttackOutcome } from '../../worker/api';
import { className, epsIn255ths, formatBudget } from '../common/format';

function successText(o: AttackOutcome, names: readonly string[]): string {
  const now = className(o.adversarial.label, names);
  if (o.target !== undefined) {
    const target = className(o.target, names);
    return o.success
      ? `Attack succeeded: the model now says ${now}, the target.`
      : `Attack failed: the model says ${now}, not the target ${target}.`;
  }
  return o.success ? `Attack succeeded: the model now says ${now}.` : `Attack failed: the model still says ${now}.`;
}

function ranText(o: AttackOutcome, in255ths: boolean): string {
  const r = o.options;
  const norm = r.norm === 'linf' ? 'L∞' : 'L2';
  const colour = in255ths && r.norm === 'linf';
  const alpha = Number(r.alpha.toPrecision(3)) + (colour ? ` (${epsIn255ths(r.alpha)})` : '');
  const steps = r.method === 'fgsm' ? 'one step' : `${r.steps} steps of ${alpha}`;
  const restarts = r.method === 'pgd' ? ` · ${r.restarts} restart${r.restarts === 1 ? '' : 's'}` : '';
  return (
    `${r.method.toUpperCase()} · ${norm} · ε = ${formatBudget(r.eps, colour)} · ${steps}${restarts} · ` +
    `${Math.round(o.ms)} ms on ${o.backend}`
  );
}

export function OutcomeSummary({ outcome, classNames }: { outcome: AttackOutcome; classNames: readonly string[] }) {
  const colour = useDatasets((s) => s.active === 'cifar10');
  const linf = colour ? `${outcome.linf.toFixed(3)} (${epsIn255ths(outcome.linf)})` : outcome.linf.toFixed(3);
  return (
    <div className="outcome-summary">
      <p
        className={outcome.success ? 'success yes' : 'success no'}
        data-testid="attack-success"
        data-success={outcome.success}
      >
        {outcome.success ? '✔ ' : '✘ '}
        {successText(outcome, classNames)}
      </p>
      <p data-testid="perturbation-norms">
        ‖δ‖∞ = {linf} · ‖δ‖₂ = {outcome.l2.toFixed(2)}
      </p>
      <p className="note" data-testid="attack-ran">
        {ranText(outcome, colour)}
      </p>
    </div>
  );
}
