/**
 * One run's defense: none, or adversarial training with its method and settings (Madry et al. 2018; Wong, Rice &
 * Kolter 2020; Zhang et al. 2019). Field limits are the core's (src/core/train/defenseNames.ts); the core checks
 * them again.
 */
import {
  ADVERSARIAL_METHOD_TEXT,
  ADVERSARIAL_METHODS,
  type AdversarialMethod,
  type AdversarialTrainingConfig,
  DEFAULT_ADVERSARIAL_STEPS,
  DEFAULT_TRADES_BETA,
  MAX_ADVERSARIAL_STEPS,
} from '../../core/train/defenseNames';
import type { RunDefense } from '../../worker/api';
import { ChoiceField } from '../common/ChoiceField';
import { DecimalField } from '../common/DecimalField';
import { IntegerField } from '../common/IntegerField';

/** A new adversarial run starts at Madry et al.'s MNIST budget with a one-epoch warm-up. */
export const NEW_ADVERSARIAL: AdversarialTrainingConfig = { method: 'pgd', eps: 0.3, steps: 5, warmupEpochs: 1 };

interface DefenseEditorProps {
  runId: string;
  defense: RunDefense | undefined;
  onChange: (defense: RunDefense | undefined) => void;
}

export function DefenseEditor({ runId, defense, onChange }: DefenseEditorProps) {
  const config = defense?.kind === 'adversarial' ? defense.config : undefined;
  const set = (patch: Partial<AdversarialTrainingConfig>) =>
    onChange({ kind: 'adversarial', config: { ...(config ?? NEW_ADVERSARIAL), ...patch } });
  const method = config?.method;
  return (
    <>
      <ChoiceField
        label={`Defense of model ${runId}`}
        value={method ?? 'none'}
        choices={[
          { value: 'none', text: 'none (standard training)' },
          ...ADVERSARIAL_METHODS.map((m) => ({ value: m, text: `adversarial: ${ADVERSARIAL_METHOD_TEXT[m]}` })),
        ]}
        onChange={(m: AdversarialMethod | 'none') =>
          m === 'none' ? onChange(undefined) : set({ method: m, fraction: m === 'trades' ? 1 : config?.fraction })
        }
        help={
          method === 'fgsm'
            ? 'One step of size ε from the image: the model learns to beat this one step — watch the robust curve.'
            : method === 'fgsm-rs'
              ? 'One step of 1.25·ε from a random point of the ε-ball: cheap, nearly as robust as PGD.'
              : method === 'pgd'
                ? 'K steps from a random start: the strong, K + 1 times slower recipe.'
                : method === 'trades'
                  ? 'Clean loss plus β × how much the prediction changes within the ε-ball.'
                  : undefined
        }
      />
      {config && (
        <>
          <DecimalField
            label={`Training ε of model ${runId}`}
            value={config.eps}
            min={0.001}
            max={1}
            step={0.01}
            onChange={(eps) => set({ eps })}
            help="L∞, pixels in [0,1]."
          />
          {(config.method === 'pgd' || config.method === 'trades') && (
            <IntegerField
              label={`Attack steps of model ${runId}`}
              value={config.steps ?? DEFAULT_ADVERSARIAL_STEPS}
              min={1}
              max={MAX_ADVERSARIAL_STEPS}
              onChange={(steps) => set({ steps })}
              help="Step size 2.5·ε/steps."
            />
          )}
          {config.method === 'trades' && (
            <DecimalField
              label={`TRADES β of model ${runId}`}
              value={config.beta ?? DEFAULT_TRADES_BETA}
              min={0}
              max={1000}
              step={0.5}
              onChange={(beta) => set({ beta })}
            />
          )}
          <DecimalField
            label={`ε warm-up epochs of model ${runId}`}
            value={config.warmupEpochs ?? 0}
            min={0}
            max={100}
            step={0.5}
            onChange={(warmupEpochs) => set({ warmupEpochs })}
            help="ε grows from 0 over these epochs."
          />
          {config.method !== 'trades' && (
            <IntegerField
              label={`Adversarial share (%) of model ${runId}`}
              value={Math.round(100 * (config.fraction ?? 1))}
              min={1}
              max={100}
              onChange={(p) => set({ fraction: p / 100 })}
              help="Of each batch; the rest stays clean."
            />
          )}
        </>
      )}
    </>
  );
}
