/**
 * The image the model receives, and the attack to run on it. On a phone this panel comes first (styles.css), so the
 * picture, its prediction and the Attack button share the first screen; the step numbers are hidden there.
 */
import { AttackControls } from './AttackControls';
import { ModelInput } from './ModelInput';

export function AttackPanel() {
  return (
    <section className="panel panel-attack" aria-labelledby="attack-heading">
      <h2 id="attack-heading">
        <span className="step-number">2 · </span>Attack it
      </h2>
      <ModelInput />
      <AttackControls />
    </section>
  );
}
