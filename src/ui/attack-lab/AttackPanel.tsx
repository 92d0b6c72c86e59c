/** The image the model receives, and the attack to run on it. */
import { AttackControls } from './AttackControls';
import { ModelInput } from './ModelInput';

export function AttackPanel() {
  return (
    <section className="panel" aria-labelledby="attack-heading">
      <h2 id="attack-heading">2 · Attack it</h2>
      <ModelInput />
      <AttackControls />
    </section>
  );
}
