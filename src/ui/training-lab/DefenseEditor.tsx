/**
 * One run's defense: none, adversarial training with its method and settings (Madry et al. 2018; Wong, Rice &
 * Kolter 2020; Zhang et al. 2019), certified training with IBP or CROWN-IBP (Gowal et al. 2018; Zhang et al. 2020),
 * or Gaussian noise for randomized smoothing (Cohen et al. 2019). Field limits are the core's
 * (src/core/train/defenseNames.ts); the core checks them again.
 */
import {
  ADVERSARIAL_METHOD_TEXT,
  ADVERSARIAL_METHODS,
  type AdversarialMethod,
  type AdversarialTrainingConfig,
  CERTIFIED_TRAINING_BOUNDS,
  CERTIFIED_TRAINING_TEXT,
  type CertifiedTrainingBound,
  type CertifiedTrainingConfig,
  DEFAULT_ADVERSARIAL_STEPS,
  DEFAULT_FINAL_KAPPA,
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

/** A new certified run: Gowal et al.'s schedule shortened for the browser (ε reached after 1.25 epochs). */
export const NEW_CERTIFIED: CertifiedTrainingConfig = { bound: 'ibp', eps: 0.1, warmupEpochs: 0.25, rampEpochs: 1 };
/** Cohen et al. (2019) train and certify MNIST at σ ∈ {0.25, 0.5, 1}. */
export const NEW_NOISE_SIGMA = 0.5;

/** A new JEM run: the settings of the JEM preset (src/state/teaching/presets.ts), in [0, 1] input units. */
export const NEW_JEM: RunDefense = {
  kind: 'jem',
  sgld: { steps: 5, stepSize: 2, noise: 0.005, range: [0, 1] },
  bufferSize: 1_000,
  reinit: 0.05,
  dataNoise: 0.015,
  energyRegularisation: 0.1,
  classConditional: true,
};

type DefenseChoice = AdversarialMethod | CertifiedTrainingBound | 'noise' | 'jem' | 'none';

function choiceOf(defense: RunDefense | undefined): DefenseChoice {
  if (!defense) return 'none';
  if (defense.kind === 'adversarial') return defense.config.method;
  if (defense.kind === 'certified') return defense.bound;
  return defense.kind;
}

const METHOD_HELP: Partial<Record<AdversarialMethod, string>> = {
  fgsm: 'One step of size ε from the image: the model learns to beat this one step — watch the robust curve.',
  'fgsm-rs': 'One step of 1.25·ε from a random point of the ε-ball: cheap, nearly as robust as PGD.',
  pgd: 'K steps from a random start: the strong, K + 1 times slower recipe.',
  trades: 'Clean loss plus β × how much the prediction changes within the ε-ball.',
};

/** One line under the defense choice: what the chosen training does. */
function defenseHelp(defense: RunDefense | undefined): string | undefined {
  if (!defense) return undefined;
  if (defense.kind === 'certified')
    return 'Trains on the worst case of the interval (or CROWN-IBP) bounds over the ε-box: a proof, not an attack.';
  if (defense.kind === 'noise')
    return 'Trains on x + N(0, σ²): the base network of a smoothed classifier certified at the same σ.';
  if (defense.kind === 'jem')
    return (
      `Cross-entropy plus E(data) − E(samples); ${defense.sgld.steps} SGLD steps per batch from a replay buffer ` +
      `of ${defense.bufferSize.toLocaleString('en')} images.`
    );
  return METHOD_HELP[defense.config.method];
}

export function DefenseEditor({ runId, defense, onChange }: DefenseEditorProps) {
  const config = defense?.kind === 'adversarial' ? defense.config : undefined;
  const set = (patch: Partial<AdversarialTrainingConfig>) =>
    onChange({ kind: 'adversarial', config: { ...(config ?? NEW_ADVERSARIAL), ...patch } });
  const choose = (m: DefenseChoice) => {
    if (m === 'none') onChange(undefined);
    else if (m === 'noise') onChange({ kind: 'noise', sigma: NEW_NOISE_SIGMA });
    else if (m === 'jem') onChange(defense?.kind === 'jem' ? defense : NEW_JEM);
    else if ((CERTIFIED_TRAINING_BOUNDS as readonly string[]).includes(m)) {
      const base = defense?.kind === 'certified' ? defense : { kind: 'certified' as const, ...NEW_CERTIFIED };
      onChange({ ...base, bound: m as CertifiedTrainingBound });
    } else {
      const a = m as AdversarialMethod;
      set({ method: a, fraction: a === 'trades' ? 1 : config?.fraction });
    }
  };
  return (
    <>
      <ChoiceField
        label={`Defense of model ${runId}`}
        value={choiceOf(defense)}
        choices={[
          { value: 'none', text: 'none (standard training)' },
          ...ADVERSARIAL_METHODS.map((m) => ({ value: m, text: `adversarial: ${ADVERSARIAL_METHOD_TEXT[m]}` })),
          ...CERTIFIED_TRAINING_BOUNDS.map((b) => ({ value: b, text: `certified: ${CERTIFIED_TRAINING_TEXT[b]}` })),
          { value: 'noise', text: 'Gaussian noise for randomized smoothing (Cohen et al. 2019)' },
          { value: 'jem', text: 'JEM: also a generative model (Grathwohl et al. 2020)' },
        ]}
        onChange={choose}
        help={defenseHelp(defense)}
      />
      {defense?.kind === 'certified' && <CertifiedFields runId={runId} defense={defense} onChange={onChange} />}
      {defense?.kind === 'noise' && (
        <DecimalField
          label={`Noise σ of model ${runId}`}
          value={defense.sigma}
          min={0.01}
          max={4}
          step={0.05}
          onChange={(sigma) => onChange({ kind: 'noise', sigma })}
          help="Pixels in [0,1]; certify at the same σ."
        />
      )}
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

function CertifiedFields({
  runId,
  defense,
  onChange,
}: {
  runId: string;
  defense: Extract<RunDefense, { kind: 'certified' }>;
  onChange: (defense: RunDefense) => void;
}) {
  const set = (patch: Partial<CertifiedTrainingConfig>) => onChange({ ...defense, ...patch });
  return (
    <>
      <DecimalField
        label={`Certified training ε of model ${runId}`}
        value={defense.eps}
        min={0.001}
        max={1}
        step={0.01}
        onChange={(eps) => set({ eps })}
        help="L∞, pixels in [0,1]; Gowal et al. train at 0.4 for a test ε of 0.3."
      />
      <DecimalField
        label={`Plain warm-up epochs of model ${runId}`}
        value={defense.warmupEpochs ?? 1}
        min={0}
        max={100}
        step={0.5}
        onChange={(warmupEpochs) => set({ warmupEpochs })}
        help="ε = 0 first."
      />
      <DecimalField
        label={`ε ramp epochs of model ${runId}`}
        value={defense.rampEpochs ?? 5}
        min={0}
        max={100}
        step={0.5}
        onChange={(rampEpochs) => set({ rampEpochs })}
        help="ε grows to its value and κ falls to its final value."
      />
      <DecimalField
        label={`Final κ of model ${runId}`}
        value={defense.finalKappa ?? DEFAULT_FINAL_KAPPA}
        min={0}
        max={1}
        step={0.05}
        onChange={(finalKappa) => set({ finalKappa })}
        help="Weight of the clean loss; the rest goes to the certified bound."
      />
    </>
  );
}
