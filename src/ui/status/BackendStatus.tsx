/** Which tfjs backend runs the model and why; the backends that could not start, on demand. */
import { useAppStore } from '../../state/appStore';

export function BackendStatus() {
  const backend = useAppStore((s) => s.backend);
  if (!backend) return <span data-testid="status-backend">Backend: starting…</span>;
  // The adapter and the backends that failed are detail: on hover, and in the list below.
  const threads = backend.threads === undefined ? '' : `${backend.threads} thread${backend.threads === 1 ? '' : 's'}`;
  const details = [
    threads ? `wasm computes with ${threads} (this device reports ${navigator.hardwareConcurrency} cores)` : '',
    backend.adapter ? `WebGPU adapter: ${backend.adapter}` : '',
    ...backend.unavailable.map((u) => `${u.name} unavailable: ${u.why}`),
  ].filter(Boolean);
  return (
    <span className="status-item">
      <span data-testid="status-backend" title={details.join('\n') || undefined}>
        Backend: <strong>{backend.name}</strong> — {backend.reason}
      </span>
      {threads && (
        <span className="status-threads" data-testid="status-threads" title={details[0]}>
          {threads}
        </span>
      )}
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
