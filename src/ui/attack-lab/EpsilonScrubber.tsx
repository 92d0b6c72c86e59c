/** A slider over the precomputed ε sweep: drag it and watch where the prediction flips. */
import { scrubTo } from '../../state/attackActions';
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import { selectShownSweep, useAttackLab } from '../../state/attackLabStore';
import { className, formatBudget } from '../common/format';

/** Room for four letters per step of the strip: "cat", "frog", "auto(mobile)"; the full name is its title. */
const STRIP_CHARS = 4;

function nearestIndex(values: number[], v: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
  return best;
}

export function EpsilonScrubber() {
  const sweep = useAttackLab(selectShownSweep);
  const sweeping = useAttackLab((s) => s.job?.phase === 'sweep');
  const names = useDatasets(selectClassNames);
  const in255ths = useDatasets((s) => s.active === 'cifar10') && sweep?.points[0]?.outcome.options.norm === 'linf';
  const formatEps = (eps: number) => formatBudget(eps, in255ths);
  if (!sweep) return sweeping ? <p className="note">Computing the ε sweep for the scrubber…</p> : null;
  const eps = sweep.points.map((p) => p.eps);
  const current = eps[sweep.selected];
  return (
    <div className="scrubber" data-control="scrubber">
      <label className="inline-field">
        Scrub ε
        <input
          type="range"
          aria-label="Scrub epsilon"
          aria-valuetext={`ε = ${formatEps(current)}`}
          min={0}
          max={eps[eps.length - 1]}
          step={eps[1] - eps[0]}
          value={current}
          onChange={(e) => scrubTo(nearestIndex(eps, Number(e.target.value)))}
        />
        <output>ε = {formatEps(current)}</output>
      </label>
      <ol className="sweep-strip" aria-label="Adversarial prediction at each ε">
        {sweep.points.map((p, i) => (
          <li
            key={p.eps}
            className={[p.outcome.success ? 'flipped' : '', i === sweep.selected ? 'current' : ''].join(' ')}
            title={`ε = ${formatEps(p.eps)}: ${className(p.outcome.adversarial.label, names)}`}
          >
            {className(p.outcome.adversarial.label, names).slice(0, STRIP_CHARS)}
          </li>
        ))}
      </ol>
    </div>
  );
}
