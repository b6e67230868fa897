// Corrections: an accepted upload for a period already published to the leadership (ingest
// marks it `correction_after_publication`). The next workbook lists each unit and period
// corrected since the previous publication, with the figures the leadership saw (the newest
// accepted upload before that period's publication) beside the figures now in force.
import type { Counts } from '../report-file/counts.ts';
import type { PeriodReports, Publication } from '../store/report-store.ts';
import type { Unit } from '../units/unit.ts';
import { ratesOf } from './indicators.ts';
import { unusableFields } from './usable.ts';

export const CORRECTION_CODE = 'correction_after_publication';

export interface CorrectionFigures {
  newDossiers: number;
  receivedOnline: number;
  onlineRate: number | null;
}

export interface Correction {
  unit: string;
  name: string;
  period: string;
  /** When the (newest) correcting upload arrived. */
  receivedAt: string;
  /** As published; null: the unit had no usable accepted report then. */
  old: CorrectionFigures | null;
  /** As now in force; null: not usable. */
  new: CorrectionFigures | null;
}

function figures(counts: Counts | null | undefined): CorrectionFigures | null {
  if (!counts || unusableFields({ counts, procedures: [] }).length) return null;
  const rates = ratesOf(counts);
  return { newDossiers: rates.newDossiers, receivedOnline: counts.received_online, onlineRate: rates.onlineRate };
}

const instant = (iso: string) => Date.parse(iso);

/** The last publication before `period`'s own: what the previous workbook was. */
export function previousPublication(period: string, publications: ReadonlyMap<string, Publication>): string | null {
  let since: string | null = null;
  for (const [p, pub] of publications) {
    if (p < period && pub.sentAt && (since === null || instant(pub.sentAt) > instant(since))) since = pub.sentAt;
  }
  return since;
}

/**
 * Corrections to the given periods made after `since` (all of them when null), one per unit
 * and period, newest period first.
 */
export function correctionsOf(
  periods: readonly string[], data: ReadonlyMap<string, PeriodReports>, publications: ReadonlyMap<string, Publication>,
  units: readonly Unit[], since: string | null,
): Correction[] {
  const names = new Map(units.map((u) => [u.code, u.name]));
  const out: Correction[] = [];
  for (const period of periods) {
    const sentAt = publications.get(period)?.sentAt;
    const stored = data.get(period);
    if (!sentAt || !stored) continue;
    const accepted = stored.uploads.filter((u) => u.outcome === 'accepted');
    const corrected = new Map<string, string>(); // unit → newest correction's time
    for (const u of accepted) {
      if (!u.warnings?.some((w) => w.code === CORRECTION_CODE)) continue;
      if (since !== null && instant(u.eventTime) <= instant(since)) continue;
      const held = corrected.get(u.unit);
      if (held === undefined || instant(u.eventTime) > instant(held)) corrected.set(u.unit, u.eventTime);
    }
    const current = new Map(stored.current.map((c) => [c.unit, c.counts]));
    for (const [unit, receivedAt] of corrected) {
      const published = accepted
        .filter((u) => u.unit === unit && instant(u.eventTime) < instant(sentAt))
        .sort((a, b) => instant(b.eventTime) - instant(a.eventTime))[0];
      out.push({
        unit, name: names.get(unit) ?? unit, period, receivedAt,
        old: figures(published?.counts), new: figures(current.get(unit)),
      });
    }
  }
  return out.sort((a, b) => b.period.localeCompare(a.period) || a.unit.localeCompare(b.unit));
}
