import { describe, expect, it } from 'vitest';
import { parseReferenceFile, referenceRatios, referenceSuiteJson } from '../../src/core/bench/referenceReport';
import { parseReferenceArchitectures } from '../../src/core/bench/referenceSuite';

const TORCH = JSON.stringify({
  threads: 1,
  torch: '1.13.0',
  reference: [
    { arch: 'cnn', params: 12810, pgd20ImagesPerSecond: 200, trainSamplesPerSecond: 8000 },
    { arch: 'yan-cnn-paper', params: 141066, pgd20ImagesPerSecond: 30, trainSamplesPerSecond: 700 },
  ],
});

describe('reference report', () => {
  it('divides our figures by the reference, per architecture', () => {
    const torch = parseReferenceFile(TORCH, 'torch.json');
    const ours = [
      { arch: 'cnn' as const, backend: 'node/wasm', pgd20ImagesPerSecond: 150, trainSamplesPerSecond: 2000 },
      { arch: 'odenet-paper' as const, backend: 'node/wasm', pgd20ImagesPerSecond: 5, trainSamplesPerSecond: 80 },
    ];
    expect(referenceRatios(ours, torch)).toEqual([
      { arch: 'cnn', backend: 'node/wasm', pgd20: 0.75, train: 0.25 },
      // Not in the reference: no ratio rather than a made-up one.
      { arch: 'odenet-paper', backend: 'node/wasm', pgd20: null, train: null },
    ]);
    const json = referenceSuiteJson(ours, torch);
    expect(json.reference).toEqual(ours);
    expect(referenceSuiteJson(ours, null)).toEqual({ reference: ours });
  });

  it('refuses a file that is not the reference output, naming it', () => {
    expect(() => parseReferenceFile('not json', 'a.json')).toThrow(/a\.json is not JSON/);
    expect(() => parseReferenceFile('{"reference": [{"arch": "cnn"}]}', 'b.json')).toThrow(/b\.json has no/);
  });

  it('reads the architecture list and refuses unknown names', () => {
    expect(parseReferenceArchitectures(undefined)).toEqual(['cnn', 'yan-cnn-paper', 'odenet-paper']);
    expect(parseReferenceArchitectures('odenet-paper,cnn')).toEqual(['odenet-paper', 'cnn']);
    expect(() => parseReferenceArchitectures('resnet')).toThrow(/Unknown reference architecture "resnet"/);
  });
});
