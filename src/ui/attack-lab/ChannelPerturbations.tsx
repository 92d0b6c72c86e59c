/**
 * A colour perturbation channel by channel: δ of R, G and B each on the diverging map (blue lowers
 * that channel, red raises it), at one common scale so the channels compare; and δ as a colour
 * (grey = unchanged), which shows the hue each pixel was pushed towards.
 */
import { useMemo } from 'react';
import {
  BLUE_WHITE_RED_CSS,
  CHANNEL_NAMES,
  channelSignedToRgba,
  maxAbs,
  signedColourToRgba,
  type ImageShape,
} from '../common/colorMaps';
import { ImageCanvas } from '../common/ImageCanvas';

const CHANNEL_PX = 72;
const CHANNEL_TITLES = ['red', 'green', 'blue'] as const;

interface ChannelPerturbationsProps {
  perturbation: Float32Array;
  shape: ImageShape;
}

export function ChannelPerturbations({ perturbation, shape }: ChannelPerturbationsProps) {
  const scale = useMemo(() => maxAbs(perturbation), [perturbation]);
  const channels = useMemo(
    () => CHANNEL_NAMES.map((_, k) => channelSignedToRgba(perturbation, shape, k, scale)),
    [perturbation, shape, scale],
  );
  const colour = useMemo(() => signedColourToRgba(perturbation, shape, scale), [perturbation, shape, scale]);
  return (
    <div className="channel-perturbations" data-testid="channel-perturbations">
      <p className="note">
        δ per channel, one scale (±{scale.toFixed(3)})
        <span className="legend" aria-hidden>
          <span>−</span>
          <span className="legend-bar" style={{ background: BLUE_WHITE_RED_CSS }} />
          <span>+</span>
        </span>
      </p>
      <div className="channel-row">
        {CHANNEL_NAMES.map((name, k) => (
          <figure key={name} className="channel-figure">
            <ImageCanvas
              rgba={channels[k]}
              width={shape.width}
              height={shape.height}
              displayWidth={CHANNEL_PX}
              label={`Perturbation of the ${CHANNEL_TITLES[k]} channel`}
              testId={`perturbation-${CHANNEL_TITLES[k]}`}
            />
            <figcaption>{name}</figcaption>
          </figure>
        ))}
        <figure className="channel-figure">
          <ImageCanvas
            rgba={colour}
            width={shape.width}
            height={shape.height}
            displayWidth={CHANNEL_PX}
            label="Perturbation as a colour, grey is unchanged"
            testId="perturbation-colour"
          />
          <figcaption title="Mid-grey: unchanged; a tint: the colour that pixel was pushed towards">
            RGB (grey = 0)
          </figcaption>
        </figure>
      </div>
    </div>
  );
}
