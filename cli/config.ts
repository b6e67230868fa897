// tthc registry load FILE [--json] and tthc targets load FILE [--json]: the administrator's
// files go where they go in AWS (config/registry/, config/targets/ in the bucket), and the
// ingest Lambda loads them; this waits for its verdict.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../functions/commons/clients.ts';
import { startLocalPipeline } from '../infra/local/runner.ts';
import { configResultKey, type ConfigLoadResult } from '../shared/config/load-config.ts';
import { configKey } from '../shared/bucket-layout.ts';
import type { ConfigKind } from '../shared/config/config-files.ts';
import { describeLocation } from '../shared/report-file/file-issue.ts';

const STATUS_TEXT = { loaded: 'đã nạp', unchanged: 'không thay đổi (đã nạp trước đó)', rejected: 'bị từ chối, không thay đổi gì' } as const;

export function configCommand(kind: ConfigKind) {
  return async (args: string[]): Promise<number> => {
    const [sub, ...rest] = args;
    if (sub !== 'load') {
      throw new Error(kind === 'registry' ? 'tthc registry load FILE [--json]' : 'tthc targets load FILE [--json] (hoặc tthc targets allocate …)');
    }
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new Error(`cần đúng một tệp: tthc ${kind} load FILE`);
    const file = positionals[0];
    const pipeline = await startLocalPipeline();
    try {
      const key = configKey(kind, basename(file));
      await s3Client().send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: await readFile(file) }));
      await pipeline.stack.idle();
      const result = JSON.parse((await pipeline.objects.get(configResultKey(key))).bytes.toString('utf8')) as ConfigLoadResult;
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        const lines = [`${result.status === 'rejected' ? '✘' : '✔'} ${basename(file)}: ${result.rows} dòng, ${STATUS_TEXT[result.status]}${result.changed ? ` (${result.changed} dòng mới hoặc thay đổi)` : ''}`];
        for (const e of result.errors) lines.push(`    Lỗi ${e.code}${describeLocation(e) ? ` (${describeLocation(e)})` : ''}: ${e.message}`);
        for (const w of result.warnings ?? []) lines.push(`    Lưu ý ${w.code}: ${w.message}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      return result.status === 'rejected' ? 1 : 0;
    } finally {
      await pipeline.stack.stop();
    }
  };
}
