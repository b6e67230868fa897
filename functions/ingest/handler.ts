// Lambda entry: S3 ObjectCreated events under incoming/ → ingest. The local stack feeds
// s3rver's events to this same handler. It returns what it did with each upload (S3 drops
// the value; the local runner and the CLI read their verdict from it).
import middy from '@middy/core';
import eventNormalizer from '@middy/event-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { S3Event } from 'aws-lambda';
import { verdictOf, type IngestDeps, type IngestVerdict } from '../../shared/ingest/ingest-upload.ts';
import { ingestDepsFromEnv } from '../commons/deps.ts';
import { logger, metrics } from '../commons/powertools.ts';
import { isHandled, processS3Event } from './process-event.ts';

export function makeIngestHandler(deps: () => IngestDeps | Promise<IngestDeps>) {
  return middy(async (event: S3Event): Promise<IngestVerdict[]> => {
    // Nothing to do (locally every object, feedback included, raises an event): skip loading the plan.
    if (!event.Records.some(isHandled)) return [];
    return (await processS3Event(await deps(), event)).map(verdictOf);
  })
    // S3 sends keys form-URL-encoded; the normalizer decodes them in place, once.
    .use(eventNormalizer())
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeIngestHandler(ingestDepsFromEnv);
