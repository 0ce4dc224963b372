// @kubernetes/client-node is used for its generated model types only (docs/adr/0001). Type-only
// imports are erased by the compiler, so the emitted JavaScript must not name the package at all:
// one value import, or an `import { type X }` that leaves `import {} from` behind, would load it
// (about 0.6 s) on every start, `--help` included. This reads the build output, which is what runs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..', '..');
const PACKAGE = '@kubernetes/client-node';

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? filesUnder(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

describe('client-node is types only', () => {
  it('no emitted file under dist/src names @kubernetes/client-node', () => {
    const emitted = filesUnder(join(root, 'dist', 'src'), '.js');
    assert.ok(emitted.length > 50, `expected the build output under dist/src, found ${emitted.length} files`);
    const offenders = emitted.filter((f) => readFileSync(f, 'utf8').includes(PACKAGE)).map((f) => relative(root, f));
    assert.deepEqual(offenders, [], `these emitted files would load ${PACKAGE} at run time`);
  });

  it('every import of it in src/ is `import type`, and the models are in use', () => {
    const sources = filesUnder(join(root, 'src'), '.ts');
    const lines = sources.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/^import\b[^;]*?from '@kubernetes\/client-node';/gms)].map((m) => ({
        file: relative(root, f),
        text: m[0],
      })),
    );
    assert.ok(lines.length > 0, `no source file imports ${PACKAGE}: drop the dependency or this test`);
    const valueImports = lines.filter((l) => !l.text.startsWith('import type {')).map((l) => l.file);
    assert.deepEqual(valueImports, [], 'write these as `import type { … }`');
  });
});
