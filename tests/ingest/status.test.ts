// A unit's submission status: the first acceptable report decides on time or late; a later
// correction changes the figures, never the status.
import { describe, expect, it } from 'vitest';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import { periodStatus } from '../../shared/status.ts';
import { plan128Registry } from '../../shared/units/plan-128-2022.ts';
import type { UnitFigures, UploadSummary } from '../../shared/ingest/upload.ts';
import { SAMPLE_COUNTS } from './helpers.ts';

const PERIOD = '2022-06';
const unit = plan128Registry().get('S01')!;
const upload = (uploadId: string, eventTime: string, outcome: UploadSummary['outcome']): UploadSummary => ({ uploadId, unit: 'S01', period: PERIOD, eventTime, processedAt: eventTime, outcome });
const current = (uploadId: string, eventTime: string, online: number): UnitFigures => ({
  unit: 'S01', period: PERIOD, uploadId, orderKey: eventTime, eventTime, contentHash: uploadId, key: `incoming/S01/${uploadId}.csv`,
  counts: { ...SAMPLE_COUNTS, received_online: online }, procedures: [],
});

describe('periodStatus', () => {
  it('on time, then corrected after the due day (and after publication): still on time, with the correction\'s figures', () => {
    const [status] = periodStatus([unit], PERIOD, {
      current: [current('b', '2022-06-24T02:00:00.000Z', 7000)],
      uploads: [upload('a', '2022-06-19T16:59:00Z', 'accepted'), upload('b', '2022-06-24T02:00:00.000Z', 'accepted')],
    }, PLAN_128_PERIODS);
    expect(status).toMatchObject({ status: 'on_time', received_at: '2022-06-19T16:59:00Z' });
    expect(status.counts?.received_online).toBe(7000);
  });

  it('rejected before the due day, accepted after it: late; 00:00 on the 20th local time is already late', () => {
    const [late] = periodStatus([unit], PERIOD, {
      current: [current('b', '2022-06-19T17:00:00.000Z', 1)],
      uploads: [upload('a', '2022-06-15T02:00:00Z', 'rejected'), upload('b', '2022-06-19T17:00:00.000Z', 'accepted')],
    }, PLAN_128_PERIODS);
    expect(late.status).toBe('late');
  });

  it('only rejected uploads, or none', () => {
    expect(periodStatus([unit], PERIOD, { current: [], uploads: [upload('a', '2022-06-15T02:00:00Z', 'rejected')] }, PLAN_128_PERIODS)[0])
      .toMatchObject({ status: 'rejected_only', counts: null, received_at: null });
    expect(periodStatus([unit], PERIOD, { current: [], uploads: [] }, PLAN_128_PERIODS)[0].status).toBe('missing');
  });
});
