// Powertools singletons shared by the functions: structured logs and CloudWatch EMF
// metrics. Locally the CLI sets POWERTOOLS_LOG_LEVEL / POWERTOOLS_METRICS_DISABLED.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'TthcReports';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tthc' });
// Metrics' own warnings (e.g. "no metrics to publish") go through the logger, not the console.
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tthc', logger });
