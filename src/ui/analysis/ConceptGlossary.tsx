/** The in-app explanations the analysis charts link to, each a collapsible entry. */
import { CONCEPTS, conceptElementId, type ConceptId } from '../../state/teaching/concepts';

/** Opens an explanation and scrolls to it (a hash link would switch the view). */
export function showConcept(id: ConceptId): void {
  const el = document.getElementById(conceptElementId(id));
  if (!(el instanceof HTMLDetailsElement)) return;
  el.open = true;
  el.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

const DEFAULT_LINK_LABEL = 'What is this?';

export function ConceptLink({ id, label = DEFAULT_LINK_LABEL }: { id: ConceptId; label?: string }) {
  // Many charts say "What is this?": the accessible name says which explanation it opens.
  const ariaLabel = label === DEFAULT_LINK_LABEL ? `${label} ${CONCEPTS[id].title}` : undefined;
  return (
    <button type="button" className="link-button" onClick={() => showConcept(id)} aria-label={ariaLabel}>
      {label}
    </button>
  );
}

export function ConceptGlossary() {
  return (
    <section className="panel" aria-labelledby="concepts-heading" data-testid="concept-glossary">
      <h2 id="concepts-heading">What the charts measure</h2>
      {(Object.keys(CONCEPTS) as ConceptId[]).map((id) => (
        <details key={id} id={conceptElementId(id)} className="concept">
          <summary>{CONCEPTS[id].title}</summary>
          {CONCEPTS[id].paragraphs.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </details>
      ))}
    </section>
  );
}
