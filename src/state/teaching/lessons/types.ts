/**
 * Lessons are data: each is a list of steps, and each step says what to read, what to set up in the real app (the
 * same fields a link carries), which control to point at, and when the learner has done what it asks, as a test on
 * a snapshot of the app's state. The panel (src/ui/lessons) only displays them.
 */
import type { AttackMethod, Norm } from '../../../core/attacks/types';
import type { DatasetName } from '../../../core/data/dataset';
import type { TrainingPhase } from '../../training/trainingStore';
import type { AttackSettingsDraft } from '../../attackSettings';
import type { ViewId } from '../../urlState';

/** What a step sets up before the learner reads it; each field is optional and the rest stays as it is. */
export interface LessonSetup {
  view?: ViewId;
  dataset?: DatasetName;
  /** A shipped model by its folder under public/models ("mnist-odenet"). */
  model?: string;
  /** A test image by its index in the test split. */
  image?: number;
  attack?: Partial<AttackSettingsDraft>;
  /** The training lab's comparison, by preset id. */
  preset?: string;
  /** The analysis view's models (at most three), shipped ones by folder name: those the step's text talks about. */
  analysisModels?: string[];
}

/** The app's state as the completion checks see it: plain data, so the checks are pure and testable. */
export interface AppSnapshot {
  view: ViewId;
  dataset: DatasetName;
  /** The shipped model in use by its folder name; null for a trained or loaded one. */
  modelId: string | null;
  image: {
    index: number | null;
    trueLabel: number | null;
    predicted: number;
    /** The Dream panel's result put on screen ("Use as picture"), by the class it was dreamed toward. */
    dreamedClass?: number;
  } | null;
  /** The Dream panel's last dream: its class and the shipped model (folder name) that dreamed it, null for others. */
  dream?: { classIndex: number; modelId: string | null } | null;
  attack: AttackSettingsDraft;
  outcome: {
    method: AttackMethod;
    norm: Norm;
    eps: number;
    success: boolean;
    label: number;
    target: number | null;
    linf: number;
    l2: number;
  } | null;
  /** The ε the scrubber shows, when a sweep is on screen, and the ε the attack ran at. */
  scrubbedEps: number | null;
  presetId: string;
  trainingPhase: TrainingPhase;
  /** Which analysis results are on screen (certify: the Certify panel's; smoothing: with randomized smoothing). */
  analysis: {
    robustness: boolean;
    calibration: boolean;
    energy: boolean;
    margins: boolean;
    stability: boolean;
    certify: boolean;
    smoothing: boolean;
  };
  /** Whether "Certify this image" has a certificate for the picture on screen. */
  pictureCertified: boolean;
  presenter: boolean;
}

export interface LessonTask {
  /** The instruction, shown until it is done ("Make the model read this 7 as a 3"). */
  says: string;
  done: (s: AppSnapshot) => boolean;
}

export interface LessonStep {
  title: string;
  /** Paragraphs. */
  text: string[];
  /** Applied whenever the step is shown (Next, Back, a link): so it names all the step needs, not what changed. */
  setup?: LessonSetup;
  /** The control to point at: its `data-control` name, or the id of a panel's heading. */
  highlight?: string;
  /** Without a task, a step is read and the learner moves on (the panel says so). */
  task?: LessonTask;
}

export interface Lesson {
  id: string;
  title: string;
  /** One line for the lessons menu. */
  summary: string;
  steps: LessonStep[];
}
