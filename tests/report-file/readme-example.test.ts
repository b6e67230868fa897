// The README's "Checking a file" example is the command's real output: this runs the
// command written there and compares, so the README cannot drift from the reader.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { REPO_ROOT as REPO, tthc, UNUSED_HOME } from '../fixtures/tthc.ts';


/** The first ```sh block under "### Checking a file": its command line, then the output. */
async function readmeExample(): Promise<{ command: string; output: string[] }> {
  const readme = await readFile(new URL('README.md', `file://${REPO}`), 'utf8');
  const section = readme.split(/^### Checking a file$/m)[1];
  expect(section, 'README has a "### Checking a file" section').toBeDefined();
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  expect(block, 'the section has a ```sh block').toBeDefined();
  const [command, ...output] = block!.replace(/\n$/, '').split('\n');
  return { command, output };
}

it('README "Checking a file": the command\'s output is the block, line for line', async () => {
  const { command, output } = await readmeExample();
  expect(command).toMatch(/^npx tthc check /);
  // `npx tthc` is bin/tthc.js; the arguments are plain words (no quoting in the example).
  const args = command.replace(/^npx tthc /, '').split(/\s+/);
  const run = await tthc(args, { home: UNUSED_HOME });
  expect(run.stdout.replace(/\n$/, '').split('\n')).toEqual(output);
  expect(run.code).toBe(1); // the example file is rejected
});
