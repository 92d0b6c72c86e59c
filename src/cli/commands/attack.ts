/**
 * `attack --model DIR --image FILE [attack options] [--target T] [--label L] --out ADV.png`
 * Prints {"input":{"label","probabilities"},"adversarial":{"label","probabilities"},"linf","l2","success"}.
 * The image goes through the same MNIST preprocessing as in the app; without --label the model's
 * clean prediction is taken as the label to move away from.
 */
import { checkOutputFile, writingOut } from '../outputPaths';
import * as tf from '@tensorflow/tfjs';
import { preprocessMnist } from '../../core/image/mnistPreprocess';
import { predictProbabilities } from '../../core/models/classifier';
import { disposeAttackRun, runAttack } from '../../core/attacks/runAttack';
import { PlaygroundError } from '../../core/util/errors';
import { numberOption, parseCommandArgs, requiredString, stringOption } from '../args';
import { ATTACK_OPTION_SPEC, describeTarget, parseGradientAttack } from '../attackArgs';
import { BACKEND_OPTION, MODEL_OPTION, startBackend } from '../commonOptions';
import { readImageFile, writePng } from '../imageFiles';
import { printJson } from '../nodeEnv';
import { inputScalingOption, readModel } from '../modelFiles';

export async function attackCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('attack', argv, {
    ...MODEL_OPTION,
    ...BACKEND_OPTION,
    image: { type: 'string' },
    out: { type: 'string' },
    label: { type: 'string' },
    ...ATTACK_OPTION_SPEC,
  });
  const modelDir = requiredString(v, 'model');
  const imagePath = requiredString(v, 'image');
  const outPath = requiredString(v, 'out');
  const options = parseGradientAttack(stringOption(v, 'attack', 'pgd'), v);
  const labelOption = numberOption(v, 'label', undefined, { min: 0, integer: true });
  await checkOutputFile(outPath);
  const backend = await startBackend(v);
  const clf = await readModel(modelDir, inputScalingOption(v));
  if (clf.meta.dataset !== 'mnist') {
    throw new PlaygroundError(
      `The attack command reads digit images for MNIST models; ${modelDir} is a ${clf.meta.dataset} model.`,
    );
  }
  const image = await readImageFile(imagePath);
  const { pixels } = preprocessMnist(image.rgba, image.width, image.height);
  const [h, w, c] = clf.meta.inputShape;
  const numClasses = clf.meta.classNames.length;
  if (labelOption !== undefined && labelOption >= numClasses) {
    throw new PlaygroundError(`--label must be below ${numClasses}.`);
  }

  const x = tf.tensor4d(pixels, [1, h, w, c]);
  const inputProbs = (await predictProbabilities(clf, x))[0];
  const label = labelOption ?? argMax(inputProbs);
  const y = tf.tensor1d([label], 'int32');
  const run = await runAttack(clf.logits, x, y, numClasses, options);
  const advPixels = run.adversarial.dataSync() as Float32Array;
  const advProbs = (await predictProbabilities(clf, run.adversarial))[0];
  const [linf, l2] = norms(pixels, advPixels);
  const success = run.success.dataSync()[0] === 1;
  const target = run.targets?.dataSync()[0];
  await writingOut(outPath, () => writePng(outPath, advPixels, w, h, c));
  disposeAttackRun(run);
  x.dispose();
  y.dispose();
  printJson({
    input: { label: argMax(inputProbs), probabilities: inputProbs },
    adversarial: { label: argMax(advProbs), probabilities: advProbs },
    linf,
    l2,
    success,
    attackedLabel: label,
    target: target ?? null,
    attack: { ...run.options, target: describeTarget(run.options.target) },
    backend,
    out: outPath,
  });
}

function argMax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function norms(a: Float32Array, b: Float32Array): [number, number] {
  let linf = 0;
  let sq = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(b[i] - a[i]);
    if (d > linf) linf = d;
    sq += d * d;
  }
  return [linf, Math.sqrt(sq)];
}
