// printYaml (output/yaml.ts) prints what the `yaml` package prints, faster, and never an alias;
// render prints the same objects whatever the input's format.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { printYaml, YAML_PRINT_OPTIONS } from '../../src/output/yaml.js';
import { runCli } from '../cli.js';

/** A small deterministic generator (no dependency on Math.random, so a failure can be replayed). */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)]!;
  return { next, pick };
}

/** Pieces of strings that change how YAML prints a scalar: indicators, spaces, line breaks, numbers, keywords. */
const TRICKY = [
  'a',
  'b',
  ' ',
  '\n',
  '\n\n',
  '\t',
  ':',
  '#',
  '-',
  '?',
  "'",
  '"',
  '\\',
  '1',
  '0',
  '.',
  'e',
  '%',
  '---',
  '...',
  '|',
  '>',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&',
  '*',
  '!',
  '@',
  '`',
  'true',
  'False',
  'null',
  '~',
  '.inf',
  '.NaN',
  '0o7',
  '0x1F',
  '1e3',
  '+1',
  ' #',
  ': ',
  '\u00e9',
  '\u2028',
  '\u00a0',
  '😀',
  'yes',
  '<<',
  '=',
];
/** Characters the fast path leaves to the `yaml` package. */
const RARE = ['\u0007', '\u0085', '\r', '\u001b'];

function value(g: ReturnType<typeof generator>, atoms: readonly string[], depth: number): unknown {
  const str = () => Array.from({ length: Math.floor(g.next() * 6) }, () => g.pick(atoms)).join('');
  const r = g.next();
  if (depth > 4 || r < 0.35) return str();
  if (r < 0.45) return g.pick([0, 1, -1, 0.5, 1e21, 1.5e-7, -0, 123456789012, NaN, Infinity, -Infinity, 2 ** 53 + 2]);
  if (r < 0.5) return g.pick([true, false, null]);
  const n = Math.floor(g.next() * 4);
  if (r < 0.7) return Array.from({ length: n }, () => value(g, atoms, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) o[str() || 'k'] = value(g, atoms, depth + 1);
  return o;
}

describe('printYaml', () => {
  it('prints exactly what yaml.stringify prints, on generated data', () => {
    for (const [seed, atoms] of [
      [1, TRICKY],
      [2, TRICKY],
      [3, [...TRICKY, ...RARE]],
    ] as const) {
      const g = generator(seed);
      for (let i = 0; i < 1500; i++) {
        const o = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          data: value(g, atoms, 0),
          [g.pick(atoms) || 'k']: value(g, atoms, 1),
        };
        assert.equal(printYaml(o), stringify(o, YAML_PRINT_OPTIONS), `seed ${seed}, case ${i}: ${JSON.stringify(o)}`);
      }
    }
  });

  it('quotes what would read back as null, a boolean or a number, whatever its first character', () => {
    const firsts = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i));
    for (const first of [...firsts, '\u00e9', '\u2028', ''])
      for (const rest of [
        '',
        'rue',
        'RUE',
        'ull',
        'ULL',
        'alse',
        '1',
        '12',
        'x1F',
        'o7',
        'inf',
        'nan',
        'NaN',
        '.5',
        'e3',
        '1e3',
      ])
        for (const s of [first + rest, `${first}.${rest}`]) {
          const o = { [s || 'k']: s };
          assert.equal(printYaml(o), stringify(o, YAML_PRINT_OPTIONS), JSON.stringify(s));
        }
  });

  it('prints the examples as yaml.stringify does', () => {
    for (const file of readdirSync('examples/federated')) {
      const text = readFileSync(join('examples/federated', file), 'utf8');
      for (const doc of text.split(/^---$/m).map((d) => parse(d) as unknown)) {
        if (doc === null) continue;
        assert.equal(printYaml(doc), stringify(doc, YAML_PRINT_OPTIONS), file);
      }
    }
  });

  it('prints block literals with every chomping and indentation indicator', () => {
    for (const s of ['a\nb', 'a\nb\n', 'a\nb\n\n', '  a\nb', '\na', 'a\n\n\nb\n', 'a: b\n# c\n', '---\nx\n'])
      assert.equal(printYaml({ k: s, l: [s, { m: s }] }), stringify({ k: s, l: [s, { m: s }] }, YAML_PRINT_OPTIONS));
  });

  it('never prints anchors or aliases, even when objects share structure', () => {
    const labels = { app: 'web' };
    const o = { metadata: { labels }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } };
    const text = printYaml(o);
    assert.doesNotMatch(text, /[&*]a\d/);
    assert.equal(text.match(/app: web/g)?.length, 3);
    assert.deepEqual(parse(text), JSON.parse(JSON.stringify(o)));
  });

  it('leaves what it does not cover to the yaml package (undefined items, class instances)', () => {
    const d = new Date(0);
    for (const o of [{ a: [1, undefined] }, { a: d }, ['top', 'level'], 'scalar'])
      assert.equal(printYaml(o), stringify(o, YAML_PRINT_OPTIONS));
  });
});

describe('render: YAML and JSON input', () => {
  const clusters = [1, 2, 3]
    .map(
      (i) => `{"apiVersion":"core.kubefed.io/v1beta1","kind":"KubeFedCluster","metadata":{"name":"c${i}"},"spec":{}}`,
    )
    .join('\n---\n');
  const labels = { app: 'web' };
  const objects = [
    {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { placement: { clusterSelector: {} } },
    },
    {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        template: {
          metadata: { labels },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: { containers: [{ name: 'web', image: 'web:1', args: ['--a=1', 'two words', '1'] }] },
            },
          },
        },
        placement: { clusterSelector: {} },
        overrides: [{ clusterName: 'c3', clusterOverrides: [{ path: '/spec/replicas', value: 5 }] }],
      },
    },
    {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'conf', namespace: 'shop' },
      spec: {
        template: { data: { 'a.properties': 'x=1\ny: 2\n', empty: '', n: '007', t: 'true', q: "it's" } },
        placement: { clusterSelector: {} },
      },
    },
  ];

  it('renders the same output from YAML (with anchors and aliases) and from JSON, and prints no alias', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfrender-formats-'));
    writeFileSync(join(dir, 'clusters.yaml'), clusters);
    // yaml's default makes the shared labels an anchor and two aliases: the input shares structure.
    const yamlText = objects.map((o) => stringify(o)).join('---\n');
    assert.match(yamlText, /\*a1/);
    writeFileSync(join(dir, 'in.yaml'), yamlText);
    writeFileSync(join(dir, 'in.json'), objects.map((o) => JSON.stringify(o, null, 2)).join('\n---\n'));
    const render = (file: string, ...more: string[]) =>
      runCli(['render', '-f', join(dir, file), '--clusters', join(dir, 'clusters.yaml'), ...more]);
    const [fromYaml, fromJson, jsonOut] = await Promise.all([
      render('in.yaml'),
      render('in.json'),
      render('in.yaml', '-o', 'json'),
    ]);
    for (const r of [fromYaml, fromJson, jsonOut]) assert.equal(r.code, 0, r.stderr);
    assert.equal(fromYaml.stdout, fromJson.stdout);
    assert.doesNotMatch(fromYaml.stdout, /&a\d|\*a\d/);
    // The YAML printed is the JSON printed, object by object, cluster by cluster.
    const printed = fromYaml.stdout
      .split(/^---\n/m)
      .filter((d) => d !== '')
      .map((d) => parse(d) as unknown);
    const expected = (JSON.parse(jsonOut.stdout) as { clusters: { objects: unknown[] }[] }).clusters.flatMap(
      (c) => c.objects,
    );
    assert.deepEqual(printed, expected);
    assert.equal(printed.length, 9);
  });
});
