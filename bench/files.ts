// The benchmark's inputs: one realistic month for the 252 units of the 2022 plan, as files.
import { PLAN_128_UNITS } from '../shared/units/plan-128-2022.ts';
import { realisticMonth, writeReport } from '../scripts/generate/report-files.ts';

export interface BenchFile {
  unit: string;
  name: string;
  bytes: Buffer;
  layout: '06a' | 'csv';
}

export async function cityMonth(period = '2022-06', seed = 'bench'): Promise<BenchFile[]> {
  const specs = realisticMonth(seed, PLAN_128_UNITS, period);
  return Promise.all(specs.map(async (spec) => {
    const layout = spec.variant?.layout === 'csv' ? 'csv' : '06a';
    return { unit: spec.unit.code, name: `bao-cao-${spec.unit.code}-${period}.${layout === 'csv' ? 'csv' : 'xlsx'}`, bytes: await writeReport(spec), layout };
  }));
}
