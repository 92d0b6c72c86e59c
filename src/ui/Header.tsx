/** Product name, what it is for, the labs, and the settings that apply to all of them. */
import { DatasetSwitch } from './dataset/DatasetSwitch';
import { BackendSelect } from './status/BackendSelect';
import { ModelFilesInput } from './status/ModelFilesInput';
import { AboutModelButton } from './status/ModelCardDialog';
import { ModelPicker } from './status/ModelPicker';
import { LessonsMenu } from './lessons/LessonsMenu';
import { CopyLinkButton } from './teaching/CopyLinkButton';
import { LAB_VIEWS, type LabView } from './useLabView';

export function Header({ view }: { view: LabView }) {
  return (
    <header className="app-header">
      <div className="brand">
        <h1>Robustness Playground</h1>
        <p className="subtitle">
          Watch a neural network misread a digit or a photo after changes too small for you to notice — then train your
          own, and measure margins, calibration and stability. MNIST and CIFAR-10, in your browser.
        </p>
      </div>
      <nav aria-label="Labs" data-control="nav">
        {LAB_VIEWS.map((v) => (
          <a key={v.id} href={`#${v.id}`} aria-current={view === v.id ? 'page' : undefined}>
            {v.title}
          </a>
        ))}
      </nav>
      <div className="teaching-tools">
        <LessonsMenu />
        <CopyLinkButton />
      </div>
      <div className="settings">
        <DatasetSwitch />
        <ModelPicker />
        <AboutModelButton />
        <BackendSelect />
        <ModelFilesInput />
      </div>
    </header>
  );
}
