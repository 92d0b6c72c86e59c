/**
 * One attack in the attack lab, read as soon as its own outcome is on screen: the ε sweep that follows an attack (the
 * scrubber's data, ten more attacks) is stopped with its Cancel instead of computed. For the tests that check the
 * attack and not the scrubber, on WebGPU, where SwiftShader computes every one of those ten attacks on the CPU.
 */
import { ATTACK_TIMEOUT_MS, type App } from './helpers';

/** The sweep's progress bar is named by what the sweep is for (src/state/attackActions.ts, SWEEP_LABEL). */
const SWEEP = 'Sweeping ε for the scrubber';

/**
 * Clicks "Attack", waits until this attack's outcome is shown (the sweep has started, or the job is over), stops the
 * sweep, and waits until the lab is idle again; returns the adversarial prediction's text. Fails if a new error banner
 * appears meanwhile.
 */
export async function attackOutcome(app: App, timeout = ATTACK_TIMEOUT_MS): Promise<string> {
  const button = app.attackButton();
  const sweep = app.page.getByRole('progressbar', { name: SWEEP, exact: true });
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  await app.until(() => button.isEnabled(), 'the "Attack" button to be enabled', 30_000);
  const alertBefore = await app.textOf('[role=alert][data-testid=error-message]', 50);
  await button.click();
  // The job's Cancel shows from the click until the attack and its sweep are over; an earlier outcome may still be on
  // screen until the job starts, so the job is seen first (a run may also end before it is seen).
  await app
    .cancelButton()
    .waitFor({ state: 'visible', timeout: 2_000 })
    .catch(() => undefined);
  let sweeping = false;
  await app.until(
    async () => {
      const alert = await app.textOf('[role=alert][data-testid=error-message]', 50);
      if (alert && alert !== alertBefore) throw new Error(`the attack failed with the error banner: ${alert}`);
      // The sweep starts only once the attack's outcome is in the store, so the outcome is shown from then on.
      sweeping = await sweep.isVisible();
      if (sweeping) return true;
      if ((await app.cancelButton().isVisible()) || !(await button.isEnabled())) return false;
      return (await app.textOf('[data-testid=adv-prediction]', 1_000)) !== null;
    },
    "the attack's outcome ([data-testid=adv-prediction]) to show",
    timeout,
  );
  if (sweeping) {
    // dispatchEvent: the bar's message grows as the sweep moves on, which Playwright's click would wait out.
    await app.cancelButton().dispatchEvent('click');
    await app.until(
      async () => !(await app.cancelButton().isVisible()) && (await button.isEnabled()),
      'the stopped ε sweep to end',
      30_000,
    );
  }
  const text = await app.textOf('[data-testid=adv-prediction]');
  if (text === null) throw new Error('no [data-testid=adv-prediction] after the attack');
  return text;
}
