/** Draws RGBA pixels at their true size and lets CSS scale them up without smoothing. */
import { useEffect, useRef } from 'react';

interface ImageCanvasProps {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  /** On-screen width in CSS pixels. */
  displayWidth: number;
  label: string;
  testId?: string;
  /** Shrink with a narrower container (at most displayWidth wide), keeping the aspect ratio. */
  fluid?: boolean;
}

export function ImageCanvas({ rgba, width, height, displayWidth, label, testId, fluid }: ImageCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    // A CPU-backed context (willReadFrequently) for these tiny images: Chromium can drop the GPU
    // backing of 2D canvases when WebGPU starts, which would leave them black. Should it still
    // happen, "contextrestored" repaints.
    const paint = () =>
      canvas.getContext('2d', { willReadFrequently: true })?.putImageData(new ImageData(rgba, width, height), 0, 0);
    paint();
    canvas.addEventListener('contextrestored', paint);
    return () => canvas.removeEventListener('contextrestored', paint);
  }, [rgba, width, height]);
  return (
    <canvas
      ref={ref}
      className="pixel-canvas"
      width={width}
      height={height}
      style={
        fluid
          ? { width: '100%', maxWidth: displayWidth, height: 'auto' }
          : { width: displayWidth, height: (displayWidth * height) / width }
      }
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
