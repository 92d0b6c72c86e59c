/** The attack's outcome: the three images, the verdict, the ε scrubber and the probabilities. */
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import { type AttackJob, selectShownOutcome, useAttackLab } from '../../state/attackLabStore';
import { ChannelPerturbations } from './ChannelPerturbations';
import { DownloadButton } from './DownloadButton';
import { EpsilonScrubber } from './EpsilonScrubber';
import { OutcomeSummary } from './OutcomeSummary';
import { ProbabilityChart } from './ProbabilityChart';
import { ResultImages } from './ResultImages';

/** What the empty results panel says: what is on its way, if anything. */
function pendingText(job: AttackJob | null, classifying: boolean): string {
  if (job?.phase === 'queued') return `Queued: ${job.label}; its result will appear here.`;
  if (job) return `${job.label}: the result will appear here.`;
  if (classifying) return 'The new picture is being classified. Press Attack now and the attack waits for it.';
  return 'Set the attack and press Attack: the original, the perturbation and the adversarial image appear here.';
}

export function AttackResults() {
  const outcome = useAttackLab(selectShownOutcome);
  const image = useAttackLab((s) => s.image);
  const classifying = useAttackLab((s) => s.pendingImage !== null);
  const job = useAttackLab((s) => s.job);
  const names = useDatasets(selectClassNames);
  return (
    <section className="panel panel-results" aria-labelledby="results-heading">
      <h2 id="results-heading">
        <span className="step-number">3 · </span>Adversarial example
      </h2>
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
        <p className="placeholder" data-testid="results-placeholder" role="status">
          {pendingText(job, classifying)}
        </p>
      )}
    </section>
  );
}
