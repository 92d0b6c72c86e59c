/**
 * "Benchmark this device": attack and training throughput on the backend that runs now, with the
 * loaded model. The JSON result is shown as it is (the `npm run bench` browser half reads it).
 */
import { useState } from 'react';
import { simulateGpuLoss } from '../../state/backendActions';
import { runDeviceBenchmark } from '../../state/benchmarkActions';
import { useAppStore } from '../../state/appStore';
import type { DeviceBenchmark as Result } from '../../worker/api';

/** Numbers to one decimal, nested objects included (the per-architecture figures). */
function round(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 10) / 10;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  return value;
}

export function DeviceBenchmark() {
  const [result, setResult] = useState<Result | null>(null);
  const busy = useAppStore((s) => s.task !== null);
  const onWebGpu = useAppStore((s) => s.backend?.name === 'webgpu');
  const run = async () => {
    setResult(null);
    const r = await runDeviceBenchmark();
    if (r) setResult(r);
  };
  return (
    <details className="device-benchmark">
      <summary>Benchmark this device</summary>
      <p className="help">
        FGSM and PGD-20 (L∞, ε = 0.3) on a batch of 256 test digits, one-image FGSM latency, model load time and
        training steps (the small CNN, then every architecture at classroom size), on the backend shown in the status
        line. Takes from seconds (GPU) to minutes (software WebGPU).
      </p>
      <button type="button" onClick={() => void run()} disabled={busy}>
        Benchmark this device
      </button>
      {onWebGpu && (
        <p>
          <button type="button" className="secondary" onClick={() => void simulateGpuLoss()} disabled={busy}>
            Simulate a lost GPU device
          </button>{' '}
          <span className="help">
            Destroys the WebGPU device, as a driver reset would: the playground should switch backend and say so.
          </span>
        </p>
      )}
      {result && (
        <pre data-testid="benchmark-result" data-done="true">
          {JSON.stringify(round(result), null, 1)}
        </pre>
      )}
    </details>
  );
}
