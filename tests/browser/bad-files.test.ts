/**
 * Requirement 4: files that are not readable images give a clear error in the alert banner and
 * leave the app working: a text file is "not an image" (PNG/JPEG…), a PNG signature followed by
 * garbage is corrupt / cannot be decoded, a 300-megapixel picture cannot be decoded in memory (a 48-megapixel
 * phone photo is read, scaled down while decoding); the previous
 * image can still be attacked.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { App, cleanPrediction, parsePrediction } from './helpers';
import { bigBarDigitPng, corruptPng, hugePngHeader } from './images';

const app = new App('bad-files');
beforeAll(() => app.start());
// Each test opens the app afresh: test image 0 on screen, no banner left by an earlier test.
beforeEach(() => app.open());
afterAll(() => app.stop());

const alertText = () =>
  app
    .waitForText('error-message', (t) => t.length > 0, 'an error message', 30_000)
    .then(async (t) => {
      expect(await app.testId('error-message').getAttribute('role')).toBe('alert');
      return t;
    });

test(
  'a dropped text file is refused with a clear message, and the app still attacks the previous image',
  app.run('text', async () => {
    const before = await app.text('clean-prediction');
    await app.dropFile('hello.txt', 'text/plain', Buffer.from('hello, this is not a picture\n'));
    const message = await alertText();
    expect(message).toMatch(/not an image|png|jpe?g/i);
    await app.screenshot('text-file-error');

    // The previous image (test image 0) is still the model's input, and it can be attacked.
    expect(await app.text('preprocess-note')).toMatch(/test image 0\b/i);
    expect(await app.text('clean-prediction')).toBe(before);
    const clean = await cleanPrediction(app);
    await app.configureAttack({ method: 'fgsm', norm: 'linf', target: 'untargeted', epsilon: 0.2 });
    const adv = parsePrediction(await app.attack(), 'Adversarial');
    expect(await app.text('attack-success')).toMatch(adv.label !== clean.label ? /succeeded/i : /failed/i);
    await app.screenshot('attack-after-text-file');
  }),
);

test(
  'a corrupt PNG (signature + garbage) is reported as corrupt / undecodable',
  app.run('corrupt', async () => {
    await app.dropFile('broken.png', 'image/png', corruptPng());
    const message = await alertText();
    expect(message).toMatch(/corrupt|decode/i);
    await app.screenshot('corrupt-png-error');
    expect(await app.text('preprocess-note')).toMatch(/test image 0\b/i);
  }),
);

test(
  'a 48-megapixel phone-sized photo is scaled down while decoding and read as a 1',
  app.run('phone-photo', async () => {
    await app.dropFile('phone.png', 'image/png', bigBarDigitPng(8000, 6000));
    await app.until(
      async () => /from 8000×6000/.test(await app.text('preprocess-note')),
      'the note to name the 8000×6000 original',
      120_000,
    );
    expect((await cleanPrediction(app)).label).toBe(1);
    await app.screenshot('phone-photo');
  }),
);

test(
  'a 300-megapixel PNG, more than a browser can decode, is refused by its header and the previous image stays',
  app.run('huge', async () => {
    await app.dropFile('huge.png', 'image/png', hugePngHeader(20000, 15000));
    const message = await alertText();
    expect(message).toMatch(/20000×15000/);
    expect(message).toMatch(/300\.0 megapixels/);
    expect(message).toMatch(/decode in memory/);
    await app.screenshot('huge-png-error');
    expect(await app.text('preprocess-note')).toMatch(/test image 0\b/i);
  }),
);
