// The checks of policy.kubefed.io documents read from files: schemas/*policy.json and the rules in
// src/engine/policy-checks.ts, each problem naming its field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { FORBIDDEN_OVERRIDE_PATHS } from '../../src/federation/overrides.js';
import { loadCrdIndex, loadKubefedSchemas } from '../../src/federation/schema-files.js';
import {
  apiVersionOf,
  checkControlPlaneDocument,
  POLICY_CONTROL_PLANE_KINDS,
  type ControlPlaneKind,
} from '../../src/engine/input-checks.js';
import {
  apiVersionProblem,
  imageTagProblem,
  registryProblem,
  repositoryProblem,
} from '../../src/engine/policy-checks.js';
import { settle } from '../../src/util/validate-mode.js';
import { isPolicyKind } from '../../src/api/policy.js';

type Json = Record<string, unknown>;

const CLUSTER_PROPAGATION = parse(`
apiVersion: policy.kubefed.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: web-eu}
spec:
  priority: 0
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    namespace: shop
    name: web
    labelSelector: {matchLabels: {app: web}}
  placement:
    clusterSelector: {matchLabels: {region: eu}}
  overrides:
  - targetClusters:
      clusterSelector: {matchLabels: {tier: prod}}
    clusterOverrides:
    - {path: /spec/replicas, value: 5}
    image: {tag: "1.28"}
  replicaScheduling: {totalReplicas: 6}
`) as Json;

const PLACEMENT = parse(`
apiVersion: policy.kubefed.io/v1alpha1
kind: PlacementPolicy
metadata: {name: payments-eu-only}
spec:
  resourceSelectors:
  - {kind: Secret, namespace: payments}
  allowedClusters: {clusterSelector: {matchLabels: {region: eu}}}
  deniedClusters: {clusters: [{name: cluster3}]}
  enforcement: Enforce
`) as Json;

const PROPAGATION = parse(`
apiVersion: policy.kubefed.io/v1alpha1
kind: PropagationPolicy
metadata: {name: shop-config, namespace: shop}
spec:
  priority: 10
  resourceSelectors:
  - {apiVersion: v1, kind: ConfigMap, labelSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}}
  - {kind: Secret, name: tls}
  placement:
    clusters: [{name: cluster1}, {name: cluster2}]
  overrides:
  - targetClusters: {clusters: [{name: cluster2}]}
    clusterOverrides:
    - {op: add, path: /data/region, value: us}
    - {op: remove, path: /data/debug}
    - {op: "", path: /metadata/labels, value: {tier: edge}}
    labels: {example.com/tier: edge}
    annotations: {example.com/note: "free text, not a label value"}
  - image: {registry: "registry.example.com:5000", repository: team/web, tag: v2, containers: [web]}
    replicas: 2
  replicaScheduling:
    totalReplicas: 9
    rebalance: true
    intersectWithClusterSelector: false
    clusters: {"*": {weight: 1}, cluster1: {minReplicas: 2, maxReplicas: 6, weight: 2}}
`) as Json;

/** A copy of a document with `change` applied to its spec. */
function withSpec(doc: Json, change: (spec: Json) => void): Json {
  const copy = structuredClone(doc);
  change(copy['spec'] as Json);
  return copy;
}

function check(doc: Json) {
  return checkControlPlaneDocument(doc, doc['kind'] as ControlPlaneKind);
}

const field = (line: string): string => line.slice(0, line.indexOf(':'));

/** The one error of a document, which must name `at`. */
function errorAt(doc: Json, at: string, pattern?: RegExp): string {
  const found = check(doc);
  const hits = found.errors.filter((e) => field(e) === at);
  assert.equal(hits.length, 1, `want one error at ${at}, got:\n${found.errors.join('\n')}`);
  if (pattern) assert.match(hits[0]!, pattern);
  return hits[0]!;
}

/** The document has no error and no strict finding. */
function clean(doc: Json): void {
  const found = check(doc);
  assert.deepEqual({ errors: found.errors, strict: found.strict }, { errors: [], strict: [] });
}

describe('policy documents: the examples', () => {
  for (const doc of [CLUSTER_PROPAGATION, PLACEMENT, PROPAGATION]) {
    it(`a valid ${String(doc['kind'])} has no findings and comes back unchanged`, () => {
      const found = check(doc);
      assert.deepEqual(
        { errors: found.errors, strict: found.strict, warnings: found.warnings },
        {
          errors: [],
          strict: [],
          warnings: [],
        },
      );
      assert.deepEqual(found.doc, doc);
    });
  }

  it('knows the three kinds and their apiVersion', () => {
    assert.deepEqual(
      [...POLICY_CONTROL_PLANE_KINDS],
      ['PlacementPolicy', 'PropagationPolicy', 'ClusterPropagationPolicy'],
    );
    for (const kind of POLICY_CONTROL_PLANE_KINDS) {
      assert.equal(apiVersionOf(kind), 'policy.kubefed.io/v1alpha1');
      assert.ok(isPolicyKind(kind));
    }
    assert.ok(!isPolicyKind('ReplicaSchedulingPreference'));
  });

  it('a wrong apiVersion is a strict finding', () => {
    const found = check({ ...PLACEMENT, apiVersion: 'policy.kubefed.io/v1' });
    assert.match(
      found.strict.join('\n'),
      /^apiVersion: is "policy\.kubefed\.io\/v1", want policy\.kubefed\.io\/v1alpha1/m,
    );
  });

  it('a placement policy with neither enforcement nor allowedClusters is valid', () => {
    clean(
      withSpec(PLACEMENT, (s) => {
        delete s['enforcement'];
        delete s['allowedClusters'];
      }),
    );
  });
});

describe('policy documents: the schema', () => {
  it('spec and spec.resourceSelectors are required, and resourceSelectors needs one entry', () => {
    const { spec: _spec, ...noSpec } = PLACEMENT;
    errorAt(noSpec, 'spec', /is required/);
    errorAt(
      withSpec(CLUSTER_PROPAGATION, (s) => delete s['resourceSelectors']),
      'spec.resourceSelectors',
      /is required/,
    );
    const found = check(withSpec(PROPAGATION, (s) => (s['resourceSelectors'] = [])));
    assert.deepEqual(found.strict, ['spec.resourceSelectors: must NOT have fewer than 1 items']);
  });

  it('placement is required in both propagation policies', () => {
    for (const doc of [PROPAGATION, CLUSTER_PROPAGATION])
      errorAt(
        withSpec(doc, (s) => delete s['placement']),
        'spec.placement',
        /is required/,
      );
  });

  it('a propagation policy selector needs a kind; a placement policy selector needs nothing', () => {
    for (const doc of [PROPAGATION, CLUSTER_PROPAGATION])
      errorAt(
        withSpec(doc, (s) => (s['resourceSelectors'] = [{ name: 'web' }])),
        'spec.resourceSelectors[0].kind',
        /is required/,
      );
    clean(withSpec(PLACEMENT, (s) => (s['resourceSelectors'] = [{}])));
  });

  it('a PropagationPolicy selector has no namespace and no namespaceSelector: an error, whatever --validate says', () => {
    const doc = withSpec(PROPAGATION, (s) => {
      s['resourceSelectors'] = [{ kind: 'Secret', namespace: 'other', namespaceSelector: { matchLabels: { a: 'b' } } }];
    });
    const found = check(doc);
    assert.deepEqual(found.errors.map(field), [
      'spec.resourceSelectors[0].namespace',
      'spec.resourceSelectors[0].namespaceSelector',
    ]);
    assert.match(found.errors[0]!, /selects only in its own namespace/);
    assert.deepEqual(found.strict, []); // not also an "unknown field" line
    assert.equal(settle(found, 'warn').errors.length, 2);
    assert.equal(settle(found, 'ignore').errors.length, 2);
  });

  it('a ClusterPropagationPolicy selector has a namespace but no namespaceSelector', () => {
    errorAt(
      withSpec(CLUSTER_PROPAGATION, (s) => {
        s['resourceSelectors'] = [{ kind: 'Secret', namespaceSelector: { matchLabels: { a: 'b' } } }];
      }),
      'spec.resourceSelectors[0].namespaceSelector',
      /only a PlacementPolicy selects by the labels of namespaces/,
    );
    errorAt(
      withSpec(CLUSTER_PROPAGATION, (s) => (s['resourceSelectors'] = [{ kind: 'Secret', namespace: 'Shop_1' }])),
      'spec.resourceSelectors[0].namespace',
      /RFC 1123 label/,
    );
  });

  it('a PlacementPolicy selector may have both namespace and namespaceSelector', () => {
    clean(
      withSpec(PLACEMENT, (s) => {
        s['resourceSelectors'] = [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            namespace: 'payments',
            name: 'card-keys',
            labelSelector: { matchLabels: { app: 'pay' } },
            namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
          },
        ];
      }),
    );
  });

  it('priority is an int32', () => {
    errorAt(
      withSpec(PROPAGATION, (s) => (s['priority'] = 'high')),
      'spec.priority',
      /must be integer/,
    );
    errorAt(
      withSpec(PROPAGATION, (s) => (s['priority'] = 1.5)),
      'spec.priority',
      /must be integer/,
    );
    const found = check(withSpec(PROPAGATION, (s) => (s['priority'] = 2 ** 33)));
    assert.deepEqual(found.strict.map(field), ['spec.priority']);
    clean(withSpec(PROPAGATION, (s) => (s['priority'] = -100)));
  });

  it('overrides[].replicas is an integer of at least 0', () => {
    const found = check(withSpec(PROPAGATION, (s) => ((s['overrides'] as Json[])[1]!['replicas'] = -1)));
    assert.deepEqual(found.strict, ['spec.overrides[1].replicas: must be >= 0']);
    errorAt(
      withSpec(PROPAGATION, (s) => ((s['overrides'] as Json[])[1]!['replicas'] = 'two')),
      'spec.overrides[1].replicas',
      /must be integer/,
    );
  });

  it('a clusterOverride needs a path, takes add, remove, replace or "" as op, and any JSON value', () => {
    errorAt(
      withSpec(PROPAGATION, (s) => (s['overrides'] = [{ clusterOverrides: [{ value: 1 }] }])),
      'spec.overrides[0].clusterOverrides[0].path',
      /is required/,
    );
    const found = check(
      withSpec(PROPAGATION, (s) => (s['overrides'] = [{ clusterOverrides: [{ op: 'patch', path: '/a' }] }])),
    );
    assert.deepEqual(found.errors, [
      'spec.overrides[0].clusterOverrides[0].op: "patch" is not one of add, remove, replace',
    ]);
    assert.deepEqual(found.strict, []);
    clean(
      withSpec(PROPAGATION, (s) => {
        s['overrides'] = [
          {
            clusterOverrides: [
              { op: 'replace', path: '/a', value: { any: ['thing', 1, null] } },
              { path: '/b', value: [1, 2] },
              { op: 'add', path: '/c', value: 'x' },
            ],
          },
        ];
      }),
    );
  });

  it('labels and annotations of an override map keys to strings', () => {
    errorAt(
      withSpec(PROPAGATION, (s) => (s['overrides'] = [{ annotations: { note: 5 } }])),
      'spec.overrides[0].annotations.note',
    );
    errorAt(
      withSpec(PROPAGATION, (s) => (s['overrides'] = [{ labels: 'tier=edge' }])),
      'spec.overrides[0].labels',
      /must be object/,
    );
  });

  it('replicaScheduling needs totalReplicas and has no targetKind', () => {
    const found = check(withSpec(CLUSTER_PROPAGATION, (s) => (s['replicaScheduling'] = { rebalance: true })));
    assert.deepEqual(found.errors, ['spec.replicaScheduling.totalReplicas: is required']);
    const withKind = check(
      withSpec(CLUSTER_PROPAGATION, (s) => {
        s['replicaScheduling'] = { targetKind: 'FederatedDeployment', totalReplicas: 3 };
      }),
    );
    assert.deepEqual(withKind.errors, []);
    assert.deepEqual(withKind.strict, ['spec.replicaScheduling.targetKind: unknown field']);
  });

  it('enforcement is Enforce or Audit, and anything else is an error', () => {
    clean(withSpec(PLACEMENT, (s) => (s['enforcement'] = 'Audit')));
    const found = check(withSpec(PLACEMENT, (s) => (s['enforcement'] = 'Maybe')));
    assert.deepEqual(found.errors, ['spec.enforcement: must be Enforce or Audit (got "Maybe")']);
    assert.deepEqual(found.strict, []);
  });

  it('a policy has no status, and unknown fields are strict findings with a suggestion', () => {
    const found = check({ ...PLACEMENT, status: {} });
    assert.deepEqual(found.strict, ['status: unknown field']);
    const typo = check(
      withSpec(PLACEMENT, (s) => {
        s['deniedCluster'] = s['deniedClusters'];
        delete s['deniedClusters'];
      }),
    );
    assert.match(typo.strict.join('\n'), /^spec\.deniedCluster: unknown field.*deniedClusters/m);
  });
});

describe('policy documents: the rules beyond the schema', () => {
  it('checks the label syntax of every selector, naming the selector', () => {
    const badLabels = { matchLabels: { 'bad key!': 'x' } };
    const cases: [Json, (s: Json) => void, string][] = [
      [
        PROPAGATION,
        (s) => (s['resourceSelectors'] = [{ kind: 'Secret', labelSelector: badLabels }]),
        'spec.resourceSelectors[0].labelSelector.matchLabels',
      ],
      [
        PLACEMENT,
        (s) => (s['resourceSelectors'] = [{ namespaceSelector: badLabels }]),
        'spec.resourceSelectors[0].namespaceSelector.matchLabels',
      ],
      [
        PROPAGATION,
        (s) => (s['placement'] = { clusterSelector: badLabels }),
        'spec.placement.clusterSelector.matchLabels',
      ],
      [
        CLUSTER_PROPAGATION,
        (s) => (s['overrides'] = [{ targetClusters: { clusterSelector: badLabels }, replicas: 1 }]),
        'spec.overrides[0].targetClusters.clusterSelector.matchLabels',
      ],
      [
        PLACEMENT,
        (s) => (s['allowedClusters'] = { clusterSelector: badLabels }),
        'spec.allowedClusters.clusterSelector.matchLabels',
      ],
      [
        PLACEMENT,
        (s) => (s['deniedClusters'] = { clusterSelector: badLabels }),
        'spec.deniedClusters.clusterSelector.matchLabels',
      ],
    ];
    for (const [doc, change, at] of cases) errorAt(withSpec(doc, change), at, /key "bad key!"/);
    errorAt(
      withSpec(PLACEMENT, (s) => {
        s['allowedClusters'] = {
          clusterSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu west'] }] },
        };
      }),
      'spec.allowedClusters.clusterSelector.matchExpressions[0].values[0]',
      /"eu west"/,
    );
    errorAt(
      withSpec(PLACEMENT, (s) => (s['allowedClusters'] = { clusterSelector: { matchLabels: { region: 'eu/west' } } })),
      'spec.allowedClusters.clusterSelector.matchLabels.region',
    );
  });

  it('checks that each selector requirement has the values its operator needs', () => {
    const expressions = (e: Json[]) =>
      withSpec(PROPAGATION, (s) => (s['placement'] = { clusterSelector: { matchExpressions: e } }));
    errorAt(
      expressions([{ key: 'a', operator: 'In', values: [] }]),
      'spec.placement.clusterSelector.matchExpressions[0].values',
      /In needs at least one value/,
    );
    errorAt(
      expressions([{ key: 'a', operator: 'NotIn' }]),
      'spec.placement.clusterSelector.matchExpressions[0].values',
      /NotIn needs at least one value/,
    );
    errorAt(
      expressions([{ key: 'a', operator: 'Exists', values: ['x'] }]),
      'spec.placement.clusterSelector.matchExpressions[0].values',
      /Exists takes no values/,
    );
    errorAt(
      expressions([{ key: 'a', operator: 'Equals', values: ['x'] }]),
      'spec.placement.clusterSelector.matchExpressions[0].operator',
      /"Equals" is not one of In, NotIn, Exists, DoesNotExist/,
    );
    clean(
      expressions([
        { key: 'a', operator: 'DoesNotExist' },
        { key: 'b', operator: 'NotIn', values: ['x'] },
      ]),
    );
  });

  it('checks the label keys and values, and the annotation keys, of an override', () => {
    const found = check(
      withSpec(PROPAGATION, (s) => {
        s['overrides'] = [{ labels: { 'a b': 'x', tier: 'not ok' }, annotations: { '-x': 'anything at all', ok: '' } }];
      }),
    );
    assert.deepEqual(found.errors.map(field), [
      'spec.overrides[0].labels',
      'spec.overrides[0].labels.tier',
      'spec.overrides[0].annotations',
    ]);
    assert.match(found.errors[0]!, /key "a b"/);
    assert.match(found.errors[1]!, /value "not ok"/);
    assert.match(found.errors[2]!, /key "-x"/);
  });

  it('checks that every cluster name is an RFC 1123 name', () => {
    const bad = [{ name: 'Cluster_1' }];
    errorAt(
      withSpec(PROPAGATION, (s) => (s['placement'] = { clusters: bad })),
      'spec.placement.clusters[0].name',
      /RFC 1123/,
    );
    errorAt(
      withSpec(PROPAGATION, (s) => (s['overrides'] = [{ targetClusters: { clusters: bad }, replicas: 1 }])),
      'spec.overrides[0].targetClusters.clusters[0].name',
      /RFC 1123/,
    );
    errorAt(
      withSpec(PLACEMENT, (s) => (s['allowedClusters'] = { clusters: [{ name: 'ok' }, ...bad] })),
      'spec.allowedClusters.clusters[1].name',
    );
    errorAt(
      withSpec(PLACEMENT, (s) => (s['deniedClusters'] = { clusters: bad })),
      'spec.deniedClusters.clusters[0].name',
    );
    errorAt(
      withSpec(PLACEMENT, (s) => (s['deniedClusters'] = { clusters: [{}] })),
      'spec.deniedClusters.clusters[0].name',
      /is required/,
    );
  });

  it('a set of target, allowed or denied clusters needs clusters or clusterSelector', () => {
    errorAt(
      withSpec(PROPAGATION, (s) => (s['overrides'] = [{ targetClusters: {}, replicas: 1 }])),
      'spec.overrides[0].targetClusters',
      /must have clusters or clusterSelector/,
    );
    errorAt(
      withSpec(PLACEMENT, (s) => (s['allowedClusters'] = {})),
      'spec.allowedClusters',
      /must have clusters or clusterSelector/,
    );
    errorAt(
      withSpec(PLACEMENT, (s) => (s['deniedClusters'] = {})),
      'spec.deniedClusters',
      /must have clusters or clusterSelector/,
    );
    // An empty list and an empty selector are given: the list names no cluster, {} matches all.
    clean(withSpec(PLACEMENT, (s) => (s['deniedClusters'] = { clusters: [] })));
    clean(withSpec(PLACEMENT, (s) => (s['allowedClusters'] = { clusterSelector: {} })));
    // KubeFed's placement: neither part selects no cluster, which is allowed.
    clean(withSpec(PROPAGATION, (s) => (s['placement'] = {})));
  });

  it('a PlacementPolicy needs allowedClusters or deniedClusters', () => {
    errorAt(
      withSpec(PLACEMENT, (s) => {
        delete s['allowedClusters'];
        delete s['deniedClusters'];
      }),
      'spec',
      /must have allowedClusters or deniedClusters/,
    );
  });

  it('an override path starts with "/", is not one that names the object, and appears once per override', () => {
    const ops = (...paths: string[]) =>
      withSpec(
        PROPAGATION,
        (s) => (s['overrides'] = [{ clusterOverrides: paths.map((path) => ({ path, value: 1 })) }]),
      );
    errorAt(ops('spec/replicas'), 'spec.overrides[0].clusterOverrides[0].path', /starting with "\/"/);
    errorAt(ops(''), 'spec.overrides[0].clusterOverrides[0].path', /starting with "\/"/);
    for (const path of FORBIDDEN_OVERRIDE_PATHS)
      errorAt(ops('/spec/replicas', path), 'spec.overrides[0].clusterOverrides[1].path', /cannot be overridden/);
    errorAt(ops('/a', '/b', '/a'), 'spec.overrides[0].clusterOverrides[2].path', /"\/a" appears more than once/);
    // The same path in two overrides is fine: they may target different clusters.
    clean(
      withSpec(PROPAGATION, (s) => {
        s['overrides'] = [
          { targetClusters: { clusters: [{ name: 'cluster1' }] }, clusterOverrides: [{ path: '/a', value: 1 }] },
          { targetClusters: { clusters: [{ name: 'cluster2' }] }, clusterOverrides: [{ path: '/a', value: 2 }] },
        ];
      }),
    );
  });

  it('an override changes something', () => {
    errorAt(
      withSpec(
        PROPAGATION,
        (s) => (s['overrides'] = [{ replicas: 1 }, { targetClusters: { clusters: [{ name: 'c1' }] } }]),
      ),
      'spec.overrides[1]',
      /must have at least one of clusterOverrides, image, labels, annotations, replicas/,
    );
    for (const part of [
      { clusterOverrides: [] },
      { image: { tag: 'v1' } },
      { labels: {} },
      { annotations: {} },
      { replicas: 0 },
    ])
      clean(withSpec(PROPAGATION, (s) => (s['overrides'] = [part])));
  });

  it('an image override has a registry, repository or tag, each well-formed', () => {
    const image = (i: Json) => withSpec(PROPAGATION, (s) => (s['overrides'] = [{ image: i }]));
    errorAt(image({ containers: ['web'] }), 'spec.overrides[0].image', /must have registry, repository or tag/);
    errorAt(image({ tag: '.hidden' }), 'spec.overrides[0].image.tag', /must be an image tag/);
    errorAt(image({ tag: 'a'.repeat(129) }), 'spec.overrides[0].image.tag');
    errorAt(image({ tag: 'v1:latest' }), 'spec.overrides[0].image.tag');
    errorAt(
      image({ registry: 'registry.example.com/mirror' }),
      'spec.overrides[0].image.registry',
      /a path belongs in repository/,
    );
    errorAt(image({ registry: 'registry.example.com:port' }), 'spec.overrides[0].image.registry');
    errorAt(image({ registry: 'https://registry.example.com' }), 'spec.overrides[0].image.registry');
    errorAt(image({ repository: 'Team/Web' }), 'spec.overrides[0].image.repository');
    for (const ok of [
      { tag: '1.28' },
      { tag: 'v1_2-rc.3' },
      { tag: 'a'.repeat(128) },
      { registry: 'localhost:5000' },
      { registry: 'docker.io' },
      { registry: '10.0.0.1:443' },
      { registry: '[::1]:5000' },
      { repository: 'library/nginx' },
      { repository: 'team/sub__group/app-name.v2' },
      { registry: 'ghcr.io', repository: 'org/app', tag: 'sha-1234', containers: ['app', 'sidecar'] },
    ])
      clean(image(ok));
  });

  it('a resource selector apiVersion is "v1" or "group/version"', () => {
    for (const ok of ['v1', 'apps/v1', 'policy.kubefed.io/v1alpha1', 'autoscaling/v2', 'example.com/v1beta2'])
      assert.equal(apiVersionProblem(ok), undefined, ok);
    for (const bad of ['apps', 'apps/', '/v1', 'apps/v1/x', 'Apps/v1', 'apps/V1', '', 'v', 'core/v1 '])
      assert.ok(apiVersionProblem(bad), bad);
    assert.match(apiVersionProblem('apps') ?? '', /"apps" looks like a group without a version/);
    const found = check(
      withSpec(PROPAGATION, (s) => (s['resourceSelectors'] = [{ apiVersion: 'apps', kind: 'Deployment' }])),
    );
    assert.deepEqual(found.errors.map(field), ['spec.resourceSelectors[0].apiVersion']);
    assert.deepEqual(found.strict, []); // the schema's pattern says the same, less clearly
  });

  it('replicaScheduling has the rules of a ReplicaSchedulingPreference spec, at spec.replicaScheduling', () => {
    const found = check(
      withSpec(CLUSTER_PROPAGATION, (s) => {
        s['replicaScheduling'] = {
          totalReplicas: 4,
          clusters: { cluster1: { minReplicas: 3, maxReplicas: 2 }, cluster2: { weight: 1 } },
        };
      }),
    );
    assert.deepEqual(found.errors, [
      'spec.replicaScheduling.clusters["cluster1"].minReplicas: must not exceed maxReplicas (3 > 2)',
    ]);
    const negative = check(withSpec(CLUSTER_PROPAGATION, (s) => (s['replicaScheduling'] = { totalReplicas: -1 })));
    assert.deepEqual(negative.errors.map(field), ['spec.replicaScheduling.totalReplicas']);
    const notBool = check(
      withSpec(CLUSTER_PROPAGATION, (s) => (s['replicaScheduling'] = { totalReplicas: 1, rebalance: 'yes' })),
    );
    assert.deepEqual(notBool.errors.map(field), ['spec.replicaScheduling.rebalance']);
  });

  it('names are RFC 1123 subdomains', () => {
    for (const doc of [PLACEMENT, PROPAGATION, CLUSTER_PROPAGATION]) {
      const bad = { ...doc, metadata: { ...(doc['metadata'] as Json), name: 'Web_EU' } };
      errorAt(bad, 'metadata.name', /RFC 1123/);
    }
    errorAt({ ...PROPAGATION, metadata: { name: 'ok', namespace: 'Shop' } }, 'metadata.namespace', /RFC 1123 label/);
  });

  it('a cluster-scoped policy with a namespace: a warning, and the namespace is dropped', () => {
    for (const doc of [PLACEMENT, CLUSTER_PROPAGATION]) {
      const input = { ...doc, metadata: { name: 'p', namespace: 'shop', labels: { a: 'b' } } };
      const found = check(input);
      assert.deepEqual(found.errors, []);
      assert.deepEqual(found.warnings, [`metadata.namespace: ignored, ${String(doc['kind'])} is cluster-scoped`]);
      assert.deepEqual((found.doc as Json)['metadata'], { name: 'p', labels: { a: 'b' } });
      assert.equal(input.metadata.namespace, 'shop'); // the input is not changed
    }
  });

  it('a PropagationPolicy keeps its namespace, and may have none (the caller defaults it)', () => {
    const found = check(PROPAGATION);
    assert.equal(((found.doc as Json)['metadata'] as Json)['namespace'], 'shop');
    const bare = check({ ...PROPAGATION, metadata: { name: 'shop-config' } });
    assert.deepEqual([bare.errors, bare.strict, bare.warnings], [[], [], []]);
  });

  it('null members the schema declares are pruned, as an API server would', () => {
    const found = check(withSpec(PROPAGATION, (s) => ((s['overrides'] = null), (s['replicaScheduling'] = null))));
    assert.deepEqual(found.errors, []);
    const spec = (found.doc as Json)['spec'] as Json;
    assert.ok(!('overrides' in spec) && !('replicaScheduling' in spec));
  });

  it('small checks by themselves', () => {
    assert.equal(imageTagProblem('latest'), undefined);
    assert.ok(imageTagProblem('-x'));
    assert.equal(registryProblem('quay.io'), undefined);
    assert.ok(registryProblem('quay.io:'));
    assert.equal(repositoryProblem('a/b/c'), undefined);
    assert.ok(repositoryProblem('a//b'));
  });
});

describe('policy schemas', () => {
  const index = loadCrdIndex();
  const schemas = loadKubefedSchemas(index);
  type Schema = { properties?: Record<string, Schema>; items?: Schema; required?: string[]; [k: string]: unknown };
  const specOf = (kind: string): Schema => {
    const entry = index.find((e) => e.kind === kind);
    assert.ok(entry, kind);
    return (schemas.get(entry.schemaFile) as Schema).properties!['spec']!;
  };
  const selectorFields = (kind: string) =>
    Object.keys(specOf(kind).properties!['resourceSelectors']!.items!.properties!);

  it('give each kind its selector fields', () => {
    assert.deepEqual(selectorFields('PropagationPolicy'), ['apiVersion', 'kind', 'name', 'labelSelector']);
    assert.deepEqual(selectorFields('ClusterPropagationPolicy'), [
      'apiVersion',
      'kind',
      'namespace',
      'name',
      'labelSelector',
    ]);
    assert.deepEqual(selectorFields('PlacementPolicy'), [
      'apiVersion',
      'kind',
      'namespace',
      'name',
      'labelSelector',
      'namespaceSelector',
    ]);
  });

  it('describe every field', () => {
    const undescribed: string[] = [];
    // Named fields need a description; list items and map values are described by their field.
    const walk = (s: Schema, path: string, named: boolean): void => {
      if (named && path !== '$.metadata' && typeof s['description'] !== 'string') undescribed.push(path);
      for (const [name, child] of Object.entries(s.properties ?? {})) walk(child, `${path}.${name}`, true);
      if (s.items) walk(s.items, `${path}[]`, false);
      const values = s['additionalProperties'];
      if (typeof values === 'object' && values !== null) walk(values as Schema, `${path}.*`, false);
    };
    for (const kind of POLICY_CONTROL_PLANE_KINDS) {
      const entry = index.find((e) => e.kind === kind)!;
      walk(schemas.get(entry.schemaFile) as Schema, '$', true);
    }
    assert.deepEqual(undescribed, []);
  });

  it('default enforcement to Enforce', () => {
    assert.equal(specOf('PlacementPolicy').properties!['enforcement']!['default'], 'Enforce');
  });
});
