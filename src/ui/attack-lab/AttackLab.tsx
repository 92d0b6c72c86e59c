/** The attack lab: choose a digit, attack it, see what changed. */
import { AttackPanel } from './AttackPanel';
import { AttackResults } from './AttackResults';
import { ImageSource } from './ImageSource';

export function AttackLab() {
  return (
    <div className="attack-lab">
      <ImageSource />
      <AttackPanel />
      <AttackResults />
    </div>
  );
}
