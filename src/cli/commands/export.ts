/**
 * `export --model DIR|FILE.onnx --format onnx --out NET.onnx`
 * Writes the model as an ONNX file (opset 13) and prints {"model","format","out","opset","nodes","bytes"}. Layers
 * ONNX cannot express faithfully (ODE blocks, GroupNorm) are refused by name.
 */
import { writeFile } from 'node:fs/promises';
import { readOnnx } from '../../core/models/onnx/onnxFile';
import { EXPORT_OPSET, modelToOnnx } from '../../core/models/onnx/onnxExport';
import { choiceOption, parseCommandArgs, requiredString } from '../args';
import { BACKEND_OPTION, MODEL_OPTION, startBackend } from '../commonOptions';
import { inputScalingOption, readModel } from '../modelFiles';
import { printJson } from '../nodeEnv';
import { checkOutputFile, writingOut } from '../outputPaths';

const FORMATS = ['onnx'] as const;

export async function exportCommand(argv: string[]): Promise<void> {
  const v = parseCommandArgs('export', argv, {
    ...MODEL_OPTION,
    ...BACKEND_OPTION,
    format: { type: 'string' },
    out: { type: 'string' },
  });
  const modelPath = requiredString(v, 'model');
  const format = choiceOption(v, 'format', FORMATS, 'onnx');
  const out = requiredString(v, 'out');
  const scaling = inputScalingOption(v);
  await checkOutputFile(out);
  await startBackend(v);
  const clf = await readModel(modelPath, scaling);
  const bytes = modelToOnnx(clf.model, clf.meta);
  await writingOut(out, () => writeFile(out, bytes));
  printJson({
    model: modelPath,
    format,
    out,
    opset: EXPORT_OPSET,
    nodes: readOnnx(bytes, out).nodes.length,
    bytes: bytes.byteLength,
  });
}
