/**
 * Page layout: header, the sticky status line and messages, and the lab on screen. With `embed=` in the address only
 * that one widget renders (for an iframe in a course page); `hide=` hides named controls; P the presenter view.
 */
import { useEffect } from 'react';
import { useLessons } from '../state/lessons/lessonStore';
import { useLinkStore } from '../state/linkStore';
import { usePresentation } from '../state/presentationStore';
import type { EmbedWidget } from '../state/urlState';
import { AnalysisView } from './analysis/AnalysisView';
import { AttackLab } from './attack-lab/AttackLab';
import { Header } from './Header';
import { LessonPanel } from './lessons/LessonPanel';
import { DeviceBenchmark } from './settings/DeviceBenchmark';
import { Messages } from './status/Messages';
import { StatusBar } from './status/StatusBar';
import { HiddenControls } from './teaching/HiddenControls';
import { LinkNotes } from './teaching/LinkNotes';
import { ShortcutsDialog } from './teaching/ShortcutsDialog';
import { useShortcuts } from './teaching/useShortcuts';
import { TrainingLab } from './training-lab/TrainingLab';
import { useLabView } from './useLabView';

const EMBEDDED: Record<EmbedWidget, () => React.JSX.Element> = {
  attack: AttackLab,
  training: TrainingLab,
  analysis: AnalysisView,
};

export function App() {
  const view = useLabView();
  const embed = useLinkStore((s) => s.embed);
  const presenter = usePresentation((s) => s.presenter);
  const inLesson = useLessons((s) => s.lessonId !== null);
  useShortcuts();
  // rem sizes follow the root's font size, so the presenter view scales the whole page from there.
  useEffect(() => {
    document.documentElement.classList.toggle('presenter', presenter);
  }, [presenter]);
  const className = ['app', presenter && 'presenter', inLesson && 'lesson-open'].filter(Boolean).join(' ');
  if (embed !== null) {
    const Widget = EMBEDDED[embed];
    return (
      <div className={`${className} embedded`} data-embed={embed}>
        <HiddenControls />
        <div className="sticky-top">
          <Messages />
          <LinkNotes />
        </div>
        <main id={embed}>
          <Widget />
        </main>
      </div>
    );
  }
  return (
    <div className={className}>
      <HiddenControls />
      <Header view={view} />
      <div className="sticky-top">
        <StatusBar />
        <Messages />
        <LinkNotes />
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
      <LessonPanel />
      <ShortcutsDialog />
      <footer className="app-footer">
        <DeviceBenchmark />
      </footer>
    </div>
  );
}
