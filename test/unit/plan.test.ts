// The planner: one action per (federated object, cluster) (sync-semantics §1, §4.5, §5, §6).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FederatedObject, FederatedSpec, MemberCluster } from '../../src/federation/federated-object.js';
import { DELETE_OPTIONS_ANNOTATION, MANAGED_LABEL, ORPHAN_ANNOTATION, SYNC_FINALIZER } from '../../src/api/kubefed.js';
import { OverrideError } from '../../src/federation/overrides.js';
import {
  classifyCreate,
  deleteOptionsOf,
  planResource,
  planStrays,
  type ClusterAction,
  type PlanInput,
  type ResourcePlan,
} from '../../src/federation/plan.js';
import { APPLIED_HASH_ANNOTATION } from '../../src/api/kubefed.js';
import { renderForCluster } from '../../src/federation/render.js';
import type { KubeObject } from '../../src/api/objects.js';
import { CONFIGMAPS, NAMESPACES } from '../type-configs.js';

function cluster(name: string, labels: Record<string, string> = {}, ready = true): MemberCluster {
  return { name, labels, ready, ...(ready ? {} : { notReadyReason: 'probe failed' }) };
}

interface FedOptions extends FederatedSpec {
  annotations?: Record<string, string>;
  finalizers?: string[];
  deleting?: boolean;
  deleteOptions?: Record<string, unknown>;
}

function fedConfigMap(o: FedOptions = {}): FederatedObject {
  const { annotations, finalizers, deleting, ...spec } = o;
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: 'FederatedConfigMap',
    metadata: {
      name: 'cm',
      namespace: 'ns',
      uid: 'fed-uid',
      generation: 1,
      ...(annotations ? { annotations } : {}),
      ...(finalizers ? { finalizers } : {}),
      ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { template: { data: { a: '1' } }, ...spec },
  };
}

function fedNamespace(o: FedOptions = {}): FederatedObject {
  const f = fedConfigMap(o);
  return {
    ...f,
    kind: 'FederatedNamespace',
    metadata: { ...f.metadata, name: 'team', namespace: 'team' },
    spec: { template: {}, placement: o.placement ?? {} },
  };
}

/** A member copy as the API server would return it after we applied the rendering for `fed` (no overrides). */
function applied(fed: FederatedObject, ftc = CONFIGMAPS, extra: { uid?: string } = {}): KubeObject {
  const r = renderForCluster(fed, ftc, []).object;
  return {
    ...structuredClone(r),
    metadata: {
      ...structuredClone(r.metadata),
      uid: extra.uid ?? 'member-uid',
      resourceVersion: '7',
      creationTimestamp: '2024-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubefedctl' }],
    },
  };
}

/** A member copy with a given managed-label value and no hash. */
function liveObject(managed: string | undefined, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cm',
      namespace: 'ns',
      uid: 'member-uid',
      ...(managed === undefined ? {} : { labels: { [MANAGED_LABEL]: managed } }),
      ...extra,
    },
    data: { a: 'old' },
  };
}

function input(federated: FederatedObject, o: Partial<PlanInput> = {}): PlanInput {
  return {
    federated,
    ftc: CONFIGMAPS,
    clusters: [cluster('c1'), cluster('c2')],
    live: new Map(),
    namespacePlacement: { kind: 'not-applicable' },
    scope: 'Cluster',
    adopt: true,
    manageFinalizer: false,
    ...o,
  };
}

function actionFor(plan: ResourcePlan, name: string): ClusterAction | undefined {
  return plan.actions.find((a) => a.cluster === name);
}

/** cluster -> "kind/status" for compact assertions. */
function summary(plan: ResourcePlan): Record<string, string> {
  return Object.fromEntries(plan.actions.map((a) => [a.cluster, `${a.kind}/${a.status}`]));
}

const BOTH = { clusters: [{ name: 'c1' }, { name: 'c2' }] };
const ONLY_C1 = { clusters: [{ name: 'c1' }] };

describe('planResource: create / update / none', () => {
  it('a selected ready cluster without a copy gets a create of the rendered object', () => {
    const plan = planResource(input(fedConfigMap({ placement: ONLY_C1 })));
    assert.deepEqual(summary(plan), { c1: 'create/' });
    const desired = actionFor(plan, 'c1')!.desired!;
    assert.equal(desired.metadata.labels?.[MANAGED_LABEL], 'true');
    assert.deepEqual(desired['data'], { a: '1' });
    assert.equal(plan.aggregate, '');
  });

  it('create carries the adoption setting', () => {
    assert.equal(
      actionFor(planResource(input(fedConfigMap({ placement: ONLY_C1 }), { adopt: true })), 'c1')!.adopt,
      true,
    );
    assert.equal(
      actionFor(planResource(input(fedConfigMap({ placement: ONLY_C1 }), { adopt: false })), 'c1')!.adopt,
      false,
    );
  });

  it('a managed copy with the current hash that holds the rendering needs nothing', () => {
    const fed = fedConfigMap({ placement: ONLY_C1 });
    const plan = planResource(input(fed, { live: new Map([['c1', applied(fed)]]) }));
    assert.deepEqual(summary(plan), { c1: 'none/' });
  });

  it('server-added fields on the copy do not cause an update', () => {
    const fed = fedConfigMap({ placement: ONLY_C1 });
    const live = applied(fed);
    live['immutable'] = false;
    live.metadata.labels = { ...live.metadata.labels, 'added-by': 'someone' };
    assert.deepEqual(summary(planResource(input(fed, { live: new Map([['c1', live]]) }))), { c1: 'none/' });
  });

  it('a changed template (stale hash) gives an update', () => {
    const live = applied(fedConfigMap({ placement: ONLY_C1 }));
    const plan = planResource(
      input(fedConfigMap({ placement: ONLY_C1, template: { data: { a: '2' } } }), { live: new Map([['c1', live]]) }),
    );
    assert.deepEqual(summary(plan), { c1: 'update/' });
    assert.deepEqual(actionFor(plan, 'c1')!.desired!['data'], { a: '2' });
    assert.equal(actionFor(plan, 'c1')!.live, live);
  });

  it('a copy changed by someone else (hash still current) gives an update', () => {
    const fed = fedConfigMap({ placement: ONLY_C1 });
    const live = applied(fed);
    live['data'] = { a: 'edited' };
    assert.deepEqual(summary(planResource(input(fed, { live: new Map([['c1', live]]) }))), { c1: 'update/' });
  });

  it('a copy without the hash annotation gives an update even when its content holds', () => {
    const fed = fedConfigMap({ placement: ONLY_C1 });
    const live = applied(fed);
    delete live.metadata.annotations![APPLIED_HASH_ANNOTATION];
    assert.deepEqual(summary(planResource(input(fed, { live: new Map([['c1', live]]) }))), { c1: 'update/' });
  });

  it('a changed override for the cluster gives an update', () => {
    const live = applied(fedConfigMap({ placement: ONLY_C1 }));
    const fed = fedConfigMap({
      placement: ONLY_C1,
      overrides: [{ clusterName: 'c1', clusterOverrides: [{ path: '/data/a', value: '9' }] }],
    });
    assert.deepEqual(summary(planResource(input(fed, { live: new Map([['c1', live]]) }))), { c1: 'update/' });
  });

  it('each cluster is decided on its own', () => {
    const fed = fedConfigMap({ placement: BOTH });
    const plan = planResource(input(fed, { live: new Map([['c1', applied(fed)]]) }));
    assert.deepEqual(summary(plan), { c1: 'none/', c2: 'create/' });
  });
});

describe('planResource: skips (§1.1, §5.2)', () => {
  it('a selected cluster that is not ready is skipped with ClusterNotReady', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: BOTH }), { clusters: [cluster('c1'), cluster('c2', {}, false)] }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/', c2: 'skip/ClusterNotReady' });
    assert.equal(actionFor(plan, 'c2')!.message, 'probe failed');
  });

  it('a selected cluster whose copy is labelled managed=false is skipped with ManagedLabelFalse', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: ONLY_C1 }), { live: new Map([['c1', liveObject('false')]]) }),
    );
    assert.deepEqual(summary(plan), { c1: 'skip/ManagedLabelFalse' });
    assert.equal(actionFor(plan, 'c1')!.desired, undefined);
  });

  it('an override that cannot apply skips only that cluster with ApplyOverridesFailed', () => {
    const fed = fedConfigMap({
      placement: BOTH,
      overrides: [{ clusterName: 'c2', clusterOverrides: [{ path: '/data/missing/x', value: 'x' }] }],
    });
    assert.deepEqual(summary(planResource(input(fed))), { c1: 'create/', c2: 'skip/ApplyOverridesFailed' });
  });

  it('overrides that do not parse give ApplyOverridesFailed for each selected cluster', () => {
    const fed = fedConfigMap({
      placement: ONLY_C1,
      overrides: [
        { clusterName: 'c1', clusterOverrides: [{ path: '/data/a', value: 'x' }] },
        { clusterName: 'c1', clusterOverrides: [] },
      ],
    });
    const plan = planResource(input(fed, { clusters: [cluster('c1'), cluster('c2'), cluster('c3')] }));
    assert.deepEqual(summary(plan), { c1: 'skip/ApplyOverridesFailed' });
    assert.match(actionFor(plan, 'c1')!.message!, /appears more than once/);
  });

  it('overrides that do not parse fail every selected cluster, not only those named in them', () => {
    const fed = fedConfigMap({
      placement: BOTH,
      overrides: [{ clusterName: 'c1', clusterOverrides: [{ path: '/kind', value: 'Secret' }] }],
    });
    assert.deepEqual(summary(planResource(input(fed))), {
      c1: 'skip/ApplyOverridesFailed',
      c2: 'skip/ApplyOverridesFailed',
    });
  });

  it('a selector with an unknown operator is ComputePlacementFailed and plans nothing', () => {
    const fed = fedConfigMap({
      placement: { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Like', values: ['b'] }] } },
    });
    const plan = planResource(input(fed, { live: new Map([['c1', liveObject('true')]]) }));
    assert.equal(plan.aggregate, 'ComputePlacementFailed');
    assert.match(plan.aggregateMessage!, /unknown operator "Like"/);
    assert.deepEqual(plan.actions, []);
  });
});

describe('planResource: clusters no longer in placement (§5.4)', () => {
  it('an unselected cluster with a managed copy gets a delete (WaitingForRemoval)', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: ONLY_C1 }), { live: new Map([['c2', liveObject('true')]]) }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/', c2: 'delete/WaitingForRemoval' });
    assert.equal(actionFor(plan, 'c2')!.deleteOptions, undefined);
  });

  it('an unselected copy already being deleted is only waited for', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: ONLY_C1 }), {
        live: new Map([['c2', liveObject('true', { deletionTimestamp: '2024-01-01T00:00:00Z' })]]),
      }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/', c2: 'none/WaitingForRemoval' });
  });

  it('an unselected cluster that is not ready gets nothing, even with a managed copy', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: ONLY_C1 }), {
        clusters: [cluster('c1'), cluster('c2', {}, false)],
        live: new Map([['c2', liveObject('true')]]),
      }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/' });
  });

  it('an unselected copy labelled managed=false is never touched', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: ONLY_C1 }), { live: new Map([['c2', liveObject('false')]]) }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/' });
  });

  it('an unselected cluster without a copy gets nothing', () => {
    assert.deepEqual(summary(planResource(input(fedConfigMap({ placement: ONLY_C1 })))), { c1: 'create/' });
  });

  it("the host cluster's own namespace (uid match) is unlabelled instead of deleted", () => {
    const fed = fedNamespace({ placement: ONLY_C1 });
    const hostCopy = applied(fed, NAMESPACES, { uid: 'host-ns-uid' });
    const plan = planResource(
      input(fed, { ftc: NAMESPACES, hostNamespaceUid: 'host-ns-uid', live: new Map([['c2', hostCopy]]) }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/', c2: 'unlabel/' });
  });

  it('a namespace copy with another uid is deleted as usual', () => {
    const fed = fedNamespace({ placement: ONLY_C1 });
    const plan = planResource(
      input(fed, {
        ftc: NAMESPACES,
        hostNamespaceUid: 'host-ns-uid',
        live: new Map([['c2', applied(fed, NAMESPACES, { uid: 'other' })]]),
      }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/', c2: 'delete/WaitingForRemoval' });
  });

  it('creating a namespace passes the host namespace uid for adoption', () => {
    const plan = planResource(
      input(fedNamespace({ placement: ONLY_C1 }), { ftc: NAMESPACES, hostNamespaceUid: 'host-ns-uid' }),
    );
    assert.equal(actionFor(plan, 'c1')!.adoptUid, 'host-ns-uid');
  });
});

describe('planResource: namespace placement (§1.3)', () => {
  it('Cluster scope without a FederatedNamespace: NamespaceNotFederated and nothing is created', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: BOTH }), { namespacePlacement: { kind: 'missing' }, scope: 'Cluster' }),
    );
    assert.equal(plan.aggregate, 'NamespaceNotFederated');
    assert.deepEqual(plan.actions, []);
  });

  it('Cluster scope without a FederatedNamespace: existing managed copies are deleted', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: BOTH }), {
        namespacePlacement: { kind: 'missing' },
        scope: 'Cluster',
        live: new Map([['c1', liveObject('true')]]),
      }),
    );
    assert.deepEqual(summary(plan), { c1: 'delete/WaitingForRemoval' });
  });

  it('Namespaced scope without a FederatedNamespace: the own placement is used as is', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: BOTH }), { namespacePlacement: { kind: 'missing' }, scope: 'Namespaced' }),
    );
    assert.equal(plan.aggregate, '');
    assert.deepEqual(summary(plan), { c1: 'create/', c2: 'create/' });
  });

  it('with a FederatedNamespace the placement is the intersection of both', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: BOTH }), {
        clusters: [cluster('c1'), cluster('c2'), cluster('c3')],
        namespacePlacement: { kind: 'clusters', clusters: ['c2', 'c3'] },
        live: new Map([['c1', liveObject('true')]]),
      }),
    );
    assert.deepEqual(summary(plan), { c1: 'delete/WaitingForRemoval', c2: 'create/' });
  });

  it('the intersection also applies in Namespaced scope', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: BOTH }), {
        scope: 'Namespaced',
        namespacePlacement: { kind: 'clusters', clusters: ['c1'] },
      }),
    );
    assert.deepEqual(summary(plan), { c1: 'create/' });
  });

  it('a FederatedNamespace placed nowhere places nothing', () => {
    const plan = planResource(
      input(fedConfigMap({ placement: BOTH }), { namespacePlacement: { kind: 'clusters', clusters: [] } }),
    );
    assert.deepEqual(plan.actions, []);
    assert.equal(plan.aggregate, '');
  });
});

describe('planResource: the finalizer (§6.1)', () => {
  it('host mode adds the finalizer when it is missing', () => {
    assert.equal(planResource(input(fedConfigMap({ placement: ONLY_C1 }), { manageFinalizer: true })).finalizer, 'add');
  });

  it('host mode keeps a finalizer that is there', () => {
    assert.equal(
      planResource(input(fedConfigMap({ placement: ONLY_C1, finalizers: [SYNC_FINALIZER] }), { manageFinalizer: true }))
        .finalizer,
      'keep',
    );
  });

  it('file mode never adds the finalizer', () => {
    assert.equal(
      planResource(input(fedConfigMap({ placement: ONLY_C1 }), { manageFinalizer: false })).finalizer,
      'keep',
    );
  });

  it('the finalizer is added even when placement fails', () => {
    const fed = fedConfigMap({
      placement: { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } },
    });
    assert.equal(planResource(input(fed, { manageFinalizer: true })).finalizer, 'add');
  });
});

describe('planResource: deletion of the federated object (§6.2)', () => {
  const deleting = (o: FedOptions = {}): FederatedObject =>
    fedConfigMap({ placement: BOTH, finalizers: [SYNC_FINALIZER], deleting: true, ...o });
  const bothManaged = (): Map<string, KubeObject> =>
    new Map([
      ['c1', liveObject('true')],
      ['c2', liveObject('true')],
    ]);

  it('without our finalizer there is nothing to do', () => {
    const plan = planResource(input(deleting({ finalizers: [] }), { live: bothManaged() }));
    assert.equal(plan.deleting, true);
    assert.deepEqual(plan.actions, []);
    assert.equal(plan.finalizer, 'keep');
  });

  it('normal deletion deletes every managed copy, then the finalizer may go', () => {
    const plan = planResource(input(deleting(), { live: bothManaged() }));
    assert.equal(plan.deleting, true);
    assert.deepEqual(summary(plan), { c1: 'delete/WaitingForRemoval', c2: 'delete/WaitingForRemoval' });
    assert.equal(plan.finalizer, 'remove');
  });

  it('deletion also removes copies from clusters that are not in placement', () => {
    const plan = planResource(input(deleting({ placement: ONLY_C1 }), { live: new Map([['c2', liveObject('true')]]) }));
    assert.deepEqual(summary(plan), { c2: 'delete/WaitingForRemoval' });
  });

  it('deletion never creates anything', () => {
    const plan = planResource(input(deleting()));
    assert.deepEqual(plan.actions, []);
    assert.equal(plan.finalizer, 'remove');
  });

  it('the orphan annotation "true" unlabels every managed copy instead of deleting', () => {
    const plan = planResource(
      input(deleting({ annotations: { [ORPHAN_ANNOTATION]: 'true' } }), { live: bothManaged() }),
    );
    assert.deepEqual(summary(plan), { c1: 'unlabel/', c2: 'unlabel/' });
    assert.equal(plan.finalizer, 'remove');
  });

  it('an orphan annotation other than exactly "true" deletes', () => {
    const plan = planResource(
      input(deleting({ annotations: { [ORPHAN_ANNOTATION]: 'True' } }), { live: bothManaged() }),
    );
    assert.deepEqual(summary(plan), { c1: 'delete/WaitingForRemoval', c2: 'delete/WaitingForRemoval' });
  });

  it('deletes use the DeleteOptions of the kubefed.io/deleteoption annotation (honoured fields only)', () => {
    const annotation = JSON.stringify({
      propagationPolicy: 'Orphan',
      gracePeriodSeconds: 5,
      dryRun: ['All'],
      preconditions: { uid: 'u' },
    });
    const plan = planResource(
      input(deleting({ annotations: { [DELETE_OPTIONS_ANNOTATION]: annotation } }), { live: bothManaged() }),
    );
    assert.deepEqual(actionFor(plan, 'c1')!.deleteOptions, {
      propagationPolicy: 'Orphan',
      gracePeriodSeconds: 5,
      preconditions: { uid: 'u' },
    });
    assert.deepEqual(actionFor(plan, 'c2')!.deleteOptions, actionFor(plan, 'c1')!.deleteOptions);
  });

  it('spec.deleteOptions wins over the annotation', () => {
    const fed = deleting({
      annotations: { [DELETE_OPTIONS_ANNOTATION]: '{"propagationPolicy":"Orphan"}' },
      deleteOptions: { propagationPolicy: 'Foreground' },
    });
    assert.deepEqual(actionFor(planResource(input(fed, { live: bothManaged() })), 'c1')!.deleteOptions, {
      propagationPolicy: 'Foreground',
    });
  });

  it('without delete options the deletes have none', () => {
    assert.equal(actionFor(planResource(input(deleting(), { live: bothManaged() })), 'c1')!.deleteOptions, undefined);
  });

  it('a cluster that is not ready blocks the removal of the finalizer', () => {
    const plan = planResource(
      input(deleting(), {
        clusters: [cluster('c1'), cluster('c2', {}, false)],
        live: new Map([['c1', liveObject('true')]]),
      }),
    );
    assert.deepEqual(summary(plan), { c1: 'delete/WaitingForRemoval', c2: 'skip/ClusterNotReady' });
    assert.equal(plan.finalizer, 'keep');
  });

  it('a copy that is already terminating is waited for and blocks the finalizer', () => {
    const plan = planResource(
      input(deleting(), { live: new Map([['c1', liveObject('true', { deletionTimestamp: '2024-01-01T00:00:00Z' })]]) }),
    );
    assert.deepEqual(summary(plan), { c1: 'none/WaitingForRemoval' });
    assert.equal(plan.finalizer, 'keep');
  });

  it('copies labelled managed=false are left alone', () => {
    const plan = planResource(input(deleting(), { live: new Map([['c1', liveObject('false')]]) }));
    assert.deepEqual(plan.actions, []);
    assert.equal(plan.finalizer, 'remove');
  });

  it("the host cluster's own namespace is unlabelled, not deleted", () => {
    const fed = fedNamespace({ finalizers: [SYNC_FINALIZER], deleting: true, placement: BOTH });
    const live = new Map([
      ['c1', applied(fedNamespace(), NAMESPACES, { uid: 'host-ns-uid' })],
      ['c2', applied(fedNamespace(), NAMESPACES, { uid: 'other' })],
    ]);
    const plan = planResource(input(fed, { ftc: NAMESPACES, hostNamespaceUid: 'host-ns-uid', live }));
    assert.deepEqual(summary(plan), { c1: 'unlabel/', c2: 'delete/WaitingForRemoval' });
  });

  it('deletion does not add the finalizer back', () => {
    const plan = planResource(input(deleting({ finalizers: [] }), { manageFinalizer: true }));
    assert.notEqual(plan.finalizer, 'add');
  });
});

describe('deleteOptionsOf', () => {
  it('no annotation and no spec.deleteOptions give undefined', () => {
    assert.equal(deleteOptionsOf(fedConfigMap()), undefined);
  });

  it('bad annotation JSON is an error', () => {
    assert.throws(
      () => deleteOptionsOf(fedConfigMap({ annotations: { [DELETE_OPTIONS_ANNOTATION]: '{not json' } })),
      OverrideError,
    );
  });

  it('only gracePeriodSeconds, propagationPolicy and preconditions are kept', () => {
    const annotation = JSON.stringify({ gracePeriodSeconds: 0, orphanDependents: true, kind: 'DeleteOptions' });
    assert.deepEqual(deleteOptionsOf(fedConfigMap({ annotations: { [DELETE_OPTIONS_ANNOTATION]: annotation } })), {
      gracePeriodSeconds: 0,
    });
  });

  it('options with none of the honoured fields give undefined', () => {
    assert.equal(
      deleteOptionsOf(fedConfigMap({ annotations: { [DELETE_OPTIONS_ANNOTATION]: '{"dryRun":["All"]}' } })),
      undefined,
    );
  });
});

describe('planStrays: managed copies without a federated object (§5.5)', () => {
  const stray = (name: string, managed = 'true', extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
    ...liveObject(managed, extra),
    metadata: { ...liveObject(managed, extra).metadata, name },
  });

  it('a managed copy whose federated object is gone is unlabelled', () => {
    const actions = planStrays('configmaps', cluster('c1'), [stray('gone'), stray('cm')], new Set(['ns/cm']));
    assert.deepEqual(
      actions.map((a) => [a.cluster, a.kind, a.live?.metadata.name]),
      [['c1', 'unlabel', 'gone']],
    );
    assert.match(actions[0]!.message!, /configmaps/);
  });

  it('keys are namespace/name: the same name in another namespace is a stray', () => {
    const other: KubeObject = { ...stray('cm'), metadata: { ...stray('cm').metadata, namespace: 'elsewhere' } };
    assert.equal(planStrays('configmaps', cluster('c1'), [other], new Set(['ns/cm'])).length, 1);
  });

  it('cluster-scoped objects are keyed by name alone', () => {
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team', labels: { [MANAGED_LABEL]: 'true' } },
    };
    assert.equal(planStrays('namespaces', cluster('c1'), [ns], new Set(['team'])).length, 0);
  });

  it('copies being deleted are left alone', () => {
    assert.deepEqual(
      planStrays(
        'configmaps',
        cluster('c1'),
        [stray('gone', 'true', { deletionTimestamp: '2024-01-01T00:00:00Z' })],
        new Set(),
      ),
      [],
    );
  });

  it('copies labelled managed=false are left alone', () => {
    assert.deepEqual(planStrays('configmaps', cluster('c1'), [stray('gone', 'false')], new Set()), []);
  });

  it('a cluster that is not ready gets nothing', () => {
    assert.deepEqual(planStrays('configmaps', cluster('c1', {}, false), [stray('gone')], new Set()), []);
  });
});

describe('classifyCreate: a planned create meets an unlabelled object of the same name', () => {
  const desired: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' } };
  const create: ClusterAction = { cluster: 'c1', kind: 'create', status: '', desired, adopt: false };
  const existing: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'ns', uid: 'u-1' },
  };

  it('nothing there: the create stands', () => {
    assert.deepEqual(classifyCreate(create, undefined), create);
  });
  it('without adoption it is a conflict, and nothing is sent', () => {
    const a = classifyCreate(create, existing);
    assert.equal(a.kind, 'conflict');
    assert.equal(a.status, 'AlreadyExists');
    assert.equal(a.live, existing);
  });
  it('with adoption, or for the host namespace of the same UID, it is taken over', () => {
    assert.deepEqual(classifyCreate({ ...create, adopt: true }, existing), { ...create, adopt: true, live: existing });
    assert.deepEqual(classifyCreate({ ...create, adoptUid: 'u-1' }, existing), {
      ...create,
      adoptUid: 'u-1',
      live: existing,
    });
    assert.equal(classifyCreate({ ...create, adoptUid: 'other' }, existing).kind, 'conflict');
  });
  it('only creates are classified', () => {
    const update: ClusterAction = { cluster: 'c1', kind: 'update', status: '', desired, live: existing };
    assert.equal(classifyCreate(update, existing), update);
  });
});
