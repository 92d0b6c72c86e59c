/**
 * The attack lab: choose an image, attack it, see what changed. On CIFAR-10 without data, the panel that asks for it.
 */
import { AtStage } from '../common/MountStages';
import { useDatasets } from '../../state/datasetStore';
import { useSettings } from '../../state/settingsStore';
import { Cifar10Panel } from '../dataset/Cifar10Panel';
import { AttackPanel } from './AttackPanel';
import { AttackResults } from './AttackResults';
import { DreamPanel } from './DreamPanel';
import { ImageSource } from './ImageSource';
import { PictureCertificatePanel } from './PictureCertificatePanel';

// The panels mount a frame apart, the picture first (common/MountStages.tsx: the first layout stays under 50 ms).
export function AttackLab() {
  const cifar10Chosen = useSettings((s) => s.dataset === 'cifar10');
  const cifar10Loaded = useDatasets((s) => s.cifar10Loaded);
  if (cifar10Chosen && !cifar10Loaded) return <Cifar10Panel />;
  return (
    <div className="attack-lab">
      <AtStage at={1}>
        <ImageSource />
      </AtStage>
      <AtStage at={2}>
        <AttackPanel />
      </AtStage>
      <AtStage at={3}>
        <AttackResults />
        <PictureCertificatePanel />
        <DreamPanel />
      </AtStage>
    </div>
  );
}
