import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

import { buildCrd, buildKubefedCrds, crdName, parseCrdIndex } from '../../src/federation/crds.js';
import type { CrdIndexEntry, JsonSchema } from '../../src/federation/crds.js';
import { DEFAULT_KUBEFED_NAMESPACE, KUBEFED_CONFIG_NAME, defaultKubeFedConfig } from '../../src/api/kubefed.js';
import { loadCrdIndex, loadKubefedCrds, loadKubefedSchemas } from '../../src/federation/schema-files.js';
import { KUBE_FORMATS, KUBE_KEYWORDS } from '../../src/util/schema-formats.js';

const EXPECTED_KINDS = [
  'KubeFedCluster',
  'FederatedTypeConfig',
  'KubeFedConfig',
  'PropagatedVersion',
  'ClusterPropagatedVersion',
  'ReplicaSchedulingPreference',
  'ServiceDNSRecord',
  'IngressDNSRecord',
  'DNSEndpoint',
  'Domain',
  'PlacementPolicy',
  'PropagationPolicy',
  'ClusterPropagationPolicy',
];

/** The kinds whose CRDs are cluster-scoped; every other one is namespaced. */
const CLUSTER_SCOPED = ['ClusterPropagatedVersion', 'PlacementPolicy', 'ClusterPropagationPolicy'];

/** Keywords a structural schema forbids inside anyOf/allOf/oneOf/not. */
const JUNCTOR_FORBIDDEN = ['type', 'description', 'default', 'additionalProperties', 'nullable'];

/** Returns one message per place where `schema` breaks the structural-schema rules we rely on. */
function structuralIssues(schema: JsonSchema, path = '$', inJunctor = false): string[] {
  const issues: string[] = [];
  const untypedOk =
    schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-int-or-string'] === true;

  if ('$ref' in schema) issues.push(`${path}: $ref is not allowed`);
  if (inJunctor) {
    for (const key of JUNCTOR_FORBIDDEN) if (key in schema) issues.push(`${path}: "${key}" inside a junctor`);
  } else if (schema.type === undefined && !untypedOk) {
    issues.push(`${path}: missing type`);
  }
  if (schema.properties !== undefined && schema.additionalProperties !== undefined) {
    issues.push(`${path}: properties together with additionalProperties`);
  }
  if (!inJunctor && (schema.properties !== undefined || typeof schema.additionalProperties === 'object')) {
    if (schema.type !== 'object') issues.push(`${path}: has properties but type is not object`);
  }
  if (!inJunctor && schema.items !== undefined && schema.type !== 'array') {
    issues.push(`${path}: has items but type is not array`);
  }
  if (schema.type === 'array' && schema.items === undefined) issues.push(`${path}: array without items`);

  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    issues.push(...structuralIssues(child, `${path}.${name}`, inJunctor));
  }
  if (typeof schema.additionalProperties === 'object') {
    issues.push(...structuralIssues(schema.additionalProperties, `${path}.*`, inJunctor));
  }
  if (schema.items !== undefined) issues.push(...structuralIssues(schema.items, `${path}[]`, inJunctor));
  for (const key of ['anyOf', 'allOf', 'oneOf'] as const) {
    (schema[key] ?? []).forEach((sub, i) => issues.push(...structuralIssues(sub, `${path}.${key}[${i}]`, true)));
  }
  if (schema.not !== undefined) issues.push(...structuralIssues(schema.not, `${path}.not`, true));
  return issues;
}

/** An ajv instance that knows the Kubernetes formats and `x-kubernetes-*` keywords, as the product's. */
function kubeAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true });
  for (const [name, format] of Object.entries(KUBE_FORMATS)) ajv.addFormat(name, format);
  for (const keyword of KUBE_KEYWORDS) ajv.addKeyword(keyword);
  return ajv;
}

const index = loadCrdIndex();
const schemas = loadKubefedSchemas(index);

function validatorFor(kind: string): ValidateFunction {
  const entry = index.find((e) => e.kind === kind);
  assert.ok(entry, `no index entry for ${kind}`);
  const schema = schemas.get(entry.schemaFile);
  assert.ok(schema);
  return kubeAjv().compile(schema);
}

function errorsOf(validate: ValidateFunction, doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const validCluster = {
  apiVersion: 'core.kubefed.io/v1beta1',
  kind: 'KubeFedCluster',
  metadata: { name: 'cluster1', namespace: DEFAULT_KUBEFED_NAMESPACE },
  spec: {
    apiEndpoint: 'https://172.18.0.2:6443',
    caBundle: Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64'),
    secretRef: { name: 'cluster1-abcde' },
    disabledTLSValidations: ['SubjectName', 'ValidityPeriod'],
    proxyURL: '',
  },
  status: {
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: '2024-01-01T00:00:00Z', reason: 'ClusterReady' }],
    kubernetesVersion: 'v1.30.0',
  },
};

describe('schemas/index.json', () => {
  it("lists the ten KubeFed kinds and policy.kubefed.io's three", () => {
    assert.deepEqual(
      index.map((e) => e.kind),
      EXPECTED_KINDS,
    );
  });

  it('names one existing schema file per kind, <kind-lowercase>.json', () => {
    for (const entry of index) {
      assert.equal(entry.schemaFile, `${entry.kind.toLowerCase()}.json`);
      assert.ok(schemas.has(entry.schemaFile));
    }
  });

  it('rejects malformed entries with the entry and field in the message', () => {
    assert.throws(() => parseCrdIndex({}), /expected an array/);
    assert.throws(() => parseCrdIndex([{ group: 'g' }]), /index\.json\[0\]\.\w+: expected a non-empty string/);
  });
});

describe('buildKubefedCrds', () => {
  const crds = loadKubefedCrds();

  it('names every CRD <plural>.<group> and keeps index order', () => {
    assert.equal(crds.length, index.length);
    crds.forEach((crd, i) => {
      const entry = index[i];
      assert.ok(entry);
      assert.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
      assert.equal(crd.metadata.name, `${entry.plural}.${entry.group}`);
      assert.equal(crd.metadata.name, crdName(entry));
      assert.equal(crd.spec.names.listKind, `${entry.kind}List`);
      assert.equal(crd.spec.scope, CLUSTER_SCOPED.includes(entry.kind) ? 'Cluster' : 'Namespaced');
      assert.equal(crd.spec.versions.length, 1);
      assert.equal(crd.spec.versions[0]?.name, entry.version);
      assert.equal(crd.spec.versions[0]?.storage, true);
    });
  });

  it('sets groups, short names and the status subresource as KubeFed does', () => {
    const byName = new Map(crds.map((crd) => [crd.metadata.name, crd]));
    const kfc = byName.get('kubefedclusters.core.kubefed.io');
    assert.deepEqual(kfc?.spec.names.shortNames, ['kfc']);
    assert.deepEqual(kfc?.spec.versions[0]?.subresources, { status: {} });
    assert.deepEqual(
      kfc?.spec.versions[0]?.additionalPrinterColumns?.map((c) => c.name),
      ['age', 'ready', 'kubernetes-version'],
    );
    assert.deepEqual(byName.get('federatedtypeconfigs.core.kubefed.io')?.spec.names.shortNames, ['ftc']);
    const rsp = byName.get('replicaschedulingpreferences.scheduling.kubefed.io');
    assert.deepEqual(rsp?.spec.names.shortNames, ['rsp']);
    assert.equal(rsp?.spec.versions[0]?.subresources, undefined); // KubeFed's RSP has no status subresource
    assert.ok(byName.has('kubefedconfigs.core.kubefed.io'));
    for (const plural of ['servicednsrecords', 'ingressdnsrecords', 'dnsendpoints']) {
      assert.deepEqual(byName.get(`${plural}.multiclusterdns.kubefed.io`)?.spec.versions[0]?.subresources, {
        status: {},
      });
    }
    const domain = byName.get('domains.multiclusterdns.kubefed.io');
    assert.equal(domain?.spec.versions[0]?.subresources, undefined);
    const domainSchema = domain?.spec.versions[0]?.schema.openAPIV3Schema;
    assert.deepEqual(domainSchema?.required, ['domain']);
    assert.equal(domainSchema?.properties?.['spec'], undefined);
  });

  it('installs the three policy.kubefed.io/v1alpha1 kinds without short names or status subresource', () => {
    const policies = crds.filter((c) => c.spec.group === 'policy.kubefed.io');
    assert.deepEqual(
      policies.map((c) => [c.metadata.name, c.spec.scope]),
      [
        ['placementpolicies.policy.kubefed.io', 'Cluster'],
        ['propagationpolicies.policy.kubefed.io', 'Namespaced'],
        ['clusterpropagationpolicies.policy.kubefed.io', 'Cluster'],
      ],
    );
    for (const crd of policies) {
      const [version] = crd.spec.versions;
      assert.equal(version?.name, 'v1alpha1');
      assert.equal(version?.subresources, undefined, crd.metadata.name);
      // pp and cpp are Karmada's short names: a host may run both.
      assert.equal(crd.spec.names.shortNames, undefined, crd.metadata.name);
      assert.deepEqual(crd.spec.names.categories, ['kubefed']);
      assert.equal(crd.spec.names.singular, crd.spec.names.kind.toLowerCase());
      assert.equal(version?.schema.openAPIV3Schema.properties?.['status'], undefined);
    }
    const columns = (name: string) =>
      crds
        .find((c) => c.metadata.name === name)
        ?.spec.versions[0]?.additionalPrinterColumns?.map((c) => `${c.name}:${c.type}:${c.jsonPath}`);
    assert.deepEqual(columns('placementpolicies.policy.kubefed.io'), [
      'enforcement:string:.spec.enforcement',
      'age:date:.metadata.creationTimestamp',
    ]);
    for (const name of ['propagationpolicies.policy.kubefed.io', 'clusterpropagationpolicies.policy.kubefed.io'])
      assert.deepEqual(columns(name), ['priority:integer:.spec.priority', 'age:date:.metadata.creationTimestamp']);
  });

  it('gives PropagatedVersion and ClusterPropagatedVersion the shape KubeFed v0.10.0 has', () => {
    for (const plural of ['propagatedversions', 'clusterpropagatedversions']) {
      const crd = crds.find((c) => c.metadata.name === `${plural}.core.kubefed.io`);
      assert.ok(crd, plural);
      const [version] = crd.spec.versions;
      assert.ok(version);
      const { schema, ...rest } = version;
      assert.deepEqual(rest, { name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
      assert.deepEqual(schema.openAPIV3Schema.properties?.['status']?.required, [
        'templateVersion',
        'overridesVersion',
      ]);
      assert.deepEqual(Object.keys(crd.spec.names), ['kind', 'listKind', 'plural', 'singular']);
    }
  });

  it('copies the schema instead of sharing it, and drops $schema/$id', () => {
    const entry = index[0] as CrdIndexEntry;
    const schema: JsonSchema = { $schema: 'x', $id: 'y', type: 'object', properties: { spec: { type: 'object' } } };
    const crd = buildCrd(entry, schema);
    const embedded = crd.spec.versions[0]?.schema.openAPIV3Schema;
    assert.deepEqual(embedded, { type: 'object', properties: { spec: { type: 'object' } } });
    assert.notEqual(embedded?.properties, schema.properties);
  });

  it('fails when a schema is missing or its root is not an object', () => {
    const entry = index[0] as CrdIndexEntry;
    assert.throws(() => buildKubefedCrds([entry], new Map()), /no schema loaded for KubeFedCluster/);
    assert.throws(() => buildCrd(entry, { type: 'string' }), /root must have type "object"/);
  });
});

describe('schema files', () => {
  for (const [file, schema] of schemas) {
    it(`${file} is a structural schema`, () => {
      assert.deepEqual(structuralIssues(schema), []);
      assert.deepEqual(schema.properties?.['apiVersion']?.type, 'string');
      assert.deepEqual(schema.properties?.['kind']?.type, 'string');
      // The API server rejects anything under metadata except name/generateName constraints.
      assert.deepEqual(schema.properties?.['metadata'], { type: 'object' });
      assert.ok(typeof schema.description === 'string' && schema.description.length > 0);
    });

    it(`${file} compiles with ajv 8 in strict mode`, () => {
      assert.doesNotThrow(() => kubeAjv().compile(schema));
    });
  }

  it('the structural checker catches the mistakes it looks for', () => {
    const bad: JsonSchema = {
      type: 'object',
      properties: {
        a: { properties: { b: { type: 'string' } } },
        c: { $ref: '#/x' },
        d: { type: 'object', properties: {}, additionalProperties: { type: 'string' } },
        e: { type: 'array', items: { type: 'string' }, anyOf: [{ type: 'string' }] },
      },
    };
    const issues = structuralIssues(bad);
    assert.ok(issues.some((m) => m.startsWith('$.a: missing type')));
    assert.ok(issues.some((m) => m.startsWith('$.c: $ref')));
    assert.ok(issues.some((m) => m.startsWith('$.d: properties together')));
    assert.ok(issues.some((m) => m.startsWith('$.e.anyOf[0]: "type"')));
  });
});

describe('validating documents with the schema files', () => {
  const validateCluster = validatorFor('KubeFedCluster');
  const validateConfig = validatorFor('KubeFedConfig');

  it('accepts a complete KubeFedCluster', () => {
    assert.deepEqual(errorsOf(validateCluster, validCluster), []);
  });

  it('rejects unknown TLS validations, "*" with other entries, and a missing secretRef', () => {
    const withTls = (values: string[]): unknown => ({
      ...validCluster,
      spec: { ...validCluster.spec, disabledTLSValidations: values },
    });
    assert.notDeepEqual(errorsOf(validateCluster, withTls(['bogus'])), []);
    assert.notDeepEqual(errorsOf(validateCluster, withTls(['*', 'SubjectName'])), []);
    assert.deepEqual(errorsOf(validateCluster, withTls(['*'])), []);
    const { secretRef: _omitted, ...noSecret } = validCluster.spec;
    assert.match(errorsOf(validateCluster, { ...validCluster, spec: noSecret }).join('\n'), /secretRef/);
  });

  it('rejects a condition without lastProbeTime or with a bad timestamp', () => {
    const withCondition = (condition: object): unknown => ({ ...validCluster, status: { conditions: [condition] } });
    assert.notDeepEqual(errorsOf(validateCluster, withCondition({ type: 'Ready', status: 'True' })), []);
    assert.notDeepEqual(
      errorsOf(validateCluster, withCondition({ type: 'Ready', status: 'True', lastProbeTime: 'yesterday' })),
      [],
    );
  });

  it('accepts the default KubeFedConfig and rejects a scope typo', () => {
    const config = defaultKubeFedConfig(DEFAULT_KUBEFED_NAMESPACE, 'Cluster');
    assert.deepEqual(errorsOf(validateConfig, config), []);
    const typo = { ...config, spec: { ...config.spec, scope: 'Clusters' } };
    assert.match(errorsOf(validateConfig, typo).join('\n'), /\/spec\/scope must be equal to one of the allowed values/);
    const badDuration = { ...config, spec: { ...config.spec, controllerDuration: { availableDelay: '20 seconds' } } };
    assert.notDeepEqual(errorsOf(validateConfig, badDuration), []);
  });

  it('accepts a FederatedTypeConfig and an RSP with a cluster map', () => {
    const ftc = {
      apiVersion: 'core.kubefed.io/v1beta1',
      kind: 'FederatedTypeConfig',
      metadata: { name: 'deployments.apps', namespace: DEFAULT_KUBEFED_NAMESPACE },
      spec: {
        targetType: {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          pluralName: 'deployments',
          scope: 'Namespaced',
        },
        propagation: 'Enabled',
        federatedType: {
          group: 'types.kubefed.io',
          version: 'v1beta1',
          kind: 'FederatedDeployment',
          pluralName: 'federateddeployments',
          scope: 'Namespaced',
        },
      },
    };
    assert.deepEqual(errorsOf(validatorFor('FederatedTypeConfig'), ftc), []);
    const undotted = { ...ftc, spec: { ...ftc.spec, federatedType: { ...ftc.spec.federatedType, group: 'types' } } };
    assert.notDeepEqual(errorsOf(validatorFor('FederatedTypeConfig'), undotted), []);

    const rsp = {
      apiVersion: 'scheduling.kubefed.io/v1alpha1',
      kind: 'ReplicaSchedulingPreference',
      metadata: { name: 'web', namespace: 'ns' },
      spec: {
        targetKind: 'FederatedDeployment',
        totalReplicas: 9,
        clusters: { '*': { weight: 1 }, cluster1: { minReplicas: 2, maxReplicas: 6, weight: 2 } },
      },
    };
    const validateRsp = validatorFor('ReplicaSchedulingPreference');
    assert.deepEqual(errorsOf(validateRsp, rsp), []);
    const fractional = { ...rsp, spec: { ...rsp.spec, clusters: { cluster1: { weight: 1.5 } } } };
    assert.notDeepEqual(errorsOf(validateRsp, fractional), []);
  });
});

describe('defaultKubeFedConfig', () => {
  const config = defaultKubeFedConfig('fed-ns', 'Namespaced');

  it('is the object "kubefed" in the given namespace with the given scope', () => {
    assert.equal(config.metadata.name, KUBEFED_CONFIG_NAME);
    assert.equal(config.metadata.namespace, 'fed-ns');
    assert.equal(config.spec.scope, 'Namespaced');
  });

  it('disables adoption of pre-existing member objects', () => {
    assert.equal(config.spec.syncController.adoptResources, 'Disabled');
  });

  it('lists every known feature gate with its default, sorted by name', () => {
    assert.deepEqual(config.spec.featureGates, [
      { name: 'PushReconciler', configuration: 'Enabled' },
      { name: 'RawResourceStatusCollection', configuration: 'Disabled' },
      { name: 'SchedulerPreferences', configuration: 'Enabled' },
    ]);
  });

  it('uses KubeFed default durations and thresholds', () => {
    assert.deepEqual(config.spec.controllerDuration, {
      availableDelay: '20s',
      unavailableDelay: '60s',
      cacheSyncTimeout: '5m',
    });
    assert.deepEqual(config.spec.leaderElect, {
      leaseDuration: '15s',
      renewDeadline: '10s',
      retryPeriod: '5s',
      resourceLock: 'configmaps',
    });
    assert.deepEqual(config.spec.clusterHealthCheck, {
      period: '10s',
      failureThreshold: 3,
      successThreshold: 1,
      timeout: '3s',
    });
    assert.equal(config.spec.syncController.maxConcurrentReconciles, 1);
    assert.equal(config.spec.statusController.maxConcurrentReconciles, 1);
  });

  it('returns a fresh object each call', () => {
    const other = defaultKubeFedConfig('fed-ns', 'Namespaced');
    other.spec.featureGates.pop();
    assert.equal(config.spec.featureGates.length, 3);
  });
});
