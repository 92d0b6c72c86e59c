/**
 * The comparison's certified-accuracy curve: IBP certificates on held-out test images at every report. The fields
 * render from the probe schema (core/options/defenseOptions.ts PROBE_FIELDS).
 */
import { PROBE_FIELDS } from '../../core/options/defenseOptions';
import { fieldDefault, type OptionContext } from '../../core/options/field';
import type { CertifiedProbeSpec } from '../../worker/api';
import { SchemaNumberField } from '../common/SchemaField';

/** A new certified curve: the schema's images and ε. */
export function newCertifiedProbe(ctx: OptionContext): CertifiedProbeSpec {
  return {
    examples: PROBE_FIELDS.certifiedImages.default,
    eps: fieldDefault(PROBE_FIELDS.certifiedEps, ctx) as number,
  };
}

interface CertifiedProbeSettingsProps {
  ctx: OptionContext;
  probe: CertifiedProbeSpec | undefined;
  onChange: (probe: CertifiedProbeSpec | undefined) => void;
}

export function CertifiedProbeSettings({ ctx, probe, onChange }: CertifiedProbeSettingsProps) {
  const set = (patch: Partial<CertifiedProbeSpec>) => onChange({ ...(probe ?? newCertifiedProbe(ctx)), ...patch });
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={probe !== undefined}
          onChange={(e) => onChange(e.target.checked ? newCertifiedProbe(ctx) : undefined)}
        />
        Certified-accuracy curve (IBP on test images at every report)
      </label>
      {probe && (
        <>
          <SchemaNumberField field={PROBE_FIELDS.certifiedEps} value={probe.eps} onChange={(eps) => set({ eps })} />
          <SchemaNumberField
            field={PROBE_FIELDS.certifiedImages}
            value={probe.examples}
            onChange={(examples) => set({ examples })}
          />
        </>
      )}
    </>
  );
}
