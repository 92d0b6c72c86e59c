/**
 * The Certify panel's curves for one model, row by ε: the certified accuracy (the best of the sound bounds that
 * ran: IBP and CROWN each prove a subset of the images robust, so the larger share is still proven), the
 * empirical accuracy under the attack, and the band between them — images neither proven robust nor broken.
 *
 * A certified share above the empirical one on the same images would mean a certificate the attack broke (an
 * unsound bound or a bug): such ε are listed, never hidden by the band.
 */
import type { ModelCertification } from '../../worker/api';

export interface BandRow {
  eps: number;
  ibp: number | null;
  crown: number | null;
  /** The largest certified accuracy of the methods that ran; null when none did. */
  certified: number | null;
  empirical: number | null;
  /** [certified, empirical]: the unknown band, for a range area; null when either end is missing. */
  band: [number, number] | null;
}

export interface CertificationBand {
  rows: BandRow[];
  /** ε at which certified accuracy exceeds the empirical accuracy (should never happen). */
  violations: number[];
  /** The widest band, in accuracy. */
  widest: number;
}

const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

export function certificationBand(m: Pick<ModelCertification, 'certified' | 'empirical'>): CertificationBand {
  const epsValues = [
    ...new Set([
      ...m.empirical.map((e) => e.eps),
      ...m.certified.flatMap((c) => ('points' in c ? c.points.map((p) => p.eps) : [])),
    ]),
  ].sort((a, b) => a - b);
  const at = (method: 'ibp' | 'crown', eps: number) => {
    const curve = m.certified.find((c) => c.method === method);
    return curve && 'points' in curve ? finite(curve.points.find((p) => p.eps === eps)?.certifiedAccuracy) : null;
  };
  const rows = epsValues.map((eps): BandRow => {
    const ibp = at('ibp', eps);
    const crown = at('crown', eps);
    const proven = [ibp, crown].filter((v): v is number => v !== null);
    const certified = proven.length > 0 ? Math.max(...proven) : null;
    const empirical = finite(m.empirical.find((e) => e.eps === eps)?.accuracy);
    const band: [number, number] | null =
      certified !== null && empirical !== null ? [Math.min(certified, empirical), empirical] : null;
    return { eps, ibp, crown, certified, empirical, band };
  });
  const violations = rows
    .filter((r) => r.certified !== null && r.empirical !== null && r.certified > r.empirical + 1e-12)
    .map((r) => r.eps);
  const widest = Math.max(0, ...rows.map((r) => (r.band ? r.band[1] - r.band[0] : 0)));
  return { rows, violations, widest };
}
