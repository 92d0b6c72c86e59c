/**
 * The attack lab: choose an image, attack it, see what changed. On CIFAR-10 without data, the panel that asks for it.
 */
import { useDatasets } from '../../state/datasetStore';
import { useSettings } from '../../state/settingsStore';
import { Cifar10Panel } from '../dataset/Cifar10Panel';
import { AttackPanel } from './AttackPanel';
import { AttackResults } from './AttackResults';
import { DreamPanel } from './DreamPanel';
import { ImageSource } from './ImageSource';
import { PictureCertificatePanel } from './PictureCertificatePanel';

export function AttackLab() {
  const cifar10Chosen = useSettings((s) => s.dataset === 'cifar10');
  const cifar10Loaded = useDatasets((s) => s.cifar10Loaded);
  if (cifar10Chosen && !cifar10Loaded) return <Cifar10Panel />;
  return (
    <div className="attack-lab">
      <ImageSource />
      <AttackPanel />
      <AttackResults />
      <PictureCertificatePanel />
      <DreamPanel />
    </div>
  );
}
