/** How numbers read on screen. */
import type { Prediction } from '../../worker/api';

export const formatPercent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** "7 (99.1%)": the predicted class and the model's probability for it. */
export const formatPrediction = (p: Prediction) => `${p.label} (${formatPercent(p.probabilities[p.label])})`;

/** ε and step sizes: three decimals are enough at the scale of [0,1] pixels. */
export const formatEps = (eps: number) => String(Number(eps.toFixed(3)));
