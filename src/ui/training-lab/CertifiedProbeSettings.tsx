/** The comparison's certified-accuracy curve: IBP certificates on held-out test images at every report. */
import type { CertifiedProbeSpec } from '../../worker/api';
import { DecimalField } from '../common/DecimalField';
import { IntegerField } from '../common/IntegerField';

/** IBP costs about two forward passes: 200 images keep each report quick. */
export const DEFAULT_CERTIFIED_PROBE: CertifiedProbeSpec = { examples: 200, eps: 0.1 };

interface CertifiedProbeSettingsProps {
  probe: CertifiedProbeSpec | undefined;
  onChange: (probe: CertifiedProbeSpec | undefined) => void;
}

export function CertifiedProbeSettings({ probe, onChange }: CertifiedProbeSettingsProps) {
  const set = (patch: Partial<CertifiedProbeSpec>) => onChange({ ...(probe ?? DEFAULT_CERTIFIED_PROBE), ...patch });
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={probe !== undefined}
          onChange={(e) => onChange(e.target.checked ? DEFAULT_CERTIFIED_PROBE : undefined)}
        />
        Certified-accuracy curve (IBP on test images at every report)
      </label>
      {probe && (
        <>
          <DecimalField
            label="Certified curve ε"
            value={probe.eps}
            min={0.001}
            max={1}
            step={0.01}
            onChange={(eps) => set({ eps })}
            help="L∞; the last test images, as the robust curve's."
          />
          <IntegerField
            label="Certified curve images"
            value={probe.examples}
            min={10}
            max={2000}
            onChange={(examples) => set({ examples })}
          />
        </>
      )}
    </>
  );
}
