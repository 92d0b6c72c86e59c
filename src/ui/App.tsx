/** Page layout: header, the sticky status line and messages, and the attack lab. */
import { AttackLab } from './attack-lab/AttackLab';
import { Header } from './Header';
import { DeviceBenchmark } from './settings/DeviceBenchmark';
import { Messages } from './status/Messages';
import { StatusBar } from './status/StatusBar';

export function App() {
  return (
    <div className="app">
      <Header />
      <div className="sticky-top">
        <StatusBar />
        <Messages />
      </div>
      <main id="attack-lab">
        <AttackLab />
      </main>
      <footer className="app-footer">
        <DeviceBenchmark />
      </footer>
    </div>
  );
}
