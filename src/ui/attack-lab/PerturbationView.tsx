/**
 * The perturbation δ = x_adv − x, amplified so its largest |value| reaches the ends of a
 * diverging map: blue lowers a pixel, red raises it, white leaves it. The legend gives the scale.
 */
import { useMemo } from 'react';
import { BLUE_WHITE_RED_CSS, maxAbs, signedToRgba, type ImageShape } from '../common/colorMaps';
import { ImageCanvas } from '../common/ImageCanvas';

interface PerturbationViewProps {
  perturbation: Float32Array;
  shape: ImageShape;
  displayWidth: number;
}

export function PerturbationView({ perturbation, shape, displayWidth }: PerturbationViewProps) {
  const scale = useMemo(() => maxAbs(perturbation), [perturbation]);
  const rgba = useMemo(() => signedToRgba(perturbation, shape, scale), [perturbation, shape, scale]);
  return (
    <figure className="result-figure">
      <ImageCanvas
        rgba={rgba}
        width={shape.width}
        height={shape.height}
        displayWidth={displayWidth}
        label="Perturbation, amplified"
        testId="perturbation-image"
      />
      <figcaption>
        Perturbation δ (amplified{shape.channels === 3 ? ', mean of R, G, B' : ''})
        <span className="legend" title="Colour scale of δ: blue lowers a pixel, red raises it">
          <span>−</span>
          <span className="legend-bar" style={{ background: BLUE_WHITE_RED_CSS }} />
          <span>+</span>
          <span className="legend-scale">±{scale.toFixed(2)}</span>
        </span>
      </figcaption>
    </figure>
  );
}
