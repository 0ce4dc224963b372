// federate's pure parts: conversion, placement, offline type guessing, --contents selection, options.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planFromManifests } from '../../src/commands/federate/federate.js';
import { completeFederate } from '../../src/commands/federate/options.js';
import type { FederateFlags } from '../../src/commands/federate/command.js';
import { orphaningEnabled, orphaningPatch } from '../../src/commands/orphaning-deletion/orphaning.js';
import { UsageError, ValidationError } from '../../src/errors.js';
import {
  contentObjects,
  contentTypes,
  convertTarget,
  federatedObjectFrom,
  guessPlural,
  guessTargetType,
  placementFor,
  typeHintsFrom,
} from '../../src/federation/federate.js';
import { typeConfigFor } from '../../src/federation/typeconfig.js';
import type { KubeObject } from '../../src/api/objects.js';
import type { ApiResource } from '../../src/kube/discovery.js';
import type { SourcedDocument } from '../../src/util/documents.js';

function resource(
  plural: string,
  kind: string,
  group = '',
  namespaced = true,
  extra: Partial<ApiResource> = {},
): ApiResource {
  return {
    group,
    version: 'v1',
    plural,
    kind,
    namespaced,
    singular: kind.toLowerCase(),
    shortNames: [],
    verbs: ['create', 'get', 'list', 'delete'],
    subresources: [],
    categories: [],
    ...extra,
  };
}

const CONFIGMAPS = resource('configmaps', 'ConfigMap');
const SERVICES = resource('services', 'Service', '', true, { shortNames: ['svc'] });
const SERVICE_ACCOUNTS = resource('serviceaccounts', 'ServiceAccount');
const NAMESPACES = resource('namespaces', 'Namespace', '', false);
const CLUSTER_ROLES = resource('clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io', false);
const DEPLOYMENTS = resource('deployments', 'Deployment', 'apps');

/** Server-set metadata every live object has. */
const SERVER_META = {
  uid: '0b9a6d4e-1111-2222-3333-444455556666',
  resourceVersion: '4711',
  generation: 3,
  creationTimestamp: '2026-01-01T00:00:00Z',
  managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
  finalizers: ['example.com/keep'],
  ownerReferences: [],
};

describe('federatedObjectFrom: target -> Federated<Kind> (KubeFed v0.8.1)', () => {
  it('a ConfigMap keeps only its labels of all metadata; status and identity go; annotations give a warning', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'my-cm',
        namespace: 'my-ns',
        labels: { app: 'x' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'n' },
        ...SERVER_META,
      },
      data: { key: 'value' },
      status: { phase: 'whatever' },
    };
    const { object, warnings } = convertTarget(cm, typeConfigFor(CONFIGMAPS));
    assert.deepEqual(object, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedConfigMap',
      metadata: { name: 'my-cm', namespace: 'my-ns' },
      spec: {
        placement: { clusterSelector: { matchLabels: {} } },
        template: { metadata: { labels: { app: 'x' } }, data: { key: 'value' } },
      },
    });
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0] ?? '',
      /annotations of configmap\/my-ns\/my-cm are not carried into the template \(kubectl\.kubernetes\.io\/last-applied-configuration, note\)/,
    );
  });

  it('no labels, or empty labels, means no template metadata at all and no warning', () => {
    for (const labels of [undefined, {}]) {
      const { object, warnings } = convertTarget(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'a', namespace: 'b', ...(labels ? { labels } : {}) },
          data: {},
        },
        typeConfigFor(CONFIGMAPS),
      );
      assert.deepEqual((object['spec'] as { template: unknown }).template, { data: {} });
      assert.deepEqual(warnings, []);
    }
  });

  it('a Service loses its cluster IPs and node ports, and nothing else', () => {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'prod' },
      spec: {
        type: 'NodePort',
        clusterIP: '10.0.0.10',
        clusterIPs: ['10.0.0.10'],
        ipFamilies: ['IPv4'],
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' },
          { name: 'https', port: 443, protocol: 'TCP' },
        ],
      },
      status: { loadBalancer: {} },
    };
    const template = (federatedObjectFrom(svc, typeConfigFor(SERVICES))['spec'] as { template: unknown }).template;
    assert.deepEqual(template, {
      spec: {
        type: 'NodePort',
        ipFamilies: ['IPv4'],
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'https', port: 443, protocol: 'TCP' },
        ],
      },
    });
    assert.equal((svc['spec'] as { clusterIP: string }).clusterIP, '10.0.0.10', 'the source object is not changed');
  });

  it('a ServiceAccount loses its token secrets but keeps its image pull secrets', () => {
    const sa: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'bot', namespace: 'ci' },
      secrets: [{ name: 'bot-token-x' }],
      imagePullSecrets: [{ name: 'registry' }],
    };
    const obj = federatedObjectFrom(sa, typeConfigFor(SERVICE_ACCOUNTS));
    assert.equal(obj.kind, 'FederatedServiceAccount');
    assert.deepEqual((obj['spec'] as { template: unknown }).template, { imagePullSecrets: [{ name: 'registry' }] });
  });

  it('a Namespace becomes a FederatedNamespace inside itself, without spec.finalizers', () => {
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'web', labels: { team: 'a' }, ...SERVER_META },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    assert.deepEqual(federatedObjectFrom(ns, typeConfigFor(NAMESPACES)), {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: 'web', namespace: 'web' },
      spec: {
        placement: { clusterSelector: { matchLabels: {} } },
        template: { metadata: { labels: { team: 'a' } }, spec: {} },
      },
    });
  });

  it('a ClusterRole becomes a cluster-scoped FederatedClusterRole', () => {
    const role: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'viewer', ...SERVER_META },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    };
    const obj = federatedObjectFrom(role, typeConfigFor(CLUSTER_ROLES));
    assert.deepEqual(obj.metadata, { name: 'viewer' });
    assert.equal(obj.kind, 'FederatedClusterRole');
    assert.deepEqual((obj['spec'] as { template: unknown }).template, {
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
  });

  it("a Deployment's pod template metadata is left as it is", () => {
    const podTemplate = {
      metadata: { labels: { app: 'web' }, annotations: { 'prometheus.io/scrape': 'true' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    };
    const dep: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod' },
      spec: { replicas: 2, template: podTemplate },
    };
    const template = (
      federatedObjectFrom(dep, typeConfigFor(DEPLOYMENTS))['spec'] as { template: { spec: { template: unknown } } }
    ).template;
    assert.deepEqual(template.spec.template, podTemplate);
  });

  it('a non-default federated group and version come from the FederatedTypeConfig', () => {
    const ftc = typeConfigFor(CONFIGMAPS, { federatedGroup: 'fed.example.com', federatedVersion: 'v1' });
    const obj = federatedObjectFrom(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' } },
      ftc,
    );
    assert.equal(obj.apiVersion, 'fed.example.com/v1');
  });
});

describe('placementFor: the placement flags', () => {
  it('no flags: an empty selector, which selects every cluster', () => {
    assert.deepEqual(placementFor(), { clusterSelector: { matchLabels: {} } });
  });
  it('--placement-clusters: a cluster list and no selector', () => {
    assert.deepEqual(placementFor({ clusters: ['a', 'b'] }), { clusters: [{ name: 'a' }, { name: 'b' }] });
  });
  it('--cluster-selector: matchLabels', () => {
    assert.deepEqual(placementFor({ matchLabels: { region: 'eu', tier: 'gold' } }), {
      clusterSelector: { matchLabels: { region: 'eu', tier: 'gold' } },
    });
  });
  it('both flags: both are written (the cluster list wins at propagation)', () => {
    assert.deepEqual(placementFor({ clusters: ['a'], matchLabels: { region: 'eu' } }), {
      clusters: [{ name: 'a' }],
      clusterSelector: { matchLabels: { region: 'eu' } },
    });
  });
  it('the placement lands in the federated object', () => {
    const obj = federatedObjectFrom(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' } },
      typeConfigFor(CONFIGMAPS),
      placementFor({ clusters: ['c2'] }),
    );
    assert.deepEqual((obj['spec'] as { placement: unknown }).placement, { clusters: [{ name: 'c2' }] });
  });
});

const FLAGS: FederateFlags = {
  enableType: false,
  contents: false,
  overwrite: false,
  recursive: false,
  dryRun: 'none',
  output: undefined,
  kubefedNamespace: 'kube-federation-system',
  requestTimeout: '30s',
};

describe('completeFederate: flags and arguments', () => {
  const usage = (f: () => unknown, pattern: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof UsageError && pattern.test(e.message));
  it('TYPE and NAME, or -f, are required; -f with TYPE NAME is an error', () => {
    usage(() => completeFederate(undefined, undefined, FLAGS), /TYPE and NAME are required/);
    usage(() => completeFederate('configmaps', undefined, FLAGS), /NAME is required/);
    usage(() => completeFederate('configmaps', 'x', { ...FLAGS, filename: ['a.yaml'] }), /either TYPE NAME or -f/);
  });
  it('--enable-type with -o is an error unless the server checks the run', () => {
    usage(
      () => completeFederate('configmaps', 'x', { ...FLAGS, enableType: true, output: 'yaml' }),
      /--enable-type cannot be combined with -o/,
    );
    assert.equal(
      completeFederate('configmaps', 'x', { ...FLAGS, enableType: true, output: 'yaml', dryRun: 'server' }).enableType,
      true,
    );
  });
  it('--contents is not for -f, and --skip-api-resources needs --contents', () => {
    usage(
      () => completeFederate(undefined, undefined, { ...FLAGS, filename: ['a.yaml'], contents: true }),
      /--contents only applies/,
    );
    usage(
      () => completeFederate('ns', 'x', { ...FLAGS, skipApiResources: ['secrets'] }),
      /--skip-api-resources only applies with --contents/,
    );
  });
  it('comma lists and repeated flags are merged', () => {
    const opts = completeFederate('namespaces', 'x', {
      ...FLAGS,
      contents: true,
      skipApiResources: ['secrets, apps', 'roles.rbac.authorization.k8s.io'],
      placementClusters: ['c1,c2', 'c3', 'c1'],
      clusterSelector: ['region=eu,tier=gold'],
    });
    assert.deepEqual(opts.skip, ['secrets', 'apps', 'roles.rbac.authorization.k8s.io']);
    assert.deepEqual(opts.placement, {
      clusters: [{ name: 'c1' }, { name: 'c2' }, { name: 'c3' }],
      clusterSelector: { matchLabels: { region: 'eu', tier: 'gold' } },
    });
  });
  it('bad cluster names and selectors are refused', () => {
    usage(
      () => completeFederate('cm', 'x', { ...FLAGS, placementClusters: ['Bad_Name'] }),
      /invalid cluster name in --placement-clusters "Bad_Name"/,
    );
    usage(() => completeFederate('cm', 'x', { ...FLAGS, placementClusters: [','] }), /needs at least one cluster name/);
    usage(
      () => completeFederate('cm', 'x', { ...FLAGS, clusterSelector: ['region'] }),
      /invalid --cluster-selector "region"/,
    );
  });
});

describe('federate -f: offline type guessing', () => {
  it("plurals follow apimachinery's UnsafeGuessKindToResource", () => {
    const table: [string, string][] = [
      ['ConfigMap', 'configmaps'],
      ['Ingress', 'ingresses'],
      ['NetworkPolicy', 'networkpolicies'],
      ['Endpoints', 'endpoints'],
      ['Status', 'statuses'],
      ['Gateway', 'gatewaies'],
    ];
    for (const [kind, plural] of table) assert.equal(guessPlural(kind), plural, kind);
  });

  const doc = (apiVersion: string, kind: string, namespace?: string): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name: 'x', ...(namespace ? { namespace } : {}) },
  });
  const scopeOf = (obj: KubeObject, hints = typeHintsFrom([])) => guessTargetType(obj, hints);

  it('built-in kinds have their known scope, with or without a namespace in the manifest', () => {
    const role = scopeOf(doc('rbac.authorization.k8s.io/v1', 'ClusterRole', 'oops'));
    assert.equal(role.source, 'built-in');
    assert.equal(role.typeConfig.spec.federatedType.scope, 'Cluster');
    const cm = scopeOf(doc('v1', 'ConfigMap'));
    assert.equal(cm.typeConfig.spec.federatedType.scope, 'Namespaced');
    assert.equal(
      scopeOf(doc('v1', 'Namespace')).typeConfig.spec.federatedType.scope,
      'Namespaced',
      'FederatedNamespace lives in its namespace',
    );
  });

  it('unknown kinds are namespaced exactly when they have a namespace, as KubeFed guesses', () => {
    const a = scopeOf(doc('example.com/v1', 'Widget', 'ns'));
    assert.deepEqual(
      [a.source, a.typeConfig.spec.targetType.scope, a.typeConfig.spec.targetType.pluralName],
      ['guess', 'Namespaced', 'widgets'],
    );
    assert.equal(scopeOf(doc('example.com/v1', 'Widget')).typeConfig.spec.targetType.scope, 'Cluster');
  });

  it('a CRD among the documents gives scope and plural; a FederatedTypeConfig gives the federated type', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'mice.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Mouse', plural: 'mice' } },
    };
    const mouse = scopeOf(doc('example.com/v1', 'Mouse'), typeHintsFrom([crd]));
    assert.deepEqual(
      [mouse.source, mouse.typeConfig.spec.targetType.scope, mouse.typeConfig.metadata.name],
      ['CustomResourceDefinition', 'Namespaced', 'mice.example.com'],
    );
    const ftc = typeConfigFor(resource('widgets', 'Widget', 'example.com', true), {
      federatedGroup: 'fed.example.com',
      federatedVersion: 'v2',
    });
    const widget = scopeOf(doc('example.com/v1', 'Widget'), typeHintsFrom([ftc]));
    assert.equal(widget.source, 'FederatedTypeConfig');
    assert.equal(widget.typeConfig.spec.federatedType.group, 'fed.example.com');
  });

  const sourced = (doc: unknown, index = 1): SourcedDocument => ({ file: 'in.yaml', index, line: index * 5, doc });

  it('plans every object but FederatedTypeConfigs; -n fills in a missing namespace of namespaced kinds', () => {
    const ftc = typeConfigFor(resource('widgets', 'Widget', 'example.com', true), {
      federatedGroup: 'fed.example.com',
      federatedVersion: 'v2',
    });
    const plan = planFromManifests(
      [
        sourced(ftc, 1),
        sourced(doc('v1', 'ConfigMap'), 2),
        sourced(doc('example.com/v1', 'Widget', 'w'), 3),
        sourced(doc('rbac.authorization.k8s.io/v1', 'ClusterRole'), 4),
      ],
      { namespace: 'dflt', placement: placementFor() },
    );
    assert.deepEqual(
      plan.items.map((i) => [i.object.apiVersion, i.object.kind, i.object.metadata.namespace, i.from]),
      [
        ['types.kubefed.io/v1beta1', 'FederatedConfigMap', 'dflt', 'in.yaml:10 (document 2)'],
        ['fed.example.com/v2', 'FederatedWidget', 'w', 'in.yaml:15 (document 3)'],
        ['types.kubefed.io/v1beta1', 'FederatedClusterRole', undefined, 'in.yaml:20 (document 4)'],
      ],
    );
  });

  it('errors name the file, the document and the field', () => {
    const bad = [
      sourced({ apiVersion: 'v1', metadata: { name: 'a' } }, 1),
      sourced({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'a-' } }, 2),
      sourced('just text', 3),
      sourced({ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedConfigMap', metadata: { name: 'a' } }, 4),
    ];
    assert.throws(
      () => planFromManifests(bad, { placement: placementFor() }),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(e.issues, [
          'in.yaml:5 (document 1): kind: must be a non-empty string',
          'in.yaml:10 (document 2): metadata.name: must be a non-empty string (generateName is not enough: a federated object needs a fixed name)',
          'in.yaml:15 (document 3): is not an object',
          'in.yaml:20 (document 4): kind: FederatedConfigMap is already a federated type',
        ]);
        return true;
      },
    );
  });
});

describe('--contents: which types and objects of a namespace', () => {
  const all = [
    CONFIGMAPS,
    SERVICES,
    NAMESPACES,
    DEPLOYMENTS,
    resource('secrets', 'Secret'),
    resource('endpoints', 'Endpoints'),
    resource('events', 'Event'),
    resource('events', 'Event', 'events.k8s.io'),
    resource('endpointslices', 'EndpointSlice', 'discovery.k8s.io'),
    resource('ingresses', 'Ingress', 'extensions'),
    resource('bindings', 'Binding', '', true, { verbs: ['create'] }),
    resource('roles', 'Role', 'rbac.authorization.k8s.io'),
    resource('federatedconfigmaps', 'FederatedConfigMap', 'types.kubefed.io'),
    resource('federatedwidgets', 'FederatedWidget', 'fed.example.com'),
    resource('federations', 'Federation', 'example.com'),
    resource('propagatedversions', 'PropagatedVersion', 'core.kubefed.io'),
    resource('widgets', 'Widget', 'example.com'),
  ];
  const names = (rs: ApiResource[]) => rs.map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural));

  it('skips cluster-scoped, cluster-local, extensions, federated and unlistable types', () => {
    assert.deepEqual(names(contentTypes(all, { federatedGroups: ['fed.example.com'] })), [
      'configmaps',
      'services',
      'deployments.apps',
      'secrets',
      'roles.rbac.authorization.k8s.io',
      'federations.example.com',
      'widgets.example.com',
    ]);
  });
  it('--skip-api-resources takes group names and type names', () => {
    assert.deepEqual(
      names(
        contentTypes(all, {
          skip: ['example.com', 'secret', 'svc', 'roles.rbac.authorization.k8s.io'],
          federatedGroups: ['fed.example.com'],
        }),
      ),
      ['configmaps', 'deployments.apps'],
    );
  });
  it('without the FederatedTypeConfig groups only types.kubefed.io counts as federated', () => {
    assert.ok(names(contentTypes(all)).includes('federatedwidgets.fed.example.com'));
  });

  it('leaves out bad names, controller-owned objects and what Kubernetes puts in every namespace', () => {
    const obj = (name: string, extra: Partial<KubeObject> & { metadata?: object } = {}): KubeObject => ({
      ...extra,
      metadata: { name, ...extra.metadata },
    });
    const cms = contentObjects(CONFIGMAPS, [obj('ok'), obj('kube-root-ca.crt'), obj('Not_DNS')]);
    assert.deepEqual(
      cms.objects.map((o) => o.metadata.name),
      ['ok'],
    );
    assert.equal(cms.skipped.length, 2);
    assert.match(cms.skipped.join('\n'), /configmaps\/kube-root-ca\.crt: it holds this cluster's CA/);
    assert.match(cms.skipped.join('\n'), /configmaps\/Not_DNS: the name is not a DNS-1123 subdomain/);
    const rs = contentObjects(resource('replicasets', 'ReplicaSet', 'apps'), [
      obj('web-123', { metadata: { ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] } }),
      obj('loose', { metadata: { ownerReferences: [{ kind: 'Thing', name: 't' }] } }),
    ]);
    assert.deepEqual(
      rs.objects.map((o) => o.metadata.name),
      ['loose'],
    );
    assert.match(rs.skipped[0] ?? '', /replicasets\.apps\/web-123: it is controlled by deployment\/web/);
    assert.deepEqual(
      contentObjects(SERVICE_ACCOUNTS, [obj('default'), obj('bot')]).objects.map((o) => o.metadata.name),
      ['bot'],
    );
    assert.deepEqual(
      contentObjects(resource('secrets', 'Secret'), [
        obj('tok', { type: 'kubernetes.io/service-account-token' }),
        obj('plain', { type: 'Opaque' }),
      ]).objects.map((o) => o.metadata.name),
      ['plain'],
    );
  });
});

describe('orphaning-deletion: the kubefed.io/orphan annotation', () => {
  const obj = (value?: string) => ({
    metadata: { name: 'x', ...(value !== undefined ? { annotations: { 'kubefed.io/orphan': value } } : {}) },
  });
  it('is enabled only with the value "true"', () => {
    assert.equal(orphaningEnabled(obj('true')), true);
    assert.equal(orphaningEnabled(obj('false')), false);
    assert.equal(orphaningEnabled(obj()), false);
  });
  it('enable writes "true" unless it is there; disable removes any value and skips when absent', () => {
    assert.deepEqual(orphaningPatch(obj(), 'enable'), { metadata: { annotations: { 'kubefed.io/orphan': 'true' } } });
    assert.deepEqual(orphaningPatch(obj('yes'), 'enable'), {
      metadata: { annotations: { 'kubefed.io/orphan': 'true' } },
    });
    assert.equal(orphaningPatch(obj('true'), 'enable'), undefined);
    assert.deepEqual(orphaningPatch(obj('false'), 'disable'), {
      metadata: { annotations: { 'kubefed.io/orphan': null } },
    });
    assert.equal(orphaningPatch(obj(), 'disable'), undefined);
  });
});
