/**
 * A photo of a handwritten digit (issue 18): a photo-like JPEG of MNIST test digit 9007, a "3" in
 * black pen on ruled paper with a margin line and a soft shadow (the generator behind
 * `npm run bench -- --photos`, drawn in Node here), dropped on the attack lab, is read as a 3, and
 * the preprocessing note shows its stages — the photo, the ink mask, the 28×28 input — as three
 * images with names. On a 390×844 phone the picture, its prediction and the Attack button stay on
 * the first screen with the stages shown.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { App, cleanPrediction } from './helpers';
import { type PhotoJpeg, photoDigitJpeg } from './photoImages';

const STAGES = [
  'Stage 1: the photo, in grey',
  "Stage 2: the ink mask: the digit's strokes white, marks dropped grey",
  'Stage 3: the 28×28 input the model receives',
];

let photo: PhotoJpeg;
beforeAll(async () => {
  photo = await photoDigitJpeg(9007, 562);
});

/** The picture's prediction is its true label, and the three stages are shown with their names. */
async function expectReadWithStages(app: App): Promise<void> {
  await app.waitForText('preprocess-note', (t) => /light and shadows were removed/.test(t), 'a note about the photo');
  const { label } = await cleanPrediction(app);
  expect(label, `the photo (${photo.traits.join(', ')}) is read as its digit`).toBe(photo.label);
  for (const name of STAGES) {
    await expect(app.page.getByRole('img', { name, exact: true }).isVisible(), `${name} is shown`).resolves.toBe(true);
  }
  // The 28×28 stage is the model's input: a bright digit on black, its ink mask a few white strokes.
  const input = await app.canvasStats('stage-input');
  expect([input.width, input.height]).toEqual([28, 28]);
  expect(input.max).toBeGreaterThan(200);
  expect(input.lum[0]).toBeLessThan(10);
  const mask = await app.canvasStats('stage-ink');
  expect(mask.max, 'the kept strokes are white').toBeGreaterThan(200);
  expect(mask.mean, 'the mask is mostly black (the paper)').toBeLessThan(60);
  expect(await app.text('preprocess-stages')).toMatch(/Photo → ink mask → 28×28: only the strokes/);
}

describe('a photo of a handwritten digit on a desktop', () => {
  const app = new App('photo-stages');
  beforeAll(async () => {
    await app.start();
    await app.open();
  });
  afterAll(() => app.stop());

  test(
    'dropped, it is read right and its stages are shown',
    app.run('drop', async () => {
      await app.dropFile('digit-photo.jpg', 'image/jpeg', photo.bytes);
      await expectReadWithStages(app);
      await app.screenshot('desktop');
    }),
  );
});

describe('a photo of a handwritten digit on a 390×844 phone', () => {
  const viewport = { width: 390, height: 844 };
  const app = new App('photo-stages-phone');
  beforeAll(async () => {
    await app.start({ context: { viewport, hasTouch: true } });
    await app.open();
  });
  afterAll(() => app.stop());

  test(
    'chosen, it is read right, its stages are shown and the first screen still holds the picture and Attack',
    app.run('choose', async () => {
      await app.chooseFile('digit-photo.jpg', 'image/jpeg', photo.bytes);
      await expectReadWithStages(app);
      await app.page.evaluate(() => window.scrollTo(0, 0));
      for (const [what, locator] of [
        ['the picture', app.testId('model-input')],
        ['the prediction', app.testId('clean-prediction')],
        ['the Attack button', app.attackButton()],
      ] as const) {
        const box = await locator.boundingBox();
        expect(box, `${what} is shown`).not.toBeNull();
        expect(box!.y + box!.height, `${what} ends on the first screen`).toBeLessThanOrEqual(viewport.height);
      }
      const width = await app.page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, 'nothing sticks out sideways').toBeLessThanOrEqual(viewport.width);
      await app.screenshot('phone');
    }),
  );
});
