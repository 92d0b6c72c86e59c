/**
 * Issue 12 §5 and §8: the attack lab driven by the keyboard alone — Tab to a test image and press Enter, choose the
 * method by typing, type ε, press Enter to attack — with a visible focus ring on every control reached; "?" lists
 * the shortcuts, P switches the presenter view, A attacks again.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { App } from './helpers';

const app = new App('keyboard');
beforeAll(async () => {
  await app.start();
  await app.open('wasm');
});
afterAll(() => app.stop());

/** The focused element's accessible label (aria-label, else its text), and whether its focus ring shows. */
const focused = () =>
  app.page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: '', ring: false };
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    return { name: el.getAttribute('aria-label') ?? (el.textContent ?? '').trim(), ring };
  });

/** Presses Tab until the focused element's name matches; checks that every control passed shows a focus ring. */
async function tabTo(match: RegExp, limit = 150): Promise<string> {
  for (let i = 0; i < limit; i++) {
    await app.page.keyboard.press('Tab');
    const f = await focused();
    if (f.name) expect(f.ring, `the focus ring on “${f.name}”`).toBe(true);
    if (match.test(f.name)) return f.name;
  }
  throw new Error(`Tab never reached a control named ${match}`);
}

test(
  'Tab, Enter, typing and arrow keys pick a digit, set the attack and run it',
  app.run('keyboard-attack', async () => {
    await app.page.locator('body').click({ position: { x: 5, y: 5 } });
    // The second gallery image.
    await tabTo(/^Test image \d+, label \d$/);
    const name = await tabTo(/^Test image \d+, label \d$/);
    const index = Number(/^Test image (\d+)/.exec(name)?.[1]);
    await app.page.keyboard.press('Enter');
    await app.waitForText('preprocess-note', (t) => t.includes(`test image ${index}`), `"test image ${index}"`);

    await tabTo(/^Attack method$/);
    await app.page.keyboard.type('f'); // a select jumps to the option typed: FGSM
    expect(await app.page.getByLabel('Attack method', { exact: true }).inputValue()).toBe('fgsm');
    await tabTo(/^Epsilon$/);
    await app.page.keyboard.press('Control+A');
    await app.page.keyboard.type('0.2');
    await app.page.keyboard.press('ArrowUp'); // steps ε by 0.01
    expect(await app.page.getByLabel('Epsilon', { exact: true }).inputValue()).toBe('0.21');
    await app.page.keyboard.press('Enter');
    await app.until(
      async () => (await app.textOf('[data-testid=attack-ran]', 1_000))?.startsWith('FGSM · L∞ · ε = 0.21') ?? false,
      'the FGSM attack at ε = 0.21 to be shown',
      120_000,
    );
    expect(await app.text('attack-success')).toMatch(/^[✔✘] Attack (succeeded|failed)/);
    await app.screenshot('keyboard-attack');

    // Shortcuts: from a button (not a field), "?" opens the list and Escape closes it.
    await tabTo(/^Attack$/);
    await app.page.keyboard.press('?');
    const dialog = app.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await dialog.textContent()).toMatch(/Presenter view/);
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });

    // P: the presenter view, larger type; P again: back.
    const rootSize = () =>
      app.page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));
    const before = await rootSize();
    await app.page.keyboard.press('p');
    expect(await rootSize()).toBeGreaterThan(before);
    await app.until(async () => /presenter=1/.test(app.page.url()), 'the address to say presenter=1', 5_000);
    await app.page.keyboard.press('p');
    expect(await rootSize()).toBe(before);

    // A attacks again with the settings on screen (a new run: its timing line changes).
    const ranBefore = await app.text('attack-ran');
    await app.page.keyboard.press('a');
    await app.until(
      async () => (await app.attackButton().isEnabled()) && (await app.text('attack-ran')) !== ranBefore,
      'the attack started by A to finish',
      120_000,
    );
    expect(await app.text('attack-ran')).toMatch(/^FGSM · L∞ · ε = 0\.21/);
  }),
);
