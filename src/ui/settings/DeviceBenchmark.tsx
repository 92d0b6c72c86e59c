/**
 * "Benchmark this device": attack and training throughput on the backend that runs now, with the
 * loaded model. The JSON result is shown as it is (the `npm run bench` browser half reads it).
 */
import { useState } from 'react';
import { simulateGpuLoss } from '../../state/backendActions';
import { REFERENCE_ARCHITECTURES, type ReferenceArchitecture } from '../../core/bench/referenceArchitectures';
import { runDeviceBenchmark, runReferenceSuite } from '../../state/benchmarkActions';
import { useAppStore } from '../../state/appStore';
import type { DeviceBenchmark as Result } from '../../worker/api';

/** Numbers to one decimal, nested objects included (the per-architecture figures). */
function round(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 10) / 10;
  if (Array.isArray(value)) return value.map(round);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  return value;
}

export function DeviceBenchmark() {
  const [result, setResult] = useState<Result | { reference: unknown } | null>(null);
  const [archs, setArchs] = useState<ReferenceArchitecture[]>([...REFERENCE_ARCHITECTURES]);
  const busy = useAppStore((s) => s.task !== null);
  const onWebGpu = useAppStore((s) => s.backend?.name === 'webgpu');
  const run = async () => {
    setResult(null);
    const r = await runDeviceBenchmark();
    if (r) setResult(r);
  };
  const runReference = async () => {
    setResult(null);
    const r = await runReferenceSuite(archs);
    if (r) setResult(r);
  };
  const toggle = (arch: ReferenceArchitecture, on: boolean) =>
    setArchs((list) => REFERENCE_ARCHITECTURES.filter((a) => (a === arch ? on : list.includes(a))));
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
      <fieldset className="reference-suite">
        <legend>Side by side with native PyTorch</legend>
        <p className="help">
          The reference suite: PGD-20 (L∞, ε = 0.3, step 0.01, random start) on 256 random images and Adam training
          steps at batch 64, for the architectures chosen below, exactly as the PyTorch reference script times them. The
          paper-size models take minutes.
        </p>
        {REFERENCE_ARCHITECTURES.map((arch) => (
          <label key={arch}>
            <input
              type="checkbox"
              checked={archs.includes(arch)}
              onChange={(e) => toggle(arch, e.currentTarget.checked)}
            />{' '}
            {arch}
          </label>
        ))}{' '}
        <button type="button" onClick={() => void runReference()} disabled={busy || archs.length === 0}>
          Run the reference suite
        </button>
      </fieldset>
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
