/** One model of the comparison: architecture, size and the options that architecture has. */
import type { DatasetName } from '../../core/data/dataset';
import { architecturesFor, type Architecture } from '../../core/models/architectures';
import { SOLVERS, type SolverName } from '../../core/ode/solverNames';
import type { OptimizerKind } from '../../core/train/recipes';
import { removeRun, updateRun } from '../../state/training/trainingActions';
import type { TrainingRunSpec } from '../../worker/api';
import { ChoiceField } from '../common/ChoiceField';
import { IntegerField } from '../common/IntegerField';
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

export function RunEditor({ dataset, run, removable, disabled }: RunEditorProps) {
  const set = (patch: Partial<TrainingRunSpec>) => updateRun(run.id, patch);
  const setBuild = (patch: TrainingRunSpec['build']) => set({ build: { ...run.build, ...patch } });
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
      {hasSize(run.arch) && (
        <ChoiceField
          label="Size"
          value={run.build.size ?? 'classroom'}
          choices={[
            { value: 'classroom', text: 'classroom (narrow, fast)' },
            { value: 'paper', text: 'paper (as published, slow)' },
          ]}
          onChange={(size) => setBuild({ size })}
        />
      )}
      {isOde(run.arch) && (
        <>
          <ChoiceField
            label="ODE solver"
            value={run.build.solver ?? 'euler'}
            choices={SOLVERS.map((s) => ({ value: s, text: s }))}
            onChange={(solver: SolverName) => setBuild({ solver })}
            help={
              run.build.solver === 'dopri5'
                ? 'Adaptive steps (and loose tolerances) can mask gradients: attacks then look weaker than they ' +
                  'are, and robustness is overstated.'
                : 'Fixed steps; gradients flow through every step.'
            }
          />
          <IntegerField
            label="Solver steps"
            value={run.build.steps ?? 4}
            min={1}
            max={100}
            onChange={(steps) => setBuild({ steps })}
          />
        </>
      )}
      {run.arch === 'mlp' && (
        <>
          <IntegerField
            label="Width"
            value={run.build.width ?? 256}
            min={1}
            max={4096}
            onChange={(width) => setBuild({ width })}
          />
          <IntegerField
            label="Depth (hidden layers)"
            value={run.build.depth ?? 2}
            min={1}
            max={16}
            onChange={(depth) => setBuild({ depth })}
          />
          <ChoiceField
            label="Initialisation"
            value={run.build.init ?? 'he'}
            choices={[
              { value: 'he', text: 'He (variance 2/fan-in)' },
              { value: 'lecun', text: 'LeCun (variance 1/fan-in)' },
              { value: 'ntk', text: 'NTK parameterisation' },
            ]}
            onChange={(init) => setBuild({ init })}
          />
        </>
      )}
      <ChoiceField
        label="Optimizer"
        value={optimizer}
        choices={[
          { value: 'recipe', text: 'the architecture’s recipe' },
          { value: 'adam', text: 'Adam' },
          { value: 'sgd', text: 'SGD' },
          { value: 'loss-based', text: 'SGD, loss-based lr (Lyu & Li)' },
        ]}
        onChange={(o) =>
          set({ recipe: { ...run.recipe, optimizer: o === 'recipe' ? undefined : o, learningRate: undefined } })
        }
      />
      <DefenseEditor runId={run.id} defense={run.defense} onChange={(defense) => set({ defense })} />
    </fieldset>
  );
}
