/** Saves the adversarial image as a PNG at the model's resolution. */
import type { CurrentImage } from '../../state/attackLabStore';
import { showError } from '../../state/workerSession';
import type { AttackOutcome } from '../../worker/api';
import { imageToRgba } from '../common/colorMaps';
import { downloadPng } from '../common/downloadPng';
import { className, formatEps } from '../common/format';

export function DownloadButton({
  image,
  outcome,
  classNames,
}: {
  image: CurrentImage;
  outcome: AttackOutcome;
  classNames: readonly string[];
}) {
  const save = () => {
    const predicted = className(outcome.adversarial.label, classNames).replace(/[^A-Za-z0-9_-]+/g, '-');
    const name = `adversarial-${outcome.options.method}-eps${formatEps(outcome.options.eps)}-pred${predicted}.png`;
    downloadPng(imageToRgba(outcome.adversarialImage, image), image.width, image.height, name).catch((err: unknown) =>
      showError(err instanceof Error ? err.message : String(err)),
    );
  };
  return (
    <button type="button" className="secondary" onClick={save}>
      Download adversarial PNG
    </button>
  );
}
