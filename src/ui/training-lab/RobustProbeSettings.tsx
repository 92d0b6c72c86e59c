/**
 * The comparison's robust-accuracy curve: PGD on test images at every report, for every run, and whether a run
 * whose robust accuracy collapses (catastrophic overfitting, Wong et al. 2020) stops at its best weights. The fields
 * render from the probe schema (core/options/defenseOptions.ts PROBE_FIELDS).
 */
import { PROBE_FIELDS } from '../../core/options/defenseOptions';
import { fieldDefault, type OptionContext } from '../../core/options/field';
import type { RobustProbeSpec } from '../../worker/api';
import { SchemaNumberField } from '../common/SchemaField';

/** A new robust curve: the schema's images, ε (the data set's budget) and PGD steps. */
export function newRobustProbe(ctx: OptionContext): RobustProbeSpec {
  return {
    examples: PROBE_FIELDS.robustImages.default,
    eps: fieldDefault(PROBE_FIELDS.robustEps, ctx) as number,
    steps: PROBE_FIELDS.robustSteps.default,
  };
}

interface RobustProbeSettingsProps {
  ctx: OptionContext;
  probe: RobustProbeSpec | undefined;
  onChange: (probe: RobustProbeSpec | undefined) => void;
}

export function RobustProbeSettings({ ctx, probe, onChange }: RobustProbeSettingsProps) {
  const set = (patch: Partial<RobustProbeSpec>) => onChange({ ...(probe ?? newRobustProbe(ctx)), ...patch });
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={probe !== undefined}
          onChange={(e) => onChange(e.target.checked ? newRobustProbe(ctx) : undefined)}
        />
        Robust-accuracy curve (PGD on test images at every report)
      </label>
      {probe && (
        <>
          <SchemaNumberField field={PROBE_FIELDS.robustEps} value={probe.eps} onChange={(eps) => set({ eps })} />
          <SchemaNumberField
            field={PROBE_FIELDS.robustImages}
            value={probe.examples}
            onChange={(examples) => set({ examples })}
          />
          <SchemaNumberField
            field={PROBE_FIELDS.robustSteps}
            value={probe.steps}
            onChange={(steps) => set({ steps })}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={probe.stopOnCollapse ?? PROBE_FIELDS.stopOnCollapse.default}
              onChange={(e) => set({ stopOnCollapse: e.target.checked })}
            />
            Stop a run whose robust accuracy collapses, keeping its best weights (Wong et al.’s early stopping)
          </label>
        </>
      )}
    </>
  );
}
