/**
 * "Copy link": the address of what is on screen, to the clipboard. Where the clipboard is refused (no permission, an
 * insecure page, an iframe) the link is shown selected in a field, to copy by hand; either way it stays visible, in a
 * box floating under the button (styles.css), so that showing it never moves the page.
 */
import { useRef, useState } from 'react';

/** The gap kept between the floating box and the window's edges. */
const EDGE_PX = 8;

/** Shifts the floating box left so it ends inside the window (a button near the right edge, a narrow screen). */
function keepInWindow(box: HTMLElement | null): void {
  if (!box) return;
  box.style.left = '';
  const rect = box.getBoundingClientRect();
  const overflow = rect.right - (document.documentElement.clientWidth - EDGE_PX);
  if (overflow > 0) box.style.left = `${-Math.min(overflow, rect.left - EDGE_PX)}px`;
}
import { currentLink, linkCaveats } from '../../state/linkActions';

export function CopyLinkButton() {
  const [shown, setShown] = useState<{ link: string; copied: boolean; caveats: string[] } | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    const link = currentLink();
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch {
      copied = false; // shown below for copying by hand
    }
    setShown({ link, copied, caveats: linkCaveats() });
    requestAnimationFrame(() => field.current?.select());
  };
  return (
    <div className="copy-link" data-control="copy-link">
      <button type="button" className="secondary" onClick={() => void copy()}>
        Copy link
      </button>
      {shown && (
        <div ref={keepInWindow} className="copy-link-result" role="status">
          <span>{shown.copied ? 'Link copied:' : 'Copy this link:'}</span>
          <input
            ref={field}
            type="text"
            readOnly
            aria-label="Link to this setup"
            value={shown.link}
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="link-button" aria-label="Hide the link" onClick={() => setShown(null)}>
            ✕
          </button>
          {shown.caveats.map((c) => (
            <small key={c} className="help">
              {c}
            </small>
          ))}
        </div>
      )}
    </div>
  );
}
