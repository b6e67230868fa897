// The Lambda functions keep their clients and stores per container (functions/commons/deps.ts).
// A local process may start more than one stack (tests, one after another): each must get
// clients on its own endpoints and its own home's outbox, and stopping a pipeline gives
// the process its environment back.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../functions/commons/clients.ts';
import { perSettings } from '../../functions/commons/deps.ts';
import { startLocalPipeline } from '../../infra/local/runner.ts';
import { removeTempHomes, SAMPLES, tempHome } from '../ingest/helpers.ts';

afterAll(removeTempHomes);

describe('perSettings', () => {
  it('builds once for the same settings, again when one changes, and again when it comes back', () => {
    const saved = process.env.TTHC_TEST_SETTING;
    let builds = 0;
    const value = perSettings(['TTHC_TEST_SETTING'], () => ({ n: ++builds, setting: process.env.TTHC_TEST_SETTING }));
    try {
      process.env.TTHC_TEST_SETTING = 'a';
      const first = value();
      expect(value()).toBe(first);
      process.env.TTHC_TEST_SETTING = 'b';
      expect(value()).toEqual({ n: 2, setting: 'b' });
      delete process.env.TTHC_TEST_SETTING;
      expect(value()).toEqual({ n: 3, setting: undefined });
      expect(value().n).toBe(3);
    } finally {
      if (saved === undefined) delete process.env.TTHC_TEST_SETTING;
      else process.env.TTHC_TEST_SETTING = saved;
    }
  });
});

describe('two local pipelines, one after the other, in one process', () => {
  it('each ingests on its own stack, its mail set to go to its own outbox; stopping restores the environment', async () => {
    const before = { outbox: process.env.TTHC_OUTBOX_DIR, s3: process.env.TTHC_S3_ENDPOINT, table: process.env.TTHC_TABLE };
    const bytes = await readFile(new URL('06a-S01-2022-06.xlsx', SAMPLES));
    for (const turn of [1, 2]) {
      const home = await tempHome();
      const pipeline = await startLocalPipeline({ home, dynamo: 'dynalite' });
      const s3 = s3Client(pipeline.stack.endpoints.s3);
      try {
        expect(process.env.TTHC_OUTBOX_DIR).toBe(join(home, 'outbox'));
        const key = `incoming/S01/lan-${turn}.xlsx`;
        await s3.send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: bytes }));
        await pipeline.stack.idle(); // rejects if the handler failed: with the first stack's clients it would
        expect(pipeline.verdicts.get(key)).toMatchObject({ unit: 'S01', outcome: 'accepted' });
        expect((await pipeline.store.unitHistory('S01')).map((r) => r.key)).toEqual([key]);
      } finally {
        s3.destroy();
        await pipeline.stack.stop();
      }
      expect({ outbox: process.env.TTHC_OUTBOX_DIR, s3: process.env.TTHC_S3_ENDPOINT, table: process.env.TTHC_TABLE }).toEqual(before);
    }
  }, 60_000);
});
