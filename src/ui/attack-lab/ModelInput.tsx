/**
 * The image the model actually receives (28×28 grey or 32×32 colour), what preprocessing did, and the clean prediction
 * — or, while a newly chosen picture is being classified, that picture and that its prediction is pending.
 */
import { useEffect, useMemo } from 'react';
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import { selectShownPicture, useAttackLab } from '../../state/attackLabStore';
import { markFirstPrediction } from '../../state/readiness';
import { imageToRgba } from '../common/colorMaps';
import { className, formatPrediction } from '../common/format';
import { ImageCanvas } from '../common/ImageCanvas';
import { PreprocessStages } from './PreprocessStages';
import { preprocessNote } from './preprocessNote';

const INPUT_PX = 112;

export function ModelInput() {
  const image = useAttackLab(selectShownPicture);
  const prediction = useAttackLab((s) => (s.pendingImage ? null : (s.image?.prediction ?? null)));
  const dataset = useDatasets((s) => s.active);
  const names = useDatasets(selectClassNames);
  const rgba = useMemo(() => (image ? imageToRgba(image.pixels, image) : null), [image]);
  // After commit the canvas is drawn and the prediction is on screen: the page is usable.
  useEffect(() => {
    if (prediction) markFirstPrediction();
  }, [prediction]);
  if (!image || !rgba) return <p className="placeholder">Loading the first test image…</p>;
  return (
    <figure className="model-input" data-control="model-input">
      <ImageCanvas
        rgba={rgba}
        width={image.width}
        height={image.height}
        displayWidth={INPUT_PX}
        label="The model's input"
        testId="model-input"
      />
      <figcaption>
        <p className="prediction" data-testid="clean-prediction" role="status">
          Prediction: {prediction ? formatPrediction(prediction, names) : 'classifying this picture…'}
        </p>
        {image.trueLabel !== null && <p data-testid="true-label">True label: {className(image.trueLabel, names)}</p>}
        <p className="note" data-testid="preprocess-note">
          {preprocessNote(image.source, dataset)}
        </p>
        {image.source.kind === 'file' && <PreprocessStages preprocess={image.source.preprocess} />}
      </figcaption>
    </figure>
  );
}
