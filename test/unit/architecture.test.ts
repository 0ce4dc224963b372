// The floors of src/ (docs/architecture.md): every import goes to the same floor or one below, and
// no command folder imports another. Read from the source, so a new upward edge fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const src = resolve(import.meta.dirname, '..', '..', '..', 'src');

/** Bottom to top. A folder may import its own floor and every floor below it. */
const FLOORS: string[][] = [
  ['errors.ts', 'exit-codes.ts', 'version.ts', 'api'],
  ['util'],
  ['kube'],
  ['federation'],
  ['dns', 'scheduling', 'policy'],
  ['engine'],
  ['output'],
  ['commands'],
  ['cli.ts'],
];

function floorOf(path: string): number {
  const top = relative(src, path).split('/')[0]!;
  const floor = FLOORS.findIndex((names) => names.includes(top));
  assert.notEqual(
    floor,
    -1,
    `${relative(src, path)} is on no floor: add its folder to FLOORS and to docs/architecture.md`,
  );
  return floor;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports (static, `import type` and dynamic) of a file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

/** `commands/<verb>` of a file, or undefined for shared command files and other folders. */
function verbOf(path: string): string | undefined {
  const parts = relative(src, path).split('/');
  return parts[0] === 'commands' && parts.length > 2 ? parts[1] : undefined;
}

describe('architecture', () => {
  const files = sourceFiles(src);

  it('no import runs upward', () => {
    const upward = files.flatMap((f) =>
      importsOf(f)
        .filter((i) => floorOf(i) > floorOf(f))
        .map((i) => `${relative(src, f)} -> ${relative(src, i)}`),
    );
    assert.deepEqual(upward, []);
  });

  it('no command folder imports another command folder', () => {
    const sideways = files.flatMap((f) =>
      importsOf(f)
        .filter((i) => verbOf(f) && verbOf(i) && verbOf(i) !== verbOf(f))
        .map((i) => `${relative(src, f)} -> ${relative(src, i)}`),
    );
    assert.deepEqual(sideways, []);
  });

  it('the --dry-run mode is compared only by the Writer, the printers and option parsing', () => {
    // Everything else asks the run's Writer what its writes do (sends, persists, changed).
    const allowed = new Set([
      join('kube', 'writer.ts'),
      join('output', 'printers.ts'),
      join('commands', 'shared-flags.ts'),
      join('commands', 'join', 'run.ts'), // -o with a client dry run prints the plan: an output choice
    ]);
    const branching = files
      .filter((f) => /\bdryRun\s*[!=]==|[!=]==\s*'(client|server)'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f))
      .filter((f) => !allowed.has(f));
    assert.deepEqual(branching, []);
  });

  it('the check sees imports at all', () => {
    assert.ok(files.length > 50 && files.every((f) => floorOf(f) >= 0));
    assert.ok(importsOf(join(src, 'engine', 'propagate.ts')).some((i) => i.endsWith(join('federation', 'plan.ts'))));
  });
});
