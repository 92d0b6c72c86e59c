/**
 * The comparison's robust-accuracy curve: PGD on test images at every report, for every run, and whether a run
 * whose robust accuracy collapses (catastrophic overfitting, Wong et al. 2020) stops at its best weights.
 */
import type { RobustProbeSpec } from '../../worker/api';
import { DecimalField } from '../common/DecimalField';
import { IntegerField } from '../common/IntegerField';

/** PGD-10 on 200 images keeps each report under a second for the small models. */
export const DEFAULT_PROBE: RobustProbeSpec = { examples: 200, eps: 0.3, steps: 10 };

interface RobustProbeSettingsProps {
  probe: RobustProbeSpec | undefined;
  onChange: (probe: RobustProbeSpec | undefined) => void;
}

export function RobustProbeSettings({ probe, onChange }: RobustProbeSettingsProps) {
  const set = (patch: Partial<RobustProbeSpec>) => onChange({ ...(probe ?? DEFAULT_PROBE), ...patch });
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={probe !== undefined}
          onChange={(e) => onChange(e.target.checked ? DEFAULT_PROBE : undefined)}
        />
        Robust-accuracy curve (PGD on test images at every report)
      </label>
      {probe && (
        <>
          <DecimalField
            label="Robust curve ε"
            value={probe.eps}
            min={0.001}
            max={1}
            step={0.01}
            onChange={(eps) => set({ eps })}
            help="L∞; the probe images are the last test images, apart from the held-out ones."
          />
          <IntegerField
            label="Robust curve images"
            value={probe.examples}
            min={10}
            max={2000}
            onChange={(examples) => set({ examples })}
          />
          <IntegerField
            label="Robust curve PGD steps"
            value={probe.steps}
            min={1}
            max={100}
            onChange={(steps) => set({ steps })}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={probe.stopOnCollapse ?? false}
              onChange={(e) => set({ stopOnCollapse: e.target.checked })}
            />
            Stop a run whose robust accuracy collapses, keeping its best weights (Wong et al.’s early stopping)
          </label>
        </>
      )}
    </>
  );
}
