/**
 * `card --model DIR|FILE.onnx`: the model's card as JSON — the same "About this model" the app shows (layers and
 * parameters, data set and input scaling, provenance, measured figures with their commands), read from the model
 * and its metadata.
 */
import { modelCard } from '../../core/models/modelCard';
import { parseCommandArgs, requiredString } from '../args';
import { BACKEND_OPTION, MODEL_OPTION, startBackend } from '../commonOptions';
import { inputScalingOption, readModel } from '../modelFiles';
import { printJson } from '../nodeEnv';

export async function cardCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('card', argv, { ...MODEL_OPTION, ...BACKEND_OPTION });
  const modelPath = requiredString(v, 'model');
  const scaling = inputScalingOption(v);
  await startBackend(v);
  const clf = await readModel(modelPath, scaling);
  printJson({ model: modelPath, ...modelCard(clf.model, clf.meta) });
}
