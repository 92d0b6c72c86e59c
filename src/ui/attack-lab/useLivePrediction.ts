/** The drawing pad's live prediction: a LivePredictor asking the worker (upload preprocessing, then the model). */
import { useEffect, useState } from 'react';
import { type LiveDrawingPrediction, predictDrawing } from '../../state/drawingActions';
import { LivePredictor, type LiveState } from './livePredictor';

export type LiveDrawingState = LiveState<LiveDrawingPrediction>;

/** The live prediction of a drawing whose pixels `read` returns (null when blank); call `changed` after each change. */
export function useLivePrediction(read: () => Uint8ClampedArray | null, side: number) {
  const [live, setLive] = useState<LiveDrawingState>({ kind: 'idle' });
  const [predictor] = useState(
    () => new LivePredictor({ read, predict: (rgba) => predictDrawing(rgba, side), report: setLive }),
  );
  useEffect(() => {
    predictor.attach();
    return () => predictor.dispose();
  }, [predictor]);
  return { live, changed: predictor.changed };
}
