// propagate as the CronJob in deploy/cronjob/ runs it: with no kubeconfig, the pod's service account
// (a token from the TokenRequest API and the cluster CA, in a folder standing in for
// /var/run/secrets/kubernetes.io/serviceaccount) and exactly the manifest's RBAC. cluster1 is the
// host and a member, cluster2 a member.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, ResourceType } from '../../src/api/objects.js';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  CONFIG_MAPS,
  KUBEFED_CLUSTERS,
  NAMESPACES,
  ROLE_BINDINGS,
  ROLES,
  SERVICE_ACCOUNTS,
} from '../../src/api/resources.js';
import { repoRoot } from '../cli.js';
import {
  admin,
  closeClients,
  kubeconfigDoc,
  kubefedctl,
  namespaceSettled,
  propagateJson,
  uniqueName,
} from './harness.js';

const HOST = 'cluster1';
const H = ['--host-cluster-context', HOST];
const MEMBERS = ['cluster1', 'cluster2'];
const KUBEFED_NS = 'kube-federation-system';
const MANIFEST = join(repoRoot, 'deploy', 'cronjob', 'kubefedctl-propagate.yaml');
const SHARDED = join(repoRoot, 'deploy', 'indexed-job', 'kubefedctl-propagate-sharded.yaml');
const SA = 'kubefedctl-propagate';
/** A second service account whose ClusterRole lacks the federated types' rule. */
const PARTIAL_SA = 'kubefedctl-propagate-partial';

const CRON_JOBS: ResourceType = {
  group: 'batch',
  version: 'v1',
  plural: 'cronjobs',
  kind: 'CronJob',
  namespaced: true,
};
const TYPE_OF: Record<string, ResourceType> = {
  ServiceAccount: SERVICE_ACCOUNTS,
  Role: ROLES,
  RoleBinding: ROLE_BINDINGS,
  ClusterRole: CLUSTER_ROLES,
  ClusterRoleBinding: CLUSTER_ROLE_BINDINGS,
  CronJob: CRON_JOBS,
};
const fedType = (kind: string, plural: string): ResourceType => ({
  group: 'types.kubefed.io',
  version: 'v1beta1',
  kind: `Federated${kind}`,
  plural: `federated${plural}`,
  namespaced: true,
});
const FED_NAMESPACES = fedType('Namespace', 'namespaces');
const FED_CONFIG_MAPS = fedType('ConfigMap', 'configmaps');

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

function manifest(): KubeObject[] {
  return parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => d.toJS() as KubeObject);
}

/** The manifest's objects except the CronJob, renamed for `name` (the service account, roles and bindings). */
function rbacFor(name: string, keepRule: (rule: Rule) => boolean = () => true): KubeObject[] {
  return manifest()
    .filter((o) => o.kind !== 'CronJob')
    .map((o) => {
      const copy = structuredClone(o) as KubeObject & {
        rules?: Rule[];
        roleRef?: { name: string };
        subjects?: { name: string }[];
      };
      copy.metadata.name = name;
      if (copy.roleRef) copy.roleRef.name = name;
      for (const s of copy.subjects ?? []) s.name = name;
      if (copy.kind === 'ClusterRole') copy.rules = (copy.rules ?? []).filter(keepRule);
      return copy;
    });
}

async function applyAll(objects: KubeObject[]): Promise<void> {
  for (const o of objects) await admin(HOST).apply(TYPE_OF[o.kind ?? '']!, o);
}

async function deleteAll(objects: KubeObject[]): Promise<void> {
  for (const o of objects)
    await admin(HOST)
      .delete(TYPE_OF[o.kind ?? '']!, o.metadata.name ?? '', o.metadata.namespace)
      .catch(() => undefined);
}

/**
 * What the kubelet mounts for a service account: a bound token from the TokenRequest API, the
 * cluster's CA and the namespace. Returns the folder.
 */
async function serviceAccountDir(name: string): Promise<{ dir: string; token: string }> {
  const request = await admin(HOST).call<{ status: { token: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${KUBEFED_NS}/serviceaccounts/${name}/token`,
    body: JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 600 },
    }),
    intent: { verb: 'create', resource: 'serviceaccounts/token', name, namespace: KUBEFED_NS },
  });
  const cluster = kubeconfigDoc().clusters.find((c) => c.name === HOST)!.cluster;
  const dir = mkdtempSync(join(tmpdir(), 'kf-sa-'));
  writeFileSync(join(dir, 'token'), request.status.token);
  writeFileSync(join(dir, 'ca.crt'), Buffer.from(cluster['certificate-authority-data'] as string, 'base64'));
  writeFileSync(join(dir, 'namespace'), KUBEFED_NS);
  return { dir, token: request.status.token };
}

/** The environment of a pod: the service variables pointing at the host, no kubeconfig, an empty home. */
function podEnv(saDir: string): Record<string, string | undefined> {
  const server = new URL(kubeconfigDoc().clusters.find((c) => c.name === HOST)!.cluster['server'] as string);
  return {
    KUBECONFIG: undefined,
    HOME: mkdtempSync(join(tmpdir(), 'kf-home-')),
    KUBERNETES_SERVICE_HOST: server.hostname,
    KUBERNETES_SERVICE_PORT: server.port,
    KUBEFEDCTL_SERVICE_ACCOUNT_DIR: saDir,
  };
}

/** The `mode` key of the member's copy of the ConfigMap "settings". */
async function memberValue(cluster: string, ns: string): Promise<string | undefined> {
  const copy = await admin(cluster).get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAPS, 'settings', ns);
  return copy?.data?.['mode'];
}

/** The clusters named in the status of the FederatedConfigMap "settings", sorted. */
async function statusClusters(ns: string): Promise<string[]> {
  const fed = await admin(HOST).get<KubeObject & { status?: { clusters?: { name: string }[] } }>(
    FED_CONFIG_MAPS,
    'settings',
    ns,
  );
  return (fed?.status?.clusters ?? []).map((c) => c.name).sort();
}

/** Whether the host records the KubeFedCluster as Ready. */
async function recordedReady(cluster: string): Promise<boolean> {
  const kfc = await admin(HOST).get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(
    KUBEFED_CLUSTERS,
    cluster,
    KUBEFED_NS,
  );
  return (kfc?.status?.conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'True');
}

describe('propagate in a pod, with the CronJob manifest', () => {
  const ns = uniqueName('incluster');

  before(async () => {
    for (const c of MEMBERS) await namespaceSettled(c, KUBEFED_NS);
    assert.equal((await kubefedctl(['init', ...H])).code, 0);
    for (const c of MEMBERS) {
      const r = await kubefedctl(['join', c, ...H]);
      assert.equal(r.code, 0, r.stderr);
    }
    for (const t of ['namespaces', 'configmaps']) {
      const r = await kubefedctl(['enable', t, ...H]);
      assert.equal(r.code, 0, r.stderr);
    }
    const host = admin(HOST);
    await host.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await host.create(FED_NAMESPACES, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement: { clusterSelector: {} } },
    });
    await host.create(FED_CONFIG_MAPS, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'settings', namespace: ns },
      spec: { placement: { clusterSelector: {} }, template: { data: { mode: 'in-cluster' } } },
    });
  });
  after(async () => {
    await deleteAll([...rbacFor(SA), ...rbacFor(PARTIAL_SA)]);
    for (const c of MEMBERS) await kubefedctl(['unjoin', c, ...H]);
    for (const c of MEMBERS)
      await admin(c)
        .delete(NAMESPACES, ns)
        .catch(() => undefined);
    closeClients();
  });

  it('the manifest is accepted by the API server (server dry run), after init', async () => {
    const objects = manifest();
    assert.deepEqual(
      objects.map((o) => o.kind),
      ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'CronJob'],
    );
    for (const o of objects) {
      const stored = await admin(HOST).apply(TYPE_OF[o.kind ?? '']!, o, { serverDryRun: true });
      assert.equal(stored.metadata.name, SA, `${o.kind} accepted`);
    }
    // A dry run stores nothing.
    assert.equal(await admin(HOST).get(CRON_JOBS, SA, KUBEFED_NS), undefined);
  });

  it("the sharded Indexed Job is accepted (server dry run) and reuses the CronJob manifest's RBAC", async () => {
    const docs = parseAllDocuments(readFileSync(SHARDED, 'utf8')).map((d) => d.toJS() as KubeObject);
    const [cron, ...others] = docs as [KubeObject, ...KubeObject[]];
    assert.equal(cron.kind, 'CronJob');
    assert.equal(others.length, 0);
    // What `kubectl apply -l app.kubernetes.io/component=rbac` takes from the CronJob manifest.
    const rbac = manifest().filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'rbac');
    assert.deepEqual(
      rbac.map((o) => o.kind),
      ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
    );
    type JobSpec = {
      completionMode: string;
      completions: number;
      parallelism: number;
      backoffLimitPerIndex: number;
      template: { spec: { serviceAccountName: string; containers: { env?: { name: string; value: string }[] }[] } };
    };
    const stored = await admin(HOST).apply(CRON_JOBS, cron, { serverDryRun: true });
    const job = (stored['spec'] as { jobTemplate: { spec: JobSpec } }).jobTemplate.spec;
    assert.equal(job.completionMode, 'Indexed');
    assert.equal(job.backoffLimitPerIndex, 0);
    assert.equal(job.template.spec.serviceAccountName, SA);
    const count = job.template.spec.containers[0]?.env?.find((e) => e.name === 'KUBEFEDCTL_SHARD_COUNT')?.value;
    assert.equal(Number(count), job.completions, 'the shard count is the number of indexes');
    assert.equal(job.parallelism, job.completions, 'every shard runs at once');
    assert.equal(await admin(HOST).get(CRON_JOBS, cron.metadata.name ?? '', KUBEFED_NS), undefined);
  });

  it("with only the manifest's permissions, propagate writes the members and the host's status", async () => {
    await applyAll(rbacFor(SA));
    const { dir, token } = await serviceAccountDir(SA);
    // Only this test's namespace: other test files leave objects (conflicts, DNS records) in the shared host.
    const r = await propagateJson(['-v=6', '-n', ns], { env: podEnv(dir) });
    const problems = r.report.resources.filter((x) =>
      x.clusters.some((c) => c.outcome === 'failed' || c.outcome === 'conflict'),
    );
    assert.equal(r.code, 0, JSON.stringify({ problems, scheduling: r.report.scheduling, dns: r.report.dns }));
    // Every host request went through the in-cluster configuration, none through a kubeconfig.
    assert.match(
      r.stderr,
      /^in-cluster: GET https:\/\/127\.0\.0\.1:\d+\/apis\/core\.kubefed\.io\/v1beta1\/namespaces\/kube-federation-system\/kubefedconfigs\/kubefed 200/m,
    );
    assert.ok(!r.stderr.includes(token), 'the token is never printed');

    for (const c of MEMBERS) assert.equal(await memberValue(c, ns), 'in-cluster', `the ConfigMap in ${c}`);
    // Status written back to the host: the federated object's and the members' health.
    // Other test files may have joined more clusters to the shared host: these two must be there.
    const recorded = await statusClusters(ns);
    for (const c of MEMBERS) assert.ok(recorded.includes(c), `${c} in the federated status (${recorded.join(', ')})`);
    for (const c of MEMBERS) assert.ok(await recordedReady(c), `KubeFedCluster ${c} is recorded Ready`);
  });

  it('a ClusterRole without the federated types is refused with the permission named', async () => {
    await applyAll(rbacFor(PARTIAL_SA, (rule) => !rule.apiGroups.includes('types.kubefed.io')));
    const { dir, token } = await serviceAccountDir(PARTIAL_SA);
    const r = await kubefedctl(['propagate'], { env: podEnv(dir) });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `User "system:serviceaccount:${KUBEFED_NS}:${PARTIAL_SA}" cannot list resource "federated[a-z]+" in API group "types\\.kubefed\\.io"`,
      ),
    );
    assert.match(r.stderr, /lacks the RBAC permission to list federated[a-z]+\.types\.kubefed\.io/);
    assert.ok(!r.stderr.includes(token), 'the token is never printed');
  });
});
