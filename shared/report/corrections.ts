// Corrections: an accepted upload for a period already published to the leadership (ingest
// warns the clerk with `correction_after_publication` when it can see the publication). The next workbook lists each unit and period
// corrected since the previous publication, with the figures the leadership saw beside the
// figures now in force. What a workbook held is what was stored when its report read the
// data, which is before it claimed the send (Publication.claimedAt): the uploads are judged by
// when ingest stored them, not by when S3 received them (an upload received a minute before the
// send and stored after it was in no workbook).
import type { Counts } from '../report-file/counts.ts';
import type { PeriodReports, Publication } from '../store/report-store.ts';
import type { Unit } from '../units/unit.ts';
import { ratesOf } from './indicators.ts';
import { unusableFields } from './usable.ts';

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

/** When the previous workbook (the last one sent before `period`'s own) read its data: its claim. */
export function previousPublication(period: string, publications: ReadonlyMap<string, Publication>): string | null {
  let since: string | null = null;
  for (const [p, pub] of publications) {
    if (p < period && pub.sentAt && (since === null || instant(pub.claimedAt) > instant(since))) since = pub.claimedAt;
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
    const publication = publications.get(period);
    const stored = data.get(period);
    if (!publication?.sentAt || !stored) continue;
    const read = instant(publication.claimedAt); // the workbook's data was read before this
    const accepted = stored.uploads.filter((u) => u.outcome === 'accepted');
    const corrected = new Map<string, string>(); // unit → newest correction's time
    for (const u of accepted) {
      // Stored after the read, whether or not ingest could see the claim yet (it warns the clerk when it can).
      const storedAt = instant(u.processedAt);
      if (storedAt <= read || (since !== null && storedAt <= instant(since))) continue;
      const held = corrected.get(u.unit);
      if (held === undefined || instant(u.eventTime) > instant(held)) corrected.set(u.unit, u.eventTime);
    }
    const current = new Map(stored.current.map((c) => [c.unit, c.counts]));
    for (const [unit, receivedAt] of corrected) {
      const published = accepted
        .filter((u) => u.unit === unit && instant(u.processedAt) <= read)
        .sort((a, b) => instant(b.eventTime) - instant(a.eventTime))[0];
      const was = figures(published?.counts);
      const now = figures(current.get(unit));
      // Figures the leadership already saw are no correction (an upload that never became the report).
      if (was && now && was.newDossiers === now.newDossiers && was.receivedOnline === now.receivedOnline) continue;
      out.push({ unit, name: names.get(unit) ?? unit, period, receivedAt, old: was, new: now });
    }
  }
  return out.sort((a, b) => b.period.localeCompare(a.period) || a.unit.localeCompare(b.unit));
}
