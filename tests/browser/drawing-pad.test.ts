/**
 * The drawing pad, driven by real input events: a "1" drawn with the mouse is read live while the button is still
 * down, undo and clear work, "Use this drawing" makes it the model's input (centred like an upload, not inverted)
 * and it is attacked; a stroke drawn with a finger (touch events through the DevTools protocol) draws too.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, cleanPrediction, parsePrediction } from './helpers';

const app = new App('drawing-pad');
beforeAll(async () => {
  await app.start({ context: { hasTouch: true } });
  await app.open();
});
afterAll(() => app.stop());

/** The pad's box on the page, and a point given in fractions of it. */
async function padPoint(fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = await app.testId('drawing-pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not on screen');
  return { x: box.x + fx * box.width, y: box.y + fy * box.height };
}

const live = () => app.textOf('[data-testid="drawing-prediction"]', 1_000);

async function inkOnPad(): Promise<number> {
  return (await app.canvasStats('drawing-pad')).mean;
}

test(
  'a "1" drawn with the mouse is predicted while drawing, then attacked',
  app.run('mouse', async () => {
    await app.page.getByRole('button', { name: 'Draw a digit' }).click();
    expect(await live()).toMatch(/Draw a digit/);
    const undo = app.page.getByRole('button', { name: 'Undo', exact: true });
    expect(await undo.isDisabled()).toBe(true);

    // A vertical stroke, slightly slanted as a hand draws it; the button stays down while we read the prediction.
    const top = await padPoint(0.52, 0.14);
    const bottom = await padPoint(0.47, 0.86);
    await app.page.mouse.move(top.x, top.y);
    await app.page.mouse.down();
    await app.page.mouse.move(bottom.x, bottom.y, { steps: 25 });
    const whileDrawing = await app.waitForText(
      'drawing-prediction',
      // The stroke may be read before it is whole (a dot, half a line): wait for the whole line's reading.
      (t) => /Live prediction: 1 /.test(t),
      'a live prediction of 1 while the button is down',
    );
    await app.page.mouse.up();
    expect(parsePrediction(whileDrawing.replace('Live prediction', 'Prediction'), 'Prediction').label).toBe(1);
    expect(await inkOnPad()).toBeGreaterThan(5);

    // A second stroke, undone: the prediction is a 1 again.
    const left = await padPoint(0.2, 0.5);
    const right = await padPoint(0.8, 0.5);
    await app.page.mouse.move(left.x, left.y);
    await app.page.mouse.down();
    await app.page.mouse.move(right.x, right.y, { steps: 10 });
    await app.page.mouse.up();
    const inkTwoStrokes = await inkOnPad();
    await undo.click();
    expect(await inkOnPad()).toBeLessThan(inkTwoStrokes);
    await app.waitForText('drawing-prediction', (t) => /Live prediction: 1 /.test(t), '"1" again after undo');

    await app.page.getByRole('button', { name: 'Use this drawing' }).click();
    const note = await app.waitForText('preprocess-note', (t) => !/MNIST test image/.test(t), 'the drawing as input');
    expect(note).toMatch(/^Drawn on the 280×280 pad\./);
    expect(note).toMatch(/not inverted/i);
    expect(note).toMatch(/centred by mass/);
    const input = await app.canvasStats('model-input');
    expect(Math.abs(input.cx - 14)).toBeLessThan(1);
    expect(Math.abs(input.cy - 14)).toBeLessThan(1);
    const clean = await cleanPrediction(app);
    expect(clean.label).toBe(1);
    await app.screenshot('drawn-one');

    await app.configureAttack({ method: 'pgd', norm: 'linf', target: 'untargeted', epsilon: 0.3, steps: 10, seed: 1 });
    const adv = parsePrediction(await app.attack(), 'Adversarial');
    expect(await app.text('attack-success')).toMatch(adv.label !== clean.label ? /succeeded/i : /failed/i);
    expect(adv.label, 'PGD at ε = 0.3 turns the drawn 1 into another digit').not.toBe(1);
    await app.screenshot('drawn-one-attacked');

    await app.page.getByRole('button', { name: 'Clear', exact: true }).click();
    expect(await inkOnPad()).toBe(0);
    await app.waitForText('drawing-prediction', (t) => /Draw a digit/.test(t), 'the prompt after clearing');
  }),
);

test(
  'a 7 drawn with a finger (touch events) is read as 7, and the pad takes the touches from the page',
  app.run('touch', async () => {
    const pad = app.testId('drawing-pad');
    if (!(await pad.isVisible())) await app.page.getByRole('button', { name: 'Draw a digit' }).click();
    const clear = app.page.getByRole('button', { name: 'Clear', exact: true });
    if (await clear.isEnabled()) await clear.click();
    expect(await pad.evaluate((el) => getComputedStyle(el).touchAction)).toBe('none');
    const cdp = await app.browserContext.newCDPSession(app.page);
    const touch = async (type: 'touchStart' | 'touchMove' | 'touchEnd', p?: { x: number; y: number }) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y, id: 1 }] : [] });
    const path = [
      [0.3, 0.2],
      [0.7, 0.2],
      [0.6, 0.4],
      [0.5, 0.6],
      [0.42, 0.85],
    ];
    await touch('touchStart', await padPoint(path[0][0], path[0][1]));
    for (const [fx, fy] of path.slice(1)) {
      const from = await padPoint(fx, fy);
      await touch('touchMove', from);
    }
    await touch('touchEnd');
    await cdp.detach();
    expect(await inkOnPad(), 'the finger left ink').toBeGreaterThan(5);
    // The path is a 7: a bar across the top, then down to the left.
    await app.waitForText('drawing-prediction', (t) => /Live prediction: 7 /.test(t), 'a live prediction of 7');
    await app.screenshot('touch');
  }),
);
