/**
 * Lyu & Li's normalised margin and the Lipschitz bound per model: a table of the numbers, and the
 * operator norm of every layer (power iteration on the layer's actual linear map), or the reason
 * the bound is not available for this model.
 */
import type { MarginsResult } from '../../worker/api';
import { ChartCard } from '../common/ChartCard';
import { valueAxis } from '../common/chartAxes';
import { PlainChart } from '../common/PlainChart';
import { formatValue, slug } from './histogramRows';
import { modelColour } from './modelColours';
import { ConceptLink } from './ConceptGlossary';

export function LipschitzTable({ results }: { results: MarginsResult[] }) {
  return (
    <div className="table-scroll">
      <table className="run-results" data-testid="margins-table">
        <caption>Normalised margin and certified L2 radius (correctly classified images)</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" title="smallest margin over the images">
              q_min
            </th>
            <th scope="col" title="‖θ‖₂ over all parameters">
              ρ
            </th>
            <th scope="col" title="weight layers">
              L
            </th>
            <th scope="col" title="q_min / ρ^L (Lyu & Li)">
              γ̄ = q_min/ρ^L
            </th>
            <th scope="col" title="Π‖W_l‖₂, an upper bound on the L2 Lipschitz constant">
              Π‖W‖₂
            </th>
            <th scope="col" title="median of q/(√2·Π‖W‖₂)">
              certified L2 (median)
            </th>
            <th scope="col" title="median L2 distance DeepFool needed">
              DeepFool L2 (median)
            </th>
            <th scope="col" title="median smallest ε at which PGD broke the image">
              PGD L∞ (median)
            </th>
          </tr>
        </thead>
        <tbody>
          {results.map(({ name, result: r }) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{formatValue(r.normalizedMargin.qMin)}</td>
              <td>{formatValue(r.normalizedMargin.rho)}</td>
              <td>{r.normalizedMargin.layers}</td>
              <td>
                {formatValue(r.normalizedMargin.value)}
                {!r.normalizedMargin.homogeneous && (
                  <span className="help"> (not homogeneous: a number to compare, not Lyu & Li’s theorem)</span>
                )}
              </td>
              {r.lipschitz ? (
                <>
                  <td>{formatValue(r.lipschitz.product)}</td>
                  <td>{formatValue(r.lipschitz.l2LowerBound.median)}</td>
                </>
              ) : (
                <td colSpan={2} className="help" data-testid="lipschitz-message">
                  No bound: {r.lipschitzMessage}
                </td>
              )}
              <td>{formatValue(r.deepfool.achieved.median)}</td>
              <td>{r.pgdDistance ? formatValue(r.pgdDistance.distance.median) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Axis labels short enough to sit side by side: "conv", "maxpool", "dense". */
const shortName = (className: string) =>
  className
    .replace(/Pooling2D$/, 'pool')
    .replace(/2D$/, '')
    .replace(/^GlobalAverage/, 'gap-')
    .toLowerCase();

export function OperatorNormChart({ result, index }: { result: MarginsResult; index: number }) {
  const lip = result.result.lipschitz;
  if (!lip) return null;
  const rows = lip.layers.map((l, i) => ({
    layer: `${i + 1} ${shortName(l.className)}`,
    name: l.layer,
    norm: l.norm,
    method: l.method,
    iterations: l.iterations ?? null,
  }));
  // One bar per layer at x = 1, 2, …; the ticks name the layers.
  const layerTicks = rows.map((_, i) => i + 1);
  return (
    <ChartCard
      title={`Layer operator norms: ${result.name}`}
      definition={
        `‖W_l‖₂ of each layer by power iteration on the layer's own linear map (convolutions included; ` +
        `pooling and activations by their Lipschitz constants). Product ${formatValue(lip.product)}; certified ` +
        `radius q/(√2·Π‖W‖₂), median ${formatValue(lip.l2LowerBound.median)}.`
      }
      rows={rows}
      fileName={`operator-norms-${slug(result.name)}`}
      testId="operator-norm-chart"
      explain={<ConceptLink id="lipschitz" />}
    >
      <PlainChart
        height={220}
        legend={false}
        x={{
          domain: [0.5, rows.length + 0.5],
          ticks: layerTicks,
          format: (i) => rows[i - 1]?.layer ?? '',
          label: 'layer',
        }}
        y={{
          ...valueAxis(
            rows.map((r) => r.norm),
            { from0: true },
          ),
          format: formatValue,
          label: '‖W‖₂',
        }}
        series={[
          {
            id: 'norm',
            name: 'operator norm',
            colour: modelColour(index),
            kind: 'bars',
            barWidth: 0.8,
            points: rows.map((r, i) => ({
              x: i + 1,
              y: r.norm,
              title:
                `${r.layer} (${r.name}): ${formatValue(r.norm)} (${r.method}` +
                `${r.iterations ? `, ${r.iterations} iterations` : ''})`,
            })),
          },
        ]}
      />
    </ChartCard>
  );
}
