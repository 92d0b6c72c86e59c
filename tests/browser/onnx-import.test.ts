/**
 * Bring your own model: an .onnx file exported by PyTorch (tests/fixtures/onnx) dropped on the page is described
 * in one sentence, asks for the input scaling when its graph has none, becomes the attack lab's model (listed with
 * the browser's saved models), can be attacked, and opens its card with the imported file's provenance.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App, cleanPrediction, parsePrediction } from './helpers';

const fixture = (name: string) => readFileSync(`tests/fixtures/onnx/${name}`);
/** 784·64 + 64 + 64·32 + 32 + 32·10 + 10: the fixture MLP's parameters, counted by hand. */
const MLP_PARAMETERS = 52_650;

const app = new App('onnx-import');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

test(
  'a dropped MLP without normalisation asks for the scaling, is attacked, and its card names the file',
  app.run('mlp', async () => {
    const page = app.page;
    await app.dropFile('mlp.onnx', 'application/octet-stream', fixture('mlp.onnx'));
    const dialog = page.getByRole('dialog', { name: 'Import mlp.onnx' });
    await dialog.waitFor({ timeout: 30_000 });
    const summary = await app.text('onnx-summary');
    expect(summary).toMatch(/^ONNX opset 13 from pytorch 1\.13\.0: 8 nodes — Constant, Reshape, Gemm, LeakyRelu, Tanh/);
    expect(summary).toContain('input 1×28×28, MNIST');
    expect(summary).toContain('LogSoftmax at the end dropped');
    await expect(dialog.getByRole('radio', { name: 'Pixels in [0, 1], as they are' }).isChecked()).resolves.toBe(true);
    await app.screenshot('onnx-import-dialog');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await app.waitForText('status-model-name', (t) => t === 'mlp.onnx', 'the imported model in the status line');
    const picker = page.getByLabel('Model', { exact: true });
    await expect(picker.inputValue()).resolves.toBe('saved:mlp.onnx');

    const clean = await cleanPrediction(app);
    await app.configureAttack({ method: 'fgsm', norm: 'linf', target: 'untargeted', epsilon: 0.25 });
    const adv = parsePrediction(await app.attack(), 'Adversarial');
    expect(await app.text('attack-success')).toMatch(adv.label !== clean.label ? /succeeded/i : /failed/i);
    expect((await app.canvasStats('perturbation-image')).variance).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'About this model' }).click();
    const card = page.getByRole('dialog', { name: 'About this model: mlp.onnx' });
    await card.waitFor({ timeout: 10_000 });
    expect(await app.text('card-provenance')).toMatch(
      /^Imported from mlp\.onnx: ONNX opset 13 from pytorch 1\.13\.0, 8 nodes \(Constant, Reshape, Gemm/,
    );
    expect(await app.text('card-scaling')).toMatch(/as they are/);
    expect(await app.text('card-parameters')).toBe(MLP_PARAMETERS.toLocaleString('en'));
    await app.screenshot('onnx-model-card');
    await card.getByRole('button', { name: 'Close' }).click();
  }),
);

test(
  'a CNN with its normalisation in the graph is imported without the question, and its card says so',
  app.run('mnist-bn', async () => {
    const page = app.page;
    await app.dropFile('mnist_bn.onnx', 'application/octet-stream', fixture('mnist_bn.onnx'));
    const dialog = page.getByRole('dialog', { name: 'Import mnist_bn.onnx' });
    await dialog.waitFor({ timeout: 30_000 });
    expect(await app.text('onnx-summary')).toContain('BatchNormalization folded into Conv');
    await expect(dialog.getByRole('radio').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await app.waitForText('status-model-name', (t) => t === 'mnist_bn.onnx', 'the imported CNN in the status line');
    await page.getByRole('button', { name: 'About this model' }).click();
    expect(await app.text('card-scaling')).toMatch(/\(x − 0\.1307\) \/ 0\.3081 per channel, inside the imported graph/);
    await page.getByRole('button', { name: 'Close' }).click();
    // Both imports are offered in the model list from now on.
    const options = await page.getByLabel('Model', { exact: true }).locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['mlp.onnx', 'mnist_bn.onnx']));
  }),
);
