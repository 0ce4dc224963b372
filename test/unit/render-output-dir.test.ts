// render --output-dir holds exactly the last run's objects (commands/render/output-dir.ts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/objects.js';
import { fileNameFor, writeOutputDir } from '../../src/commands/render/output-dir.js';

const cm = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop' },
});
const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };

/** Every file under a folder, as sorted relative paths. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('render --output-dir', () => {
  it('names files by kind, group, namespace and name, with the format as extension', () => {
    assert.equal(fileNameFor(deploy), 'deployment.apps_shop_web.yaml');
    assert.equal(fileNameFor(cm('a'), 'json'), 'configmap_shop_a.json');
    assert.equal(
      fileNameFor({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }),
      'namespace_shop.yaml',
    );
  });

  it('a second run leaves exactly its own objects: files of removed objects and clusters are gone', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kfrender-')), 'out');
    writeOutputDir(
      out,
      new Map([
        ['c1', [cm('a'), cm('b')]],
        ['c2', [deploy]],
      ]),
      'yaml',
    );
    assert.deepEqual(tree(out), [
      '.kubefedctl-render',
      'c1/configmap_shop_a.yaml',
      'c1/configmap_shop_b.yaml',
      'c2/deployment.apps_shop_web.yaml',
    ]);
    const counts = writeOutputDir(out, new Map([['c1', [cm('a')]]]), 'json');
    assert.deepEqual([...counts], [['c1', 1]]);
    assert.deepEqual(tree(out), ['.kubefedctl-render', 'c1/configmap_shop_a.json']);
    assert.equal(JSON.parse(readFileSync(join(out, 'c1', 'configmap_shop_a.json'), 'utf8')).metadata.name, 'a');
    assert.deepEqual(readdirSync(join(out, '..')), ['out'], 'no temporary folder is left beside it');
  });

  it('refuses a folder that is not render output, and leaves it untouched', () => {
    const out = mkdtempSync(join(tmpdir(), 'kfrender-'));
    writeFileSync(join(out, 'notes.txt'), 'mine');
    assert.throws(() => writeOutputDir(out, new Map([['c1', [cm('a')]]]), 'yaml'), /is not render's output/);
    assert.deepEqual(tree(out), ['notes.txt']);
  });

  it('takes over the output of an older render (cluster folders of YAML files, no marker)', () => {
    const out = mkdtempSync(join(tmpdir(), 'kfrender-'));
    mkdirSync(join(out, 'old-cluster'));
    writeFileSync(join(out, 'old-cluster', 'configmap_shop_x.yaml'), 'kind: ConfigMap\n');
    writeOutputDir(out, new Map([['c1', [cm('a')]]]), 'yaml');
    assert.deepEqual(tree(out), ['.kubefedctl-render', 'c1/configmap_shop_a.yaml']);
  });
});
