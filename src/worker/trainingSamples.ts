/**
 * What the training lab shows of a JEM run's replay buffer: a grid of its newest entries, one row per class (or
 * ten rows of an unconditional buffer), each image shrunk to half its side so a grid is a few kilobytes.
 */
import type { ModelMeta } from '../core/models/modelMeta';
import { bufferGrid, type BufferGrid } from '../core/train/jem/bufferGrid';
import { JemObjective } from '../core/train/jem/jemObjective';
import type { TrainingObjective } from '../core/train/objective';

/** Entries per row of the grid. */
const GRID_COLUMNS = 8;
/** 28 × 28 digits become 14 × 14, 32 × 32 colour images 16 × 16. */
const SHRINK_FACTOR = 2;
/** Rows of an unconditional buffer's grid (its entries have no class). */
const UNCONDITIONAL_ROWS = 10;

/** The grid of a JEM run's buffer; null for any other objective. */
export function jemSampleGrid(objective: TrainingObjective | undefined, meta: ModelMeta): BufferGrid | null {
  if (!(objective instanceof JemObjective)) return null;
  const classConditional = objective.config.classConditional ?? false;
  const rows = classConditional ? meta.classNames.length : UNCONDITIONAL_ROWS;
  if (objective.buffer.config.size < rows * GRID_COLUMNS) return null;
  return bufferGrid(objective.buffer, {
    shape: meta.inputShape,
    rows,
    columns: GRID_COLUMNS,
    factor: SHRINK_FACTOR,
    classConditional,
  });
}
