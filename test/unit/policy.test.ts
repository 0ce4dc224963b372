// Policies (docs/policy.md): which policies select a resource and which one wins, what
// PlacementPolicies allow, how a policy's overrides become KubeFed's per-cluster JSON-patch
// overrides, how a plain object becomes its Federated<Kind>, and how planning treats clusters a
// PlacementPolicy does not allow. Last, a property through the real CLI: every Federated<Kind> of
// the examples and the odd-but-valid corpus, turned into a plain object and a PropagationPolicy,
// renders exactly what it rendered before.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/objects.js';
import { MANAGED_LABEL, SCHEDULING_API_VERSION } from '../../src/api/kubefed.js';
import {
  CLUSTER_PROPAGATION_POLICY_KIND,
  NOT_ALLOWED_BY_POLICY,
  PLACEMENT_POLICY_KIND,
  POLICY_API_VERSION,
  PROPAGATION_POLICY_KIND,
  type PlacementLimit,
  type PlacementPolicy,
  type PlacementPolicySpec,
  type PolicyOverride,
  type PropagationPolicy,
  type PropagationPolicySpec,
  type ResourceSelector,
} from '../../src/api/policy.js';
import { defaultTypeConfigForKind } from '../../src/engine/builtin-types.js';
import type { FederatedObject, MemberCluster } from '../../src/federation/federated-object.js';
import { planResource, type PlanInput, type ResourcePlan } from '../../src/federation/plan.js';
import { renderForCluster } from '../../src/federation/render.js';
import type { FederatedTypeConfig } from '../../src/federation/typeconfig.js';
import { enforcedLimits, inTargets, placementLimits } from '../../src/policy/constrain.js';
import { compileOverrides, parseImage, podSpecPointer, withImageParts } from '../../src/policy/overrides.js';
import {
  implicitNamespaces,
  policyNameFor,
  propagateByPolicy,
  toPlainAndPolicy,
} from '../../src/policy/propagation.js';
import { propagationMatches, selectorSelects, type ResourceRef } from '../../src/policy/select.js';
import { readDocuments } from '../../src/util/documents.js';
import { main } from '../../src/cli.js';
import { memoryIO } from '../../src/output/io.js';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES } from '../type-configs.js';

function cluster(name: string, labels: Record<string, string> = {}, ready = true): MemberCluster {
  return { name, labels, ready, ...(ready ? {} : { notReadyReason: 'probe failed' }) };
}

/** cluster1 eu/prod, cluster2 eu/staging, cluster3 us/prod: the clusters of examples/clusters.yaml. */
const CLUSTERS = [
  cluster('cluster1', { region: 'eu', tier: 'prod' }),
  cluster('cluster2', { region: 'eu', tier: 'staging' }),
  cluster('cluster3', { region: 'us', tier: 'prod' }),
];

function ref(o: Partial<ResourceRef> = {}): ResourceRef {
  return { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', labels: { app: 'web' }, ...o };
}

function propagationPolicy(
  name: string,
  selectors: ResourceSelector[],
  o: { namespace?: string; priority?: number; spec?: Partial<PropagationPolicySpec> } = {},
): PropagationPolicy {
  return {
    apiVersion: POLICY_API_VERSION,
    kind: o.namespace === undefined ? CLUSTER_PROPAGATION_POLICY_KIND : PROPAGATION_POLICY_KIND,
    metadata: { name, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) },
    spec: {
      resourceSelectors: selectors,
      placement: { clusterSelector: {} },
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...o.spec,
    },
  };
}

function placementPolicy(name: string, spec: Partial<PlacementPolicySpec>): PlacementPolicy {
  return {
    apiVersion: POLICY_API_VERSION,
    kind: PLACEMENT_POLICY_KIND,
    metadata: { name },
    spec: { resourceSelectors: [{}], ...spec },
  };
}

function configMap(o: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'settings',
      namespace: 'shop',
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    data: { colour: 'blue' },
  };
}

function deployment(podSpec: Record<string, unknown> = { containers: [{ name: 'web', image: 'nginx:1.27' }] }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
    },
  } satisfies KubeObject;
}

// ---------------------------------------------------------------------------------------------
describe('selectorSelects: every field given must match', () => {
  it('an empty selector matches any resource, namespaced or not', () => {
    assert.equal(selectorSelects({}, ref()), true);
    assert.equal(selectorSelects({}, ref({ kind: 'ClusterRole', namespace: undefined })), true);
  });

  it('apiVersion matches exactly: another version of the group is another apiVersion', () => {
    assert.equal(selectorSelects({ apiVersion: 'apps/v1' }, ref()), true);
    assert.equal(selectorSelects({ apiVersion: 'apps/v1beta2' }, ref()), false);
    assert.equal(selectorSelects({ apiVersion: 'v1' }, ref({ apiVersion: 'v1', kind: 'ConfigMap' })), true);
  });

  it('kind', () => {
    assert.equal(selectorSelects({ kind: 'Deployment' }, ref()), true);
    assert.equal(selectorSelects({ kind: 'ConfigMap' }, ref()), false);
  });

  it('namespace: a cluster-scoped resource never matches a selector that names one', () => {
    assert.equal(selectorSelects({ namespace: 'shop' }, ref()), true);
    assert.equal(selectorSelects({ namespace: 'other' }, ref()), false);
    assert.equal(selectorSelects({ namespace: 'shop' }, ref({ kind: 'Namespace', namespace: undefined })), false);
  });

  it('name', () => {
    assert.equal(selectorSelects({ name: 'web' }, ref()), true);
    assert.equal(selectorSelects({ name: 'api' }, ref()), false);
  });

  it('labelSelector: matchLabels and matchExpressions over the resource labels', () => {
    assert.equal(selectorSelects({ labelSelector: { matchLabels: { app: 'web' } } }, ref()), true);
    assert.equal(selectorSelects({ labelSelector: { matchLabels: { app: 'api' } } }, ref()), false);
    assert.equal(selectorSelects({ labelSelector: {} }, ref({ labels: {} })), true);
    const notIn = { labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } };
    assert.equal(selectorSelects(notIn, ref()), false);
    assert.equal(selectorSelects(notIn, ref({ labels: {} })), true);
  });

  it("namespaceSelector: the labels of the resource's namespace; cluster-scoped resources never match", () => {
    const s: ResourceSelector = { namespaceSelector: { matchLabels: { env: 'prod' } } };
    assert.equal(selectorSelects(s, ref(), { env: 'prod' }), true);
    assert.equal(selectorSelects(s, ref(), { env: 'dev' }), false);
    assert.equal(selectorSelects(s, ref()), false, 'an unknown namespace has no labels');
    assert.equal(selectorSelects(s, ref({ kind: 'Namespace', namespace: undefined }), { env: 'prod' }), false);
    const without = { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] } };
    assert.equal(selectorSelects(without, ref()), true);
  });

  it('all given fields together: one mismatch is enough to fail', () => {
    const s: ResourceSelector = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      labelSelector: { matchLabels: { app: 'web' } },
    };
    assert.equal(selectorSelects(s, ref()), true);
    for (const wrong of [
      { apiVersion: 'apps/v2' },
      { kind: 'StatefulSet' },
      { namespace: 'x' },
      { name: 'x' },
      { labels: { app: 'x' } },
    ])
      assert.equal(selectorSelects(s, ref(wrong)), false, JSON.stringify(wrong));
  });
});

describe('propagationMatches: who selects an object, best first', () => {
  const ids = (r: ResourceRef, policies: PropagationPolicy[]) => propagationMatches(r, policies).map((m) => m.id);

  it('a PropagationPolicy selects only in its own namespace; a ClusterPropagationPolicy anywhere', () => {
    const policies = [
      propagationPolicy('here', [{ kind: 'Deployment' }], { namespace: 'shop' }),
      propagationPolicy('there', [{ kind: 'Deployment' }], { namespace: 'other' }),
      propagationPolicy('everywhere', [{ kind: 'Deployment' }]),
    ];
    assert.deepEqual(ids(ref(), policies), ['PropagationPolicy shop/here', 'ClusterPropagationPolicy everywhere']);
    assert.deepEqual(ids(ref({ namespace: 'other' }), policies), [
      'PropagationPolicy other/there',
      'ClusterPropagationPolicy everywhere',
    ]);
  });

  it('a cluster-scoped resource is selected by ClusterPropagationPolicies only', () => {
    const policies = [
      propagationPolicy('pp', [{ kind: 'Namespace' }], { namespace: 'shop' }),
      propagationPolicy('cpp', [{ kind: 'Namespace' }]),
    ];
    assert.deepEqual(ids(ref({ apiVersion: 'v1', kind: 'Namespace', name: 'shop', namespace: undefined }), policies), [
      'ClusterPropagationPolicy cpp',
    ]);
  });

  it('a policy none of whose selectors match is not listed; one matching selector is enough', () => {
    const policies = [
      propagationPolicy('no', [{ kind: 'ConfigMap' }, { name: 'api' }]),
      propagationPolicy('yes', [{ kind: 'ConfigMap' }, { name: 'web' }]),
    ];
    assert.deepEqual(ids(ref(), policies), ['ClusterPropagationPolicy yes']);
    assert.deepEqual(propagationMatches(ref(), []), []);
  });

  it('higher priority first; absent priority is 0, and a negative one ranks below it', () => {
    const policies = [
      propagationPolicy('low', [{ kind: 'Deployment' }], { priority: -1 }),
      propagationPolicy('default', [{ kind: 'Deployment' }]),
      propagationPolicy('high', [{ kind: 'Deployment' }], { priority: 10 }),
    ];
    const matches = propagationMatches(ref(), policies);
    assert.deepEqual(
      matches.map((m) => [m.policy.metadata.name, m.priority]),
      [
        ['high', 10],
        ['default', 0],
        ['low', -1],
      ],
    );
  });

  it('priority beats specificity: a kind selector of priority 1 wins over a name selector of priority 0', () => {
    const policies = [
      propagationPolicy('by-name', [{ kind: 'Deployment', name: 'web' }]),
      propagationPolicy('by-kind', [{ kind: 'Deployment' }], { priority: 1 }),
    ];
    assert.deepEqual(ids(ref(), policies), ['ClusterPropagationPolicy by-kind', 'ClusterPropagationPolicy by-name']);
  });

  it('same priority: name beats labelSelector beats kind alone', () => {
    const policies = [
      propagationPolicy('a-kind', [{ kind: 'Deployment' }]),
      propagationPolicy('b-labels', [{ kind: 'Deployment', labelSelector: { matchLabels: { app: 'web' } } }]),
      propagationPolicy('c-name', [{ kind: 'Deployment', name: 'web' }]),
    ];
    const matches = propagationMatches(ref(), policies);
    assert.deepEqual(
      matches.map((m) => [m.policy.metadata.name, m.specificity]),
      [
        ['c-name', 3],
        ['b-labels', 2],
        ['a-kind', 1],
      ],
    );
  });

  it("a name with a labelSelector counts as a name; a policy's best matching selector is what counts", () => {
    const policies = [
      propagationPolicy('a', [{ kind: 'Deployment', labelSelector: {} }]),
      propagationPolicy('b', [{ kind: 'Deployment' }, { kind: 'Deployment', name: 'web', labelSelector: {} }]),
      // Its name selector does not match this object, so only its kind selector counts.
      propagationPolicy('c', [{ kind: 'Deployment' }, { kind: 'Deployment', name: 'api' }]),
    ];
    const matches = propagationMatches(ref(), policies);
    assert.deepEqual(
      matches.map((m) => [m.policy.metadata.name, m.specificity]),
      [
        ['b', 3],
        ['a', 2],
        ['c', 1],
      ],
    );
  });

  it('same priority and specificity: a PropagationPolicy before a ClusterPropagationPolicy, whatever the names', () => {
    const policies = [
      propagationPolicy('a-cluster', [{ kind: 'Deployment' }]),
      propagationPolicy('z-namespaced', [{ kind: 'Deployment' }], { namespace: 'shop' }),
    ];
    assert.deepEqual(ids(ref(), policies), [
      'PropagationPolicy shop/z-namespaced',
      'ClusterPropagationPolicy a-cluster',
    ]);
  });

  it('all else equal: by policy name, whatever the input order', () => {
    const policies = [
      propagationPolicy('web-b', [{ kind: 'Deployment' }]),
      propagationPolicy('web-a', [{ kind: 'Deployment' }]),
      propagationPolicy('web-c', [{ kind: 'Deployment' }]),
    ];
    const want = ['ClusterPropagationPolicy web-a', 'ClusterPropagationPolicy web-b', 'ClusterPropagationPolicy web-c'];
    assert.deepEqual(ids(ref(), policies), want);
    assert.deepEqual(ids(ref(), [...policies].reverse()), want);
  });

  it('a namespaceSelector in a propagation policy selector is ignored (only PlacementPolicy has it)', () => {
    const policies = [propagationPolicy('p', [{ kind: 'Deployment', namespaceSelector: { matchLabels: { x: 'y' } } }])];
    // propagationMatches passes no namespace labels, so such a selector never matches.
    assert.deepEqual(ids(ref(), policies), []);
  });
});

// ---------------------------------------------------------------------------------------------
describe('inTargets: named clusters together with those the selector matches', () => {
  it('by name, by selector, either one; nothing given selects nothing', () => {
    const [c1, c2, c3] = CLUSTERS as [MemberCluster, MemberCluster, MemberCluster];
    const targets = { clusters: [{ name: 'cluster2' }], clusterSelector: { matchLabels: { region: 'us' } } };
    assert.equal(inTargets(targets, c1), false);
    assert.equal(inTargets(targets, c2), true, 'named');
    assert.equal(inTargets(targets, c3), true, 'selected');
    assert.equal(inTargets({ clusters: [{ name: 'cluster1' }] }, c1), true);
    assert.equal(inTargets({ clusterSelector: {} }, c3), true, '{} matches every cluster');
    assert.equal(inTargets({}, c1), false);
    assert.equal(inTargets({ clusters: [] }, c1), false);
  });
});

describe('placementLimits: the clusters PlacementPolicies do not allow', () => {
  const secret = ref({ apiVersion: 'v1', kind: 'Secret', name: 'keys', labels: { data: 'payments' } });
  const limitsOf = (policies: PlacementPolicy[], r = secret, nsLabels?: Record<string, string>) =>
    placementLimits(r, policies, CLUSTERS, nsLabels).map((l) => `${l.cluster}:${l.policy}:${l.enforcement}`);

  it('allowedClusters only: every cluster outside it', () => {
    const p = placementPolicy('eu-only', { allowedClusters: { clusterSelector: { matchLabels: { region: 'eu' } } } });
    assert.deepEqual(limitsOf([p]), ['cluster3:PlacementPolicy eu-only:Enforce']);
  });

  it('deniedClusters only: every cluster in it', () => {
    const p = placementPolicy('no-staging', { deniedClusters: { clusters: [{ name: 'cluster2' }] } });
    assert.deepEqual(limitsOf([p]), ['cluster2:PlacementPolicy no-staging:Enforce']);
  });

  it('both: allowed and not denied (denied wins over allowed)', () => {
    const p = placementPolicy('eu-prod', {
      allowedClusters: { clusterSelector: { matchLabels: { region: 'eu' } } },
      deniedClusters: { clusterSelector: { matchLabels: { tier: 'staging' } } },
    });
    assert.deepEqual(limitsOf([p]), [
      'cluster2:PlacementPolicy eu-prod:Enforce',
      'cluster3:PlacementPolicy eu-prod:Enforce',
    ]);
  });

  it('allowedClusters by selector and by name together: the union is allowed', () => {
    const p = placementPolicy('union', {
      allowedClusters: { clusters: [{ name: 'cluster3' }], clusterSelector: { matchLabels: { tier: 'staging' } } },
    });
    assert.deepEqual(limitsOf([p]), ['cluster1:PlacementPolicy union:Enforce']);
  });

  it('enforcement defaults to Enforce; Audit is carried on the limit', () => {
    const audit = placementPolicy('audit', {
      deniedClusters: { clusters: [{ name: 'cluster1' }] },
      enforcement: 'Audit',
    });
    assert.deepEqual(limitsOf([audit]), ['cluster1:PlacementPolicy audit:Audit']);
  });

  it('a policy whose selectors do not match the resource puts no limit', () => {
    const p = placementPolicy('configmaps', {
      resourceSelectors: [{ kind: 'ConfigMap' }],
      deniedClusters: { clusterSelector: {} },
    });
    assert.deepEqual(limitsOf([p]), []);
  });

  it('namespaceSelector: applies only to resources in namespaces with those labels', () => {
    const p = placementPolicy('regulated', {
      resourceSelectors: [{ namespaceSelector: { matchLabels: { regulated: 'true' } } }],
      deniedClusters: { clusterSelector: { matchLabels: { region: 'us' } } },
    });
    assert.deepEqual(limitsOf([p], secret, { regulated: 'true' }), ['cluster3:PlacementPolicy regulated:Enforce']);
    assert.deepEqual(limitsOf([p], secret, { regulated: 'false' }), []);
    assert.deepEqual(limitsOf([p], secret), [], 'no labels known for the namespace');
    const ns = ref({ apiVersion: 'v1', kind: 'Namespace', name: 'shop', namespace: undefined, labels: {} });
    assert.deepEqual(limitsOf([p], ns, { regulated: 'true' }), [], 'cluster-scoped resources never match');
  });

  it('several policies: sorted by cluster then policy, a cluster once per policy that forbids it', () => {
    const policies = [
      placementPolicy('z-deny-us', { deniedClusters: { clusterSelector: { matchLabels: { region: 'us' } } } }),
      placementPolicy('a-prod-only', {
        allowedClusters: { clusterSelector: { matchLabels: { tier: 'prod' } } },
        enforcement: 'Audit',
      }),
      placementPolicy('m-deny-us', { deniedClusters: { clusters: [{ name: 'cluster3' }] } }),
    ];
    assert.deepEqual(limitsOf(policies), [
      'cluster2:PlacementPolicy a-prod-only:Audit',
      'cluster3:PlacementPolicy m-deny-us:Enforce',
      'cluster3:PlacementPolicy z-deny-us:Enforce',
    ]);
  });
});

describe('enforcedLimits: Enforce only, the first policy per cluster', () => {
  it('Audit limits take nothing away', () => {
    const limits: PlacementLimit[] = [
      { cluster: 'c1', policy: 'PlacementPolicy a', enforcement: 'Audit' },
      { cluster: 'c1', policy: 'PlacementPolicy b', enforcement: 'Enforce' },
      { cluster: 'c1', policy: 'PlacementPolicy c', enforcement: 'Enforce' },
      { cluster: 'c2', policy: 'PlacementPolicy a', enforcement: 'Audit' },
    ];
    assert.deepEqual([...enforcedLimits(limits)], [['c1', 'PlacementPolicy b']]);
    assert.equal(enforcedLimits([]).size, 0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('parseImage and withImageParts: image references as Docker reads them', () => {
  it('splits registry, repository, tag and digest', () => {
    assert.deepEqual(parseImage('nginx'), { repository: 'nginx' });
    assert.deepEqual(parseImage('nginx:1.27'), { repository: 'nginx', tag: '1.27' });
    assert.deepEqual(parseImage('library/nginx:1.27'), { repository: 'library/nginx', tag: '1.27' });
    assert.deepEqual(parseImage('registry.example.com/shop/web:1.27'), {
      registry: 'registry.example.com',
      repository: 'shop/web',
      tag: '1.27',
    });
    assert.deepEqual(parseImage('nginx@sha256:abc'), { repository: 'nginx', digest: 'sha256:abc' });
    assert.deepEqual(parseImage('nginx:1.27@sha256:abc'), { repository: 'nginx', tag: '1.27', digest: 'sha256:abc' });
  });

  it('a first part with a port is a registry, and its colon is not a tag', () => {
    assert.deepEqual(parseImage('registry.example.com:5000/web'), {
      registry: 'registry.example.com:5000',
      repository: 'web',
    });
    assert.deepEqual(parseImage('10.0.0.1:5000/team/web:2'), {
      registry: '10.0.0.1:5000',
      repository: 'team/web',
      tag: '2',
    });
    assert.deepEqual(parseImage('myregistry:5000/web:2'), { registry: 'myregistry:5000', repository: 'web', tag: '2' });
  });

  it('localhost is a registry; another first part without a dot or port is part of the repository', () => {
    assert.deepEqual(parseImage('localhost/web'), { registry: 'localhost', repository: 'web' });
    assert.deepEqual(parseImage('localhost:5000/web:1'), { registry: 'localhost:5000', repository: 'web', tag: '1' });
    assert.deepEqual(parseImage('team/web:1'), { repository: 'team/web', tag: '1' });
  });

  it('replaces the parts given and keeps the others', () => {
    const image = 'registry.example.com:5000/shop/web:1.27';
    assert.equal(withImageParts(image, { tag: '1.28' }), 'registry.example.com:5000/shop/web:1.28');
    assert.equal(withImageParts(image, { registry: 'mirror.local' }), 'mirror.local/shop/web:1.27');
    assert.equal(withImageParts(image, { repository: 'team/api' }), 'registry.example.com:5000/team/api:1.27');
    assert.equal(withImageParts('nginx', { registry: 'localhost:5000' }), 'localhost:5000/nginx');
    assert.equal(withImageParts('nginx', { tag: '1.28' }), 'nginx:1.28');
    assert.equal(
      withImageParts('nginx:1.27', { registry: 'r.example.com', repository: 'web', tag: '2' }),
      'r.example.com/web:2',
    );
  });

  it('a new tag drops the digest, which would still pin the old image; other parts keep it', () => {
    assert.equal(withImageParts('nginx:1.27@sha256:abc', { tag: '1.28' }), 'nginx:1.28');
    assert.equal(withImageParts('nginx@sha256:abc', { tag: '1.28' }), 'nginx:1.28');
    assert.equal(withImageParts('nginx@sha256:abc', { registry: 'mirror.local' }), 'mirror.local/nginx@sha256:abc');
  });
});

describe('podSpecPointer: where a kind keeps its pod spec', () => {
  it('workloads in spec.template.spec, Pods in spec, CronJobs under jobTemplate; ConfigMaps have none', () => {
    assert.equal(podSpecPointer(deployment()), '/spec/template/spec');
    assert.equal(podSpecPointer({ kind: 'Pod', metadata: {}, spec: { containers: [] } }), '/spec');
    assert.equal(
      podSpecPointer({
        kind: 'CronJob',
        metadata: {},
        spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
      }),
      '/spec/jobTemplate/spec/template/spec',
    );
    assert.equal(podSpecPointer(configMap()), undefined);
  });
});

describe('compileOverrides: policy overrides as KubeFed per-cluster JSON-patch overrides', () => {
  const [c1, c2, c3] = CLUSTERS as [MemberCluster, MemberCluster, MemberCluster];
  const opsFor = (base: KubeObject, entries: PolicyOverride[], placed: MemberCluster[] = [c1]) => {
    const { overrides, problems } = compileOverrides(base, entries, placed);
    assert.deepEqual(problems, []);
    return Object.fromEntries(overrides.map((o) => [o.clusterName, o.clusterOverrides]));
  };

  it('no entries, or entries that change nothing, give no overrides', () => {
    assert.deepEqual(compileOverrides(configMap(), [], CLUSTERS), { overrides: [], problems: [] });
    assert.deepEqual(opsFor(configMap(), [{ image: { tag: '2' } }, { replicas: 3 }]), {});
  });

  it('within an entry: clusterOverrides, then image, labels, annotations, replicas', () => {
    const entry: PolicyOverride = {
      replicas: 5,
      annotations: { note: 'x' },
      labels: { tier: 'prod' },
      image: { tag: '1.28' },
      clusterOverrides: [{ path: '/spec/paused', value: true }],
    };
    assert.deepEqual(opsFor(deployment(), [entry]), {
      cluster1: [
        { op: 'replace', path: '/spec/paused', value: true },
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.28' },
        { op: 'add', path: '/metadata/labels/tier', value: 'prod' },
        { op: 'add', path: '/metadata/annotations', value: { note: 'x' } },
        { op: 'replace', path: '/spec/replicas', value: 5 },
      ],
    });
  });

  it("clusterOverrides keep KubeFed's op rules: absent or empty op is replace; remove has no value; a missing value is null", () => {
    assert.deepEqual(
      opsFor(configMap(), [
        {
          clusterOverrides: [
            { path: '/data/a', value: '1' },
            { op: '', path: '/data/b', value: '2' },
            { op: 'remove', path: '/data/colour', value: 'ignored' },
            { op: 'add', path: '/data/c' },
          ],
        },
      ]),
      {
        cluster1: [
          { op: 'replace', path: '/data/a', value: '1' },
          { op: 'replace', path: '/data/b', value: '2' },
          { op: 'remove', path: '/data/colour' },
          { op: 'add', path: '/data/c', value: null },
        ],
      },
    );
  });

  it('entries apply in list order; a later op on the same path replaces the earlier one', () => {
    const ops = opsFor(deployment(), [
      { replicas: 3, labels: { tier: 'gold' } },
      { clusterOverrides: [{ op: 'add', path: '/metadata/labels/zone', value: 'a' }] },
      { replicas: 7 },
    ]);
    assert.deepEqual(ops, {
      cluster1: [
        { op: 'add', path: '/metadata/labels/tier', value: 'gold' },
        { op: 'add', path: '/metadata/labels/zone', value: 'a' },
        { op: 'replace', path: '/spec/replicas', value: 7 },
      ],
    });
  });

  it('typed overrides see the object as the earlier ops left it', () => {
    const ops = opsFor(deployment(), [
      { clusterOverrides: [{ path: '/spec/template/spec/containers/0/image', value: 'mirror.local/nginx:1.27' }] },
      { image: { tag: '1.28' } },
    ]);
    assert.deepEqual(ops, {
      cluster1: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'mirror.local/nginx:1.28' }],
    });
    // Labels added by an earlier entry: the later one adds keys instead of replacing the map.
    assert.deepEqual(opsFor(configMap(), [{ labels: { a: '1' } }, { labels: { b: '2' } }]), {
      cluster1: [
        { op: 'add', path: '/metadata/labels', value: { a: '1' } },
        { op: 'add', path: '/metadata/labels/b', value: '2' },
      ],
    });
  });

  it('image: every container and init container (init containers first), or only the named ones', () => {
    const pod = {
      initContainers: [{ name: 'migrate', image: 'tools:1' }],
      containers: [
        { name: 'web', image: 'nginx:1.27' },
        { name: 'sidecar', image: 'registry.example.com:5000/proxy:3' },
      ],
    };
    assert.deepEqual(opsFor(deployment(pod), [{ image: { registry: 'mirror.local' } }]), {
      cluster1: [
        { op: 'replace', path: '/spec/template/spec/initContainers/0/image', value: 'mirror.local/tools:1' },
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'mirror.local/nginx:1.27' },
        { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'mirror.local/proxy:3' },
      ],
    });
    assert.deepEqual(opsFor(deployment(pod), [{ image: { tag: '9', containers: ['sidecar', 'migrate'] } }]), {
      cluster1: [
        { op: 'replace', path: '/spec/template/spec/initContainers/0/image', value: 'tools:9' },
        { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'registry.example.com:5000/proxy:9' },
      ],
    });
  });

  it('image: a container already on that image, or without an image, gives no op', () => {
    const pod = { containers: [{ name: 'web', image: 'nginx:1.28' }, { name: 'odd' }] };
    assert.deepEqual(opsFor(deployment(pod), [{ image: { tag: '1.28' } }]), {});
  });

  it("image: a CronJob's pod spec under jobTemplate, and a Pod's own spec", () => {
    const cronJob: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'tools:1' }] } } } },
      },
    };
    assert.deepEqual(opsFor(cronJob, [{ image: { tag: '2' } }]), {
      cluster1: [{ op: 'replace', path: '/spec/jobTemplate/spec/template/spec/containers/0/image', value: 'tools:2' }],
    });
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
    assert.deepEqual(opsFor(pod, [{ image: { tag: '1.36' } }]), {
      cluster1: [{ op: 'replace', path: '/spec/containers/0/image', value: 'busybox:1.36' }],
    });
  });

  it('image: objects without containers (a ConfigMap) are left alone', () => {
    assert.deepEqual(opsFor(configMap(), [{ image: { tag: '2' } }]), {});
  });

  it('labels: the whole map when the object has none, one add per key when it has some (keys escaped)', () => {
    assert.deepEqual(opsFor(configMap(), [{ labels: { 'app.kubernetes.io/name': 'shop', tier: 'gold' } }]), {
      cluster1: [{ op: 'add', path: '/metadata/labels', value: { 'app.kubernetes.io/name': 'shop', tier: 'gold' } }],
    });
    assert.deepEqual(
      opsFor(configMap({ labels: { app: 'web' } }), [{ labels: { 'app.kubernetes.io/name': 'shop', app: 'api' } }]),
      {
        cluster1: [
          { op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'shop' },
          { op: 'add', path: '/metadata/labels/app', value: 'api' },
        ],
      },
    );
  });

  it('annotations: the same rules as labels', () => {
    assert.deepEqual(opsFor(configMap(), [{ annotations: { 'example.com/owner': 'team-a' } }]), {
      cluster1: [{ op: 'add', path: '/metadata/annotations', value: { 'example.com/owner': 'team-a' } }],
    });
    assert.deepEqual(opsFor(configMap({ annotations: { note: 'x' } }), [{ annotations: { 'a~b': 'y' } }]), {
      cluster1: [{ op: 'add', path: '/metadata/annotations/a~0b', value: 'y' }],
    });
  });

  it('replicas: replicated kinds (with or without spec.replicas) and objects with spec.replicas; not ConfigMaps', () => {
    assert.deepEqual(opsFor(deployment(), [{ replicas: 4 }]), {
      cluster1: [{ op: 'replace', path: '/spec/replicas', value: 4 }],
    });
    const statefulSet: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: {} };
    assert.deepEqual(opsFor(statefulSet, [{ replicas: 0 }]), {
      cluster1: [{ op: 'replace', path: '/spec/replicas', value: 0 }],
    });
    const custom: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { replicas: 1 },
    };
    assert.deepEqual(opsFor(custom, [{ replicas: 2 }]), {
      cluster1: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
    });
    assert.deepEqual(opsFor(configMap(), [{ replicas: 4 }]), {});
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [] } };
    assert.deepEqual(opsFor(service, [{ replicas: 4 }]), {});
  });

  it('targetClusters by name and by label; absent means every placed cluster', () => {
    const ops = opsFor(
      configMap(),
      [
        { labels: { everywhere: 'yes' } },
        { targetClusters: { clusters: [{ name: 'cluster2' }] }, annotations: { named: 'yes' } },
        {
          targetClusters: { clusterSelector: { matchLabels: { tier: 'prod' } } },
          clusterOverrides: [{ path: '/data/colour', value: 'red' }],
        },
      ],
      [c1, c2, c3],
    );
    assert.deepEqual(Object.keys(ops), ['cluster1', 'cluster2', 'cluster3']);
    assert.deepEqual(
      ops['cluster1']!.map((o) => o.path),
      ['/metadata/labels', '/data/colour'],
    );
    assert.deepEqual(
      ops['cluster2']!.map((o) => o.path),
      ['/metadata/labels', '/metadata/annotations'],
    );
    assert.deepEqual(
      ops['cluster3']!.map((o) => o.path),
      ['/metadata/labels', '/data/colour'],
    );
  });

  it('only the placed clusters get overrides, even when a target names another', () => {
    const ops = opsFor(
      configMap(),
      [{ targetClusters: { clusters: [{ name: 'cluster1' }, { name: 'cluster3' }] }, labels: { x: 'y' } }],
      [c1, c2],
    );
    assert.deepEqual(Object.keys(ops), ['cluster1']);
  });

  it('an op that cannot apply is a problem naming the field and the cluster; other clusters are unaffected', () => {
    const entries: PolicyOverride[] = [
      {
        targetClusters: { clusters: [{ name: 'cluster1' }] },
        clusterOverrides: [{ op: 'remove', path: '/data/missing' }],
        labels: { tier: 'gold' },
      },
      { targetClusters: { clusters: [{ name: 'cluster2' }] }, labels: { tier: 'silver' } },
    ];
    const { overrides, problems } = compileOverrides(configMap(), entries, [c1, c2]);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0]!.cluster, 'cluster1');
    assert.equal(problems[0]!.field, 'spec.overrides[0]');
    assert.match(problems[0]!.message, /remove \/data\/missing/);
    assert.deepEqual(overrides.find((o) => o.clusterName === 'cluster2')?.clusterOverrides, [
      { op: 'add', path: '/metadata/labels', value: { tier: 'silver' } },
    ]);
  });

  it('a failing op is reported once, on the entry that holds it, not on the entries after it', () => {
    const entries: PolicyOverride[] = [
      { labels: { tier: 'gold' } },
      { clusterOverrides: [{ op: 'remove', path: '/data/missing' }] },
      { labels: { zone: 'a' } },
      { annotations: { note: 'x' } },
    ];
    const { problems } = compileOverrides(configMap(), entries, [c1, c2]);
    assert.deepEqual(
      problems.map((p) => [p.field, p.cluster]),
      [
        ['spec.overrides[1]', 'cluster1'],
        ['spec.overrides[1]', 'cluster2'],
      ],
    );
  });
});

// ---------------------------------------------------------------------------------------------
function winning(policy: PropagationPolicy) {
  return { policy, id: `${policy.kind} ${policy.metadata.name}`, priority: 0, specificity: 1 };
}

describe('propagateByPolicy: a plain object and the policy that wins it, as a Federated<Kind>', () => {
  it('the template keeps labels, annotations and the body; identity and status go', () => {
    const obj = { ...configMap({ labels: { app: 'web' }, annotations: { note: 'x' } }), status: { phase: 'x' } };
    obj.metadata = { ...obj.metadata, uid: 'u', resourceVersion: '3' };
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }]);
    const { federated, problems } = propagateByPolicy(obj, CONFIGMAPS, [winning(p)], CLUSTERS);
    assert.deepEqual(problems, []);
    assert.deepEqual(federated, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'settings', namespace: 'shop' },
      spec: {
        placement: { clusterSelector: {} },
        template: { metadata: { labels: { app: 'web' }, annotations: { note: 'x' } }, data: { colour: 'blue' } },
      },
    });
  });

  it('no metadata in the template when the object has no (or empty) labels and annotations', () => {
    const obj = configMap({ labels: {}, annotations: {} });
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }]);
    assert.deepEqual(propagateByPolicy(obj, CONFIGMAPS, [winning(p)], CLUSTERS).federated.spec.template, {
      data: { colour: 'blue' },
    });
  });

  it("apiVersion is kept in the template only when it differs from the type config's version", () => {
    const p = propagationPolicy('d', [{ kind: 'Deployment' }]);
    const same = propagateByPolicy(deployment(), DEPLOYMENTS, [winning(p)], CLUSTERS).federated;
    assert.equal(same.spec.template?.['apiVersion'], undefined);
    const other = propagateByPolicy(
      { ...deployment(), apiVersion: 'apps/v1beta2' },
      DEPLOYMENTS,
      [winning(p)],
      CLUSTERS,
    ).federated;
    assert.equal(other.spec.template?.['apiVersion'], 'apps/v1beta2');
    assert.equal(other.spec.template?.['kind'], undefined);
  });

  it("the placement is a copy of the policy's", () => {
    const placement = { clusters: [{ name: 'cluster2' }], clusterSelector: { matchLabels: { region: 'eu' } } };
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }], { spec: { placement } });
    const { federated } = propagateByPolicy(configMap(), CONFIGMAPS, [winning(p)], CLUSTERS);
    assert.deepEqual(federated.spec.placement, placement);
    federated.spec.placement.clusters.push({ name: 'cluster3' });
    assert.equal(p.spec.placement.clusters!.length, 1, 'the policy is not changed through the object');
  });

  it('a Namespace becomes a FederatedNamespace inside itself', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } };
    const p = propagationPolicy('ns', [{ kind: 'Namespace' }]);
    const { federated } = propagateByPolicy(ns, NAMESPACES, [winning(p)], CLUSTERS);
    assert.equal(federated.kind, 'FederatedNamespace');
    assert.deepEqual(federated.metadata, { name: 'shop', namespace: 'shop' });
    assert.deepEqual(federated.spec.template, { metadata: { labels: { team: 'a' } } });
  });

  it('overrides are compiled for every cluster their targets match, placed or not', () => {
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }], {
      spec: {
        placement: { clusterSelector: { matchLabels: { region: 'eu' } } },
        overrides: [
          { labels: { x: 'y' } },
          { targetClusters: { clusters: [{ name: 'cluster3' }] }, labels: { z: 'w' } },
        ],
      },
    });
    const { federated } = propagateByPolicy(configMap(), CONFIGMAPS, [winning(p)], CLUSTERS);
    assert.deepEqual(
      federated.spec.overrides?.map((o) => o.clusterName),
      ['cluster1', 'cluster2', 'cluster3'],
    );
  });

  it('no overrides field when nothing is overridden', () => {
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }], { spec: { overrides: [{ replicas: 3 }] } });
    assert.equal(
      'overrides' in propagateByPolicy(configMap(), CONFIGMAPS, [winning(p)], CLUSTERS).federated.spec,
      false,
    );
  });

  it('placedBy is the first match; outranked the others, best first', () => {
    const a = propagationPolicy('a', [{ kind: 'ConfigMap' }]);
    const b = propagationPolicy('b', [{ kind: 'ConfigMap' }]);
    const c = propagationPolicy('c', [{ kind: 'ConfigMap' }]);
    const r = propagateByPolicy(configMap(), CONFIGMAPS, [winning(b), winning(a), winning(c)], CLUSTERS);
    assert.equal(r.placedBy, 'ClusterPropagationPolicy b');
    assert.deepEqual(r.outranked, ['ClusterPropagationPolicy a', 'ClusterPropagationPolicy c']);
    assert.throws(() => propagateByPolicy(configMap(), CONFIGMAPS, [], CLUSTERS));
  });

  it('replicaScheduling on a Deployment: a ReplicaSchedulingPreference, and overrides for every cluster', () => {
    const replicaScheduling = { totalReplicas: 9, rebalance: true, clusters: { '*': { weight: 1 } } };
    const p = propagationPolicy('d', [{ kind: 'Deployment' }], {
      spec: {
        placement: { clusters: [{ name: 'cluster1' }] },
        replicaScheduling,
        overrides: [{ targetClusters: { clusterSelector: { matchLabels: { tier: 'prod' } } }, image: { tag: '1.28' } }],
      },
    });
    const r = propagateByPolicy(deployment(), DEPLOYMENTS, [winning(p)], CLUSTERS);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.rsp, {
      apiVersion: SCHEDULING_API_VERSION,
      kind: 'ReplicaSchedulingPreference',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ...replicaScheduling, targetKind: 'FederatedDeployment' },
    });
    // Scheduling may place the object anywhere, so cluster3 gets its override although the placement lists cluster1.
    assert.deepEqual(
      r.federated.spec.overrides?.map((o) => o.clusterName),
      ['cluster1', 'cluster3'],
    );
  });

  it('replicaScheduling on a ConfigMap is a problem, and no RSP is made', () => {
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }], { spec: { replicaScheduling: { totalReplicas: 3 } } });
    const r = propagateByPolicy(configMap(), CONFIGMAPS, [winning(p)], CLUSTERS);
    assert.equal(r.rsp, undefined);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /^spec\.replicaScheduling: .*FederatedDeployment.*not ConfigMap/);
  });

  it('a placement selector that cannot be evaluated is left to planning, as for a Federated<Kind>', () => {
    const placement = { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } };
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }], { spec: { placement } });
    const r = propagateByPolicy(configMap(), CONFIGMAPS, [winning(p)], CLUSTERS);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.federated.spec.placement, placement);
  });

  it('override problems come back as "field (clusters …): message", once for the clusters that share one', () => {
    const p = propagationPolicy('cm', [{ kind: 'ConfigMap' }], {
      spec: {
        placement: { clusters: [{ name: 'cluster2' }] },
        overrides: [{ clusterOverrides: [{ op: 'replace', path: '/data/a/b', value: 1 }], labels: { x: 'y' } }],
      },
    });
    const r = propagateByPolicy(configMap(), CONFIGMAPS, [winning(p)], CLUSTERS);
    assert.equal(r.problems.length, 1, r.problems.join('\n'));
    assert.match(
      r.problems[0]!,
      /^spec\.overrides\[0\] \(clusters cluster1, cluster2, cluster3\): cannot apply replace \/data\/a\/b/,
    );
  });
});

describe('implicitNamespaces: FederatedNamespaces for the namespaces of propagated objects', () => {
  it('one per namespace, sorted, placed in exactly the clusters given for it (in cluster order), empty template', () => {
    const placedIn = new Map([
      ['web', new Set(['cluster3', 'cluster1'])],
      ['api', new Set<string>()],
    ]);
    assert.deepEqual(implicitNamespaces(placedIn, CLUSTERS, NAMESPACES), [
      {
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedNamespace',
        metadata: { name: 'api', namespace: 'api' },
        spec: { placement: { clusters: [] }, template: {} },
      },
      {
        apiVersion: 'types.kubefed.io/v1beta1',
        kind: 'FederatedNamespace',
        metadata: { name: 'web', namespace: 'web' },
        spec: { placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster3' }] }, template: {} },
      },
    ]);
    assert.deepEqual(implicitNamespaces(new Map(), CLUSTERS, NAMESPACES), []);
  });
});

describe('toPlainAndPolicy: the way back', () => {
  it('a namespaced object gets a PropagationPolicy beside it that selects exactly it', () => {
    const fed: FederatedObject = {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'settings', namespace: 'shop' },
      spec: {
        template: { metadata: { labels: { app: 'web' } }, data: { colour: 'blue' } },
        placement: { clusterSelector: { matchLabels: { region: 'eu' } } },
        overrides: [
          { clusterName: 'cluster2', clusterOverrides: [{ path: '/data/colour', value: 'red' }] },
          { clusterName: 'cluster3', clusterOverrides: [] },
        ],
      },
    };
    const { object, policy } = toPlainAndPolicy(fed, CONFIGMAPS);
    assert.deepEqual(object, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shop', labels: { app: 'web' } },
      data: { colour: 'blue' },
    });
    assert.deepEqual(policy, {
      apiVersion: POLICY_API_VERSION,
      kind: PROPAGATION_POLICY_KIND,
      metadata: { name: 'configmap-settings', namespace: 'shop' },
      spec: {
        resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings' }],
        placement: { clusterSelector: { matchLabels: { region: 'eu' } } },
        overrides: [
          {
            targetClusters: { clusters: [{ name: 'cluster2' }] },
            clusterOverrides: [{ path: '/data/colour', value: 'red' }],
          },
        ],
      },
    });
  });

  it('a Namespace (and any cluster-scoped object) gets a ClusterPropagationPolicy', () => {
    const fed: FederatedObject = {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { template: {}, placement: { clusters: [] } },
    };
    const { object, policy } = toPlainAndPolicy(fed, NAMESPACES);
    assert.deepEqual(object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    assert.equal(policy.kind, CLUSTER_PROPAGATION_POLICY_KIND);
    assert.deepEqual(policy.metadata, { name: 'namespace-shop' });
  });

  it('policy names stay valid names however long the object name is', () => {
    assert.equal(policyNameFor('ConfigMap', 'web'), 'configmap-web');
    const long = `${'a'.repeat(240)}.${'b'.repeat(12)}`; // 253 characters, the longest name
    const name = policyNameFor('ConfigMap', long);
    assert.equal(name.length <= 253, true, `${name.length}`);
    assert.match(name, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    assert.notEqual(policyNameFor('ConfigMap', `${long.slice(0, -1)}c`), name, 'distinct names stay distinct');
    // A cut that ends in '.' or '-' is trimmed back to a letter or digit.
    assert.doesNotMatch(policyNameFor('ConfigMap', `${'a'.repeat(232)}.${'b'.repeat(20)}`), /[.-]-/);
  });

  it('a kind of a group outside Kubernetes gets its group in the policy name, so namesakes do not clash', () => {
    assert.equal(policyNameFor('Deployment', 'web', 'apps'), 'deployment-web');
    assert.equal(policyNameFor('Ingress', 'web', 'networking.k8s.io'), 'ingress-web');
    assert.equal(policyNameFor('Deployment', 'web', 'example.com'), 'deployment.example.com-web');
  });

  it('retainReplicas goes to the policy and back to the Federated<Kind>', () => {
    const fed: FederatedObject = {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedDeployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { replicas: 2 } }, placement: { clusterSelector: {} }, retainReplicas: true },
    };
    const { object, policy } = toPlainAndPolicy(fed, DEPLOYMENTS);
    assert.equal(policy.spec.retainReplicas, true);
    const back = propagateByPolicy(object, DEPLOYMENTS, [winning(policy)], CLUSTERS);
    assert.equal(back.federated.spec.retainReplicas, true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('planResource with PlacementPolicy limits', () => {
  const fed: FederatedObject = {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedConfigMap',
    metadata: { name: 'cm', namespace: 'ns', uid: 'fed-uid', generation: 1 },
    spec: { template: { data: { a: '1' } }, placement: { clusters: [{ name: 'c1' }, { name: 'c2' }] } },
  };
  const enforce = (cluster: string, policy = 'PlacementPolicy eu-only'): PlacementLimit => ({
    cluster,
    policy,
    enforcement: 'Enforce',
  });
  const managedCopy = (managed = 'true'): KubeObject => {
    const r = renderForCluster(fed, CONFIGMAPS, []).object;
    return {
      ...structuredClone(r),
      metadata: { ...structuredClone(r.metadata), labels: { [MANAGED_LABEL]: managed }, uid: 'member-uid' },
    };
  };
  const plan = (o: Partial<PlanInput>): ResourcePlan =>
    planResource({
      federated: fed,
      ftc: CONFIGMAPS,
      clusters: [cluster('c1'), cluster('c2')],
      live: new Map(),
      namespacePlacement: { kind: 'not-applicable' },
      scope: 'Cluster',
      adopt: false,
      manageFinalizer: false,
      ...o,
    });
  const summary = (p: ResourcePlan) =>
    Object.fromEntries(p.actions.map((a) => [a.cluster, `${a.kind}/${a.status}${a.policy ? `/${a.policy}` : ''}`]));

  it('Enforce without a copy: nothing is created there; the status word names the policy', () => {
    const p = plan({ limits: [enforce('c2')] });
    assert.deepEqual(summary(p), { c1: 'create/', c2: `none/${NOT_ALLOWED_BY_POLICY}/PlacementPolicy eu-only` });
    const c2 = p.actions.find((a) => a.cluster === 'c2')!;
    assert.equal(c2.desired, undefined);
    assert.match(c2.message ?? '', /PlacementPolicy eu-only does not allow cluster c2/);
    assert.deepEqual(p.limits, [enforce('c2')]);
    assert.deepEqual(p.warnings, []);
  });

  it('Enforce with a managed copy: the copy is deleted, with status NotAllowedByPolicy', () => {
    const p = plan({ limits: [enforce('c2')], live: new Map([['c2', managedCopy()]]) });
    assert.deepEqual(summary(p), { c1: 'create/', c2: `delete/${NOT_ALLOWED_BY_POLICY}/PlacementPolicy eu-only` });
    assert.match(p.actions.find((a) => a.cluster === 'c2')!.message ?? '', /managed copy is deleted/);
  });

  it('Enforce with an unmanaged copy (managed=false): left untouched', () => {
    const p = plan({ limits: [enforce('c2')], live: new Map([['c2', managedCopy('false')]]) });
    assert.deepEqual(summary(p), { c1: 'create/', c2: `none/${NOT_ALLOWED_BY_POLICY}/PlacementPolicy eu-only` });
  });

  it('Enforce on a cluster that is not ready: nothing is deleted there', () => {
    const p = plan({
      limits: [enforce('c2')],
      clusters: [cluster('c1'), cluster('c2', {}, false)],
      live: new Map([['c2', managedCopy()]]),
    });
    assert.equal(p.actions.find((a) => a.cluster === 'c2')!.kind, 'none');
    assert.equal(p.actions.find((a) => a.cluster === 'c2')!.status, NOT_ALLOWED_BY_POLICY);
  });

  it('two policies forbid a cluster: the first one is named', () => {
    const p = plan({ limits: [enforce('c2', 'PlacementPolicy a'), enforce('c2', 'PlacementPolicy b')] });
    assert.equal(p.actions.find((a) => a.cluster === 'c2')!.policy, 'PlacementPolicy a');
    assert.equal(p.limits.length, 2);
  });

  it('Audit: the cluster is planned as usual, with a warning', () => {
    const audit: PlacementLimit = { cluster: 'c2', policy: 'PlacementPolicy watch', enforcement: 'Audit' };
    const p = plan({ limits: [audit] });
    assert.deepEqual(summary(p), { c1: 'create/', c2: 'create/' });
    assert.deepEqual(p.warnings, [
      'PlacementPolicy watch (Audit) does not allow cluster c2; placed there all the same',
    ]);
    assert.deepEqual(p.limits, [audit]);
  });

  it("limits apply to the object's own placement: a cluster its namespace does not reach is still NotAllowedByPolicy", () => {
    const audit: PlacementLimit = { cluster: 'c1', policy: 'PlacementPolicy watch', enforcement: 'Audit' };
    const p = plan({ limits: [enforce('c2'), audit], namespacePlacement: { kind: 'clusters', clusters: [] } });
    assert.deepEqual(summary(p), { c2: `none/${NOT_ALLOWED_BY_POLICY}/PlacementPolicy eu-only` });
    assert.deepEqual(p.limits, [enforce('c2'), audit]);
    assert.deepEqual(p.warnings, [], 'no Audit warning for a cluster the object does not go to');
  });

  it('limits on clusters the placement does not select change nothing and are not reported', () => {
    const p = plan({ limits: [enforce('c3')], clusters: [cluster('c1'), cluster('c2'), cluster('c3')] });
    assert.deepEqual(summary(p), { c1: 'create/', c2: 'create/' });
    assert.deepEqual(p.limits, []);
  });
});

// ---------------------------------------------------------------------------------------------
// The property: a Federated<Kind> and the plain object + PropagationPolicy it turns into render
// the same objects for every cluster. Inputs: the examples and every odd-valid case run by render.
const root = resolve(import.meta.dirname, '..', '..', '..');

/** Runs the real CLI in this process (main with a memory IO): arguments in, exit code and output back. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIO();
  const code = await main(args, 'kubefedctl', io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

interface RenderCase {
  name: string;
  /** -f arguments, in order, without repeats. */
  files: string[];
  /** The other arguments of the render command (--clusters, --validate). */
  rest: string[];
}

function renderCases(): RenderCase[] {
  const cases: RenderCase[] = [];
  const add = (name: string, given: string[]) => {
    if (given[0] !== 'render') return;
    // Paths from the repository root, wherever the tests run from.
    const args = given.map((a) => (/^(examples|test)\//.test(a) ? join(root, a) : a));
    const files: string[] = [];
    const rest: string[] = [];
    for (let i = 1; i < args.length; i++)
      if (args[i] === '-f') {
        const f = args[++i]!;
        if (!files.includes(f)) files.push(f);
      } else rest.push(args[i]!);
    cases.push({ name, files, rest });
  };
  const clusters = ['--clusters', 'examples/clusters.yaml'];
  add('examples/federated', ['render', '-f', 'examples/federated', ...clusters]);
  for (const f of readdirSync(join(root, 'examples', 'federated')).sort())
    add(`examples/federated/${f}`, [
      'render',
      '-f',
      'examples/federated/namespace.yaml',
      '-f',
      `examples/federated/${f}`,
      ...clusters,
    ]);
  const oddValid = join('test', 'fixtures', 'odd-valid');
  const defaultCommand = ['render', '-f', 'examples/federated/namespace.yaml', '-f', '{file}', ...clusters];
  for (const category of readdirSync(join(root, oddValid)).sort()) {
    let listed: Record<string, { command?: string[]; stdin?: string }>;
    try {
      listed = JSON.parse(readFileSync(join(root, oddValid, category, 'cases.json'), 'utf8')) as typeof listed;
    } catch {
      continue;
    }
    for (const [file, c] of Object.entries(listed)) {
      if (c.stdin !== undefined) continue;
      const path = join(oddValid, category, file);
      add(
        `${category}/${file}`,
        (c.command ?? defaultCommand).map((a) => a.replaceAll('{file}', path)),
      );
    }
  }
  return cases;
}

/** The type config of a federated document: one of the input's, else the built-in one. */
function typeConfigOf(doc: KubeObject, inputTypes: FederatedTypeConfig[]): FederatedTypeConfig | undefined {
  const kind = doc.kind ?? '';
  if (!kind.startsWith('Federated') || kind === 'FederatedTypeConfig') return undefined;
  return (
    inputTypes.find((t) => t.spec.federatedType.kind === kind) ??
    defaultTypeConfigForKind({ apiVersion: doc.apiVersion ?? '', kind })
  );
}

describe('property: Federated<Kind> -> plain object + PropagationPolicy renders the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-policy-property-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cases = renderCases();

  it('has the examples and the odd-valid corpus as cases', () => {
    assert.ok(cases.length >= 50, `${cases.length}`);
  });

  cases.forEach((c, index) => {
    it(c.name, async (t) => {
      const docs = readDocuments(c.files).map((d) => d.doc as KubeObject);
      const types = docs.filter((d) => d.kind === 'FederatedTypeConfig') as unknown as FederatedTypeConfig[];
      let converted = 0;
      const plain = docs.flatMap((d) => {
        const ftc = typeConfigOf(d, types);
        if (!ftc) return [d];
        converted++;
        const { object, policy } = toPlainAndPolicy(d as FederatedObject, ftc);
        return [object, policy as unknown];
      });
      if (converted === 0) return t.skip('no federated objects');
      const file = join(dir, `${index}.yaml`);
      writeFileSync(file, plain.map((d) => JSON.stringify(d)).join('\n---\n'));
      const federated = await runCli(['render', ...c.files.flatMap((f) => ['-f', f]), ...c.rest, '-o', 'json']);
      const policies = await runCli(['render', '-f', file, ...c.rest, '-o', 'json']);
      assert.equal(federated.code, 0, `the federated input: ${federated.stderr}`);
      assert.equal(policies.code, 0, `the plain objects and policies: ${policies.stderr}`);
      assert.deepEqual(JSON.parse(policies.stdout), JSON.parse(federated.stdout));
    });
  });
});
