/** Which tfjs backend runs the model and why; the backends that could not start, on demand. */
import { useLab } from '../../state/labStore';

export function BackendStatus() {
  const backend = useLab((s) => s.backend);
  if (!backend) return <span data-testid="status-backend">Backend: starting…</span>;
  const unavailable = backend.unavailable.map((u) => `${u.name}: ${u.why}`).join('\n');
  return (
    <span className="status-item">
      <span data-testid="status-backend" title={unavailable || undefined}>
        Backend: <strong>{backend.name}</strong> — {backend.reason}
        {backend.adapter ? ` (${backend.adapter})` : ''}
      </span>
      {backend.unavailable.length > 0 && (
        <details className="unavailable">
          <summary>{backend.unavailable.length} unavailable</summary>
          <ul>
            {backend.unavailable.map((u) => (
              <li key={u.name}>
                <strong>{u.name}</strong>: {u.why}
              </li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
