/**
 * JEM's refinement for the robustness sweeps (Grathwohl et al. 2020, §5.3): 0, 1 or 10 SGLD steps down the model's
 * energy before each classification, the attack differentiating through them and averaging S noise draws (EOT).
 */
import { ANALYSIS_FIELDS, REFINE_STEP_CHOICES } from '../../core/options/analysisOptions';
import { setRefinement } from '../../state/analysis/analysisActions';
import { useAnalysis } from '../../state/analysis/analysisStore';
import { ChoiceField } from '../common/ChoiceField';
import { SchemaNumberField } from '../common/SchemaField';
import { ConceptLink } from './ConceptGlossary';

export function RefinementControl({ busy }: { busy: boolean }) {
  const refinement = useAnalysis((s) => s.refinement);
  return (
    <div className="button-row" data-control="refinement">
      <ChoiceField
        label={ANALYSIS_FIELDS.refineSteps.label}
        value={String(refinement.steps)}
        choices={REFINE_STEP_CHOICES.map((k) => ({
          value: String(k),
          text: k === 0 ? 'none (classify as is)' : `${k} step${k === 1 ? '' : 's'} before classifying`,
        }))}
        onChange={(v) => setRefinement({ steps: Number(v) })}
        help={
          `${ANALYSIS_FIELDS.refineSteps.help} Each step costs a gradient per EOT draw, so 10 steps make an ` +
          'evaluation tens of times slower: use fewer test images.'
        }
      />
      {refinement.steps > 0 && (
        <SchemaNumberField
          field={ANALYSIS_FIELDS.eotDraws}
          value={refinement.draws}
          onChange={(draws) => setRefinement({ draws })}
          disabled={busy}
        />
      )}
      <ConceptLink id="jem-refinement" />
    </div>
  );
}
