/** What this browser keeps of CIFAR-10, how much room it takes, and the way to delete it. */
import { forgetCifar10 } from '../../state/datasetActions';
import { useDatasets } from '../../state/datasetStore';
import { useAppStore } from '../../state/appStore';

export const formatMegabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function Cifar10Storage() {
  const stored = useDatasets((s) => s.cifar10);
  const busy = useAppStore((s) => s.task !== null);
  if (!stored) return null;
  const counts = [
    stored.counts.test !== undefined && `${stored.counts.test.toLocaleString('en')} test`,
    stored.counts.train !== undefined && `${stored.counts.train.toLocaleString('en')} training`,
  ]
    .filter(Boolean)
    .join(' + ');
  return (
    <div className="storage-line" data-testid="cifar10-storage">
      <span>
        CIFAR-10: {counts} images,{' '}
        {stored.persisted ? (
          <>
            stored in this browser: <strong data-testid="cifar10-storage-size">{formatMegabytes(stored.bytes)}</strong>
          </>
        ) : (
          <span title={stored.notPersistedBecause}>
            not stored (the browser refused: {stored.notPersistedBecause ?? 'unknown reason'}); for this visit only
          </span>
        )}
      </span>
      <button type="button" className="secondary" disabled={busy} onClick={() => void forgetCifar10()}>
        Forget CIFAR-10 data
      </button>
    </div>
  );
}
