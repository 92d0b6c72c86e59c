/** Original, perturbation and adversarial image side by side. */
import { useMemo } from 'react';
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import type { CurrentImage } from '../../state/attackLabStore';
import type { AttackOutcome } from '../../worker/api';
import { imageToRgba } from '../common/colorMaps';
import { formatPrediction } from '../common/format';
import { ImageCanvas } from '../common/ImageCanvas';
import { PerturbationView } from './PerturbationView';

/** Three of these and two operators fit the results column at 1,440 px. */
const RESULT_PX = 112;

interface ResultImagesProps {
  image: CurrentImage;
  outcome: AttackOutcome;
}

export function ResultImages({ image, outcome }: ResultImagesProps) {
  const names = useDatasets(selectClassNames);
  const shape = useMemo(() => ({ height: image.height, width: image.width, channels: image.channels }), [image]);
  const original = useMemo(() => imageToRgba(image.pixels, shape), [image, shape]);
  const adversarial = useMemo(() => imageToRgba(outcome.adversarialImage, shape), [outcome, shape]);
  return (
    <div className="result-images">
      <figure className="result-figure">
        <ImageCanvas
          rgba={original}
          width={shape.width}
          height={shape.height}
          displayWidth={RESULT_PX}
          label="Original image"
          testId="original-image"
        />
        <figcaption data-testid="original-prediction">Original: {formatPrediction(outcome.original, names)}</figcaption>
      </figure>
      <span className="operator" aria-hidden>
        +
      </span>
      <PerturbationView perturbation={outcome.perturbation} shape={shape} displayWidth={RESULT_PX} />
      <span className="operator" aria-hidden>
        =
      </span>
      <figure className="result-figure">
        <ImageCanvas
          rgba={adversarial}
          width={shape.width}
          height={shape.height}
          displayWidth={RESULT_PX}
          label="Adversarial image"
          testId="adversarial-image"
        />
        <figcaption className="prediction" data-testid="adv-prediction">
          Adversarial: {formatPrediction(outcome.adversarial, names)}
        </figcaption>
      </figure>
    </div>
  );
}
