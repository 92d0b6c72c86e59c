/** One test digit in the gallery: a button that makes it the image under attack. */
import { useMemo } from 'react';
import type { GalleryItem } from '../../worker/api';
import { imageToRgba } from '../common/colorMaps';
import { ImageCanvas } from '../common/ImageCanvas';

const THUMB_PX = 40;

interface GalleryThumbProps {
  item: GalleryItem;
  selected: boolean;
  onPick: (item: GalleryItem) => void;
}

export function GalleryThumb({ item, selected, onPick }: GalleryThumbProps) {
  const rgba = useMemo(() => imageToRgba(item.pixels, { height: 28, width: 28, channels: 1 }), [item.pixels]);
  const name = `Test image ${item.index}, label ${item.label}`;
  return (
    <button type="button" className="thumb" aria-label={name} aria-pressed={selected} onClick={() => onPick(item)}>
      <ImageCanvas rgba={rgba} width={28} height={28} displayWidth={THUMB_PX} label={name} />
    </button>
  );
}
