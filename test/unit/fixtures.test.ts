// The input contract as a corpus (docs/testing.md). Every file under
// test/fixtures/invalid/<category>/ has exactly one defect and must be refused: exit 1, nothing on
// stdout, and an error naming the file and saying what is wrong. Every file under
// test/fixtures/odd-valid/<category>/ is unusual but valid and must be accepted. Each folder's
// cases.json lists its files, how to run each one and what the error must say, so a fixture
// without a case (or a case without a fixture) fails too.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../cli.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const fixtures = join('test', 'fixtures');

interface Case {
  /** Arguments; `{file}` is the fixture's path from the repository root. Default: render it. */
  command?: string[];
  /** invalid/: text the error must contain (besides the file name). */
  error?: string;
  /** odd-valid/: text stdout must contain. */
  stdout?: string;
  /** Standard input, for cases that read `-f -`; `{file}` sends the fixture itself. */
  stdin?: string;
  /** A file the error names instead of the fixture (e.g. a file the fixture points to). */
  names?: string;
}

// The examples' FederatedNamespace "shop" comes along, so fixtures in namespace shop are placed.
const DEFAULT_COMMAND = [
  'render',
  '-f',
  'examples/federated/namespace.yaml',
  '-f',
  '{file}',
  '--clusters',
  'examples/clusters.yaml',
];

function casesOf(folder: string): Map<string, Case> {
  const path = join(root, folder, 'cases.json');
  if (!existsSync(path)) return new Map();
  return new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, Case>));
}

function categories(kind: 'invalid' | 'odd-valid'): string[] {
  const dir = join(root, fixtures, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The CLI with no usable kubeconfig: offline inputs must never need one. */
const run = (args: string[], stdin: string | undefined) =>
  runCli(args, { stdin: stdin ?? '', env: { KUBECONFIG: join(root, fixtures, 'no-such-kubeconfig') } });

function caseArgs(c: Case, file: string): { args: string[]; stdin: string | undefined } {
  const args = (c.command ?? DEFAULT_COMMAND).map((a) => a.replaceAll('{file}', file));
  const stdin = c.stdin === '{file}' ? readFileSync(join(root, file), 'utf8') : c.stdin;
  return { args, stdin };
}

/** The fixture files of a folder: everything but cases.json. */
function filesOf(folder: string): string[] {
  return readdirSync(join(root, folder))
    .filter((f) => f !== 'cases.json')
    .sort();
}

describe(
  'invalid inputs: each refused with exit 1, no stdout, an error naming file and field',
  { concurrency: 4 },
  () => {
    for (const category of categories('invalid')) {
      const folder = join(fixtures, 'invalid', category);
      const cases = casesOf(folder);
      it(`${category}: every file has a case and every case a file`, () => {
        assert.deepEqual(filesOf(folder), [...cases.keys()].sort());
      });
      for (const [name, c] of cases) {
        it(`${category}/${name}`, async () => {
          const file = join(folder, name);
          const { args, stdin } = caseArgs(c, file);
          const r = await run(args, stdin);
          const said = `stderr: ${r.stderr}`;
          assert.equal(r.code, 1, said);
          assert.equal(r.stdout, '', `stdout must be empty; ${said}`);
          assert.ok(r.stderr.includes(c.names ?? file), `the error must name ${c.names ?? file}; ${said}`);
          assert.ok(c.error, `${name}: cases.json must say what the error contains`);
          assert.ok(r.stderr.includes(c.error), `the error must contain ${JSON.stringify(c.error)}; ${said}`);
          assert.ok(!/looks like a bug/i.test(r.stderr), said);
        });
      }
    }
  },
);

describe('odd but valid inputs: each accepted', { concurrency: 4 }, () => {
  for (const category of categories('odd-valid')) {
    const folder = join(fixtures, 'odd-valid', category);
    const cases = casesOf(folder);
    it(`${category}: every file has a case and every case a file`, () => {
      assert.deepEqual(filesOf(folder), [...cases.keys()].sort());
    });
    for (const [name, c] of cases) {
      it(`${category}/${name}`, async () => {
        const { args, stdin } = caseArgs(c, join(folder, name));
        const r = await run(args, stdin);
        assert.equal(r.code, 0, `stderr: ${r.stderr}`);
        if (c.stdout) assert.ok(r.stdout.includes(c.stdout), `stdout must contain ${c.stdout}: ${r.stdout}`);
      });
    }
  }
});
describe('the corpus', () => {
  it('has at least 120 invalid and 30 odd-but-valid inputs', () => {
    const count = (kind: 'invalid' | 'odd-valid') =>
      categories(kind).reduce((n, c) => n + casesOf(join(fixtures, kind, c)).size, 0);
    assert.ok(count('invalid') >= 120, `invalid: ${count('invalid')}`);
    assert.ok(count('odd-valid') >= 30, `odd-valid: ${count('odd-valid')}`);
  });

  it("covers issue 10's categories, and policies (issue 11)", () => {
    assert.deepEqual(categories('invalid'), [
      'clusters-file',
      'control-plane',
      'identity',
      'overrides',
      'placement',
      'policy',
      'rsp',
      'syntax',
      'templates',
    ]);
  });
});
