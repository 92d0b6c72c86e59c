/**
 * "Copy link": the address of what is on screen, to the clipboard. Where the clipboard is refused (no permission, an
 * insecure page, an iframe) the link is shown selected in a field, to copy by hand; either way it stays visible.
 */
import { useRef, useState } from 'react';
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
        <div className="copy-link-result" role="status">
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
