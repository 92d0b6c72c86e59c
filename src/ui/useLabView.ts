/** Which lab is on screen, kept in the address (#attack-lab, #training-lab) so links and Back work. */
import { useEffect, useState } from 'react';

export const LAB_VIEWS = [
  { id: 'attack-lab', title: 'Attack lab' },
  { id: 'training-lab', title: 'Training lab' },
  { id: 'analysis', title: 'Analysis' },
] as const;

export type LabView = (typeof LAB_VIEWS)[number]['id'];

function viewFromHash(): LabView {
  const id = window.location.hash.replace(/^#/, '');
  return LAB_VIEWS.find((v) => v.id === id)?.id ?? 'attack-lab';
}

export function useLabView(): LabView {
  const [view, setView] = useState(viewFromHash);
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return view;
}
