/** The attack's outcome: the three images, the verdict, the ε scrubber and the probabilities. */
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import { useAttackLab, selectShownOutcome } from '../../state/attackLabStore';
import { ChannelPerturbations } from './ChannelPerturbations';
import { DownloadButton } from './DownloadButton';
import { EpsilonScrubber } from './EpsilonScrubber';
import { OutcomeSummary } from './OutcomeSummary';
import { ProbabilityChart } from './ProbabilityChart';
import { ResultImages } from './ResultImages';

export function AttackResults() {
  const outcome = useAttackLab(selectShownOutcome);
  const image = useAttackLab((s) => s.image);
  const names = useDatasets(selectClassNames);
  return (
    <section className="panel panel-results" aria-labelledby="results-heading">
      <h2 id="results-heading">3 · Adversarial example</h2>
      {outcome && image ? (
        <>
          <ResultImages image={image} outcome={outcome} />
          {image.channels === 3 && <ChannelPerturbations perturbation={outcome.perturbation} shape={image} />}
          <OutcomeSummary outcome={outcome} classNames={names} />
          <EpsilonScrubber />
          <ProbabilityChart outcome={outcome} classNames={names} />
          <DownloadButton image={image} outcome={outcome} classNames={names} />
        </>
      ) : (
        <p className="placeholder">
          Set the attack and press Attack: the original, the perturbation and the adversarial image appear here.
        </p>
      )}
    </section>
  );
}
