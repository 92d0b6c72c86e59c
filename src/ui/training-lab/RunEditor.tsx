/**
 * One model of the comparison: architecture, size and the options that architecture has, rendered from the training
 * schema (core/options/trainingOptions.ts MODEL_FIELDS, OPTIMIZER_FIELDS).
 */
import type { DatasetName } from '../../core/data/dataset';
import { architecturesFor, type Architecture } from '../../core/models/architectures';
import type { SolverName } from '../../core/ode/solverNames';
import { fieldDefault, type OptionField } from '../../core/options/field';
import { MODEL_FIELDS, OPTIMIZER_FIELDS } from '../../core/options/trainingOptions';
import { trainingRecipe, type OptimizerKind } from '../../core/train/recipes';
import { removeRun, updateRun } from '../../state/training/trainingActions';
import type { TrainingRunSpec } from '../../worker/api';
import { ChoiceField } from '../common/ChoiceField';
import { SchemaNumberField } from '../common/SchemaField';
import { DefenseEditor } from './DefenseEditor';

const ARCH_TEXT: Record<Architecture, string> = {
  cnn: 'Small CNN (the attack lab’s)',
  'yan-cnn': 'CNN with a residual block (Yan et al.)',
  odenet: 'ODENet (Yan et al.)',
  tisode: 'TisODE (Yan et al.)',
  mlp: 'ReLU MLP (Zhu et al.)',
  'homogeneous-cnn': 'Homogeneous CNN (Lyu & Li)',
  'cifar-cnn': 'Small colour CNN',
  'strided-cnn': 'Strided CNN (Wong et al., robust training)',
  'res-cnn': 'Residual CNN, depth D (Xie & Yuille)',
};

const hasSize = (a: Architecture) =>
  a === 'yan-cnn' || a === 'odenet' || a === 'tisode' || a === 'homogeneous-cnn' || a === 'cifar-cnn';
const isOde = (a: Architecture) => a === 'odenet' || a === 'tisode';

interface RunEditorProps {
  dataset: DatasetName;
  run: TrainingRunSpec;
  removable: boolean;
  disabled: boolean;
}

const OPTIMIZER_TEXT: Record<OptimizerKind | 'recipe', string> = {
  recipe: 'the architecture’s recipe',
  adam: 'Adam',
  sgd: 'SGD',
  'loss-based': 'SGD, loss-based lr (Lyu & Li)',
};

export function RunEditor({ dataset, run, removable, disabled }: RunEditorProps) {
  const set = (patch: Partial<TrainingRunSpec>) => updateRun(run.id, patch);
  const optimizer: OptimizerKind | 'recipe' = run.recipe?.optimizer ?? 'recipe';
  return (
    <fieldset className="run-editor" disabled={disabled} data-testid={`run-editor-${run.id}`}>
      <legend>
        Model {run.id}
        {removable && (
          <button
            type="button"
            className="link-button"
            onClick={() => removeRun(run.id)}
            aria-label={`Remove model ${run.id}`}
          >
            remove
          </button>
        )}
      </legend>
      <div className="field">
        <label htmlFor={`run-label-${run.id}`}>Name</label>
        <input
          id={`run-label-${run.id}`}
          aria-label={`Name of model ${run.id}`}
          value={run.label}
          maxLength={40}
          onChange={(e) => set({ label: e.target.value })}
        />
      </div>
      <ChoiceField
        label={`Architecture of model ${run.id}`}
        value={run.arch}
        choices={architecturesFor(dataset).map((a) => ({ value: a, text: ARCH_TEXT[a] }))}
        onChange={(arch) => set({ arch, build: {} })}
      />
      <ArchitectureFields run={run} onChange={(patch) => set({ build: { ...run.build, ...patch } })} />
      <ChoiceField
        label="Optimizer"
        value={optimizer}
        choices={(['recipe', ...OPTIMIZER_FIELDS.optimizer.choices] as const).map((o) => ({
          value: o,
          text: OPTIMIZER_TEXT[o],
        }))}
        onChange={(o) =>
          set({ recipe: { ...run.recipe, optimizer: o === 'recipe' ? undefined : o, learningRate: undefined } })
        }
      />
      <SchemaNumberField
        field={OPTIMIZER_FIELDS.learningRate}
        label={`Learning rate of model ${run.id}`}
        value={run.recipe?.learningRate ?? trainingRecipe(run.arch, 1, 0, run.recipe).optimizer.learningRate}
        onChange={(learningRate) => set({ recipe: { ...run.recipe, learningRate } })}
        help="The optimizer’s (initial) learning rate, the recipe’s until changed; too large a rate diverges."
      />
      <DefenseEditor runId={run.id} dataset={dataset} defense={run.defense} onChange={(defense) => set({ defense })} />
    </fieldset>
  );
}

/** The options the run's architecture has: size, the ODE solver and its steps, the MLP's width, depth and init. */
function ArchitectureFields({
  run,
  onChange,
}: {
  run: TrainingRunSpec;
  onChange: (patch: TrainingRunSpec['build']) => void;
}) {
  const F = MODEL_FIELDS;
  const ctx = { arch: run.arch, size: run.build.size ?? F.size.default };
  const shown = (field: OptionField, value: number | undefined) => value ?? (fieldDefault(field, ctx) as number);
  return (
    <>
      {hasSize(run.arch) && (
        <ChoiceField
          label="Size"
          value={run.build.size ?? F.size.default}
          choices={[
            { value: 'classroom', text: 'classroom (narrow, fast)' },
            { value: 'paper', text: 'paper (as published, slow)' },
          ]}
          onChange={(size) => onChange({ size })}
        />
      )}
      {isOde(run.arch) && (
        <>
          <ChoiceField
            label="ODE solver"
            value={run.build.solver ?? F.solver.default}
            choices={F.solver.choices.map((s) => ({ value: s, text: s }))}
            onChange={(solver: SolverName) => onChange({ solver })}
            help={
              run.build.solver === 'dopri5'
                ? 'Adaptive steps (and loose tolerances) can mask gradients: attacks then look weaker than they ' +
                  'are, and robustness is overstated.'
                : 'Fixed steps; gradients flow through every step.'
            }
          />
          <SchemaNumberField
            field={F.steps}
            value={shown(F.steps, run.build.steps)}
            onChange={(steps) => onChange({ steps })}
          />
        </>
      )}
      {run.arch === 'mlp' && (
        <>
          <SchemaNumberField
            field={F.width}
            value={shown(F.width, run.build.width)}
            onChange={(width) => onChange({ width })}
          />
          <SchemaNumberField
            field={F.depth}
            value={shown(F.depth, run.build.depth)}
            onChange={(depth) => onChange({ depth })}
          />
          <ChoiceField
            label="Initialisation"
            value={run.build.init ?? F.init.default}
            choices={[
              { value: 'he', text: 'He (variance 2/fan-in)' },
              { value: 'lecun', text: 'LeCun (variance 1/fan-in)' },
              { value: 'ntk', text: 'NTK parameterisation' },
            ]}
            onChange={(init) => onChange({ init })}
          />
        </>
      )}
    </>
  );
}
