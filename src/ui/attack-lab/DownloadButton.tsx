/** Saves the adversarial image as a PNG at the model's resolution. */
import type { CurrentImage } from '../../state/labStore';
import { showError } from '../../state/workerSession';
import type { AttackOutcome } from '../../worker/api';
import { imageToRgba } from '../common/colorMaps';
import { downloadPng } from '../common/downloadPng';
import { formatEps } from '../common/format';

export function DownloadButton({ image, outcome }: { image: CurrentImage; outcome: AttackOutcome }) {
  const save = () => {
    const name = `adversarial-${outcome.options.method}-eps${formatEps(outcome.options.eps)}-pred${outcome.adversarial.label}.png`;
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
