/**
 * The image the model receives, and the attack to run on it. On a phone this panel comes first (styles.css), so the
 * picture, its prediction and the Attack button share the first screen; the step numbers are hidden there.
 */
import { useAppStore } from '../../state/appStore';
import { chooseBatchNormRoute } from '../../state/batchNormActions';
import { BatchNormToggle } from '../common/BatchNormToggle';
import { AttackControls } from './AttackControls';
import { ModelInput } from './ModelInput';

/** BN_clean / BN_adv, for a model with split batch norm only. */
function ModelBatchNorm() {
  const route = useAppStore((s) => s.model?.batchNorm);
  const busy = useAppStore((s) => s.task !== null);
  if (route === undefined) return null;
  return (
    <BatchNormToggle value={route} onChange={(r) => void chooseBatchNormRoute(r)} disabled={busy} name="attack-bn" />
  );
}

export function AttackPanel() {
  return (
    <section className="panel panel-attack" aria-labelledby="attack-heading">
      <h2 id="attack-heading">
        <span className="step-number">2 · </span>Attack it
      </h2>
      <ModelInput />
      <ModelBatchNorm />
      <AttackControls />
    </section>
  );
}
