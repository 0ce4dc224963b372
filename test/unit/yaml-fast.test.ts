// The fast YAML reader (util/yaml-fast.ts) gives the value the strict reader gives, or gives up;
// with it, parseDocuments returns the same documents and reports the same issues as without it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify, type ToStringOptions } from 'yaml';
import { ValidationError } from '../../src/errors.js';
import { printYaml } from '../../src/output/yaml.js';
import { parseDocuments } from '../../src/util/documents.js';
import { NOT_READ, readFastYaml } from '../../src/util/yaml-fast.js';

/** A small deterministic generator, so that a failure can be replayed. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)]!;
  return { next, pick };
}

/** Pieces of strings that change how YAML writes and reads a scalar. */
const ATOMS = [
  ...['a', 'b', 'app.kubernetes.io/name', ' ', '  ', '\n', '\n\n', '\t', ':', '#', '-', '?', "'", '"', '\\'],
  ...['1', '0', '.', 'e', '%', '---', '...', '|', '>', '{', '}', '[', ']', ',', '&', '*', '!', '@', '`'],
  ...['true', 'False', 'null', 'NULL', '~', '.inf', '-.Inf', '.NaN', '0o7', '0x1F', '1e3', '+1', '-0', '1.'],
  ...[' #', ': ', '\u00e9', '\u2028', '\u0085', '\u00a0', '😀', 'yes', '<<', '=', '__proto__', 'constructor'],
];

/** Pieces of the strings manifests are usually made of. */
const PLAIN = ['a', 'web', 'app.kubernetes.io/name', ' ', '-', '.', '/', '1', '0', '=', ':', '\n', 'x'.repeat(30)];

function value(g: ReturnType<typeof generator>, depth: number, atoms: readonly string[] = ATOMS): unknown {
  const str = () => Array.from({ length: Math.floor(g.next() * 5) }, () => g.pick(atoms)).join('');
  const r = g.next();
  if (depth > 4 || r < 0.35) return str();
  if (r < 0.45) return g.pick([0, 1, -1, 0.5, 1e21, 1.5e-7, 123456789012, 2 ** 53 + 2, 0.1]);
  if (r < 0.5) return g.pick([true, false, null]);
  const n = Math.floor(g.next() * 4);
  if (r < 0.7) return Array.from({ length: n }, () => value(g, depth + 1, atoms));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const key = str() || 'k';
    if (key === '__proto__') Object.defineProperty(o, key, { value: 1, enumerable: true, writable: true });
    else o[key] = value(g, depth + 1, atoms);
  }
  return o;
}

/** Ways documents are written: our printer, and the `yaml` package with several styles. */
const WRITERS: [string, (v: unknown) => string][] = [
  ['printYaml', printYaml],
  ...(
    [
      {},
      { lineWidth: 0 },
      { indentSeq: false },
      { indent: 4 },
      { defaultStringType: 'QUOTE_DOUBLE' },
      { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' },
      { blockQuote: 'literal' },
      { collectionStyle: 'flow' },
    ] as ToStringOptions[]
  ).map((o): [string, (v: unknown) => string] => [JSON.stringify(o), (v) => stringify(v, o)]),
];

/** What parseDocuments makes of a text, as a string that tells -0, NaN and key order apart. */
function outcome(text: string, strictOnly: boolean): string {
  try {
    const docs = parseDocuments(text, 'in.yaml', { strictOnly });
    return JSON.stringify(docs, (_k, v: unknown) =>
      typeof v === 'number' ? `number ${Object.is(v, -0) ? '-0' : String(v)}` : v,
    );
  } catch (error) {
    if (error instanceof ValidationError) return `${error.message}\n${error.issues.join('\n')}\n${error.hint ?? ''}`;
    return `thrown: ${String(error)}`;
  }
}

function assertSame(text: string, what: string): void {
  assert.equal(outcome(text, false), outcome(text, true), `${what}:\n${text}`);
}

/** Whether the fast reader reads a one-document text (content at its start). */
function readsFast(text: string): boolean {
  return readFastYaml(text, 0, text.length) !== NOT_READ;
}

describe('readFastYaml', () => {
  it('gives what the strict reader gives, on generated documents written in several styles', () => {
    for (const atoms of [ATOMS, PLAIN]) {
      let fast = 0;
      let all = 0;
      for (const [name, write] of WRITERS) {
        const g = generator(name.length);
        for (let i = 0; i < 300; i++) {
          const doc = {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            data: value(g, 0, atoms),
            list: [value(g, 1, atoms), value(g, 2, atoms)],
          };
          const text = write(doc);
          assertSame(text, `${name}, case ${i}`);
          all++;
          if (readsFast(text)) fast++;
        }
      }
      // The test is about the fast reader: enough of these documents must be read by it (the
      // tricky atoms and the flow style make many go to the strict reader).
      const least = atoms === PLAIN ? 0.45 : 0.3;
      assert.ok(fast > all * least, `only ${fast} of ${all} read fast`);
    }
  });

  it('reports the same issues as the strict reader, on broken documents', () => {
    const g = generator(7);
    const breakers: ((lines: string[], i: number) => void)[] = [
      (l, i) => (l[i] = ` ${l[i]!}`),
      (l, i) => (l[i] = l[i]!.slice(1)),
      (l, i) => l.splice(i, 0, l[i]!),
      (l, i) => (l[i] = `${l[i]!}${g.pick([' &a', ' *a', ': x', ' "', "'", ' #', '\t', ' |', ' - x', ' {a: 1}'])}`),
      (l, i) => (l[i] = l[i]!.replace(/^( *)/, `$1${g.pick(['- ', '? ', '&a ', '!!str ', '*a\n'])}`)),
      (l, i) => (l[i] = l[i]!.replace(':', g.pick(['', ' :', ':\t', '::']))),
    ];
    for (let i = 0; i < 1500; i++) {
      // Half from plain atoms, which the fast reader mostly reads, so that its refusals are tested.
      const atoms = i % 2 === 0 ? ATOMS : PLAIN;
      const doc = { apiVersion: 'v1', kind: 'ConfigMap', data: value(g, 0, atoms), spec: { x: [value(g, 2, atoms)] } };
      const lines = g.pick(WRITERS)[1](doc).split('\n');
      for (let n = 0; n < 1 + Math.floor(g.next() * 2); n++)
        g.pick(breakers)(lines, Math.floor(g.next() * (lines.length - 1)));
      assertSame(lines.join('\n'), `case ${i}`);
    }
  });

  it('reads the block YAML of manifests: nested collections, sequences at their key, literals, comments', () => {
    const text = [
      '# leading comment',
      'apiVersion: apps/v1   # trailing comment',
      'kind: Deployment',
      'metadata:',
      '  name: "web"',
      '  labels: {}',
      '  annotations:',
      "    note: 'it''s #1'",
      '    "quoted key": "tab\\tand \\u00e9"',
      'spec:',
      '  replicas: 0x10',
      '  paused: False',
      '  empty:',
      '  containers:',
      '  - name: web',
      '    args: []',
      '    ports:',
      '      - containerPort: 8080',
      '        protocol: TCP',
      '  -',
      '    nested: ~',
      '  script: |',
      '    #!/bin/sh',
      '',
      '      echo\tindented',
      '',
      '  stripped: |-',
      '    a',
      '',
      '...',
      '',
    ].join('\n');
    assert.ok(readsFast(text));
    assertSame(text, 'manifest');
  });

  it('reads literal blocks with every chomping, blank lines around their text and between documents', () => {
    const text =
      'a: |+\n  kept\n\n\nb: |-\n\n  stripped\n \n\nc: |\n  \n  clipped\n\n---\nd: |+\n  last\n\n\n---\ne: 1\n';
    assert.ok(readsFast(text.slice(0, text.indexOf('---'))));
    assertSame(text, 'literals');
  });

  it('gives up on what it does not read, and the strict reader reads it or says what is wrong', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors and aliases
      'a: !!str 1\n', // tags
      'a: {b: 1}\n', // flow collections
      'a: [1, 2]\n',
      'a: one\n  two\n', // multi-line plain scalars
      'a: "one\n  two"\n',
      'a: >\n  folded\n', // folded scalars, literals with no text or an indentation indicator
      'a: |+\n\n',
      'a: |2\n   x\n',
      'a: 1\na: 2\n', // duplicate, empty, merge and non-string keys
      '"": 1\n',
      '<<: {a: 1}\n',
      '1: a\n',
      'a:\tb\n', // tabs and carriage returns outside literal text
      'a: b\r\n',
      'a: b: c\n', // errors
      'a: 1\n b: 2\n',
      '- a\nb: 1\n',
      'scalar\n',
      '? a\n: b\n',
    ]) {
      assert.equal(readsFast(text), false, text);
      assertSame(text, 'given up');
    }
  });

  it('reads the bundled examples and test fixtures as the strict reader does', () => {
    const files = ['examples/federated', 'examples/policy', 'test/fixtures']
      .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)))
      .filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length > 5);
    for (const file of files) assertSame(readFileSync(file, 'utf8'), file);
  });
});
