/**
 * BN_clean or BN_adv: the batch norm set a model with split batch norm evaluates with (Xie & Yuille 2020, §4). Shown
 * by the attack lab and the analysis view only for such models; its words and help come from the options schema.
 */
import { BATCH_NORM_FIELD, BATCH_NORM_ROUTE_LABELS, type BatchNormRoute } from '../../core/options/batchNormOptions';

interface BatchNormToggleProps {
  value: BatchNormRoute;
  onChange: (route: BatchNormRoute) => void;
  disabled: boolean;
  /** Tells the attack lab's radios from the analysis view's. */
  name: string;
}

const SHORT: Record<BatchNormRoute, string> = { clean: 'BN_clean', adv: 'BN_adv' };

export function BatchNormToggle({ value, onChange, disabled, name }: BatchNormToggleProps) {
  return (
    <div className="field" data-control="bn">
      <div className="segmented" role="radiogroup" aria-label={BATCH_NORM_FIELD.label}>
        {BATCH_NORM_FIELD.choices.map((route) => (
          <label
            key={route}
            className={route === value ? 'segment checked' : 'segment'}
            title={BATCH_NORM_ROUTE_LABELS[route]}
          >
            <input
              type="radio"
              name={name}
              className="visually-hidden"
              value={route}
              checked={route === value}
              disabled={disabled}
              onChange={() => onChange(route)}
            />
            {SHORT[route]}
          </label>
        ))}
      </div>
      <small className="help">{BATCH_NORM_FIELD.help}</small>
    </div>
  );
}
