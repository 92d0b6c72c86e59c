/** The attack's outcome: the three images, the verdict, the ε scrubber and the probabilities. */
import { selectShownOutcome, useLab } from '../../state/labStore';
import { DownloadButton } from './DownloadButton';
import { EpsilonScrubber } from './EpsilonScrubber';
import { OutcomeSummary } from './OutcomeSummary';
import { ProbabilityChart } from './ProbabilityChart';
import { ResultImages } from './ResultImages';

export function AttackResults() {
  const outcome = useLab(selectShownOutcome);
  const image = useLab((s) => s.image);
  return (
    <section className="panel panel-results" aria-labelledby="results-heading">
      <h2 id="results-heading">3 · Adversarial example</h2>
      {outcome && image ? (
        <>
          <ResultImages image={image} outcome={outcome} />
          <OutcomeSummary outcome={outcome} />
          <EpsilonScrubber />
          <ProbabilityChart outcome={outcome} />
          <DownloadButton image={image} outcome={outcome} />
        </>
      ) : (
        <p className="placeholder">Set the attack and press Attack: the original, the perturbation and the adversarial image appear here.</p>
      )}
    </section>
  );
}
