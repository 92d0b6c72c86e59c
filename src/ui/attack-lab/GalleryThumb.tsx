/**
 * One test image in the gallery (a grey digit, or a colour CIFAR-10 picture with its class name): a button that makes
 * it the image under attack.
 */
import { useMemo } from 'react';
import type { GalleryItem } from '../../worker/api';
import { imageToRgba } from '../common/colorMaps';
import { ImageCanvas } from '../common/ImageCanvas';

const THUMB_PX = 40;

interface GalleryThumbProps {
  item: GalleryItem;
  /** The class name to caption a colour image with ("cat"); digits need none. */
  classLabel?: string;
  selected: boolean;
  onPick: (item: GalleryItem) => void;
}

export function GalleryThumb({ item, classLabel, selected, onPick }: GalleryThumbProps) {
  const rgba = useMemo(() => imageToRgba(item.pixels, item), [item]);
  const name = `Test image ${item.index}, label ${item.label}${classLabel ? ` (${classLabel})` : ''}`;
  return (
    <button
      type="button"
      className={classLabel ? 'thumb thumb-named' : 'thumb'}
      aria-label={name}
      aria-pressed={selected}
      onClick={() => onPick(item)}
      title={classLabel}
    >
      <ImageCanvas rgba={rgba} width={item.width} height={item.height} displayWidth={THUMB_PX} label={name} />
      {classLabel && <span className="thumb-name">{classLabel}</span>}
    </button>
  );
}
