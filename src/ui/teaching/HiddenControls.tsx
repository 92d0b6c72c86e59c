/** `hide=eps,norm`: one style rule hides every element that carries one of those `data-control` names. */
import { useLinkStore } from '../../state/linkStore';

export function HiddenControls() {
  const hide = useLinkStore((s) => s.hide);
  if (hide.length === 0) return null;
  // The names come from a fixed list (urlState HIDEABLE_CONTROLS), so they are safe inside a selector.
  const selector = hide.map((name) => `[data-control="${name}"]`).join(',\n');
  return <style>{`${selector} { display: none !important; }`}</style>;
}
