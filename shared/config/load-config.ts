// Loading a registry or targets file (tthc registry load / targets load locally; in AWS an
// upload to config/registry/ or config/targets/, routed by the ingest function). The
// result goes to results/config/<file>.json; a rejected file changes nothing.
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../ports.ts';
import type { FileIssue } from '../report-file/file-issue.ts';
import type { ConfigStore } from '../store/config-store.ts';
import { checkRegistryAgainst, readRegistryFile, readTargetsFile, type ConfigKind } from './config-files.ts';
import { PlanConfig } from './plan-config.ts';

export { CONFIG_PREFIX, configKindOf, configResultKey } from '../bucket-layout.ts';
import { configKindOf, configResultKey } from '../bucket-layout.ts';

export interface ConfigLoadResult {
  file: string;
  kind: ConfigKind;
  status: 'loaded' | 'unchanged' | 'rejected';
  rows: number;
  changed: number;
  errors: FileIssue[];
}

/** The configuration in force: the built-in 2022 plan overlaid with every loaded file. */
export async function loadPlanConfig(store: ConfigStore): Promise<PlanConfig> {
  const [rows, targets] = await Promise.all([store.registryRows(), store.targets()]);
  return PlanConfig.withLoaded(rows, targets);
}

export async function loadConfigFile(deps: { objects: ObjectStore; config: ConfigStore }, key: string, versionId?: string | null): Promise<ConfigLoadResult> {
  const kind = configKindOf(key);
  if (!kind) throw new Error(`not a configuration key (config/registry/… or config/targets/…): ${key}`);
  const { bytes } = await deps.objects.get(key, versionId);
  // The same object (retried) is the same load; another upload of the file is another.
  const loadId = createHash('sha256').update(`${key}\n${versionId ?? ''}\n`).update(bytes).digest('hex').slice(0, 16);
  const current = await loadPlanConfig(deps.config);
  let result: ConfigLoadResult;
  if (kind === 'registry') {
    const read = await readRegistryFile(bytes);
    const errors = read.errors.length ? read.errors : checkRegistryAgainst(read.rows, PlanConfig.withLoaded([...await deps.config.registryRows(), ...read.rows], current.targets));
    const stored = errors.length ? null : await deps.config.putRegistryRows(read.rows, loadId);
    result = { file: key, kind, status: stored ? (stored.changed ? 'loaded' : 'unchanged') : 'rejected', rows: read.rows.length, changed: stored?.changed ?? 0, errors };
  } else {
    const read = await readTargetsFile(bytes, current);
    const stored = read.errors.length ? null : await deps.config.putTargets(read.rows, loadId);
    result = { file: key, kind, status: stored ? (stored.changed ? 'loaded' : 'unchanged') : 'rejected', rows: read.rows.length, changed: stored?.changed ?? 0, errors: read.errors };
  }
  await deps.objects.put(configResultKey(key), `${JSON.stringify(result, null, 2)}\n`, 'application/json; charset=utf-8');
  return result;
}
