// DynamoDB requests per ingest and per report (counted on the store in the other
// benchmarks), and the monthly AWS bill they imply at city and national scale.
// Prices are assumptions, stated in the output; change them here.
import { emit, type Figure } from './harness.ts';

/** On-demand list prices, Asia Pacific (Singapore), late 2025; USD. */
export const PRICES = {
  dynamoWriteUnitPerMillion: 0.7125,
  dynamoReadUnitPerMillion: 0.1425,
  lambdaGbSecond: 0.0000133334, // arm64
  lambdaRequestPerMillion: 0.2,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  sesPerThousand: 0.1,
};

export interface Usage {
  units: number;
  /** Uploads per unit per month (re-submissions and rejected files included). */
  uploadsPerUnit: number;
  /** Write units per upload: history item (and its GSI copy), current item and the mailed mark, ~2 KB each; the content and mail claims, 1 each. */
  writeUnitsPerUpload: number;
  /** Read units per upload: one consistent BatchGetItem of 14 items (~2 KB or absent, 1 unit each): current report, publication, the unit's reports of the 12 periods before. */
  readUnitsPerUpload: number;
  s3PutsPerUpload: number;
  s3GetsPerUpload: number;
  ingestSeconds: number;
  ingestGb: number;
  reportReadUnits: number;
  reportSeconds: number;
  reportGb: number;
  /** Daily status runs and the deadline check read one period each. */
  dailyReadUnits: number;
}

export function monthlyCost(u: Usage): { total: number; parts: Record<string, number> } {
  const uploads = u.units * u.uploadsPerUnit;
  const p = PRICES;
  const parts = {
    dynamodb: (uploads * u.writeUnitsPerUpload * p.dynamoWriteUnitPerMillion + (uploads * u.readUnitsPerUpload + u.reportReadUnits + 31 * u.dailyReadUnits) * p.dynamoReadUnitPerMillion) / 1e6,
    lambda: (uploads * u.ingestSeconds * u.ingestGb + u.reportSeconds * u.reportGb) * p.lambdaGbSecond + ((uploads + 33) * p.lambdaRequestPerMillion) / 1e6,
    s3: (uploads * u.s3PutsPerUpload + 2) * p.s3PutPerThousand / 1000 + uploads * u.s3GetsPerUpload * p.s3GetPerThousand / 1000,
    ses: (uploads + 1) * p.sesPerThousand / 1000,
  };
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

// Item sizes from the ingest benchmark's stored items (~1–3 KB; a department's procedure list more).
const base = {
  uploadsPerUnit: 1.3, writeUnitsPerUpload: 3 * 2 + 2 + 2, readUnitsPerUpload: 1 + 1 + 12, s3PutsPerUpload: 3, s3GetsPerUpload: 1,
  ingestSeconds: 0.5, ingestGb: 1, reportSeconds: 0, reportGb: 1,
};
const city: Usage = { ...base, units: 252, reportReadUnits: 2 * 8 * Math.ceil((252 * 2048) / 4096) / 2, reportSeconds: 3, dailyReadUnits: Math.ceil((252 * 2048) / 4096) };
const nation: Usage = { ...base, units: 12_000, reportReadUnits: 2 * 12 * Math.ceil((12_000 * 2048) / 4096) / 2, reportSeconds: 15, dailyReadUnits: Math.ceil((12_000 * 2048) / 4096) };

const figures: Figure[] = [];
for (const [label, usage] of [['city (252 units)', city], ['national (12,000 units)', nation]] as const) {
  const { total, parts } = monthlyCost(usage);
  figures.push({
    name: `cost: ${label}, per month`, value: total, unit: 'USD',
    note: `DynamoDB ${parts.dynamodb.toFixed(3)}, Lambda ${parts.lambda.toFixed(3)}, S3 ${parts.s3.toFixed(3)}, SES ${parts.ses.toFixed(3)}; ` +
      `assumes ${usage.uploadsPerUnit} uploads/unit/month, ${usage.ingestSeconds} s × ${usage.ingestGb} GB per ingest, on-demand Singapore prices ` +
      `(DynamoDB $${PRICES.dynamoWriteUnitPerMillion}/M writes, $${PRICES.dynamoReadUnitPerMillion}/M reads; Lambda arm64 $${PRICES.lambdaGbSecond}/GB-s; S3 $${PRICES.s3PutPerThousand}/1k PUT; SES $${PRICES.sesPerThousand}/1k); storage and free tier not counted`,
  });
}
emit(figures);
