// GitHub Actions: escaping of workflow commands, annotations from input errors and from a real
// propagation report, the step summary's Markdown, and the CLI printing them end to end.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Chalk } from 'chalk';
import type { DryRun } from '../../src/api/objects.js';
import { CONFIG_MAPS } from '../../src/api/resources.js';
import { ValidationError } from '../../src/errors.js';
import type { Inventory } from '../../src/engine/inventory.js';
import { propagate, type PropagateReport } from '../../src/engine/propagate.js';
import type { FederatedObject } from '../../src/federation/federated-object.js';
import { typeConfigFor } from '../../src/federation/typeconfig.js';
import {
  appendStepSummary,
  errorAnnotations,
  escapeData,
  escapeProperty,
  locateIssue,
  MAX_ANNOTATIONS,
  printAnnotations,
  workflowCommand,
} from '../../src/output/github.js';
import { reportAnnotations, reportMarkdown } from '../../src/output/github-report.js';
import { warningLogger, type IO } from '../../src/output/io.js';
import { parseDocuments } from '../../src/util/documents.js';
import { registerCredential } from '../../src/util/secrets.js';
import { runCli } from '../cli.js';
import { FakeCluster } from '../fakes/cluster-client.js';

describe('workflow command escaping', () => {
  it('the message: %, CR and LF', () => {
    assert.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
  });
  it('a property: also : and ,', () => {
    assert.equal(escapeProperty('C:\\x, 50%\n'), 'C%3A\\x%2C 50%25%0A');
  });
  it('one command per line, properties in order, each escaped', () => {
    assert.equal(
      workflowCommand({ level: 'error', file: 'a,b.yaml', line: 3, col: 7, title: 'bad: input', message: 'x\ny' }),
      '::error file=a%2Cb.yaml,line=3,col=7,title=bad%3A input::x%0Ay\n',
    );
    assert.equal(workflowCommand({ level: 'warning', message: 'plain' }), '::warning::plain\n');
  });
});

describe('annotations of input errors', () => {
  it('locateIssue reads the readers\u2019 two forms, and nothing else', () => {
    assert.deepEqual(locateIssue('dir/bad.yaml:5:3 (document 1): duplicate key "name"'), {
      file: 'dir/bad.yaml',
      line: 5,
      col: 3,
      message: 'duplicate key "name"',
    });
    assert.deepEqual(locateIssue('in.yaml:12 (document 2): FederatedConfigMap a/b: spec.x: must be a string'), {
      file: 'in.yaml',
      line: 12,
      message: 'FederatedConfigMap a/b: spec.x: must be a string',
    });
    assert.equal(locateIssue('<stdin>:3 (document 1): bad'), undefined);
    assert.equal(locateIssue('spec.placement: must be an object'), undefined);
  });

  it('a ValidationError from the YAML reader: one ::error per issue, on its file, line and column', () => {
    let error: unknown;
    try {
      parseDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n', 'deploy/bad.yaml');
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ValidationError);
    const lines = errorAnnotations(error, 'kubefedctl render').map(workflowCommand);
    assert.deepEqual(lines, [
      '::error file=deploy/bad.yaml,line=5,col=3,title=kubefedctl render%3A deploy/bad.yaml is not valid YAML or JSON::duplicate key "name" (first at line 4)\n',
    ]);
  });

  it('an error with no issues is one annotation on the run', () => {
    assert.deepEqual(errorAnnotations(new Error('cannot reach the host'), 'kubefedctl propagate'), [
      { level: 'error', title: 'kubefedctl propagate', message: 'cannot reach the host' },
    ]);
  });

  it('files are named relative to GITHUB_WORKSPACE; past MAX_ANNOTATIONS of a level, one line counts the rest', () => {
    let err = '';
    const many = Array.from({ length: MAX_ANNOTATIONS + 3 }, (_, i) => ({
      level: 'error' as const,
      message: `m${i}`,
      file: `/work/repo/k8s/${i}.yaml`,
      line: 1,
    }));
    printAnnotations(many, (t) => void (err += t), { GITHUB_WORKSPACE: '/work/repo' });
    const lines = err.trimEnd().split('\n');
    assert.equal(lines.length, MAX_ANNOTATIONS + 1);
    assert.equal(lines[0], '::error file=k8s/0.yaml,line=1::m0');
    assert.equal(lines.at(-1), '::error::and 3 more; see the log');
  });

  it('warningLogger adds a ::warning under GitHub Actions only', () => {
    const io = (env: Record<string, string>): IO & { text: () => string } => {
      let err = '';
      return {
        out: () => undefined,
        err: (t) => void (err += t),
        style: new Chalk({ level: 0 }),
        interactive: false,
        env,
        text: () => err,
      };
    };
    const inActions = io({ GITHUB_ACTIONS: 'true' });
    warningLogger({ io: inActions })('in.yaml:4 (document 1): spec.colour: unknown field');
    assert.equal(
      inActions.text(),
      'warning: in.yaml:4 (document 1): spec.colour: unknown field\n::warning file=in.yaml,line=4::spec.colour: unknown field\n',
    );
    const elsewhere = io({});
    warningLogger({ io: elsewhere })('in.yaml:4 (document 1): spec.colour: unknown field');
    assert.equal(elsewhere.text(), 'warning: in.yaml:4 (document 1): spec.colour: unknown field\n');
  });
});

// A real report: the engine propagates two ConfigMaps to two fake clusters; in c2 one write fails
// and the other meets an object it does not manage.
const CM_FTC = typeConfigFor({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true });

function fedConfigMap(name: string): FederatedObject {
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedConfigMap',
    metadata: { name, namespace: 'shop' },
    spec: { template: { data: { name } }, placement: { clusterSelector: {} } },
  };
}

async function realReport(dryRun: DryRun = 'none'): Promise<PropagateReport> {
  const c1 = new FakeCluster('c1', ['list', 'listMetadata', 'create']);
  const c2 = new FakeCluster(
    'c2',
    ['list', 'listMetadata', 'create'],
    [
      {
        type: CONFIG_MAPS,
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'shop', labels: {} } },
      },
    ],
  );
  c2.failNext.set('configmaps/shop/a', 500);
  const inv: Inventory = {
    kubefedNamespace: 'kube-federation-system',
    scope: 'Cluster',
    adopt: false,
    clusters: [c1, c2].map((c) => ({ name: c.clusterName, labels: {}, ready: true, client: c })),
    types: [{ ftc: CM_FTC, objects: [fedConfigMap('a'), fedConfigMap('b')] }],
    invalid: [],
    federatedNamespaces: new Map(),
    hostNamespaceUids: new Map(),
    rsps: [],
    mode: 'file',
    partial: true,
  };
  // The objects are namespaced: give them a FederatedNamespace placing everywhere.
  inv.federatedNamespaces.set('shop', {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedNamespace',
    metadata: { name: 'shop', namespace: 'shop' },
    spec: { placement: { clusterSelector: {} } },
  });
  return propagate(inv, { dryRun, now: () => new Date('2026-11-30T00:00:00Z') });
}

describe('annotations of a propagation report', () => {
  it('a failed write and a conflict are errors, on the line each object was read from', async () => {
    const report = await realReport();
    assert.equal(report.failed, true, 'the sample has failures');
    const lines = reportAnnotations(report, (r) => ({ file: 'k8s/shop.yaml', line: r.name === 'a' ? 1 : 9 })).map(
      workflowCommand,
    );
    assert.deepEqual(lines, [
      '::error file=k8s/shop.yaml,line=1,title=failed (CreationFailed)::cluster c2: FederatedConfigMap shop/a: c2: create: injected 500\n',
      '::error file=k8s/shop.yaml,line=9,title=conflict (AlreadyExists)::cluster c2: FederatedConfigMap shop/b: an object of this name exists and is not managed by KubeFed; it was left untouched (adopt it with --adopt or adoptResources: Enabled)\n',
    ]);
  });

  it('without a location (host mode) the annotations name no file', async () => {
    const lines = reportAnnotations(await realReport()).map(workflowCommand);
    assert.ok(
      lines.every((l) => l.startsWith('::error title=')),
      lines.join(''),
    );
  });

  it('warnings: an object warning, a policy outranked, a cluster not ready', async () => {
    const report = await realReport();
    report.resources[0]!.warnings.push(
      'PlacementPolicy eu-only (Audit) does not allow cluster c2; placed there all the same',
    );
    report.resources[0]!.policies = {
      placedBy: 'PropagationPolicy shop/web',
      outranked: ['ClusterPropagationPolicy all'],
    };
    report.clusters.push({
      name: 'c3',
      ready: false,
      reason: '/readyz answered 503',
      unreachable: false,
      notPropagated: 2,
      requests: {},
    });
    const warnings = reportAnnotations(report)
      .filter((a) => a.level === 'warning')
      .map(workflowCommand);
    assert.deepEqual(warnings, [
      '::warning title=cluster not ready::cluster c3: /readyz answered 503\n',
      '::warning title=propagation warning::FederatedConfigMap shop/a: PlacementPolicy eu-only (Audit) does not allow cluster c2; placed there all the same\n',
      '::warning title=policy outranked::FederatedConfigMap shop/a: placed by PropagationPolicy shop/web; ClusterPropagationPolicy all selected it too and lost\n',
    ]);
  });
});

describe('annotations of the ApplySet (--prune)', () => {
  it('a parent that could not be written and a member that could not be pruned are errors', async () => {
    const report = await realReport();
    report.applySet = {
      name: 'shop',
      namespace: 'kube-system',
      kind: 'Secret',
      id: 'applyset-x-v1',
      prune: true,
      clusters: [
        { cluster: 'c1', parent: 'unchanged', pruned: 1, kept: 0 },
        { cluster: 'c2', parent: 'failed', pruned: 0, kept: 0, message: 'secrets "shop" is forbidden' },
      ],
      pruned: [
        { cluster: 'c1', kind: 'ConfigMap', name: 'shop/old', outcome: 'failed', message: 'c1: delete: injected 500' },
      ],
    };
    const applySet = reportAnnotations(report)
      .filter((a) => a.title === 'ApplySet failed' || a.title?.startsWith('prune'))
      .map(workflowCommand);
    assert.deepEqual(applySet, [
      '::error title=ApplySet failed::cluster c2: ApplySet shop: secrets "shop" is forbidden; nothing was pruned there\n',
      '::error title=prune failed::cluster c1: ConfigMap shop/old: c1: delete: injected 500\n',
    ]);
    const md = reportMarkdown(report, 'kubefedctl propagate');
    assert.ok(md.includes('| c1 | ConfigMap/shop/old | prune failed | c1: delete: injected 500 |'), md);
    assert.ok(md.includes('| c1 | ready | 2 | 0 | 0 | 0 | 1 | 0 | 0 |'), md);
  });
});

describe('the step summary', () => {
  it('a table per cluster, the failed objects with their messages, and the dry-run mode', async () => {
    const report = await realReport();
    const md = reportMarkdown(report, 'kubefedctl propagate', new Map([['configmaps', 'configmap']]));
    const lines = md.split('\n');
    assert.equal(lines[0], '### kubefedctl propagate');
    assert.ok(lines.includes('Dry run: no: the changes were made. Mode: files (-f).'), md);
    assert.ok(
      lines.includes('| cluster | state | created | updated | deleted | unchanged | failed | conflict | skipped |'),
      md,
    );
    assert.ok(lines.includes('| c1 | ready | 2 | 0 | 0 | 0 | 0 | 0 | 0 |'), md);
    assert.ok(lines.includes('| c2 | ready | 0 | 0 | 0 | 0 | 1 | 1 | 0 |'), md);
    assert.ok(lines.includes('**Failed (2)**'), md);
    assert.ok(lines.includes('| c2 | configmap/shop/a | failed (CreationFailed) | c2: create: injected 500 |'), md);
    assert.ok(
      lines.some((l) => l.startsWith('| c2 | configmap/shop/b | conflict')),
      md,
    );
    assert.ok(md.endsWith('\n\n'), 'ends with a blank line, so the next append starts a new block');
  });

  it('a dry run says so; pipes and HTML in messages cannot break the table; credentials are redacted', async () => {
    const report = await realReport('server');
    registerCredential('s3cr3t-token-value');
    const failed = report.resources.find((r) => r.name === 'a')!.clusters.find((c) => c.cluster === 'c2')!;
    failed.message = 'a | b <script> with s3cr3t-token-value\nnext';
    const md = reportMarkdown(report, 'kubefedctl propagate');
    assert.ok(md.startsWith('### kubefedctl propagate (server dry run)\n'), md);
    assert.match(md, /Dry run: server: every write was sent with dryRun=All; nothing was stored\./);
    assert.ok(md.includes('| a \\| b &lt;script&gt; with *** next |'), md);
    assert.ok(!md.includes('s3cr3t-token-value'));
  });

  it('is appended to the file GITHUB_STEP_SUMMARY names, never truncating it; not even made without it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kf-summary-')), 'summary.md');
    writeFileSync(file, '# earlier step\n\n');
    assert.equal(
      appendStepSummary(() => '### ours\n\n', { GITHUB_STEP_SUMMARY: file }),
      undefined,
    );
    assert.equal(
      appendStepSummary(() => '### again\n\n', { GITHUB_STEP_SUMMARY: file }),
      undefined,
    );
    assert.equal(readFileSync(file, 'utf8'), '# earlier step\n\n### ours\n\n### again\n\n');
    let made = 0;
    assert.equal(
      appendStepSummary(() => `${++made}`, {}),
      undefined,
    );
    assert.equal(made, 0);
    assert.match(
      appendStepSummary(() => 'x', { GITHUB_STEP_SUMMARY: join(file, 'not-a-dir', 'x.md') }) ?? '',
      /^cannot append the step summary to /,
    );
  });
});

describe('the CLI under GitHub Actions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-gha-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    [
      '# a comment line',
      'apiVersion: types.kubefed.io/v1beta1',
      'kind: FederatedConfigMap',
      'metadata: {name: web, namespace: shop}',
      'spec:',
      '  template: {data: {a: 1}}',
      '  placement: {clusters: [{name: cluster1}]}',
      '',
    ].join('\n'),
  );

  it('render -f of an invalid file prints each problem as ::error on its file and line, stdout stays empty', async () => {
    const r = await runCli(['render', '-f', bad, '--clusters', 'examples/clusters.yaml'], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir, CI: 'true' },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    const annotations = r.stderr.split('\n').filter((l) => l.startsWith('::'));
    assert.deepEqual(annotations, [
      '::error file=bad.yaml,line=2,title=kubefedctl render%3A the input is invalid (1 problem); nothing was written::FederatedConfigMap shop/web in clusters cluster1, cluster2 and cluster3: spec.template.data.a: must be a string, not the number 1',
    ]);
    assert.match(
      r.stderr,
      /^error: the input is invalid \(1 problem\); nothing was written\n/,
      'the usual report comes first',
    );
  });

  it('without GITHUB_ACTIONS, no annotation', async () => {
    const r = await runCli(['render', '-f', bad, '--clusters', 'examples/clusters.yaml'], {
      env: { GITHUB_ACTIONS: undefined },
    });
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /^::/m);
  });

  it('a usage error is annotated too, with the command as title', async () => {
    const r = await runCli(['render', '--no-such-flag'], { env: { GITHUB_ACTIONS: 'true' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^::error title=kubefedctl render::unknown option '--no-such-flag'/m);
  });
});
