/** The attack's settings, the Attack button, and its progress. */
import { useMemo, type FormEvent } from 'react';
import { attackCurrentImage } from '../../state/attackActions';
import { ATTACK_FIELDS, type TargetChoice } from '../../core/options/attackOptions';
import { METHOD_HELP, NORM_HELP } from '../../state/teaching/methodHelp';
import { autoStepSize, draftErrors } from '../../state/attackSettings';
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import { useAppStore } from '../../state/appStore';
import { useAttackLab } from '../../state/attackLabStore';
import { useSettings } from '../../state/settingsStore';
import { AttackProgress } from './AttackProgress';
import { ChoiceField } from '../common/ChoiceField';
import { NumberField } from './NumberField';

const METHODS = ATTACK_FIELDS.method.choices.map((m) => ({ value: m, text: m.toUpperCase() }));
const NORMS = ATTACK_FIELDS.norm.choices.map((n) => ({ value: n, text: n === 'linf' ? 'L∞' : 'L2' }));
const TARGET_TEXT: Partial<Record<TargetChoice, string>> = {
  untargeted: 'None (untargeted)',
  random: 'Random class',
  'least-likely': 'Least likely class',
};
/** Target choices, classes by name ("Class 3" on MNIST, "cat" on CIFAR-10). */
function targetChoices(names: readonly string[]) {
  return ATTACK_FIELDS.target.choices.map((t) => ({
    value: t,
    text: TARGET_TEXT[t] ?? (names[Number(t)] === t ? `Class ${t}` : `${names[Number(t)]} (class ${t})`),
  }));
}

export function AttackControls() {
  const draft = useSettings((s) => s.attack);
  const { setAttackField, setNorm } = useSettings.getState();
  const names = useDatasets(selectClassNames);
  const targets = useMemo(() => targetChoices(names), [names]);
  // Pressed while a new picture is classified, Attack queues behind it; a second press waits for the first job. The ε
  // sweep after an attack is only the scrubber's data: Attack stays enabled and stops it.
  const pending = useAttackLab((s) => s.job !== null && s.job.phase !== 'sweep');
  const hasImage = useAttackLab((s) => s.image !== null || s.pendingImage !== null);
  const hasModel = useAppStore((s) => s.model !== null);
  const ready = hasImage && hasModel;
  const dataset = useSettings((s) => s.dataset);
  const valid = Object.keys(draftErrors(draft, dataset)).length === 0;
  const auto = autoStepSize(draft, dataset);
  const autoText = auto === null ? 'auto' : `auto: ${Number(auto.toPrecision(3))}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void attackCurrentImage();
  };
  return (
    // noValidate: the schema validates (fieldError); the browser would also block an ε off the 1/255 grid.
    <form className="attack-controls" onSubmit={submit} noValidate>
      <div className="field-grid">
        <ChoiceField
          label={ATTACK_FIELDS.method.label}
          control="method"
          value={draft.method}
          choices={METHODS}
          onChange={(m) => setAttackField('method', m)}
          help={METHOD_HELP[draft.method]}
        />
        <ChoiceField
          label={ATTACK_FIELDS.norm.label}
          control="norm"
          value={draft.norm}
          choices={NORMS}
          onChange={setNorm}
          help={NORM_HELP[draft.norm]}
        />
        <NumberField field="eps" />
        <NumberField field="steps" />
        <NumberField
          field="stepSize"
          placeholder={autoText}
          help={draft.method === 'fgsm' ? 'FGSM steps once by ε.' : `Empty = ${autoText} (2.5·ε/steps).`}
        />
        <NumberField field="restarts" />
        <ChoiceField
          label={ATTACK_FIELDS.target.label}
          control="target"
          value={draft.target}
          choices={targets}
          onChange={(t) => setAttackField('target', t)}
          help={ATTACK_FIELDS.target.help}
        />
        <NumberField field="seed" />
      </div>
      <div className="actions" data-control="attack">
        <button type="submit" className="primary" disabled={!ready || pending || !valid}>
          Attack
        </button>
        <AttackProgress />
      </div>
    </form>
  );
}
