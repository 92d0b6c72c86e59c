/** The "?" list of keyboard shortcuts. */
import { useEffect, useRef } from 'react';
import { setShortcutsOpen, usePresentation } from '../../state/presentationStore';
import { SHORTCUTS } from './shortcuts';

export function ShortcutsDialog() {
  const open = usePresentation((s) => s.shortcutsOpen);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) close.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading">
        <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <th scope="row">
                  <kbd>{s.keys}</kbd>
                </th>
                <td>{s.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={close} type="button" onClick={() => setShortcutsOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
