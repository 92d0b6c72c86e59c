/** How numbers read on screen. */
import type { Prediction } from '../../worker/api';

/**
 * A whole number with its thousands grouped, "60,000", as toLocaleString('en') writes it, without Intl: the page's
 * first Intl number format loads ICU's data, 20–40 ms inside whichever task asks first (the first render, at
 * startup; issue 18: no main-thread task over 50 ms). Other numbers as String writes them.
 */
export const groupThousands = (n: number) =>
  Number.isInteger(n) && Math.abs(n) < 1e21 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);

export const formatPercent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** A class by its name ("cat", or "7" for MNIST); the index when the names do not cover it. */
export const className = (label: number, classNames?: readonly string[]) => classNames?.[label] ?? String(label);

/** "7 (99.1%)" or "cat (87.2%)": the predicted class and the model's probability for it. */
export const formatPrediction = (p: Prediction, classNames?: readonly string[]) =>
  `${className(p.label, classNames)} (${formatPercent(p.probabilities[p.label])})`;

/** ε and step sizes: three decimals are enough at the scale of [0,1] pixels. */
export const formatEps = (eps: number) => String(Number(eps.toFixed(3)));

/** ε in grey levels, "8/255": how budgets on 8-bit colour images are quoted. */
export const epsIn255ths = (eps: number) => `${Number((eps * 255).toFixed(2))}/255`;

/** "0.031 (8/255)" where budgets are quoted in grey levels (L∞ on CIFAR-10), else "0.031". */
export const formatBudget = (eps: number, in255ths: boolean) =>
  in255ths ? `${formatEps(eps)} (${epsIn255ths(eps)})` : formatEps(eps);
