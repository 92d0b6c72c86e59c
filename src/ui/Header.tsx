/** Product name, what it is for, the labs, and the settings that apply to all of them. */
import { BackendSelect } from './status/BackendSelect';
import { ModelFilesInput } from './status/ModelFilesInput';

export function Header() {
  return (
    <header className="app-header">
      <div className="brand">
        <h1>Robustness Playground</h1>
        <p className="subtitle">Watch a neural network misread a digit after changes too small for you to notice: adversarial examples on MNIST, in your browser.</p>
      </div>
      <nav aria-label="Labs">
        <a href="#attack-lab" aria-current="page">
          Attack lab
        </a>
      </nav>
      <div className="settings">
        <BackendSelect />
        <ModelFilesInput />
      </div>
    </header>
  );
}
