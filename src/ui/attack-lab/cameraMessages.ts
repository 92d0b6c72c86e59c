/** One sentence for each way getUserMedia can fail, saying what happened and what to do instead. */

export const NO_CAMERA_API =
  'This browser offers no camera here (it allows one only on https:// pages and on localhost): choose an image file ' +
  'instead.';

/** The sentence for a getUserMedia rejection (a DOMException whose name says why, per the Media Capture spec). */
export function cameraErrorMessage(err: unknown): string {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return (
        'Camera access was refused: allow the camera for this page in the browser (the icon in the address bar), ' +
        'or choose an image file instead.'
      );
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device: choose an image file instead.';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'The camera could not be started — another application may be using it: close it and try again.';
    default: {
      const detail = err instanceof Error && err.message ? ` (${err.message})` : '';
      return `The camera could not be started${detail}: choose an image file instead.`;
    }
  }
}
