/**
 * "Dream": class-conditional SGLD with the model on screen (Welling & Teh 2011; Grathwohl et al. 2020, §5.1) from
 * noise or from the picture, toward a chosen class — what the model thinks a 3 looks like. The frames show the walk;
 * "Use as picture" puts its end on screen, to be classified and attacked like any picture.
 */
import { useMemo } from 'react';
import { DREAM_FIELDS, type DreamStart } from '../../core/options/dreamOptions';
import { useAppStore } from '../../state/appStore';
import { useAttackLab } from '../../state/attackLabStore';
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import { cancelDream, runDream, setDreamChoice, putDreamOnScreen } from '../../state/dreamActions';
import { useDream } from '../../state/dreamStore';
import { CONCEPTS } from '../../state/teaching/concepts';
import { ChoiceField } from '../common/ChoiceField';
import { imageToRgba } from '../common/colorMaps';
import { className, formatPercent } from '../common/format';
import { ImageCanvas } from '../common/ImageCanvas';
import { ProgressBar } from '../common/ProgressBar';
import { SchemaNumberField } from '../common/SchemaField';

const FRAME_PX = 64;

function DreamFrames() {
  const result = useDream((s) => s.result);
  const model = useAppStore((s) => s.model);
  const names = useDatasets(selectClassNames);
  const shape = useMemo(() => {
    const [height, width, channels] = model?.meta.inputShape ?? [28, 28, 1];
    return { height, width, channels };
  }, [model]);
  const frames = useMemo(
    () => result?.frames.map((f) => ({ step: f.step, rgba: imageToRgba(f.pixels, shape) })) ?? [],
    [result, shape],
  );
  if (!result) return null;
  const predicted = result.probabilities.indexOf(Math.max(...result.probabilities));
  const target = className(result.classIndex, names);
  return (
    <div className="dream-result" data-testid="dream-result">
      <ol className="dream-strip" aria-label="Dream frames">
        {frames.map((f) => (
          <li key={f.step}>
            <ImageCanvas
              rgba={f.rgba}
              width={shape.width}
              height={shape.height}
              displayWidth={FRAME_PX}
              label={`Dream frame at step ${f.step}`}
            />
            <span className="help">step {f.step}</span>
          </li>
        ))}
      </ol>
      <p role="status" data-testid="dream-summary">
        {result.model} dreamed of a {target} in {result.steps} steps ({(result.ms / 1000).toFixed(1)} s): it now calls
        it {className(predicted, names)} ({formatPercent(result.probabilities[predicted])}); the class energy −f(x)[
        {target}] went from {result.classEnergyStart.toFixed(2)} to {result.classEnergyEnd.toFixed(2)}. SGLD step{' '}
        {result.stepSize}, noise {result.noise} (input units, {result.settingsFrom}).
      </p>
      {result.judge && <JudgeReading judge={result.judge} target={result.classIndex} names={names} />}
      <button type="button" onClick={() => void putDreamOnScreen()}>
        Use as picture
      </button>
    </div>
  );
}

/** How the data set's standard CNN, trained apart, reads the dream: the fair judge of a JEM's samples. */
function JudgeReading({
  judge,
  target,
  names,
}: {
  judge: { name: string; probabilities: number[] };
  target: number;
  names: readonly string[];
}) {
  const read = judge.probabilities.indexOf(Math.max(...judge.probabilities));
  return (
    <p data-testid="dream-judge">
      <strong>
        The standard CNN reads it as {className(read, names)} ({formatPercent(judge.probabilities[read])})
      </strong>{' '}
      — {judge.name}, trained apart from the dreamer, as <code>sample --judge</code> checks dreams:{' '}
      {read === target
        ? `a dream it too reads as a ${className(target, names)} looks like one, not a pattern only the dreamer sees.`
        : `it does not see the ${className(target, names)} that was asked for.`}
    </p>
  );
}

export function DreamPanel() {
  const { classIndex, steps, start, running } = useDream();
  const names = useDatasets(selectClassNames);
  const busy = useAppStore((s) => s.task !== null);
  const progress = useAppStore((s) => (s.task?.kind === 'dream' ? s.task.progress : null));
  const hasPicture = useAttackLab((s) => s.image !== null);
  const modelLoaded = useAppStore((s) => s.model !== null);
  return (
    <section className="panel panel-dream" aria-labelledby="dream-heading">
      <h2 id="dream-heading">Dream</h2>
      <p className="help">
        What does this model think a digit looks like? Langevin dynamics walk from noise (or from the picture) uphill on
        the chosen class’s logit, with a little noise at each step. Any model can dream; a JEM — “Strided CNN, JEM
        (Grathwohl et al. 2020)” in the model list — makes the best dreams, because it was trained so that its energy is
        low on real digits only. A standard classifier mostly dreams adversarial noise.
      </p>
      <div className="dream-controls">
        <ChoiceField
          label={DREAM_FIELDS.classIndex.label}
          value={String(classIndex)}
          choices={names.map((n, i) => ({ value: String(i), text: n }))}
          onChange={(v) => setDreamChoice({ classIndex: Number(v) })}
          help={DREAM_FIELDS.classIndex.help}
        />
        <SchemaNumberField
          field={DREAM_FIELDS.steps}
          value={steps}
          onChange={(v) => setDreamChoice({ steps: v })}
          disabled={running}
        />
        <ChoiceField<DreamStart>
          label={DREAM_FIELDS.start.label}
          value={start}
          choices={[
            { value: 'noise', text: 'uniform noise' },
            { value: 'picture', text: 'the picture on screen' },
          ]}
          onChange={(v) => setDreamChoice({ start: v })}
          help={DREAM_FIELDS.start.help}
        />
      </div>
      <div className="button-row">
        <button
          type="button"
          disabled={busy || !modelLoaded || (start === 'picture' && !hasPicture)}
          onClick={() => void runDream()}
        >
          Dream
        </button>
      </div>
      {running && (
        <ProgressBar
          label="Dreaming"
          fraction={progress?.fraction ?? null}
          message={progress ? `Dreaming: ${progress.message}` : 'Dreaming'}
          onCancel={cancelDream}
        />
      )}
      <DreamFrames />
      <details className="concept">
        <summary>{CONCEPTS.sgld.title}</summary>
        {CONCEPTS.sgld.paragraphs.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </details>
    </section>
  );
}
