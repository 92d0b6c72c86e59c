/**
 * One display name per model: for every shipped MNIST model, the name the picker shows is the name the status line
 * shows once it has loaded, and no two shipped models share a name (the PGD- and the IBP-trained strided CNNs were both
 * "strided-cnn" in the status line).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SHIPPED_MODELS } from '../../src/state/shippedModels';
import { App } from './helpers';

/** Loading a model and classifying the picture with it; the ODE models are the slow ones on a busy machine. */
const MODEL_LOAD_TIMEOUT_MS = 120_000;

const app = new App('model-names');
beforeAll(async () => {
  await app.start();
  await app.open();
});
afterAll(() => app.stop());

test(
  'the picker and the status line name each shipped model alike, and the names differ',
  app.run('model-names', async () => {
    const picker = app.page.getByLabel('Model', { exact: true });
    const shipped = picker.locator('optgroup[label="Shipped (pretrained)"] option');
    const offered = (await shipped.allTextContents()).map((t) => t.trim());
    expect(offered).toHaveLength(SHIPPED_MODELS.length);
    expect(new Set(offered).size, `duplicate names among ${offered.join(' | ')}`).toBe(offered.length);
    for (const name of offered) {
      await app.until(() => picker.isEnabled(), 'the model picker to be enabled', MODEL_LOAD_TIMEOUT_MS);
      await picker.selectOption({ label: name });
      // While the model loads the status says "Model: loading…" (no name element): read it whenever it is there.
      let shown: string | null = null;
      await app
        .until(
          async () => {
            shown = await app
              .testId('status-model-name')
              .textContent({ timeout: 1_000 })
              .catch(() => null);
            return shown === name;
          },
          `the status line to name "${name}"`,
          MODEL_LOAD_TIMEOUT_MS,
        )
        .catch(() => undefined);
      expect(shown, 'the status line names the model as the picker does').toBe(name);
      // The picker still shows the model that loaded, under the same name.
      expect(await picker.locator('option:checked').textContent()).toBe(name);
    }
    await app.screenshot('last-model');
  }),
  SHIPPED_MODELS.length * MODEL_LOAD_TIMEOUT_MS,
);
