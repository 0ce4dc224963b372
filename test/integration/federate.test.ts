// federate against a real host cluster: live objects become federated objects the API server
// accepts, namespaces with their contents, and the offline -f path gives the same objects.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject, ResourceType } from '../../src/api/objects.js';
import {
  CLUSTER_ROLES,
  CONFIG_MAPS,
  CUSTOM_RESOURCE_DEFINITIONS,
  DEPLOYMENTS,
  FEDERATED_TYPE_CONFIGS,
  NAMESPACES,
  ROLES,
  SECRETS,
} from '../../src/api/resources.js';
import { admin, closeClients, eventually, kubefedctl, uniqueName } from './harness.js';

const HOST = 'cluster1';
const KF_NS = 'kube-federation-system';
const H = ['--host-cluster-context', HOST];

const fed = (plural: string, kind: string, namespaced = true): ResourceType => ({
  group: 'types.kubefed.io',
  version: 'v1beta1',
  plural,
  kind,
  namespaced,
});
const FED_CONFIG_MAPS = fed('federatedconfigmaps', 'FederatedConfigMap');
const FED_DEPLOYMENTS = fed('federateddeployments', 'FederatedDeployment');
const FED_CLUSTER_ROLES = fed('federatedclusterroles', 'FederatedClusterRole', false);
const FED_NAMESPACES = fed('federatednamespaces', 'FederatedNamespace');
const FED_SECRETS = fed('federatedsecrets', 'FederatedSecret');
const FED_ROLES = fed('federatedroles', 'FederatedRole');
const POD_TEMPLATES: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'podtemplates',
  kind: 'PodTemplate',
  namespaced: true,
};
const FED_POD_TEMPLATES = fed('federatedpodtemplates', 'FederatedPodTemplate');

type Spec = { template: Record<string, unknown>; placement: unknown; overrides?: unknown };
const specOf = (obj: KubeObject | undefined): Spec => obj?.['spec'] as Spec;

/** What spec §3.5.4 keeps of a source object: everything but apiVersion, kind, status and metadata (labels excepted). */
function expectedTemplate(source: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = source;
  return {
    ...(metadata.labels && Object.keys(metadata.labels).length > 0 ? { metadata: { labels: metadata.labels } } : {}),
    ...rest,
  };
}

function deployment(name: string, namespace: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name }, annotations: { team: 'blue' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { 'example.com/pod': 'yes' } },
        spec: { containers: [{ name: 'c', image: 'registry.invalid/pause:1' }] },
      },
    },
  };
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kf-federate-')), name);
  writeFileSync(path, text);
  return path;
}

/** The environment of a user with no kubeconfig at all. */
const NO_KUBECONFIG = { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent' };

describe('federate', () => {
  const ns = uniqueName('fed');
  const contentsNs = uniqueName('fed-contents');
  const roleName = uniqueName('fed-viewer');

  before(async () => {
    assert.equal((await kubefedctl(['init', ...H])).code, 0);
    for (const type of ['configmaps', 'deployments.apps', 'clusterroles.rbac.authorization.k8s.io', 'namespaces']) {
      const r = await kubefedctl(['enable', type, ...H]);
      assert.equal(r.code, 0, r.stderr);
    }
    // PodTemplates serve the --enable-type test: make sure they start out not enabled.
    await kubefedctl(['disable', 'podtemplates', ...H, '--delete-crd', '--force']);
    await eventually(
      'the FederatedPodTemplate CRD to be gone',
      async () => !(await admin(HOST).get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedpodtemplates.types.kubefed.io')),
    );
    await admin(HOST).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  after(async () => {
    const host = admin(HOST);
    for (const n of [ns, contentsNs]) await host.delete(NAMESPACES, n);
    await host.delete(CLUSTER_ROLES, roleName);
    await host.delete(FED_CLUSTER_ROLES, roleName);
    await kubefedctl(['disable', 'podtemplates', ...H, '--delete-crd', '--force']);
    closeClients();
  });

  it('a ConfigMap: the template is the source minus what the spec drops, and the server keeps it', async () => {
    const host = admin(HOST);
    await host.create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns, labels: { app: 'web' }, annotations: { note: 'dropped' } },
      data: { mode: 'fast' },
    });
    const r = await kubefedctl(['federate', 'configmaps', 'settings', '-n', ns, ...H]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'federatedconfigmap.types.kubefed.io/settings created\n');
    assert.match(
      r.stderr,
      /warning: annotations of configmap\/.*\/settings are not carried into the template \(note\)/,
    );
    const source = await host.get(CONFIG_MAPS, 'settings', ns);
    const stored = await host.get(FED_CONFIG_MAPS, 'settings', ns);
    assert.ok(source && stored);
    assert.deepEqual(specOf(stored).template, expectedTemplate(source));
    assert.deepEqual(specOf(stored).template, { metadata: { labels: { app: 'web' } }, data: { mode: 'fast' } });
    assert.deepEqual(specOf(stored).placement, { clusterSelector: { matchLabels: {} } });
    assert.equal(stored.metadata.labels, undefined, 'no labels of its own');
    assert.equal(stored.metadata.annotations, undefined, 'no annotations of its own');
  });

  it('federating again reports unchanged and writes nothing; a changed source needs --overwrite, which keeps overrides', async () => {
    const host = admin(HOST);
    const before = await host.get(FED_CONFIG_MAPS, 'settings', ns);
    const again = await kubefedctl(['federate', 'configmaps', 'settings', '-n', ns, ...H]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'federatedconfigmap.types.kubefed.io/settings unchanged\n');
    assert.equal(
      (await host.get(FED_CONFIG_MAPS, 'settings', ns))?.metadata.resourceVersion,
      before?.metadata.resourceVersion,
    );

    const overrides = [{ clusterName: 'cluster2', clusterOverrides: [{ path: '/data/mode', value: 'slow' }] }];
    await host.mergePatch(FED_CONFIG_MAPS, 'settings', ns, { spec: { overrides } });
    await host.mergePatch(CONFIG_MAPS, 'settings', ns, { data: { mode: 'safe' } });
    const refused = await kubefedctl(['federate', 'configmaps', 'settings', '-n', ns, ...H]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already exist with a different template or placement/);
    assert.match(refused.stderr, /federatedconfigmap\.types\.kubefed\.io\/settings in namespace/);
    assert.match(refused.stderr, /--overwrite/);
    assert.deepEqual(specOf(await host.get(FED_CONFIG_MAPS, 'settings', ns)).template['data'], { mode: 'fast' });

    const overwritten = await kubefedctl(['federate', 'configmaps', 'settings', '-n', ns, ...H, '--overwrite']);
    assert.equal(overwritten.code, 0, overwritten.stderr);
    assert.equal(overwritten.stdout, 'federatedconfigmap.types.kubefed.io/settings configured\n');
    const stored = specOf(await host.get(FED_CONFIG_MAPS, 'settings', ns));
    assert.deepEqual(stored.template['data'], { mode: 'safe' });
    assert.deepEqual(stored.overrides, overrides);
  });

  it('a Deployment: pod template metadata stays, the rest of metadata and status go', async () => {
    const host = admin(HOST);
    await host.create(DEPLOYMENTS, deployment('web', ns));
    await eventually('the Deployment to have a status', async () =>
      Boolean((await host.get(DEPLOYMENTS, 'web', ns))?.['status']),
    );
    const r = await kubefedctl(['federate', 'deployments.apps', 'web', '-n', ns, ...H]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'federateddeployment.types.kubefed.io/web created\n');
    const source = await host.get(DEPLOYMENTS, 'web', ns);
    const stored = await host.get(FED_DEPLOYMENTS, 'web', ns);
    assert.ok(source && stored);
    assert.deepEqual(specOf(stored).template, expectedTemplate(source));
    assert.equal(specOf(stored).template['status'], undefined);
    assert.deepEqual((specOf(stored).template['spec'] as { template: { metadata: unknown } }).template.metadata, {
      labels: { app: 'web' },
      annotations: { 'example.com/pod': 'yes' },
    });
  });

  it('a ClusterRole becomes a cluster-scoped FederatedClusterRole, with the placement flags', async () => {
    const host = admin(HOST);
    await host.create(CLUSTER_ROLES, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: roleName, labels: { tier: 'gold' } },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    const r = await kubefedctl([
      'federate',
      'clusterrole',
      roleName,
      ...H,
      '--placement-clusters',
      'cluster2,cluster3',
      '--cluster-selector',
      'fleet=test',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `federatedclusterrole.types.kubefed.io/${roleName} created\n`);
    const source = await host.get(CLUSTER_ROLES, roleName);
    const stored = await host.get(FED_CLUSTER_ROLES, roleName);
    assert.ok(source && stored);
    assert.equal(stored.metadata.namespace, undefined);
    assert.deepEqual(specOf(stored).template, expectedTemplate(source));
    assert.deepEqual(specOf(stored).placement, {
      clusters: [{ name: 'cluster2' }, { name: 'cluster3' }],
      clusterSelector: { matchLabels: { fleet: 'test' } },
    });
  });

  it('the offline -f path gives the same objects as the live -o path, with no kubeconfig and no cluster', async () => {
    const host = admin(HOST);
    const cmManifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'plain', namespace: ns, labels: { a: 'b' } },
      data: { x: '1' },
    };
    await host.create(CONFIG_MAPS, cmManifest);
    const live = async (args: string[]) => {
      const r = await kubefedctl([
        'federate',
        ...args,
        '-o',
        'json',
        ...H,
        '--placement-clusters',
        'cluster2',
        '--cluster-selector',
        'fleet=test',
      ]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as KubeObject;
    };
    const liveObjects = [
      await live(['configmaps', 'plain', '-n', ns]),
      await live(['deployments.apps', 'web', '-n', ns]),
      await live(['clusterroles.rbac.authorization.k8s.io', roleName]),
      await live(['namespace', ns]),
    ];
    // The live sources as the server returns them (status, managedFields and all), plus the plain manifest.
    const sources = [
      await host.get(CONFIG_MAPS, 'plain', ns),
      await host.get(DEPLOYMENTS, 'web', ns),
      await host.get(CLUSTER_ROLES, roleName),
      await host.get(NAMESPACES, ns),
    ];
    const file = tempFile('live.yaml', sources.map((s) => stringify(s)).join('---\n'));
    const offline = await kubefedctl(
      [
        'federate',
        '-f',
        file,
        '-o',
        'json',
        '--kubeconfig',
        '/nonexistent',
        '--placement-clusters',
        'cluster2',
        '--cluster-selector',
        'fleet=test',
      ],
      { env: NO_KUBECONFIG },
    );
    assert.equal(offline.code, 0, offline.stderr);
    assert.deepEqual((JSON.parse(offline.stdout) as { items: KubeObject[] }).items, liveObjects);

    const plain = await kubefedctl(
      ['federate', '-f', '-', '-o', 'json', '--placement-clusters', 'cluster2', '--cluster-selector', 'fleet=test'],
      { env: NO_KUBECONFIG, stdin: stringify(cmManifest) },
    );
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(
      JSON.parse(plain.stdout),
      liveObjects[0],
      'a hand-written manifest gives the same object as its live copy',
    );
    assert.equal(await host.get(FED_CONFIG_MAPS, 'plain', ns), undefined, '-o wrote nothing');
  });

  it('-f without -o creates the federated objects with the types installed on the host', async () => {
    const file = tempFile(
      'cm.yaml',
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-file' }, data: { y: '2' } }),
    );
    const r = await kubefedctl(['federate', '-f', file, '-n', ns, ...H]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'federatedconfigmap.types.kubefed.io/from-file created\n');
    assert.deepEqual(specOf(await admin(HOST).get(FED_CONFIG_MAPS, 'from-file', ns)).template, { data: { y: '2' } });
  });

  it('-f errors name the file, the document and the field, without touching a cluster', async () => {
    const file = tempFile(
      'bad.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nmetadata:\n  name: no-kind\n',
    );
    const r = await kubefedctl(['federate', '-f', file, '-o', 'yaml'], { env: NO_KUBECONFIG });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.yaml:6 \(document 2\): kind: must be a non-empty string/);
    assert.equal(r.stdout, '');
  });

  it('a namespace with --contents: enabled types are federated, the rest is reported', async () => {
    const host = admin(HOST);
    await host.create(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: contentsNs, labels: { team: 'a' } },
    });
    await host.create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: contentsNs },
      data: { k: 'v' },
    });
    await host.create(DEPLOYMENTS, deployment('c', contentsNs));
    await host.create(ROLES, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader', namespace: contentsNs },
      rules: [],
    });
    await host.create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'skipped-by-flag', namespace: contentsNs },
      stringData: { p: 'q' },
    });
    await eventually(
      'the ReplicaSet of Deployment c',
      async () =>
        (
          await host.list(
            { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true },
            { namespace: contentsNs },
          )
        ).items.length > 0,
    );
    await eventually('kube-root-ca.crt', async () =>
      Boolean(await host.get(CONFIG_MAPS, 'kube-root-ca.crt', contentsNs)),
    );

    const r = await kubefedctl([
      'federate',
      'namespace',
      contentsNs,
      '--contents',
      '--skip-api-resources',
      'secrets',
      ...H,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), [
      `federatedconfigmap.types.kubefed.io/a created`,
      `federateddeployment.types.kubefed.io/c created`,
      `federatednamespace.types.kubefed.io/${contentsNs} created`,
    ]);
    assert.match(r.stderr, /not federating replicasets\.apps\/c-[a-z0-9]+: it is controlled by deployment\/c/);
    assert.match(r.stderr, /not federating configmaps\/kube-root-ca\.crt: it holds this cluster's CA/);
    assert.match(
      r.stderr,
      /not federating objects of types that are not enabled: .*roles\.rbac\.authorization\.k8s\.io \(1\)/,
    );
    assert.doesNotMatch(r.stderr, /secrets/, '--skip-api-resources leaves secrets out before anything is listed');

    const fns = await host.get(FED_NAMESPACES, contentsNs, contentsNs);
    assert.deepEqual(specOf(fns).template, {
      metadata: { labels: { 'kubernetes.io/metadata.name': contentsNs, team: 'a' } },
      spec: {},
    });
    assert.deepEqual(specOf(await host.get(FED_CONFIG_MAPS, 'a', contentsNs)).template, { data: { k: 'v' } });
    assert.ok(await host.get(FED_DEPLOYMENTS, 'c', contentsNs));
    assert.equal(await host.get(FED_CONFIG_MAPS, 'kube-root-ca.crt', contentsNs), undefined);
    assert.equal(await host.get(FED_SECRETS, 'skipped-by-flag', contentsNs), undefined);
    assert.equal(await host.get(FED_ROLES, 'reader', contentsNs), undefined);

    const again = await kubefedctl([
      'federate',
      'namespace',
      contentsNs,
      '--contents',
      '--skip-api-resources',
      'secrets',
      ...H,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(
      again.stdout
        .trim()
        .split('\n')
        .every((l) => l.endsWith(' unchanged')),
      again.stdout,
    );
  });

  it('--contents is only for namespaces', async () => {
    const r = await kubefedctl(['federate', 'configmaps', 'settings', '-n', ns, '--contents', ...H]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--contents only applies to namespaces, not to configmaps/);
  });

  it('a type that is not enabled: an error with a hint, a dry run that writes nothing, then --enable-type', async () => {
    const host = admin(HOST);
    await host.create(POD_TEMPLATES, {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'tpl', namespace: ns },
      template: {
        metadata: { labels: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'registry.invalid/pause:1' }] },
      },
    });

    const missing = await kubefedctl(['federate', 'podtemplates', 'tpl', '-n', ns, ...H]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /type "podtemplates" is not enabled for federation/);
    assert.match(missing.stderr, /hint: re-run with --enable-type, or run 'kubefedctl enable podtemplates' first/);

    const dry = await kubefedctl(['federate', 'podtemplates', 'tpl', '-n', ns, ...H, '--enable-type', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /customresourcedefinition\.apiextensions\.k8s\.io\/federatedpodtemplates\.types\.kubefed\.io created \(dry run\)/,
    );
    assert.match(dry.stdout, /federatedpodtemplate\.types\.kubefed\.io\/tpl created \(dry run\)/);
    assert.equal(await host.get(CUSTOM_RESOURCE_DEFINITIONS, 'federatedpodtemplates.types.kubefed.io'), undefined);
    assert.equal(await host.get(FEDERATED_TYPE_CONFIGS, 'podtemplates', KF_NS), undefined);

    const r = await kubefedctl(['federate', 'podtemplates', 'tpl', '-n', ns, ...H, '--enable-type']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'customresourcedefinition.apiextensions.k8s.io/federatedpodtemplates.types.kubefed.io created',
      'federatedtypeconfig.core.kubefed.io/podtemplates created',
      'federatedpodtemplate.types.kubefed.io/tpl created',
    ]);
    const source = await host.get(POD_TEMPLATES, 'tpl', ns);
    assert.ok(source);
    assert.deepEqual(specOf(await host.get(FED_POD_TEMPLATES, 'tpl', ns)).template, expectedTemplate(source));
  });

  it('--dry-run and -o write nothing', async () => {
    const host = admin(HOST);
    await host.create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dry', namespace: ns },
      data: {},
    });
    const client = await kubefedctl(['federate', 'configmaps', 'dry', '-n', ns, ...H, '--dry-run']);
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdout, 'federatedconfigmap.types.kubefed.io/dry created (dry run)\n');
    const server = await kubefedctl(['federate', 'configmaps', 'dry', '-n', ns, ...H, '--dry-run=server']);
    assert.equal(server.code, 0, server.stderr);
    assert.equal(server.stdout, 'federatedconfigmap.types.kubefed.io/dry created (server dry run)\n');
    const printed = await kubefedctl(['federate', 'configmaps', 'dry', '-n', ns, ...H, '-o', 'yaml']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^apiVersion: types\.kubefed\.io\/v1beta1\nkind: FederatedConfigMap\n/);
    assert.equal(await host.get(FED_CONFIG_MAPS, 'dry', ns), undefined);
  });

  it('an unknown type or object is a clear error', async () => {
    const type = await kubefedctl(['federate', 'nosuchthings', 'x', ...H]);
    assert.equal(type.code, 1);
    assert.match(type.stderr, /the server has no resource type "nosuchthings"/);
    const name = await kubefedctl(['federate', 'configmaps', 'nope', '-n', ns, ...H]);
    assert.equal(name.code, 1);
    assert.match(name.stderr, new RegExp(`configmap "nope" not found in namespace "${ns}"`));
    const both = await kubefedctl(['federate', 'configmaps', 'x', '-f', 'a.yaml']);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /give either TYPE NAME or -f FILE, not both/);
  });
});
