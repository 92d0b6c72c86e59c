/** The loaded model, by its display name, and how accurate it was on held-out data when it was written. */
import { useAppStore } from '../../state/appStore';
import { modelDisplayName } from '../../state/shippedModels';
import { formatPercent, groupThousands } from '../common/format';

export function ModelStatus() {
  const model = useAppStore((s) => s.model);
  if (!model) return <span data-testid="status-model">Model: loading…</span>;
  const acc = model.meta.heldOutAccuracy;
  return (
    <span
      data-testid="status-model"
      title={`${model.meta.description}\nSource: ${model.source}\n${groupThousands(model.parameters)} parameters`}
    >
      Model: <strong data-testid="status-model-name">{modelDisplayName(model.source)}</strong> —{' '}
      {acc
        ? `${formatPercent(acc.value)} held-out accuracy (${groupThousands(acc.n)} ${acc.split} images)`
        : 'held-out accuracy not recorded'}
      <span className="status-more"> · {model.meta.description}</span>
    </span>
  );
}
