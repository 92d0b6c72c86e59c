/** Each way the browser can refuse the camera gets its own sentence, and something unforeseen still gets one. */
import { expect, test } from 'vitest';
import { cameraErrorMessage } from '../../src/ui/attack-lab/cameraMessages';

const refusal = (name: string) => new DOMException('denied by the test', name);

test('refused permission, no camera, a busy camera and an unknown failure read differently', () => {
  expect(cameraErrorMessage(refusal('NotAllowedError'))).toMatch(/^Camera access was refused/);
  expect(cameraErrorMessage(refusal('SecurityError'))).toMatch(/^Camera access was refused/);
  expect(cameraErrorMessage(refusal('NotFoundError'))).toMatch(/^No camera was found/);
  expect(cameraErrorMessage(refusal('OverconstrainedError'))).toMatch(/^No camera was found/);
  expect(cameraErrorMessage(refusal('NotReadableError'))).toMatch(/another application/);
  expect(cameraErrorMessage(new TypeError('boom'))).toBe(
    'The camera could not be started (boom): choose an image file instead.',
  );
  expect(cameraErrorMessage('odd')).toBe('The camera could not be started: choose an image file instead.');
});
