// The package as users get it: `npm pack` ships bin/, the bundle (dist/bundle/) and schemas/ (no tests),
// and the tarball installed into an empty folder runs offline commands. The bundle holds every
// dependency, so the package has none to install. The Dockerfile's last stage installs the same tarball globally; its entrypoint is checked the same way.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../cli.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'kubefedctl-pack-'));

interface PackResult {
  filename: string;
  files: { path: string }[];
}

describe('npm pack', { timeout: 300_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  let tarball = '';

  it('ships bin/, dist/bundle/ and schemas/, and no tests', async () => {
    // No scripts: `prepare` would recompile dist/ under the other tests' feet.
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: repoRoot,
    });
    const [pack] = JSON.parse(stdout) as PackResult[];
    assert.ok(pack);
    tarball = join(dir, pack.filename);
    const files = pack.files.map((f) => f.path);
    for (const want of [
      'bin/kubefedctl.js',
      'bin/kubectl-fed.js',
      'dist/bundle/cli.js',
      'dist/bundle/THIRD-PARTY-LICENSES.txt',
      'schemas/index.json',
    ])
      assert.ok(files.includes(want), `${want} is in the package`);
    assert.deepEqual(
      files.filter(
        (f) => !/^(bin|dist\/bundle|schemas)\//.test(f) && !['package.json', 'README.md', 'LICENSE'].includes(f),
      ),
      [],
    );
  });

  it('installs into an empty folder and renders the examples from there', async () => {
    assert.ok(tarball, 'the pack test ran first');
    const app = join(dir, 'app');
    await run('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app });
    const bin = join(app, 'node_modules', '.bin', 'kubefedctl');
    const version = await run(process.execPath, [bin, 'version'], { cwd: app });
    assert.match(version.stdout, /^kubefedctl version: v\d+\.\d+\.\d+/);
    const rendered = await run(
      process.execPath,
      [
        bin,
        'render',
        '-f',
        join(repoRoot, 'examples', 'policy'),
        '--clusters',
        join(repoRoot, 'examples', 'clusters.yaml'),
        '-o',
        'json',
      ],
      { cwd: app },
    );
    const out = JSON.parse(rendered.stdout) as { clusters: { name: string; objects: unknown[] }[] };
    assert.deepEqual(
      out.clusters.map((c) => c.name),
      ['cluster1', 'cluster2', 'cluster3'],
    );
    assert.ok(out.clusters.every((c) => c.objects.length > 0));
    // YAML the fast reader leaves to the `yaml` package (an anchor and its alias), printed as YAML:
    // the package loads its copy from the bundle's folder, with no node_modules to find it in.
    writeFileSync(
      join(app, 'anchored.yaml'),
      [
        'apiVersion: types.kubefed.io/v1beta1',
        'kind: FederatedNamespace',
        'metadata: {name: shop, namespace: shop}',
        'spec:',
        '  placement: {clusterSelector: {}}',
        '---',
        'apiVersion: types.kubefed.io/v1beta1',
        'kind: FederatedConfigMap',
        'metadata: {name: settings, namespace: shop}',
        'spec:',
        '  template: {data: {colour: &colour blue, background: *colour}}',
        '  placement: {clusterSelector: {}}',
        '',
      ].join('\n'),
    );
    const anchored = await run(
      process.execPath,
      [bin, 'render', '-f', 'anchored.yaml', '--clusters', join(repoRoot, 'examples', 'clusters.yaml'), '-o', 'yaml'],
      { cwd: app },
    );
    assert.equal(anchored.stdout.match(/^ {2}background: blue$/gm)?.length, 3, anchored.stdout);
  });

  it("the Dockerfile's entrypoint: a global install under /usr/local gives the command it runs", async () => {
    assert.ok(tarball, 'the pack test ran first');
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    const json = (instruction: string): string[] => {
      const line = dockerfile.split('\n').findLast((l) => l.startsWith(`${instruction} `));
      assert.ok(line, `the Dockerfile has ${instruction}`);
      return JSON.parse(line.slice(instruction.length + 1)) as string[];
    };
    const entrypoint = json('ENTRYPOINT')[0] ?? '';
    assert.ok(entrypoint.startsWith('/usr/local/bin/'), entrypoint);
    assert.match(dockerfile, /RUN npm install --global [^\n]*kubefedctl-\*\.tgz/);
    // The image's global prefix is /usr/local; here it is a folder standing for it.
    const prefix = join(dir, 'image', 'usr', 'local');
    await run('npm', [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      tarball,
    ]);
    const command = join(prefix, entrypoint.slice('/usr/local/'.length));
    const help = await run(process.execPath, [command, ...json('CMD')]);
    assert.match(help.stdout, /^Usage: kubefedctl /);
    const version = await run(process.execPath, [command, 'version']);
    assert.match(version.stdout, /^kubefedctl version: /);
  });
});
