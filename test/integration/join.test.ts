// init, join and unjoin against three real clusters; cluster1 is the host and also a member.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HasMetadata, KubeObject, ResourceType } from '../../src/api/objects.js';
import type { KubeClient } from '../../src/kube/client.js';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  CUSTOM_RESOURCE_DEFINITIONS,
  DEPLOYMENTS,
  KUBEFED_CLUSTERS,
  KUBEFED_CONFIGS,
  NAMESPACES,
  ROLE_BINDINGS,
  ROLES,
  SECRETS,
  SERVICE_ACCOUNTS,
} from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  eventually,
  factory,
  kubeconfigWithDeadCluster,
  kubefedctl,
  uniqueName,
} from './harness.js';

const NS = 'kube-federation-system';
const HOST = 'cluster1';

interface KubeFedClusterObject extends HasMetadata {
  spec: { apiEndpoint: string; caBundle?: string; secretRef: { name: string }; disabledTLSValidations?: string[] };
}

/** A client that reaches the member only through what join stored in the host. */
async function clientFromKubeFedCluster(name: string, namespace = NS): Promise<KubeClient> {
  const host = admin(HOST);
  const kfc = await host.get<KubeFedClusterObject>(KUBEFED_CLUSTERS, name, namespace);
  assert.ok(kfc, `KubeFedCluster ${name} exists`);
  const secret = await host.get<KubeObject>(SECRETS, kfc.spec.secretRef.name, namespace);
  assert.ok(secret, `its Secret ${kfc.spec.secretRef.name} exists`);
  return factory().forKubeFedCluster(name, kfc.spec, secret['data'] as Record<string, string>);
}

/** Who the API server says a client is. */
async function whoAmI(client: KubeClient): Promise<string> {
  const review = await client.call<{ status: { userInfo: { username: string } } }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    intent: { verb: 'create', resource: 'selfsubjectreviews' },
  });
  return review.status.userInfo.username;
}

function deployment(name: string, namespace: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'registry.invalid/pause:1' }] },
      },
    },
  };
}

/** Creates, lists and deletes a Deployment with the client; returns the error status if refused. */
async function manageDeployment(client: KubeClient, namespace: string): Promise<void> {
  const name = uniqueName('fed-probe');
  await client.create(DEPLOYMENTS, deployment(name, namespace));
  const listed = await client.list(DEPLOYMENTS, { namespace });
  assert.ok(
    listed.items.some((d) => d.metadata.name === name),
    'the created Deployment is listed',
  );
  assert.equal(await client.delete(DEPLOYMENTS, name, namespace), true);
}

/** The member-side and host-side objects of a join, for existence checks. */
function joinObjects(
  cluster: string,
  namespace = NS,
  scope: 'Cluster' | 'Namespaced' = 'Cluster',
): [ResourceType, string, string | undefined][] {
  const sa = `${cluster}-${HOST}`;
  const role = `kubefed-controller-manager:${sa}`;
  const common: [ResourceType, string, string | undefined][] = [
    [SERVICE_ACCOUNTS, sa, namespace],
    [SECRETS, sa, namespace],
  ];
  if (scope === 'Cluster')
    return [...common, [CLUSTER_ROLES, role, undefined], [CLUSTER_ROLE_BINDINGS, role, undefined]];
  const health = `kubefed-controller-manager:${namespace}:healthcheck-${sa}`;
  return [
    ...common,
    [ROLES, role, namespace],
    [ROLE_BINDINGS, role, namespace],
    [CLUSTER_ROLES, health, undefined],
    [CLUSTER_ROLE_BINDINGS, health, undefined],
  ];
}

async function existing(client: KubeClient, objects: [ResourceType, string, string | undefined][]): Promise<string[]> {
  const found: string[] = [];
  for (const [type, name, namespace] of objects)
    if (await client.get(type, name, namespace)) found.push(`${type.kind}/${name}`);
  return found;
}

describe('init, join and unjoin against real clusters', () => {
  before(async () => {
    const r = await kubefedctl(['init', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    for (const c of ['cluster1', 'cluster2', 'cluster3'])
      await kubefedctl(['unjoin', c, '--host-cluster-context', HOST]);
    closeClients();
  });

  it('init installs established CRDs and a KubeFedConfig that does not adopt', async () => {
    const host = admin(HOST);
    for (const name of [
      'kubefedclusters.core.kubefed.io',
      'federatedtypeconfigs.core.kubefed.io',
      'kubefedconfigs.core.kubefed.io',
      'propagatedversions.core.kubefed.io',
      'clusterpropagatedversions.core.kubefed.io',
      'replicaschedulingpreferences.scheduling.kubefed.io',
      'servicednsrecords.multiclusterdns.kubefed.io',
      'ingressdnsrecords.multiclusterdns.kubefed.io',
      'domains.multiclusterdns.kubefed.io',
      'dnsendpoints.multiclusterdns.kubefed.io',
      'placementpolicies.policy.kubefed.io',
      'propagationpolicies.policy.kubefed.io',
      'clusterpropagationpolicies.policy.kubefed.io',
    ]) {
      const crd = await host.get<HasMetadata & { status?: { conditions?: { type: string; status: string }[] } }>(
        CUSTOM_RESOURCE_DEFINITIONS,
        name,
      );
      assert.ok(
        crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
        `${name} is established`,
      );
    }
    const config = await host.get<
      HasMetadata & { spec: { scope: string; syncController: { adoptResources: string } } }
    >(KUBEFED_CONFIGS, 'kubefed', NS);
    assert.equal(config?.spec.scope, 'Cluster');
    assert.equal(config?.spec.syncController.adoptResources, 'Disabled');
  });

  it('init a second time changes nothing', async () => {
    const host = admin(HOST);
    const versions = async () =>
      (await host.list(CUSTOM_RESOURCE_DEFINITIONS)).items
        .filter((c) => c.metadata.name?.includes('kubefed.io'))
        .map((c) => `${c.metadata.name}@${c.metadata.resourceVersion}`)
        .sort();
    const before = await versions();
    const configBefore = (await host.get(KUBEFED_CONFIGS, 'kubefed', NS))?.metadata.resourceVersion;
    const r = await kubefedctl(['init', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 15); // 13 CRDs, the namespace and the KubeFedConfig
    assert.ok(
      r.stdout
        .trim()
        .split('\n')
        .every((l) => l.endsWith(' unchanged')),
      r.stdout,
    );
    assert.deepEqual(await versions(), before);
    assert.equal((await host.get(KUBEFED_CONFIGS, 'kubefed', NS))?.metadata.resourceVersion, configBefore);
  });

  it('init refuses to change the scope of an existing KubeFedConfig', async () => {
    const r = await kubefedctl(['init', '--host-cluster-context', HOST, '--scope', 'Namespaced']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already has scope Cluster/);
  });

  it('joins the host itself and two members', async () => {
    for (const c of ['cluster1', 'cluster2', 'cluster3']) {
      const r = await kubefedctl([
        'join',
        c,
        '--cluster-context',
        c,
        '--host-cluster-context',
        HOST,
        '--label',
        `name=${c}`,
        '--label',
        'fleet=test',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${HOST}: kubefedcluster.core.kubefed.io/${c} created`));
    }
    const clusters = await admin(HOST).list<KubeFedClusterObject>(KUBEFED_CLUSTERS, {
      namespace: NS,
      labelSelector: 'fleet=test',
    });
    assert.deepEqual(clusters.items.map((c) => c.metadata.name).sort(), ['cluster1', 'cluster2', 'cluster3']);
    for (const c of clusters.items) {
      assert.ok(c.spec.apiEndpoint.startsWith('https://127.0.0.1:'));
      assert.ok(c.spec.caBundle, 'caBundle copied from the kubeconfig');
      assert.equal(c.spec.disabledTLSValidations, undefined);
    }
  });

  it('a client built only from the KubeFedCluster and its Secret manages Deployments in any namespace', async () => {
    for (const c of ['cluster1', 'cluster2']) {
      const client = await clientFromKubeFedCluster(c);
      assert.equal(await whoAmI(client), `system:serviceaccount:${NS}:${c}-${HOST}`);
      const ns = uniqueName('any-ns');
      await admin(c).create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await manageDeployment(client, ns);
      await manageDeployment(client, 'default');
      await admin(c).delete(NAMESPACES, ns);
    }
  });

  it('joining again is safe: everything is reported unchanged and nothing is rewritten', async () => {
    const host = admin(HOST);
    const before = await host.get(KUBEFED_CLUSTERS, 'cluster2', NS);
    const r = await kubefedctl([
      'join',
      'cluster2',
      '--host-cluster-context',
      HOST,
      '--label',
      'name=cluster2',
      '--label',
      'fleet=test',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout
        .trim()
        .split('\n')
        .every((l) => l.endsWith(' unchanged')),
      r.stdout,
    );
    assert.equal(
      (await host.get(KUBEFED_CLUSTERS, 'cluster2', NS))?.metadata.resourceVersion,
      before?.metadata.resourceVersion,
    );
    const secrets = await host.list(SECRETS, { namespace: NS });
    assert.equal(
      secrets.items.filter((s) => s.metadata.name?.startsWith('cluster2-')).length,
      1,
      'no second host Secret is generated',
    );
  });

  it('flags as kubectl users write them: --error-on-existing=false|true and --context for the host', async () => {
    const host = admin(HOST);
    const before = (await host.get(KUBEFED_CLUSTERS, 'cluster2', NS))?.metadata.resourceVersion;
    const labels = ['--label', 'name=cluster2', '--label', 'fleet=test'];
    const off = await kubefedctl(['join', 'cluster2', '--context', HOST, '--error-on-existing=false', ...labels]);
    assert.equal(off.code, 0, off.stderr);
    assert.ok(
      off.stdout
        .trim()
        .split('\n')
        .every((l) => l.endsWith(' unchanged')),
      off.stdout,
    );
    const on = await kubefedctl(['join', 'cluster2', '--context', HOST, '--error-on-existing=true', ...labels]);
    assert.equal(on.code, 1);
    assert.match(on.stderr, /cannot be joined with --error-on-existing: these objects already exist/);
    const bad = await kubefedctl(['join', 'cluster2', '--context', HOST, '--error-on-existing=maybe']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--error-on-existing/);
    assert.equal((await host.get(KUBEFED_CLUSTERS, 'cluster2', NS))?.metadata.resourceVersion, before);
  });

  it('joining again with --error-on-existing fails and changes nothing', async () => {
    const host = admin(HOST);
    const before = await host.get(KUBEFED_CLUSTERS, 'cluster2', NS);
    const r = await kubefedctl([
      'join',
      'cluster2',
      '--host-cluster-context',
      HOST,
      '--error-on-existing',
      '--label',
      'extra=yes',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exist/);
    assert.match(r.stderr, /kubefedcluster\.core\.kubefed\.io\/cluster2/);
    const afterJoin = await host.get(KUBEFED_CLUSTERS, 'cluster2', NS);
    assert.equal(afterJoin?.metadata.resourceVersion, before?.metadata.resourceVersion);
    assert.equal(afterJoin?.metadata.labels?.['extra'], undefined);
  });

  it('re-joining with a changed label updates only the KubeFedCluster', async () => {
    const r = await kubefedctl([
      'join',
      'cluster3',
      '--host-cluster-context',
      HOST,
      '--label',
      'name=cluster3',
      '--label',
      'fleet=test',
      '--label',
      'tier=gold',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kubefedcluster\.core\.kubefed\.io\/cluster3 configured/);
    assert.equal((await admin(HOST).get(KUBEFED_CLUSTERS, 'cluster3', NS))?.metadata.labels?.['tier'], 'gold');
  });

  it('unjoin removes every object join created, on both sides', async () => {
    const host = admin(HOST);
    const kfc = await host.get<KubeFedClusterObject>(KUBEFED_CLUSTERS, 'cluster2', NS);
    const secretName = kfc?.spec.secretRef.name ?? '';
    const r = await kubefedctl(['unjoin', 'cluster2', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await existing(admin('cluster2'), joinObjects('cluster2')), []);
    assert.equal(await host.get(KUBEFED_CLUSTERS, 'cluster2', NS), undefined);
    assert.equal(await host.get(SECRETS, secretName, NS), undefined);
    await eventually(
      'the member namespace to be gone',
      async () => (await admin('cluster2').get(NAMESPACES, NS)) === undefined,
    );
  });

  it('join right after unjoin waits for the member namespace to finish terminating', async () => {
    const join = () => kubefedctl(['join', 'cluster2', '--host-cluster-context', HOST, '-v=2']);
    assert.equal((await join()).code, 0);
    assert.equal((await kubefedctl(['unjoin', 'cluster2', '--host-cluster-context', HOST])).code, 0);
    const again = await join();
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /RBAC|forbidden/i);
    assert.ok(await admin(HOST).get(KUBEFED_CLUSTERS, 'cluster2', NS), 'joined again');
    // Leave cluster2 unjoined, as the tests below expect.
    assert.equal((await kubefedctl(['unjoin', 'cluster2', '--host-cluster-context', HOST])).code, 0);
    await eventually(
      'the member namespace to be gone',
      async () => (await admin('cluster2').get(NAMESPACES, NS)) === undefined,
    );
  });

  it('unjoin of the host itself keeps the KubeFed namespace there', async () => {
    const r = await kubefedctl(['unjoin', 'cluster1', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /namespace\/kube-federation-system kept/);
    assert.deepEqual(await existing(admin(HOST), joinObjects('cluster1')), []);
    assert.ok(await admin(HOST).get(KUBEFED_CONFIGS, 'kubefed', NS), 'the control plane is untouched');
  });

  it('unjoin of a cluster that is not joined is an error, and --dry-run deletes nothing', async () => {
    const missing = await kubefedctl(['unjoin', 'cluster2', '--host-cluster-context', HOST]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /is not joined/);
    const dry = await kubefedctl(['unjoin', 'cluster3', '--host-cluster-context', HOST, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /kubefedcluster\.core\.kubefed\.io\/cluster3 deleted \(dry run\)/);
    assert.ok(await admin(HOST).get(KUBEFED_CLUSTERS, 'cluster3', NS));
    assert.equal((await existing(admin('cluster3'), joinObjects('cluster3'))).length, 4);
  });

  it('join --dry-run -o yaml prints the objects and creates nothing', async () => {
    const r = await kubefedctl(['join', 'cluster2', '--host-cluster-context', HOST, '--dry-run', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kind: KubeFedCluster/);
    assert.match(r.stdout, /kind: ClusterRoleBinding/);
    assert.equal(await admin(HOST).get(KUBEFED_CLUSTERS, 'cluster2', NS), undefined);
    assert.equal(await admin('cluster2').get(SERVICE_ACCOUNTS, `cluster2-${HOST}`, NS), undefined);
  });

  it('join --dry-run=server sends the objects for validation but stores none', async () => {
    const r = await kubefedctl(['join', 'cluster2', '--host-cluster-context', HOST, '--dry-run=server']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /serviceaccount\/cluster2-cluster1 created \(server dry run\)/);
    assert.equal(await admin('cluster2').get(SERVICE_ACCOUNTS, `cluster2-${HOST}`, NS), undefined);
    assert.equal(await admin(HOST).get(KUBEFED_CLUSTERS, 'cluster2', NS), undefined);
  });

  it('unjoin --force goes on past an unreachable member and says what it left behind', async () => {
    const r = await kubefedctl(
      [
        'unjoin',
        'cluster3',
        '--cluster-context',
        'dead',
        '--host-cluster-context',
        HOST,
        '--force',
        '--request-timeout',
        '5s',
      ],
      { env: { KUBECONFIG: kubeconfigWithDeadCluster() } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning: left behind: every member-side object of "cluster3" \(cannot reach https:\/\/127\.0\.0\.1:1/,
    );
    assert.match(r.stdout, /kubefedcluster\.core\.kubefed\.io\/cluster3 deleted/);
    assert.equal(await admin(HOST).get(KUBEFED_CLUSTERS, 'cluster3', NS), undefined);
    assert.equal(
      (await existing(admin('cluster3'), joinObjects('cluster3'))).length,
      4,
      'the member side was left alone',
    );
    // Without the KubeFedCluster, --force still cleans the member side once it is reachable.
    const cleanup = await kubefedctl(['unjoin', 'cluster3', '--host-cluster-context', HOST, '--force']);
    assert.equal(cleanup.code, 0, cleanup.stderr);
    assert.deepEqual(await existing(admin('cluster3'), joinObjects('cluster3')), []);
  });
});

describe('Namespaced scope', () => {
  const KF_NS = 'kubefed-scoped';
  after(async () => {
    await kubefedctl(['unjoin', 'cluster3', '--host-cluster-context', HOST, '--kubefed-namespace', KF_NS]);
    closeClients();
  });

  it('the member grants access only inside the KubeFed namespace', async () => {
    const init = await kubefedctl([
      'init',
      '--host-cluster-context',
      HOST,
      '--kubefed-namespace',
      KF_NS,
      '--scope',
      'Namespaced',
    ]);
    assert.equal(init.code, 0, init.stderr);
    const join = await kubefedctl(['join', 'cluster3', '--host-cluster-context', HOST, '--kubefed-namespace', KF_NS]);
    assert.equal(join.code, 0, join.stderr);
    assert.match(
      join.stdout,
      /role\.rbac\.authorization\.k8s\.io\/kubefed-controller-manager:cluster3-cluster1 created/,
    );
    assert.deepEqual((await existing(admin('cluster3'), joinObjects('cluster3', KF_NS, 'Namespaced'))).length, 6);

    const client = await clientFromKubeFedCluster('cluster3', KF_NS);
    await manageDeployment(client, KF_NS);
    await assert.rejects(
      client.create(DEPLOYMENTS, deployment(uniqueName('outside'), 'default')),
      (e: Error & { statusCode?: number }) => e.statusCode === 403,
    );
    const health = await client.raw('/healthz');
    assert.equal(health.statusCode, 200);
    assert.equal(health.body, 'ok');
  });

  it('propagate works inside the KubeFed namespace with only the namespaced permissions', async () => {
    const enable = await kubefedctl([
      'enable',
      'configmaps',
      '--host-cluster-context',
      HOST,
      '--kubefed-namespace',
      KF_NS,
    ]);
    assert.equal(enable.code, 0, enable.stderr);
    await admin(HOST).create(
      {
        group: 'types.kubefed.io',
        version: 'v1beta1',
        plural: 'federatedconfigmaps',
        kind: 'FederatedConfigMap',
        namespaced: true,
      },
      {
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedConfigMap',
        metadata: { name: 'scoped', namespace: KF_NS },
        spec: { template: { data: { a: 'b' } }, placement: { clusters: [{ name: 'cluster3' }] } },
      },
    );
    const r = await kubefedctl([
      'propagate',
      '--host-cluster-context',
      HOST,
      '--kubefed-namespace',
      KF_NS,
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const cm = await admin('cluster3').get(
      { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
      'scoped',
      KF_NS,
    );
    assert.equal(cm?.metadata.labels?.['kubefed.io/managed'], 'true');
    const again = JSON.parse(
      (await kubefedctl(['propagate', '--host-cluster-context', HOST, '--kubefed-namespace', KF_NS, '-o', 'json']))
        .stdout,
    ) as { summary: Record<string, number> };
    assert.equal(again.summary['unchanged'], 1);
  });

  it('unjoin removes the Role, RoleBinding and health-check ClusterRole', async () => {
    const r = await kubefedctl(['unjoin', 'cluster3', '--host-cluster-context', HOST, '--kubefed-namespace', KF_NS]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await existing(admin('cluster3'), joinObjects('cluster3', KF_NS, 'Namespaced')), []);
  });
});
