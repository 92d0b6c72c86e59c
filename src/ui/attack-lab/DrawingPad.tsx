/**
 * Draw a digit with a mouse, a finger or a pen (Pointer Events), watch the model read it while drawing, then attack
 * it: "Use this drawing" sends the pad's pixels down the upload path, so it is preprocessed exactly like a photo.
 * MNIST only: on CIFAR-10 one sentence says why the pad is not offered.
 */
import {
  type PointerEvent as ReactPointerEvent,
  type RefObject,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import {
  inkToRgba,
  isBlank,
  PAD_SIDE,
  type PadPoint,
  paintStrokeTip,
  rasteriseStrokes,
  type Stroke,
} from '../../core/image/strokeRaster';
import { useDatasets } from '../../state/datasetStore';
import { chooseDrawing } from '../../state/drawingActions';
import { imageToRgba } from '../common/colorMaps';
import { formatPrediction } from '../common/format';
import { ImageCanvas } from '../common/ImageCanvas';
import { type LiveDrawingState, useLivePrediction } from './useLivePrediction';

const MNIST_SHAPE = { height: 28, width: 28, channels: 1 } as const;
/** Pointer samples closer than this (pad pixels) to the last kept one add nothing a 20 px brush would show. */
const MIN_STEP = 1;

function LivePrediction({ live }: { live: LiveDrawingState }) {
  if (live.kind === 'failed') {
    return (
      <p className="note" data-testid="drawing-prediction">
        No live prediction: {live.message}
      </p>
    );
  }
  if (live.kind === 'idle') {
    return (
      <p className="note" data-testid="drawing-prediction">
        Draw a digit: the model's reading appears here as you draw.
      </p>
    );
  }
  const { pixels, prediction } = live.result;
  return (
    <div className="drawing-live">
      <ImageCanvas
        rgba={imageToRgba(pixels, MNIST_SHAPE)}
        width={28}
        height={28}
        displayWidth={56}
        label="The drawing as the model will see it"
        testId="drawing-model-input"
      />
      <p className="prediction" data-testid="drawing-prediction">
        Live prediction: {formatPrediction(prediction)}
      </p>
    </div>
  );
}

/**
 * The strokes drawn so far, their ink on the pad's grid, and the canvas repainted from the ink once per animation
 * frame, however many pointer events arrived.
 */
function usePadInk(canvasRef: RefObject<HTMLCanvasElement | null>) {
  const strokes = useRef<Stroke[]>([]);
  const ink = useRef(new Float32Array(PAD_SIDE * PAD_SIDE));
  const frame = useRef<number | null>(null);
  const [strokeCount, setStrokeCount] = useState(0);

  const repaint = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const context = canvasRef.current?.getContext('2d', { willReadFrequently: true });
      context?.putImageData(new ImageData(inkToRgba(ink.current), PAD_SIDE, PAD_SIDE), 0, 0);
    });
  }, [canvasRef]);
  useEffect(() => {
    repaint();
    return () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [repaint]);

  const startStroke = (point: PadPoint) => {
    const stroke = [point];
    strokes.current.push(stroke);
    paintStrokeTip(ink.current, PAD_SIDE, stroke);
    setStrokeCount(strokes.current.length);
    repaint();
  };

  /** Adds the points at least MIN_STEP from the last one kept to the current stroke. */
  const extendStroke = (points: PadPoint[]) => {
    const stroke = strokes.current[strokes.current.length - 1];
    for (const point of points) {
      const last = stroke[stroke.length - 1];
      if (Math.hypot(point.x - last.x, point.y - last.y) < MIN_STEP) continue;
      stroke.push(point);
      paintStrokeTip(ink.current, PAD_SIDE, stroke);
    }
    repaint();
  };

  /** Removes the last stroke; returns whether the pad is now empty. */
  const undo = () => {
    strokes.current.pop();
    ink.current = rasteriseStrokes(strokes.current);
    setStrokeCount(strokes.current.length);
    repaint();
    return strokes.current.length === 0;
  };

  const clear = () => {
    strokes.current = [];
    ink.current = new Float32Array(PAD_SIDE * PAD_SIDE);
    setStrokeCount(0);
    repaint();
  };

  return { ink, strokeCount, startStroke, extendStroke, undo, clear };
}

/**
 * The canvas's pointer handlers (Pointer Events): one pen at a time draws a stroke, in pad pixels, and every
 * change is reported to the live prediction through `changed`.
 */
function usePointerStrokes(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  pad: Pick<ReturnType<typeof usePadInk>, 'startStroke' | 'extendStroke'>,
  changed: () => void,
) {
  const activePointer = useRef<number | null>(null);

  const padPoint = (e: { clientX: number; clientY: number }): PadPoint => {
    const rect = canvasRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return { x: 0, y: 0 };
    return {
      x: ((e.clientX - rect.left) * PAD_SIDE) / rect.width,
      y: ((e.clientY - rect.top) * PAD_SIDE) / rect.height,
    };
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    // One pen at a time (a palm or a second finger does not draw), and only the main mouse button.
    if (activePointer.current !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    try {
      // Keeps the stroke when the pen leaves the pad mid-line.
      e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      // A synthetic event has no pointer to capture: draw without capture.
    }
    activePointer.current = e.pointerId;
    pad.startStroke(padPoint(e));
    changed();
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (e.pointerId !== activePointer.current) return;
    // Coalesced events: the samples the browser merged into this one, so fast strokes stay smooth.
    const samples = e.nativeEvent.getCoalescedEvents?.() ?? [];
    pad.extendStroke((samples.length > 0 ? samples : [e.nativeEvent]).map(padPoint));
    changed();
  };

  const endStroke = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (e.pointerId === activePointer.current) activePointer.current = null;
  };

  return {
    onPointerDown,
    onPointerMove,
    onPointerUp: endStroke,
    onPointerCancel: endStroke,
    onLostPointerCapture: endStroke,
  };
}

function Pad() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const pad = usePadInk(canvasRef);
  const { ink } = pad;
  const read = useCallback(() => (isBlank(ink.current) ? null : inkToRgba(ink.current)), [ink]);
  const { live, changed } = useLivePrediction(read, PAD_SIDE);
  const pointerHandlers = usePointerStrokes(canvasRef, pad, changed);

  return (
    <div className="drawing-pad">
      <canvas
        ref={canvasRef}
        className="drawing-canvas"
        width={PAD_SIDE}
        height={PAD_SIDE}
        role="img"
        aria-label="Drawing pad: draw a digit with the mouse, a finger or a pen"
        data-testid="drawing-pad"
        {...pointerHandlers}
      />
      <div className="drawing-buttons">
        <button type="button" onClick={() => changed(pad.undo())} disabled={pad.strokeCount === 0}>
          Undo
        </button>
        <button
          type="button"
          onClick={() => {
            pad.clear();
            changed(true);
          }}
          disabled={pad.strokeCount === 0}
        >
          Clear
        </button>
        <button
          type="button"
          className="primary"
          disabled={pad.strokeCount === 0}
          onClick={() => {
            const rgba = read();
            if (rgba) void chooseDrawing(rgba, PAD_SIDE);
          }}
        >
          Use this drawing
        </button>
      </div>
      <LivePrediction live={live} />
    </div>
  );
}

export function DrawingPad() {
  const colour = useDatasets((s) => s.active === 'cifar10');
  const [open, setOpen] = useState(false);
  if (colour) {
    return (
      <p className="hint" data-testid="drawing-pad-unavailable">
        The drawing pad is for MNIST digits: a CIFAR-10 model expects a colour photo of an object, which a few strokes
        of a brush cannot make.
      </p>
    );
  }
  return (
    <div className="source-option" data-control="drawing">
      <button type="button" aria-expanded={open} aria-controls="drawing-pad" onClick={() => setOpen(!open)}>
        {open ? 'Hide the drawing pad' : 'Draw a digit'}
      </button>
      {/* Hidden, not unmounted: closing the pad keeps the drawing. */}
      <div id="drawing-pad" hidden={!open}>
        <Pad />
      </div>
    </div>
  );
}
