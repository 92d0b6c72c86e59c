/** The 28×28 image the model actually receives, what preprocessing did, and the clean prediction. */
import { useEffect, useMemo } from 'react';
import { useLab } from '../../state/labStore';
import { markReady } from '../../state/readiness';
import { imageToRgba } from '../common/colorMaps';
import { formatPrediction } from '../common/format';
import { ImageCanvas } from '../common/ImageCanvas';
import { preprocessNote } from './preprocessNote';

const INPUT_PX = 112;

export function ModelInput() {
  const image = useLab((s) => s.image);
  const rgba = useMemo(() => (image ? imageToRgba(image.pixels, image) : null), [image]);
  // After commit the canvas is drawn and the prediction is on screen: the page is usable.
  useEffect(() => {
    if (image) markReady();
  }, [image]);
  if (!image || !rgba) return <p className="placeholder">Loading the first test digit…</p>;
  return (
    <figure className="model-input">
      <ImageCanvas rgba={rgba} width={image.width} height={image.height} displayWidth={INPUT_PX} label="The model's input" testId="model-input" />
      <figcaption>
        <p className="prediction" data-testid="clean-prediction">
          Prediction: {formatPrediction(image.prediction)}
        </p>
        {image.trueLabel !== null && <p>True label: {image.trueLabel}</p>}
        <p className="note" data-testid="preprocess-note">
          {preprocessNote(image.source)}
        </p>
      </figcaption>
    </figure>
  );
}
