/** What the address asked for that was ignored, one sentence per parameter; the app runs on without it. */
import { dismissLinkNotes, useLinkStore } from '../../state/linkStore';

export function LinkNotes() {
  const notes = useLinkStore((s) => s.notes);
  if (notes.length === 0) return null;
  return (
    <div className="link-notes" role="status" data-testid="link-notes">
      <ul>
        {notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={dismissLinkNotes}>
        Dismiss
      </button>
    </div>
  );
}
