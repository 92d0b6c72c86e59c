/** The header's data-set switch: MNIST digits in grey, or CIFAR-10 photos in colour. */
import type { DatasetName } from '../../core/data/dataset';
import { chooseDataset } from '../../state/datasetActions';
import { DATASET_TITLES } from '../../state/datasetStore';
import { useAppStore } from '../../state/appStore';
import { DATASET_CHOICES, useSettings } from '../../state/settingsStore';

const HINTS: Record<DatasetName, string> = {
  mnist: 'Handwritten digits, 28×28 grey',
  cifar10: 'Small photos in 10 classes, 32×32 colour (you provide the data once; it is kept in this browser)',
};

export function DatasetSwitch() {
  const chosen = useSettings((s) => s.dataset);
  const busy = useAppStore((s) => s.task !== null);
  return (
    <div className="segmented" role="radiogroup" aria-label="Data set" data-control="dataset">
      {DATASET_CHOICES.map((d) => (
        <label key={d} className={d === chosen ? 'segment checked' : 'segment'} title={HINTS[d]}>
          <input
            type="radio"
            name="dataset"
            className="visually-hidden"
            value={d}
            checked={d === chosen}
            disabled={busy}
            onChange={() => void chooseDataset(d)}
          />
          {DATASET_TITLES[d]}
        </label>
      ))}
    </div>
  );
}
