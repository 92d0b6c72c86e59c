/** The switch between accuracy axes fitted to the data (the default, chartAxes.ts) and the full 0–100 % scale. */
export function AccuracyScaleToggle({ full, onChange }: { full: boolean; onChange: (full: boolean) => void }) {
  return (
    <label className="checkbox accuracy-scale-toggle">
      <input type="checkbox" checked={full} onChange={(e) => onChange(e.target.checked)} />
      Accuracy axes from 0 to 100 %
    </label>
  );
}
