/**
 * `--bn clean|adv`: which set of a split batch norm (Xie & Yuille 2020, §4) a saved model evaluates with.
 * Refused, by name, for a model without split batch norm; a split model keeps the route it was saved with
 * (adv: BN_adv, the paper's choice for robustness) when the flag is absent.
 */
import type { Classifier } from '../core/models/classifier';
import {
  BATCH_NORM_ROUTES,
  type BatchNormRoute,
  batchNormRouteOf,
  hasSplitBatchNorm,
  setBatchNormRoute,
} from '../core/models/layers/batchNorm';
import { InvalidOptionError } from '../core/util/errors';
import { choiceOption, type OptionSpec, type Values } from './args';

export const BATCH_NORM_ROUTE_OPTION: OptionSpec = { bn: { type: 'string' } };

/** Parses --bn before anything is loaded (a typo fails fast). */
export function parseBatchNormRoute(v: Values): BatchNormRoute | undefined {
  return choiceOption(v, 'bn', BATCH_NORM_ROUTES);
}

/** Sets the route on the loaded model; returns the route in use (undefined for a model without split BN). */
export function applyBatchNormRoute(clf: Classifier, route: BatchNormRoute | undefined): BatchNormRoute | undefined {
  if (route === undefined) return batchNormRouteOf(clf.model);
  if (!hasSplitBatchNorm(clf.model)) {
    throw new InvalidOptionError('--bn needs a model with split batch norm (trained with --adv-bn split).');
  }
  setBatchNormRoute(clf.model, route);
  return route;
}
