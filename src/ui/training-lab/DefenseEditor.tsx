/**
 * One run's defense: none, adversarial training with its method and settings (Madry et al. 2018; Wong, Rice &
 * Kolter 2020; Zhang et al. 2019), certified training with IBP or CROWN-IBP (Gowal et al. 2018; Zhang et al. 2020),
 * Gaussian noise for randomized smoothing (Cohen et al. 2019), or JEM (Grathwohl et al. 2020). Every field renders
 * from the defense schema (core/options/defenseOptions.ts): its limits, default and help are the ones `train` and the
 * core check.
 */
import type { DatasetName } from '../../core/data/dataset';
import { ADVERSARIAL_FIELDS, CERTIFIED_FIELDS } from '../../core/options/defenseOptions';
import { fieldDefault, type OptionContext } from '../../core/options/field';
import {
  ADVERSARIAL_METHOD_TEXT,
  ADVERSARIAL_METHODS,
  type AdversarialMethod,
  type AdversarialTrainingConfig,
  CERTIFIED_TRAINING_BOUNDS,
  CERTIFIED_TRAINING_TEXT,
  type CertifiedTrainingBound,
  type CertifiedTrainingConfig,
} from '../../core/train/defenseNames';
import { DEFENSE_HELP } from '../../state/teaching/methodHelp';
import { CLASSROOM_JEM } from '../../state/teaching/presets';
import type { RunDefense } from '../../worker/api';
import { ChoiceField } from '../common/ChoiceField';
import { SchemaNumberField } from '../common/SchemaField';

/** A new adversarial run: PGD at the data set's budget, the schema's steps and warm-up. */
export function newAdversarial(ctx: OptionContext): AdversarialTrainingConfig {
  const F = ADVERSARIAL_FIELDS;
  return {
    method: 'pgd',
    eps: fieldDefault(F.eps, ctx) as number,
    steps: F.steps.default,
    warmupEpochs: F.warmupEpochs.default,
  };
}

/** A new certified run: Gowal et al.'s schedule shortened for the browser, as the schema's page defaults. */
export function newCertified(ctx: OptionContext): CertifiedTrainingConfig {
  const F = CERTIFIED_FIELDS;
  return {
    bound: 'ibp',
    eps: fieldDefault(F.eps, ctx) as number,
    warmupEpochs: F.warmupEpochs.default,
    rampEpochs: F.rampEpochs.default,
  };
}

/** A new JEM run: the settings of the JEM preset, in [0, 1] input units. */
export const NEW_JEM: RunDefense = CLASSROOM_JEM;

interface DefenseEditorProps {
  runId: string;
  dataset: DatasetName;
  defense: RunDefense | undefined;
  onChange: (defense: RunDefense | undefined) => void;
}

type DefenseChoice = AdversarialMethod | CertifiedTrainingBound | 'noise' | 'jem' | 'none';

function choiceOf(defense: RunDefense | undefined): DefenseChoice {
  if (!defense) return 'none';
  if (defense.kind === 'adversarial') return defense.config.method;
  if (defense.kind === 'certified') return defense.bound;
  return defense.kind;
}

function defenseHelp(defense: RunDefense | undefined): string | undefined {
  if (!defense) return undefined;
  if (defense.kind === 'jem')
    return (
      `Cross-entropy plus E(data) − E(samples); ${defense.sgld.steps} SGLD steps per batch from a replay buffer ` +
      `of ${defense.bufferSize.toLocaleString('en')} images.`
    );
  return DEFENSE_HELP[defense.kind === 'adversarial' ? defense.config.method : defense.kind];
}

export function DefenseEditor({ runId, dataset, defense, onChange }: DefenseEditorProps) {
  const ctx = { dataset };
  const config = defense?.kind === 'adversarial' ? defense.config : undefined;
  const choose = (m: DefenseChoice) => {
    if (m === 'none') onChange(undefined);
    else if (m === 'noise') onChange({ kind: 'noise', sigma: CERTIFIED_FIELDS.sigma.default });
    else if (m === 'jem') onChange(defense?.kind === 'jem' ? defense : NEW_JEM);
    else if ((CERTIFIED_TRAINING_BOUNDS as readonly string[]).includes(m)) {
      const base = defense?.kind === 'certified' ? defense : { kind: 'certified' as const, ...newCertified(ctx) };
      onChange({ ...base, bound: m as CertifiedTrainingBound });
    } else {
      const method = m as AdversarialMethod;
      const fraction = method === 'trades' ? 1 : config?.fraction;
      onChange({ kind: 'adversarial', config: { ...(config ?? newAdversarial(ctx)), method, fraction } });
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
        <SchemaNumberField
          field={CERTIFIED_FIELDS.sigma}
          label={`Noise σ of model ${runId}`}
          value={defense.sigma}
          onChange={(sigma) => onChange({ kind: 'noise', sigma })}
        />
      )}
      {config && (
        <AdversarialFields
          runId={runId}
          config={config}
          onChange={(patch) => onChange({ kind: 'adversarial', config: { ...config, ...patch } })}
        />
      )}
    </>
  );
}

function AdversarialFields({
  runId,
  config,
  onChange,
}: {
  runId: string;
  config: AdversarialTrainingConfig;
  onChange: (patch: Partial<AdversarialTrainingConfig>) => void;
}) {
  const F = ADVERSARIAL_FIELDS;
  return (
    <>
      <SchemaNumberField
        field={F.eps}
        label={`Training ε of model ${runId}`}
        value={config.eps}
        onChange={(eps) => onChange({ eps })}
      />
      {(config.method === 'pgd' || config.method === 'trades') && (
        <SchemaNumberField
          field={F.steps}
          label={`Attack steps of model ${runId}`}
          value={config.steps ?? F.steps.default}
          onChange={(steps) => onChange({ steps })}
        />
      )}
      {config.method === 'trades' && (
        <SchemaNumberField
          field={F.beta}
          label={`TRADES β of model ${runId}`}
          value={config.beta ?? F.beta.default}
          onChange={(beta) => onChange({ beta })}
        />
      )}
      <SchemaNumberField
        field={F.warmupEpochs}
        label={`ε warm-up epochs of model ${runId}`}
        // Absent: full ε from the first batch, as the core reads it.
        value={config.warmupEpochs ?? 0}
        onChange={(warmupEpochs) => onChange({ warmupEpochs })}
      />
      {config.method !== 'trades' && (
        <SchemaNumberField
          field={F.fraction}
          label={`Adversarial share of model ${runId}`}
          value={config.fraction ?? F.fraction.default}
          onChange={(fraction) => onChange({ fraction })}
        />
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
  const F = CERTIFIED_FIELDS;
  const set = (patch: Partial<CertifiedTrainingConfig>) => onChange({ ...defense, ...patch });
  return (
    <>
      <SchemaNumberField
        field={F.eps}
        label={`Certified training ε of model ${runId}`}
        value={defense.eps}
        onChange={(eps) => set({ eps })}
      />
      <SchemaNumberField
        field={F.warmupEpochs}
        label={`Plain warm-up epochs of model ${runId}`}
        // Absent: the schedule the core falls back on (the command's).
        value={defense.warmupEpochs ?? F.warmupEpochs.cliDefault.value}
        onChange={(warmupEpochs) => set({ warmupEpochs })}
      />
      <SchemaNumberField
        field={F.rampEpochs}
        label={`ε ramp epochs of model ${runId}`}
        value={defense.rampEpochs ?? F.rampEpochs.cliDefault.value}
        onChange={(rampEpochs) => set({ rampEpochs })}
      />
      <SchemaNumberField
        field={F.finalKappa}
        label={`Final κ of model ${runId}`}
        value={defense.finalKappa ?? F.finalKappa.default}
        onChange={(finalKappa) => set({ finalKappa })}
      />
    </>
  );
}
