/**
 * What the Dream panel's buttons do: dream with the attack lab's model (in the worker, with progress and Cancel),
 * and put the dream on screen as the picture under attack.
 */
import type { DreamStart } from '../core/options/dreamOptions';
import { useAppStore } from './appStore';
import { useAttackLab } from './attackLabStore';
import { useDream } from './dreamStore';
import { showDreamedPicture } from './imageActions';
import { DEFAULT_MODEL_URLS, modelDisplayName } from './shippedModels';
import { playground, runTask } from './workerSession';

let dreams = 0;

export function setDreamChoice(patch: Partial<{ classIndex: number; steps: number; start: DreamStart }>): void {
  useDream.setState(patch);
}

export async function runDream(): Promise<void> {
  const { classIndex, steps, start } = useDream.getState();
  const model = useAppStore.getState().model;
  const picture = useAttackLab.getState().image?.pixels;
  const modelName = model ? modelDisplayName(model.source) : 'the model';
  // The data set's standard CNN reads the dream too, unless it is the model dreaming.
  const judgeUrl = model ? DEFAULT_MODEL_URLS[model.meta.dataset] : undefined;
  const judge =
    judgeUrl && model?.source !== judgeUrl ? { url: judgeUrl, name: modelDisplayName(judgeUrl) } : undefined;
  useDream.setState({ running: true });
  try {
    const outcome = await runTask('dream', `Dreaming of a ${classIndex} (${steps} SGLD steps)`, (onProgress) =>
      playground().dream(
        { classIndex, steps, start, picture: start === 'picture' ? picture : undefined, seed: ++dreams, judge },
        onProgress,
      ),
    );
    if (outcome) {
      const modelSource = model?.source ?? '';
      useDream.setState({ result: { ...outcome, classIndex, steps, start, model: modelName, modelSource } });
    }
  } finally {
    useDream.setState({ running: false });
  }
}

export function cancelDream(): void {
  void playground().cancelAttacks();
}

/** The last dream becomes the attack lab's picture (classified by the current model, attackable like any other). */
export async function putDreamOnScreen(): Promise<void> {
  const result = useDream.getState().result;
  const model = useAppStore.getState().model;
  if (!result || !model) return;
  const [height, width, channels] = model.meta.inputShape;
  await showDreamedPicture(
    result.image,
    { height, width, channels },
    { kind: 'dream', classIndex: result.classIndex, steps: result.steps, start: result.start, model: result.model },
  );
}
