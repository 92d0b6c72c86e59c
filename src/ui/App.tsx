/**
 * Page layout: header, the sticky status line and messages, and the lab on screen. With `embed=` in the address only
 * that one widget renders (for an iframe in a course page); `hide=` hides named controls; P the presenter view.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useLessons } from '../state/lessonStore';
import { useLinkStore } from '../state/linkStore';
import { usePresentation } from '../state/presentationStore';
import type { EmbedWidget } from '../state/urlState';
import { AttackLab } from './attack-lab/AttackLab';
import { AtStage } from './common/MountStages';
import { Header } from './Header';
import { LessonPanel } from './lessons/LessonPanel';
import { DeviceBenchmark } from './settings/DeviceBenchmark';
import { Messages } from './status/Messages';
import { StatusBar } from './status/StatusBar';
import { HiddenControls } from './teaching/HiddenControls';
import { LinkNotes } from './teaching/LinkNotes';
import { ShortcutsDialog } from './teaching/ShortcutsDialog';
import { ModelCardDialog } from './status/ModelCardDialog';
import { OnnxImportDialog } from './status/OnnxImportDialog';
import { useShortcuts } from './teaching/useShortcuts';
import { useLabView } from './useLabView';

// The training lab and the analysis view load when first opened: the first screen (the attack lab) needs neither,
// and leaving them out keeps the page's own JavaScript small, so the first prediction comes sooner.
const TrainingLab = lazy(() => import('./training-lab/TrainingLab').then((m) => ({ default: m.TrainingLab })));
const AnalysisView = lazy(() => import('./analysis/AnalysisView').then((m) => ({ default: m.AnalysisView })));

const loading = <p className="help">Loading this view…</p>;

/** The views opened so far: each is mounted on its first visit and stays mounted after. */
function useVisitedViews(view: string): Set<string> {
  const [visited, setVisited] = useState(() => new Set([view]));
  if (!visited.has(view)) setVisited(new Set([...visited, view]));
  return visited;
}

const EMBEDDED: Record<EmbedWidget, React.ComponentType> = {
  attack: AttackLab,
  training: TrainingLab,
  analysis: AnalysisView,
};

export function App() {
  const view = useLabView();
  const embed = useLinkStore((s) => s.embed);
  const presenter = usePresentation((s) => s.presenter);
  const inLesson = useLessons((s) => s.lessonId !== null);
  const visited = useVisitedViews(view);
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
          <Suspense fallback={loading}>
            <Widget />
          </Suspense>
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
      {/* Views stay mounted once opened: switching does not lose a half-edited comparison or an attack. */}
      <main id="attack-lab" hidden={view !== 'attack-lab'}>
        <AttackLab />
      </main>
      <main id="training-lab" hidden={view !== 'training-lab'}>
        {visited.has('training-lab') && (
          <Suspense fallback={loading}>
            <TrainingLab />
          </Suspense>
        )}
      </main>
      <main id="analysis" hidden={view !== 'analysis'}>
        {visited.has('analysis') && (
          <Suspense fallback={loading}>
            <AnalysisView />
          </Suspense>
        )}
      </main>
      <AtStage at={3}>
        <LessonPanel />
        <ShortcutsDialog />
        <OnnxImportDialog />
        <ModelCardDialog />
        <footer className="app-footer">
          <DeviceBenchmark />
        </footer>
      </AtStage>
    </div>
  );
}
