// PlacementPolicy in host mode, against three real clusters with labels: a policy in the host takes
// a cluster out of a FederatedConfigMap's placement (Enforce: the managed copy goes, the status word
// is NotAllowedByPolicy and names the policy, in the federated status, the report and `status`), or
// only reports it (Audit). cluster1 is the host and a member.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject, ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, NAMESPACES, PLACEMENT_POLICIES } from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  kubefedctl,
  namespaceSettled,
  propagateJson,
  uniqueName,
  type PropagationReport,
} from './harness.js';

const HOST = 'cluster1';
const H = ['--host-cluster-context', HOST];
const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const LABELS: Record<string, string[]> = {
  cluster1: ['region=eu', 'tier=prod'],
  cluster2: ['region=eu', 'tier=staging'],
  cluster3: ['region=us', 'tier=prod'],
};
const fedType = (kind: string, plural: string): ResourceType => ({
  group: 'types.kubefed.io',
  version: 'v1beta1',
  kind: `Federated${kind}`,
  plural: `federated${plural}`,
  namespaced: true,
});
const FED_CONFIG_MAPS = fedType('ConfigMap', 'configmaps');

/** What the report says of the FederatedConfigMap "settings" in one cluster. */
function reportedFor(report: PropagationReport, cluster: string): { status: string; outcome: string; policy?: string } {
  const settings = report.resources.find((x) => x.name === 'settings' && x.kind === 'FederatedConfigMap');
  const entry = settings?.clusters.find((c) => c.cluster === cluster) as
    { outcome: string; status: string; policy?: string } | undefined;
  return {
    status: entry?.status ?? '',
    outcome: entry?.outcome ?? '',
    ...(entry?.policy ? { policy: entry.policy } : {}),
  };
}

interface FederatedStatus {
  status?: {
    conditions?: { type: string; status: string; reason?: string }[];
    clusters?: { name: string; status?: string; remoteStatus?: { placementPolicy?: string } }[];
  };
}

describe('PlacementPolicy in the host', () => {
  const ns = uniqueName('plp');
  const policy = uniqueName('eu-only');

  const copies = async (): Promise<string[]> => {
    const found: string[] = [];
    for (const c of MEMBERS) {
      const o = await admin(c).get<KubeObject>(CONFIG_MAPS, 'settings', ns);
      if (o && !o.metadata.deletionTimestamp) found.push(c);
    }
    return found;
  };
  const setPolicy = async (enforcement: 'Enforce' | 'Audit') =>
    admin(HOST).apply(PLACEMENT_POLICIES, {
      apiVersion: 'policy.kubefed.io/v1alpha1',
      kind: 'PlacementPolicy',
      metadata: { name: policy },
      spec: {
        // Only this test's namespace: other tests' objects are not this policy's business.
        resourceSelectors: [{ kind: 'ConfigMap', namespace: ns }],
        allowedClusters: { clusterSelector: { matchLabels: { region: 'eu' } } },
        enforcement,
      },
    });

  before(async () => {
    for (const c of MEMBERS) await namespaceSettled(c, 'kube-federation-system');
    assert.equal((await kubefedctl(['init', ...H])).code, 0);
    for (const c of MEMBERS) {
      const r = await kubefedctl(['join', c, ...H, ...LABELS[c]!.flatMap((l) => ['--label', l])]);
      assert.equal(r.code, 0, r.stderr);
    }
    for (const t of ['namespaces', 'configmaps']) assert.equal((await kubefedctl(['enable', t, ...H])).code, 0);
    const host = admin(HOST);
    await host.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await host.create(fedType('Namespace', 'namespaces'), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement: { clusterSelector: {} } },
    });
    await host.create(FED_CONFIG_MAPS, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'settings', namespace: ns },
      spec: { placement: { clusterSelector: {} }, template: { data: { a: '1' } } },
    });
  });
  after(async () => {
    await admin(HOST)
      .delete(PLACEMENT_POLICIES, policy)
      .catch(() => undefined);
    for (const c of MEMBERS) await kubefedctl(['unjoin', c, ...H]);
    for (const c of MEMBERS)
      await admin(c)
        .delete(NAMESPACES, ns)
        .catch(() => undefined);
    closeClients();
  });

  it('without a policy the object goes everywhere', async () => {
    const r = await propagateJson([...H, '-n', ns]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await copies(), MEMBERS);
  });

  it('Enforce takes cluster3 out: its managed copy is deleted and every status names the policy', async () => {
    await setPolicy('Enforce');
    const r = await propagateJson([...H, '-n', ns]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(reportedFor(r.report, 'cluster3'), {
      status: 'NotAllowedByPolicy',
      outcome: 'deleted',
      policy: `PlacementPolicy ${policy}`,
    });
    assert.deepEqual(await copies(), ['cluster1', 'cluster2']);
    await federatedStatusNamesPolicy();

    const status = await kubefedctl(['status', 'federatedconfigmaps', 'settings', '-n', ns, ...H]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`NotAllowedByPolicy \\(PlacementPolicy ${policy}\\)`));

    // A second run changes nothing.
    const again = await propagateJson([...H, '-n', ns]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.report.summary['deleted'], 0);
    assert.deepEqual(await copies(), ['cluster1', 'cluster2']);
  });

  /** The federated status in the host: NotAllowedByPolicy naming the policy, and the condition still True. */
  async function federatedStatusNamesPolicy(): Promise<void> {
    const fed = await admin(HOST).get<KubeObject & FederatedStatus>(FED_CONFIG_MAPS, 'settings', ns);
    const { clusters = [], conditions = [] } = fed?.status ?? {};
    assert.deepEqual(
      clusters.find((c) => c.name === 'cluster3'),
      {
        name: 'cluster3',
        status: 'NotAllowedByPolicy',
        remoteStatus: { placementPolicy: `PlacementPolicy ${policy}` },
      },
    );
    const condition = conditions.find((c) => c.type === 'Propagation');
    assert.equal(condition?.status, 'True', 'the object is where the policy lets it be');
  }

  it('an unmanaged object in a forbidden cluster is never touched', async () => {
    await admin('cluster3').create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns },
      data: { mine: 'yes' },
    });
    const r = await propagateJson([...H, '-n', ns]);
    assert.equal(r.code, 0, r.stderr);
    const mine = await admin('cluster3').get<KubeObject>(CONFIG_MAPS, 'settings', ns);
    assert.deepEqual(mine?.['data'], { mine: 'yes' });
    await admin('cluster3').delete(CONFIG_MAPS, 'settings', ns);
  });

  it('Audit only reports: the object goes back to cluster3 and the report warns', async () => {
    await setPolicy('Audit');
    const r = await propagateJson([...H, '-n', ns]);
    assert.equal(r.code, 0, r.stderr);
    const settings = r.report.resources.find((x) => x.name === 'settings' && x.kind === 'FederatedConfigMap') as
      { warnings: string[]; clusters: { cluster: string; status: string }[] } | undefined;
    assert.ok(
      settings?.warnings.some((w) => w.includes(`PlacementPolicy ${policy} (Audit) does not allow cluster cluster3`)),
      JSON.stringify(settings?.warnings),
    );
    assert.equal(settings?.clusters.find((c) => c.cluster === 'cluster3')?.status, '');
    assert.deepEqual(await copies(), MEMBERS);
  });
});
