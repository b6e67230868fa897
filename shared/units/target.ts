// A unit's assigned online-dossier target for a target window (Plan 128 Phụ lục 2:
// the last 8 months of 2022, periods 2022-05 .. 2022-12).

export interface Target {
  unit: string;
  windowFrom: string;
  windowTo: string;
  /** Online share to reach, in percent (99.7 = 99.7%). Null: the unit has no target. */
  targetPct: number | null;
  /** The plan that set it, as cited in the targets file's optional `plan` column. */
  plan?: string;
  /** The targets file it was loaded from (its name, as in config/targets/); absent: built in, or loaded before files were recorded. */
  file?: string;
}
