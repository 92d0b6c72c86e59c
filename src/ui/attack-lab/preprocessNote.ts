/** One sentence per preprocessing step, saying what was done to the picture the model now sees. */
import type { ColourPreprocessResult } from '../../core/image/colourPreprocess';
import { MNIST_BOX, MNIST_FIELD } from '../../core/image/mnistPreprocess';
import type { DatasetName } from '../../core/data/dataset';
import type { ImageSource } from '../../state/attackLabStore';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const px = (n: number) => String(Number(n.toFixed(1)));

function colourNote(p: ColourPreprocessResult): string {
  const { crop, side, scale } = p;
  const sized =
    scale === 1
      ? `Already ${side} px on its short side: not scaled.`
      : `Scaled by ${scale > 1 ? `1/${scale.toFixed(1)}` : `${(1 / scale).toFixed(1)}×`} so the short side is ` +
        `${side} px (area averaging).`;
  const cut =
    crop.x > 0
      ? `Kept the centre ${side}×${side}: ${px(crop.x)} px cut off left and right.`
      : crop.y > 0
        ? `Kept the centre ${side}×${side}: ${px(crop.y)} px cut off top and bottom.`
        : `Square already: nothing cut off.`;
  return `${sized} ${cut} Colours kept as they are.`;
}

export function preprocessNote(source: ImageSource, dataset: DatasetName = 'mnist'): string {
  if (source.kind === 'test') {
    if (dataset === 'cifar10')
      return `CIFAR-10 test image ${source.index}, used as it is: 32×32 pixels in colour (RGB).`;
    return `MNIST test image ${source.index}, used as it is: ${MNIST_FIELD}×${MNIST_FIELD}, bright ink on black.`;
  }
  if (source.kind === 'dream') {
    const from = source.start === 'noise' ? 'uniform noise' : 'the picture that was on screen';
    return (
      `Dreamed by ${source.model}: ${source.steps} class-conditional SGLD steps toward class ` +
      `${source.classIndex}, from ${from}; used as it is.`
    );
  }
  const { original, decoded } = source;
  const parts: string[] = [];
  if (source.kind === 'drawing') parts.push(`Drawn on the ${original.width}×${original.height} pad.`);
  if (decoded.width !== original.width) {
    parts.push(`Decoded at ${decoded.width}×${decoded.height} from ${original.width}×${original.height}.`);
  }
  if (source.kind === 'colour-file') {
    parts.push(colourNote(source.preprocess));
    return parts.join(' ');
  }
  const p = source.preprocess;
  parts.push(
    p.inverted
      ? 'Inverted: the background was light, so dark ink became bright on black.'
      : 'Not inverted: the background was already dark.',
  );
  if (p.photo) {
    const { rules, marks } = p.photo.removed;
    const dropped = [
      rules > 0 ? `${rules} ruled line${rules === 1 ? '' : 's'}` : '',
      marks > 0 ? `${marks} other mark${marks === 1 ? '' : 's'}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const tail = dropped ? `; ${dropped} dropped` : '';
    parts.push(`The paper's light and shadows were removed before separating ink from paper${tail}.`);
  }
  if (p.crop) {
    parts.push(
      `Cropped to the strokes' ${p.crop.width}×${p.crop.height} box, scaled by 1/${p.scale.toFixed(1)} to fit ` +
        `${MNIST_BOX}×${MNIST_BOX}, ` +
        `centred by mass in ${MNIST_FIELD}×${MNIST_FIELD} (shift ${signed(p.shift.dx)}, ${signed(p.shift.dy)}).`,
    );
  } else {
    parts.push(`Already ${MNIST_FIELD}×${MNIST_FIELD}: not cropped or scaled.`);
  }
  return parts.join(' ');
}
