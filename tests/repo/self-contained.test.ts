// A user's clone has nothing beside it: no file of the project may reach above the repo
// root, by a relative path that climbs out of it or by an absolute path.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(ts|mts|mjs|cjs|js|json|sh)$|^\.ci\/run$/;

function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return out.split('\n').filter((f) => f && SOURCE.test(f) && f !== 'package-lock.json');
}

/** Quoted relative paths ('../x', "../../y", `../z`) that resolve outside the root, and absolute machine paths. */
export function pathsOutside(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)/g)) {
    const target = resolve(ROOT, dirname(file), m[1]);
    const rel = relative(ROOT, target);
    if (rel.startsWith('..' + sep) || rel === '..') found.push(m[1]);
  }
  for (const m of text.matchAll(/(?:^|[\s'"`(])(\/(?:work|home|root|tmp\/bash_jobs)[^\s'"`)]*)/g)) found.push(m[1]);
  return found;
}

describe('the repo stands on its own', () => {
  it('finds a path that climbs out of the root (the check itself works)', () => {
    // Built from pieces so that this file does not match its own scan.
    const up3 = '../'.repeat(3);
    expect(pathsOutside('tests/x/a.test.ts', `new URL('${up3}shared/samples/', import.meta.url)`)).toEqual([`${up3}shared/samples/`]);
    expect(pathsOutside('tests/x/a.test.ts', "import { x } from '../../shared/period.ts'")).toEqual([]);
    const abs = '/' + 'work/shared/docs/local-aws.md';
    expect(pathsOutside('infra/local/stack.ts', `// See ${abs}`)).toEqual([abs]);
  });

  it('no source, test, script or config file reads outside the repo root', () => {
    const offenders = projectFiles().flatMap((file) =>
      pathsOutside(file, readFileSync(resolve(ROOT, file), 'utf8')).map((p) => `${file}: ${p}`));
    expect(offenders).toEqual([]);
  });
});
