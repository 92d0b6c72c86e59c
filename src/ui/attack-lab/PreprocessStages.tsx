/**
 * What preprocessing did to a photo, as three small pictures: the photo as it was read (grey), its
 * ink mask (the digit's strokes white, other marks it dropped grey) and the 28×28 input the model
 * receives — so a user sees that the model is given the strokes alone, as MNIST's digits are.
 */
import { useMemo } from 'react';
import type { PreprocessResult } from '../../core/image/mnistPreprocess';
import { MNIST_FIELD } from '../../core/image/mnistPreprocess';
import { imageToRgba } from '../common/colorMaps';
import { ImageCanvas } from '../common/ImageCanvas';

/** On-screen long side of each stage picture, in CSS pixels: small, so Attack stays on a phone's first screen. */
const STAGE_PX = 44;

export function PreprocessStages({ preprocess }: { preprocess: PreprocessResult }) {
  const stages = preprocess.photo?.stages;
  const pictures = useMemo(() => {
    if (!stages) return null;
    const shape = { width: stages.width, height: stages.height, channels: 1 };
    const field = { width: MNIST_FIELD, height: MNIST_FIELD, channels: 1 };
    return {
      photo: imageToRgba(stages.photo, shape),
      ink: imageToRgba(stages.ink, shape),
      input: imageToRgba(preprocess.pixels, field),
    };
  }, [stages, preprocess.pixels]);
  if (!stages || !pictures) return null;
  const wide = stages.width >= stages.height;
  const stageWidth = wide ? STAGE_PX : Math.round((STAGE_PX * stages.width) / stages.height);
  const steps = [
    { key: 'photo', rgba: pictures.photo, w: stages.width, h: stages.height, label: 'Stage 1: the photo, in grey' },
    {
      key: 'ink',
      rgba: pictures.ink,
      w: stages.width,
      h: stages.height,
      label: "Stage 2: the ink mask: the digit's strokes white, marks dropped grey",
    },
    {
      key: 'input',
      rgba: pictures.input,
      w: MNIST_FIELD,
      h: MNIST_FIELD,
      label: 'Stage 3: the 28×28 input the model receives',
    },
  ];
  return (
    <figure className="preprocess-stages" data-testid="preprocess-stages">
      <div className="stage-row">
        {steps.map((s, i) => (
          <span key={s.key} className="stage">
            {i > 0 && (
              <span className="stage-arrow" aria-hidden="true">
                →
              </span>
            )}
            <ImageCanvas
              rgba={s.rgba}
              width={s.w}
              height={s.h}
              displayWidth={s.key === 'input' ? STAGE_PX : stageWidth}
              label={s.label}
              testId={`stage-${s.key}`}
            />
          </span>
        ))}
      </div>
      <figcaption className="note">Photo → ink mask → 28×28: only the strokes reach the model, as in MNIST.</figcaption>
    </figure>
  );
}
