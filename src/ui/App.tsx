/** Page layout: header, the sticky status line and messages, and the lab on screen. */
import { AnalysisView } from './analysis/AnalysisView';
import { AttackLab } from './attack-lab/AttackLab';
import { Header } from './Header';
import { DeviceBenchmark } from './settings/DeviceBenchmark';
import { Messages } from './status/Messages';
import { StatusBar } from './status/StatusBar';
import { TrainingLab } from './training-lab/TrainingLab';
import { useLabView } from './useLabView';

export function App() {
  const view = useLabView();
  return (
    <div className="app">
      <Header view={view} />
      <div className="sticky-top">
        <StatusBar />
        <Messages />
      </div>
      {/* Both labs stay mounted: switching does not lose a half-edited comparison or an attack. */}
      <main id="attack-lab" hidden={view !== 'attack-lab'}>
        <AttackLab />
      </main>
      <main id="training-lab" hidden={view !== 'training-lab'}>
        <TrainingLab />
      </main>
      <main id="analysis" hidden={view !== 'analysis'}>
        <AnalysisView />
      </main>
      <footer className="app-footer">
        <DeviceBenchmark />
      </footer>
    </div>
  );
}
