// The policy.kubefed.io CRDs that `init` installs, on a real API server: established, accepting the
// documented examples, and refusing what the file checks (src/engine/policy-checks.ts) refuse.
// Other test files use the same clusters at the same time: every object here has a unique name.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HasMetadata, ResourceType } from '../../src/api/objects.js';
import {
  CLUSTER_PROPAGATION_POLICIES,
  CUSTOM_RESOURCE_DEFINITIONS,
  PLACEMENT_POLICIES,
  PROPAGATION_POLICIES,
} from '../../src/api/resources.js';
import { checkControlPlaneDocument, type ControlPlaneKind } from '../../src/engine/input-checks.js';
import { KubeApiError } from '../../src/kube/api-error.js';
import { resourcePath } from '../../src/kube/client.js';
import { admin, closeClients, kubefedctl, uniqueName } from './harness.js';

const HOST = 'cluster1';
const NAMESPACE = 'default';
const API_VERSION = 'policy.kubefed.io/v1alpha1';

type Json = Record<string, unknown>;
interface Policy extends HasMetadata {
  apiVersion: string;
  kind: string;
  spec: Json;
}

interface LiveCrd extends HasMetadata {
  spec: { scope: string; names: { kind: string; shortNames?: string[]; categories?: string[] } };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

const TYPES: Record<string, ResourceType> = {
  PlacementPolicy: PLACEMENT_POLICIES,
  PropagationPolicy: PROPAGATION_POLICIES,
  ClusterPropagationPolicy: CLUSTER_PROPAGATION_POLICIES,
};

function placementPolicy(spec: Json = {}): Policy {
  return {
    apiVersion: API_VERSION,
    kind: 'PlacementPolicy',
    metadata: { name: uniqueName('payments-eu-only') },
    spec: {
      resourceSelectors: [{ kind: 'Secret', namespace: 'payments' }],
      allowedClusters: { clusterSelector: { matchLabels: { region: 'eu' } } },
      deniedClusters: { clusters: [{ name: 'cluster3' }] },
      enforcement: 'Enforce',
      ...spec,
    },
  };
}

function clusterPropagationPolicy(spec: Json = {}): Policy {
  return {
    apiVersion: API_VERSION,
    kind: 'ClusterPropagationPolicy',
    metadata: { name: uniqueName('web-eu') },
    spec: {
      priority: 0,
      resourceSelectors: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          labelSelector: { matchLabels: { app: 'web' } },
        },
      ],
      placement: { clusterSelector: { matchLabels: { region: 'eu' } } },
      overrides: [
        {
          targetClusters: { clusterSelector: { matchLabels: { tier: 'prod' } } },
          clusterOverrides: [{ path: '/spec/replicas', value: 5 }],
          image: { tag: '1.28' },
        },
      ],
      replicaScheduling: { totalReplicas: 6 },
      ...spec,
    },
  };
}

function propagationPolicy(spec: Json = {}): Policy {
  return {
    apiVersion: API_VERSION,
    kind: 'PropagationPolicy',
    metadata: { name: uniqueName('shop-config'), namespace: NAMESPACE },
    spec: {
      priority: 10,
      resourceSelectors: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
        },
      ],
      placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] },
      overrides: [
        {
          targetClusters: { clusters: [{ name: 'cluster2' }] },
          clusterOverrides: [{ op: 'add', path: '/data/region', value: 'us' }],
          labels: { 'example.com/tier': 'edge' },
          annotations: { 'example.com/note': 'free text' },
          replicas: 2,
        },
        { image: { registry: 'registry.example.com:5000', repository: 'team/web', containers: ['web'] } },
      ],
      replicaScheduling: { totalReplicas: 9, rebalance: true, clusters: { '*': { weight: 1 } } },
      ...spec,
    },
  };
}

/** A server-side create, as kubectl sends it: unknown fields are refused (fieldValidation=Strict). */
function create(policy: Policy, opts: { dryRun?: boolean; fieldValidation?: string } = {}): Promise<Policy> {
  const type = TYPES[policy.kind]!;
  return admin(HOST).call<Policy>({
    method: 'POST',
    path: resourcePath(type, policy.metadata.namespace),
    query: {
      fieldManager: 'kubefedctl-test',
      fieldValidation: opts.fieldValidation ?? 'Strict',
      dryRun: opts.dryRun ? 'All' : undefined,
    },
    body: JSON.stringify(policy),
    intent: { verb: 'create', resource: `${type.plural}.${type.group}`, name: policy.metadata.name ?? '' },
  });
}

/** The API server's refusal of a policy (server dry run, so nothing is stored even if it were accepted). */
async function refusal(policy: Policy): Promise<KubeApiError> {
  try {
    await create(policy, { dryRun: true });
  } catch (e) {
    if (e instanceof KubeApiError) return e;
    throw e;
  }
  assert.fail(`the API server accepted ${policy.kind} ${JSON.stringify(policy.spec)}`);
}

function fileCheck(policy: Policy): string[] {
  const found = checkControlPlaneDocument(policy, policy.kind as ControlPlaneKind);
  return [...found.errors, ...found.strict];
}

describe('policy.kubefed.io CRDs on a real API server', () => {
  before(async () => {
    const r = await kubefedctl(['init', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => closeClients());

  it('init installs the three CRDs, established, with the scope of each kind and no short names', async () => {
    const want: [string, string][] = [
      ['placementpolicies.policy.kubefed.io', 'Cluster'],
      ['propagationpolicies.policy.kubefed.io', 'Namespaced'],
      ['clusterpropagationpolicies.policy.kubefed.io', 'Cluster'],
    ];
    for (const [name, scope] of want) {
      const crd = await admin(HOST).get<LiveCrd>(CUSTOM_RESOURCE_DEFINITIONS, name);
      assert.ok(crd, `${name} exists`);
      const established = crd.status?.conditions?.find((c) => c.type === 'Established');
      assert.equal(established?.status, 'True', `${name} established: ${JSON.stringify(crd.status?.conditions)}`);
      assert.equal(crd.spec.scope, scope, name);
      assert.equal(crd.spec.names.shortNames, undefined, name);
      assert.deepEqual(crd.spec.names.categories, ['kubefed'], name);
    }
  });

  it('accepts a valid object of each kind, stores it as sent, and deletes it', async () => {
    const host = admin(HOST);
    for (const policy of [placementPolicy(), propagationPolicy(), clusterPropagationPolicy()]) {
      assert.deepEqual(fileCheck(policy), [], `${policy.kind} passes the file checks`);
      const type = TYPES[policy.kind]!;
      const { name, namespace } = policy.metadata;
      try {
        const created = await create(policy);
        assert.equal(created.metadata.namespace, type.namespaced ? NAMESPACE : undefined, policy.kind);
        assert.deepEqual(created.spec, policy.spec, `${policy.kind}: nothing pruned`);
        const read = await host.get<Policy>(type, name!, namespace);
        assert.deepEqual(read?.spec, policy.spec, policy.kind);
      } finally {
        await host.delete(type, name!, namespace);
      }
      assert.equal(await host.get(type, name!, namespace), undefined, `${policy.kind} deleted`);
    }
  });

  it('defaults enforcement to Enforce', async () => {
    const { enforcement: _e, ...spec } = placementPolicy().spec;
    const policy = { ...placementPolicy(), spec };
    const created = await create(policy, { dryRun: true });
    assert.equal(created.spec['enforcement'], 'Enforce');
  });

  it('refuses enforcement: Maybe with 422, naming the field', async () => {
    const e = await refusal(placementPolicy({ enforcement: 'Maybe' }));
    assert.equal(e.statusCode, 422, e.message);
    assert.match(e.serverMessage, /spec\.enforcement: Unsupported value: "Maybe"/);
  });

  it('refuses a PropagationPolicy selector with a namespace (unknown field) as kubectl sends it, and prunes it otherwise', async () => {
    const policy = propagationPolicy({ resourceSelectors: [{ kind: 'Secret', namespace: 'payments' }] });
    const e = await refusal(policy);
    // An unknown field is a decoding error (400 BadRequest), not a validation error (422).
    assert.equal(e.statusCode, 400, e.message);
    assert.match(e.serverMessage, /unknown field "spec\.resourceSelectors\[0\]\.namespace"/);
    const pruned = await create(policy, { dryRun: true, fieldValidation: 'Ignore' });
    assert.deepEqual(pruned.spec['resourceSelectors'], [{ kind: 'Secret' }]);
    // Pruned silently by the server, it would select Secrets of the policy's own namespace: the file check refuses it.
    assert.match(fileCheck(policy).join('\n'), /^spec\.resourceSelectors\[0\]\.namespace: not allowed/m);
  });

  it('refuses with 422 what both the schema and the file checks refuse, naming the same field', async () => {
    const cases: [Policy, string][] = [
      [placementPolicy({ resourceSelectors: [] }), 'spec.resourceSelectors'],
      [propagationPolicy({ resourceSelectors: [{ name: 'web' }] }), 'spec.resourceSelectors[0].kind'],
      [
        clusterPropagationPolicy({ resourceSelectors: [{ apiVersion: 'apps', kind: 'Deployment' }] }),
        'spec.resourceSelectors[0].apiVersion',
      ],
      [clusterPropagationPolicy({ priority: 1.5 }), 'spec.priority'],
      [clusterPropagationPolicy({ overrides: [{ replicas: -1 }] }), 'spec.overrides[0].replicas'],
      [
        clusterPropagationPolicy({ overrides: [{ clusterOverrides: [{ op: 'patch', path: '/a' }] }] }),
        'spec.overrides[0].clusterOverrides[0].op',
      ],
      [clusterPropagationPolicy({ replicaScheduling: { rebalance: true } }), 'spec.replicaScheduling.totalReplicas'],
      [
        propagationPolicy({
          placement: { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] } },
        }),
        'spec.placement.clusterSelector.matchExpressions[0].operator',
      ],
      // The "at least one of" rules: CEL rules on the server, policy-checks.ts in files.
      [placementPolicy({ allowedClusters: undefined, deniedClusters: undefined }), 'spec'],
      [placementPolicy({ deniedClusters: {} }), 'spec.deniedClusters'],
      [
        clusterPropagationPolicy({ overrides: [{ targetClusters: {}, replicas: 1 }] }),
        'spec.overrides[0].targetClusters',
      ],
      [
        clusterPropagationPolicy({ overrides: [{ targetClusters: { clusters: [{ name: 'c1' }] } }] }),
        'spec.overrides[0]',
      ],
      [clusterPropagationPolicy({ overrides: [{ image: { containers: ['web'] } }] }), 'spec.overrides[0].image'],
    ];
    for (const [policy, field] of cases) {
      const local = fileCheck(JSON.parse(JSON.stringify(policy)) as Policy);
      assert.ok(
        local.some((line) => line.startsWith(`${field}: `)),
        `file check names ${field}: ${local.join('; ')}`,
      );
      const e = await refusal(JSON.parse(JSON.stringify(policy)) as Policy);
      assert.equal(e.statusCode, 422, `${field}: ${e.message}`);
      assert.ok(
        e.serverMessage.includes(`${field}:`) || e.serverMessage.includes(`${field}[`),
        `${field}: ${e.serverMessage}`,
      );
    }
  });
});
