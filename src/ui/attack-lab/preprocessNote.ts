/** One sentence per preprocessing step, saying what was done to the picture the model now sees. */
import { MNIST_BOX, MNIST_FIELD } from '../../core/image/mnistPreprocess';
import type { ImageSource } from '../../state/labStore';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function preprocessNote(source: ImageSource): string {
  if (source.kind === 'test') {
    return `MNIST test image ${source.index}, used as it is: ${MNIST_FIELD}×${MNIST_FIELD}, bright ink on black.`;
  }
  const { original, decoded, preprocess: p } = source;
  const parts: string[] = [];
  if (decoded.width !== original.width) {
    parts.push(`Decoded at ${decoded.width}×${decoded.height} from ${original.width}×${original.height}.`);
  }
  parts.push(
    p.inverted
      ? 'Inverted: the background was light, so dark ink became bright on black.'
      : 'Not inverted: the background was already dark.',
  );
  if (p.crop) {
    parts.push(
      `Cropped to the ink's ${p.crop.width}×${p.crop.height} box, scaled by 1/${p.scale.toFixed(1)} to fit ${MNIST_BOX}×${MNIST_BOX}, ` +
        `centred by mass in ${MNIST_FIELD}×${MNIST_FIELD} (shift ${signed(p.shift.dx)}, ${signed(p.shift.dy)}).`,
    );
  } else {
    parts.push(`Already ${MNIST_FIELD}×${MNIST_FIELD}: not cropped or scaled.`);
  }
  return parts.join(' ');
}
