/**
 * Typed errors with messages a person can act on. Every boundary of the core (data readers,
 * model loaders, option validation) throws one of these, so the UI and the command line can
 * show `error.message` as it is.
 */
export class PlaygroundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A data file that is not what it claims to be (wrong magic number, truncated, wrong size). */
export class DataFormatError extends PlaygroundError {}

/** A model file or directory that cannot be loaded or does not fit the expected input/output. */
export class ModelFormatError extends PlaygroundError {}

/** An option outside its allowed range (ε < 0, steps = 0, unknown attack, …). */
export class InvalidOptionError extends PlaygroundError {}

/** An image that cannot be decoded or is too large to process safely. */
export class ImageInputError extends PlaygroundError {}

/** Thrown by long-running work when the caller asked it to stop. */
export class CancelledError extends PlaygroundError {
  constructor() {
    super('Cancelled by the user.');
  }
}

/**
 * Training diverged (NaN or Inf in the loss or the weights). `reason` is what happened, without the advice, for a
 * view that words the rest itself (the training lab: "JEM diverged (reason): the app stopped it …").
 */
export class DivergedError extends PlaygroundError {
  constructor(
    message: string,
    readonly reason: string = message,
  ) {
    super(message);
  }

  /** The loss became NaN or ±∞ (1-based epoch and batch); the trainer has restored the last good weights. */
  static nonFiniteLoss(loss: number, epoch: number, batch: number): DivergedError {
    const reason = `the loss became ${loss} at epoch ${epoch}, batch ${batch}`;
    return new DivergedError(
      `Training diverged (${reason}), so the last good weights were restored; try a smaller learning rate.`,
      reason,
    );
  }
}

/**
 * A verification method met a layer it cannot bound soundly (e.g. GroupNorm under CROWN). The message names the
 * layer and its class, so nothing is silently certified.
 */
export class UnsupportedLayerError extends PlaygroundError {}

/** A job needed more memory than the backend could give (the message says what to lower). */
export class OutOfMemoryError extends PlaygroundError {}
