// KubeFed v0.10.0's own CRD set against what `init` installs, read back from a real API server, so
// that KubeFed's controller-manager and this tool can take turns on the same host (docs/kubefed-compat.md).
// The KubeFed side is test/fixtures/kubefed-v0.10.0-crds.json (see test/fixtures/README.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HasMetadata, ResourceType } from '../../src/api/objects.js';
import { CUSTOM_RESOURCE_DEFINITIONS } from '../../src/api/resources.js';
import type { JsonSchema } from '../../src/federation/crds.js';
import { KubeApiError } from '../../src/kube/api-error.js';
import { admin, closeClients, kubefedctl, uniqueName } from './harness.js';

const HOST = 'cluster1';
const NS = 'kube-federation-system';
const root = resolve(import.meta.dirname, '..', '..', '..');

/** The groups whose CRDs init installs (types.kubefed.io holds the CRDs that `enable` generates). */
const INIT_GROUPS = ['core.kubefed.io', 'scheduling.kubefed.io', 'multiclusterdns.kubefed.io', 'policy.kubefed.io'];

/** In KubeFed v0.10.0 but not installed by init: only used for a hand-written `services` type config with a statusType. */
const ONLY_KUBEFED = ['federatedservicestatuses.core.kubefed.io'];
/**
 * Installed by init but not in KubeFed v0.10.0: the DNS group, which KubeFed removed in v0.7.0
 * (docs/dns.md), and the policy group, which KubeFed never had (docs/policy.md).
 */
const ONLY_OURS = [
  'clusterpropagationpolicies.policy.kubefed.io',
  'dnsendpoints.multiclusterdns.kubefed.io',
  'domains.multiclusterdns.kubefed.io',
  'ingressdnsrecords.multiclusterdns.kubefed.io',
  'placementpolicies.policy.kubefed.io',
  'propagationpolicies.policy.kubefed.io',
  'servicednsrecords.multiclusterdns.kubefed.io',
];
/** Required lists where init's schema is stricter than KubeFed's; every other required list is the same. */
const STRICTER_REQUIRED: Record<string, Record<string, string[]>> = {
  // Both kubefedctl implementations always write federatedType.group.
  'federatedtypeconfigs.core.kubefed.io': {
    '$.spec.federatedType': ['group', 'kind', 'pluralName', 'scope', 'version'],
  },
  // A ReplicaSchedulingPreference without a spec has nothing to schedule.
  'replicaschedulingpreferences.scheduling.kubefed.io': { $: ['spec'] },
};

interface VersionIdentity {
  name: string;
  served: boolean;
  storage: boolean;
  subresources: string[];
  fields: Record<string, string>;
  required: Record<string, string[]>;
}

interface CrdIdentity {
  name: string;
  group: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: string;
  versions: VersionIdentity[];
}

interface LiveCrd extends HasMetadata {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[] };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: Record<string, unknown>;
      schema?: { openAPIV3Schema?: JsonSchema };
    }[];
  };
  status?: {
    conditions?: { type: string; status: string }[];
    acceptedNames?: { kind: string; plural: string };
    storedVersions?: string[];
  };
}

const kubefed = (
  JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'kubefed-v0.10.0-crds.json'), 'utf8')) as {
    crds: CrdIdentity[];
  }
).crds;

/** Every declared property path with its type, and every required list by path, as in the fixture. */
function walk(schema: JsonSchema, path: string, out: Pick<VersionIdentity, 'fields' | 'required'>): void {
  const type = schema.type ?? (schema['x-kubernetes-int-or-string'] === true ? 'int-or-string' : 'untyped');
  out.fields[path] = schema['x-kubernetes-preserve-unknown-fields'] === true ? `${type} preserve-unknown-fields` : type;
  if (schema.required !== undefined) out.required[path] = [...schema.required].sort();
  for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, `${path}.${name}`, out);
  if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${path}.*`, out);
  if (schema.items !== undefined) walk(schema.items, `${path}[]`, out);
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function identityOf(crd: LiveCrd): CrdIdentity {
  const { names } = crd.spec;
  return {
    name: crd.metadata.name ?? '',
    group: crd.spec.group,
    kind: names.kind,
    listKind: names.listKind ?? '',
    plural: names.plural,
    singular: names.singular ?? '',
    shortNames: names.shortNames ?? [],
    scope: crd.spec.scope,
    versions: crd.spec.versions.map((v) => {
      const schema = { fields: {}, required: {} };
      if (v.schema?.openAPIV3Schema) walk(v.schema.openAPIV3Schema, '$', schema);
      return {
        name: v.name,
        served: v.served,
        storage: v.storage,
        subresources: Object.keys(v.subresources ?? {}).sort(),
        fields: sorted(schema.fields),
        required: sorted(schema.required),
      };
    }),
  };
}

/** Everything but the schema: what a client resolving the type sees. */
function names(crd: CrdIdentity): object {
  return { ...crd, versions: crd.versions.map(({ fields: _f, required: _r, ...v }) => v) };
}

describe("init against KubeFed v0.10.0's own CRD set", () => {
  let live: Map<string, CrdIdentity>;
  let liveRaw: LiveCrd[];
  const shared = kubefed.filter((c) => !ONLY_KUBEFED.includes(c.name));

  before(async () => {
    const r = await kubefedctl(['init', '--host-cluster-context', HOST]);
    assert.equal(r.code, 0, r.stderr);
    liveRaw = (await admin(HOST).list<LiveCrd>(CUSTOM_RESOURCE_DEFINITIONS)).items.filter((c) =>
      INIT_GROUPS.includes(c.spec.group),
    );
    live = new Map(liveRaw.map((c) => [c.metadata.name ?? '', identityOf(c)]));
  });
  after(() => closeClients());

  it('the fixture holds the seven CRDs of KubeFed v0.10.0', () => {
    assert.deepEqual(kubefed.map((c) => c.name).sort(), [
      'clusterpropagatedversions.core.kubefed.io',
      'federatedservicestatuses.core.kubefed.io',
      'federatedtypeconfigs.core.kubefed.io',
      'kubefedclusters.core.kubefed.io',
      'kubefedconfigs.core.kubefed.io',
      'propagatedversions.core.kubefed.io',
      'replicaschedulingpreferences.scheduling.kubefed.io',
    ]);
  });

  it("installs every KubeFed CRD but FederatedServiceStatus, and besides them only the DNS group's four and the policy group's three", () => {
    const ours = [...live.keys()];
    const theirs = kubefed.map((c) => c.name);
    assert.deepEqual(theirs.filter((n) => !ours.includes(n)).sort(), ONLY_KUBEFED);
    assert.deepEqual(ours.filter((n) => !theirs.includes(n)).sort(), ONLY_OURS);
  });

  it("gives each shared CRD KubeFed's group, names, scope, versions, served/storage and subresources", () => {
    for (const crd of shared) assert.deepEqual(names(live.get(crd.name) as CrdIdentity), names(crd), crd.name);
  });

  it("declares in each shared CRD's schema exactly KubeFed's fields with KubeFed's types, so nothing KubeFed writes is pruned", () => {
    for (const crd of shared)
      assert.deepEqual(
        live.get(crd.name)?.versions.map((v) => v.fields),
        crd.versions.map((v) => v.fields),
        crd.name,
      );
  });

  it('requires what KubeFed requires, with two documented stricter rules', () => {
    for (const crd of shared) {
      const expected = crd.versions.map((v) => sorted({ ...v.required, ...STRICTER_REQUIRED[crd.name] }));
      assert.deepEqual(
        live.get(crd.name)?.versions.map((v) => v.required),
        expected,
        crd.name,
      );
    }
  });

  it('every CRD init installs is established, with its names accepted and its storage version stored', () => {
    for (const crd of liveRaw) {
      const name = crd.metadata.name ?? '';
      assert.ok(
        crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
        `${name} established`,
      );
      assert.equal(crd.status?.acceptedNames?.plural, crd.spec.names.plural, name);
      assert.equal(crd.status?.acceptedNames?.kind, crd.spec.names.kind, name);
      assert.deepEqual(
        crd.status?.storedVersions,
        crd.spec.versions.filter((v) => v.storage).map((v) => v.name),
        name,
      );
    }
  });

  it('the API server keeps the status KubeFed writes to a PropagatedVersion and a ClusterPropagatedVersion', async () => {
    const host = admin(HOST);
    const types: [ResourceType, string | undefined, string][] = [
      [
        {
          group: 'core.kubefed.io',
          version: 'v1alpha1',
          kind: 'PropagatedVersion',
          plural: 'propagatedversions',
          namespaced: true,
        },
        NS,
        uniqueName('configmap-kfcrds'),
      ],
      [
        {
          group: 'core.kubefed.io',
          version: 'v1alpha1',
          kind: 'ClusterPropagatedVersion',
          plural: 'clusterpropagatedversions',
          namespaced: false,
        },
        undefined,
        uniqueName('clusterrole-kfcrds'),
      ],
    ];
    const status = {
      templateVersion: 'a1b2c3',
      overridesVersion: 'd4e5f6',
      clusterVersions: [
        { clusterName: 'cluster1', version: 'rv:123' },
        { clusterName: 'cluster2', version: 'gen:4' },
      ],
    };
    for (const [type, namespace, name] of types) {
      try {
        // As KubeFed's version manager does: create, then write the status through the status subresource.
        const created = await host.create(type, {
          apiVersion: 'core.kubefed.io/v1alpha1',
          kind: type.kind,
          metadata: { name, ...(namespace ? { namespace } : {}) },
        });
        await host.update(type, { ...created, status }, { subresource: 'status' });
        const read = await host.get<HasMetadata & { status?: unknown }>(type, name, namespace);
        assert.deepEqual(read?.status, status, type.kind);
        // KubeFed's schema requires both versions; so does ours.
        const bad = { ...read, metadata: read?.metadata ?? {}, status: { templateVersion: 'x' } };
        await assert.rejects(
          host.update(type, bad, { subresource: 'status' }),
          (e) => e instanceof KubeApiError && e.statusCode === 422,
          type.kind,
        );
      } finally {
        await host.delete(type, name, namespace);
      }
    }
  });
});
