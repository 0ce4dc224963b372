// Rendering the per-cluster object (sync-semantics §2.2, §2.5, §3; kubefed retain_test.go).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FederatedObject, FederatedSpec, Override } from '../../src/federation/federated-object.js';
import { MANAGED_LABEL } from '../../src/api/kubefed.js';
import { parseOverrides } from '../../src/federation/overrides.js';
import { APPLIED_HASH_ANNOTATION } from '../../src/api/kubefed.js';
import { RenderError, renderForCluster, retainFromLive, type Rendered } from '../../src/federation/render.js';
import { typeConfigFor, type FederatedTypeConfig } from '../../src/federation/typeconfig.js';
import type { KubeObject } from '../../src/api/objects.js';
import { CLUSTER_ROLES, CONFIGMAPS, DEPLOYMENTS, NAMESPACES, SERVICES, SERVICE_ACCOUNTS } from '../type-configs.js';

function fed(
  ftc: FederatedTypeConfig,
  spec: FederatedSpec,
  meta: { name?: string; namespace?: string } = {},
): FederatedObject {
  const namespaced = ftc.spec.federatedType.scope === 'Namespaced';
  return {
    apiVersion: 'types.kubefed.io/v1beta1',
    kind: ftc.spec.federatedType.kind,
    metadata: { name: meta.name ?? 'obj', ...(namespaced ? { namespace: meta.namespace ?? 'ns' } : {}) },
    spec,
  };
}

/** Renders for cluster c1 with the federated object's own overrides. */
function render(f: FederatedObject, ftc: FederatedTypeConfig, live?: KubeObject): Rendered {
  return renderForCluster(f, ftc, parseOverrides(f.spec.overrides).get('c1') ?? [], { live });
}

function overrides(...ops: { op?: string; path: string; value?: unknown }[]): Override[] {
  return [{ clusterName: 'c1', clusterOverrides: ops }];
}

function live(kind: string, apiVersion: string, body: Record<string, unknown>): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'obj', namespace: 'ns', uid: 'u-1', resourceVersion: '42', labels: { [MANAGED_LABEL]: 'true' } },
    ...body,
  };
}

const spec = (o: KubeObject): any => o['spec'];

describe('renderForCluster: template and identity (§2.2 steps 1-3)', () => {
  it('the template body is the object body', () => {
    const r = render(fed(CONFIGMAPS, { template: { data: { a: '1' }, binaryData: { b: 'AA==' } } }), CONFIGMAPS);
    assert.deepEqual(r.object['data'], { a: '1' });
    assert.deepEqual(r.object['binaryData'], { b: 'AA==' });
  });

  it('a missing template renders an object with only identity and labels', () => {
    const r = render(fed(CONFIGMAPS, {}), CONFIGMAPS);
    assert.deepEqual(Object.keys(r.object).sort(), ['apiVersion', 'kind', 'metadata']);
  });

  it('name and namespace come from the federated object, not from the template', () => {
    const r = render(
      fed(
        CONFIGMAPS,
        { template: { metadata: { name: 'other', namespace: 'elsewhere' } } },
        { name: 'cm', namespace: 'team' },
      ),
      CONFIGMAPS,
    );
    assert.equal(r.object.metadata.name, 'cm');
    assert.equal(r.object.metadata.namespace, 'team');
  });

  it('a Namespace target gets no namespace even though its FederatedNamespace has one', () => {
    const r = render(fed(NAMESPACES, { template: {} }, { name: 'team', namespace: 'team' }), NAMESPACES);
    assert.equal(r.object.metadata.name, 'team');
    assert.equal(r.object.metadata.namespace, undefined);
    assert.equal(r.object.kind, 'Namespace');
  });

  it('a cluster-scoped target gets no namespace', () => {
    const f = fed(CLUSTER_ROLES, { template: { metadata: { namespace: 'bogus' }, rules: [] } }, { name: 'reader' });
    const r = render(f, CLUSTER_ROLES);
    assert.equal(r.object.metadata.namespace, undefined);
  });

  it('kind always comes from the FederatedTypeConfig', () => {
    assert.equal(render(fed(CONFIGMAPS, { template: { kind: 'Secret' } }), CONFIGMAPS).object.kind, 'ConfigMap');
  });

  it('apiVersion comes from the template when it has one', () => {
    assert.equal(
      render(fed(DEPLOYMENTS, { template: { apiVersion: 'apps/v1beta2' } }), DEPLOYMENTS).object.apiVersion,
      'apps/v1beta2',
    );
  });

  it('apiVersion otherwise comes from the FederatedTypeConfig as group/version', () => {
    assert.equal(render(fed(DEPLOYMENTS, { template: {} }), DEPLOYMENTS).object.apiVersion, 'apps/v1');
  });

  it('the core group gives apiVersion "v1", not "/v1"', () => {
    assert.equal(render(fed(CONFIGMAPS, { template: {} }), CONFIGMAPS).object.apiVersion, 'v1');
  });

  it('an override can change apiVersion', () => {
    const r = render(
      fed(DEPLOYMENTS, { template: {}, overrides: overrides({ path: '/apiVersion', value: 'apps/v1beta1' }) }),
      DEPLOYMENTS,
    );
    assert.equal(r.object.apiVersion, 'apps/v1beta1');
  });

  it('status in the template is stripped', () => {
    const r = render(
      fed(DEPLOYMENTS, { template: { spec: { replicas: 1 }, status: { readyReplicas: 1 } } }),
      DEPLOYMENTS,
    );
    assert.equal('status' in r.object, false);
  });

  it('template labels are propagated', () => {
    const r = render(fed(CONFIGMAPS, { template: { metadata: { labels: { app: 'web' } } } }), CONFIGMAPS);
    assert.equal(r.object.metadata.labels?.['app'], 'web');
  });

  it('template annotations are propagated (a deliberate difference: writes use server-side apply)', () => {
    const r = render(fed(CONFIGMAPS, { template: { metadata: { annotations: { note: 'n' } } } }), CONFIGMAPS);
    assert.equal(r.object.metadata.annotations?.['note'], 'n');
    assert.deepEqual(r.warnings, []);
  });

  it('template finalizers give a warning and are not propagated', () => {
    const r = render(fed(CONFIGMAPS, { template: { metadata: { finalizers: ['example.com/keep'] } } }), CONFIGMAPS);
    assert.equal(r.object.metadata.finalizers, undefined);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /finalizers/);
  });

  it('a template that is not an object is ComputeResourceFailed', () => {
    assert.throws(
      () => render(fed(CONFIGMAPS, { template: ['x'] as unknown as Record<string, unknown> }), CONFIGMAPS),
      (e: unknown) => e instanceof RenderError && e.status === 'ComputeResourceFailed',
    );
  });

  it('the rendered object does not share structure with the federated object', () => {
    const f = fed(CONFIGMAPS, { template: { data: { a: '1' }, metadata: { labels: { app: 'web' } } } });
    const before = structuredClone(f);
    const r = render(f, CONFIGMAPS);
    (r.object['data'] as Record<string, string>)['a'] = 'changed';
    r.object.metadata.labels!['app'] = 'changed';
    assert.deepEqual(f, before);
  });
});

describe('renderForCluster: overrides and the managed label (§2.2 steps 5-6)', () => {
  it('the managed label is added', () => {
    assert.equal(render(fed(CONFIGMAPS, { template: {} }), CONFIGMAPS).object.metadata.labels?.[MANAGED_LABEL], 'true');
  });

  it('the managed label overwrites a template value', () => {
    const r = render(fed(CONFIGMAPS, { template: { metadata: { labels: { [MANAGED_LABEL]: 'false' } } } }), CONFIGMAPS);
    assert.equal(r.object.metadata.labels?.[MANAGED_LABEL], 'true');
  });

  it('an override cannot set the managed label to something else', () => {
    const r = render(
      fed(CONFIGMAPS, {
        template: { metadata: { labels: { app: 'web' } } },
        overrides: overrides({ op: 'add', path: '/metadata/labels/kubefed.io~1managed', value: 'false' }),
      }),
      CONFIGMAPS,
    );
    assert.equal(r.object.metadata.labels?.[MANAGED_LABEL], 'true');
  });

  it('an override cannot remove the managed label, even by removing all labels', () => {
    const r = render(
      fed(CONFIGMAPS, {
        template: { metadata: { labels: { app: 'web' } } },
        overrides: overrides({ op: 'remove', path: '/metadata/labels' }),
      }),
      CONFIGMAPS,
    );
    assert.deepEqual(r.object.metadata.labels, { [MANAGED_LABEL]: 'true' });
  });

  it('the applied-hash annotation records the hash, and an override cannot remove it', () => {
    const r = render(
      fed(CONFIGMAPS, {
        template: { metadata: { annotations: { a: 'b' } } },
        overrides: overrides({ op: 'remove', path: '/metadata/annotations' }),
      }),
      CONFIGMAPS,
    );
    assert.deepEqual(r.object.metadata.annotations, { [APPLIED_HASH_ANNOTATION]: r.hash });
  });

  it('overrides are applied to the rendered object', () => {
    const r = render(
      fed(DEPLOYMENTS, {
        template: { spec: { replicas: 1 } },
        overrides: overrides({ path: '/spec/replicas', value: 4 }),
      }),
      DEPLOYMENTS,
    );
    assert.equal(spec(r.object).replicas, 4);
  });

  it("only the rendered cluster's overrides apply", () => {
    const f = fed(DEPLOYMENTS, {
      template: { spec: { replicas: 1 } },
      overrides: [{ clusterName: 'c2', clusterOverrides: [{ path: '/spec/replicas', value: 4 }] }],
    });
    assert.equal(spec(render(f, DEPLOYMENTS).object).replicas, 1);
  });

  it('overrides come after retention: an override beats a retained value', () => {
    const f = fed(DEPLOYMENTS, {
      template: { spec: { replicas: 1 } },
      retainReplicas: true,
      overrides: overrides({ path: '/spec/replicas', value: 7 }),
    });
    const r = render(f, DEPLOYMENTS, live('Deployment', 'apps/v1', { spec: { replicas: 2 } }));
    assert.equal(spec(r.object).replicas, 7);
  });

  it('overrides come after retention: an override may edit a retained value', () => {
    const f = fed(SERVICES, {
      template: { spec: { ports: [{ port: 80 }] } },
      overrides: overrides({ op: 'remove', path: '/spec/clusterIP' }),
    });
    const r = render(f, SERVICES, live('Service', 'v1', { spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } }));
    assert.equal(spec(r.object).clusterIP, undefined);
  });

  it('a patch that cannot apply is ApplyOverridesFailed', () => {
    const f = fed(CONFIGMAPS, { template: {}, overrides: overrides({ path: '/data/missing', value: 'x' }) });
    assert.throws(
      () => render(f, CONFIGMAPS),
      (e: unknown) => e instanceof RenderError && e.status === 'ApplyOverridesFailed',
    );
  });

  it('an override that removes metadata is ApplyOverridesFailed', () => {
    const f = fed(CONFIGMAPS, { template: {}, overrides: overrides({ op: 'remove', path: '/metadata' }) });
    assert.throws(
      () => render(f, CONFIGMAPS),
      (e: unknown) => e instanceof RenderError && e.status === 'ApplyOverridesFailed',
    );
  });

  it('labels on the live object are not retained', () => {
    const l = live('ConfigMap', 'v1', { data: {} });
    l.metadata.labels = { [MANAGED_LABEL]: 'true', addedBySomeoneElse: 'x' };
    const r = render(fed(CONFIGMAPS, { template: { metadata: { labels: { app: 'web' } } } }), CONFIGMAPS, l);
    assert.deepEqual(r.object.metadata.labels, { app: 'web', [MANAGED_LABEL]: 'true' });
  });

  it('rendering twice with an override of metadata gives the same object and hash', () => {
    const f = fed(CONFIGMAPS, {
      template: {},
      overrides: overrides({ op: 'add', path: '/metadata', value: { labels: { a: 'b' } } }),
    });
    const first = render(f, CONFIGMAPS);
    const second = render(f, CONFIGMAPS);
    assert.equal(first.hash, second.hash);
    assert.deepEqual(second.object, first.object);
  });
});

describe('retention from the live object (§3)', () => {
  it('nothing is retained on create (no live object)', () => {
    const r = render(fed(SERVICES, { template: { spec: { ports: [{ port: 80 }] } } }), SERVICES);
    assert.equal(spec(r.object).clusterIP, undefined);
  });

  it('Service spec.clusterIP is copied when the live value is a non-empty string', () => {
    const r = render(
      fed(SERVICES, { template: { spec: { clusterIP: '' } } }),
      SERVICES,
      live('Service', 'v1', { spec: { clusterIP: '10.0.0.7' } }),
    );
    assert.equal(spec(r.object).clusterIP, '10.0.0.7');
  });

  it('Service spec.clusterIP is not copied when the live value is empty', () => {
    const r = render(
      fed(SERVICES, { template: { spec: { clusterIP: 'None' } } }),
      SERVICES,
      live('Service', 'v1', { spec: { clusterIP: '' } }),
    );
    assert.equal(spec(r.object).clusterIP, 'None');
  });

  it('Service spec.clusterIPs is copied when the live list is not empty', () => {
    const r = render(
      fed(SERVICES, { template: { spec: {} } }),
      SERVICES,
      live('Service', 'v1', { spec: { clusterIPs: ['10.0.0.7', 'fd00::7'] } }),
    );
    assert.deepEqual(spec(r.object).clusterIPs, ['10.0.0.7', 'fd00::7']);
  });

  it('Service spec.clusterIPs is not copied when the live list is empty', () => {
    const r = render(
      fed(SERVICES, { template: { spec: {} } }),
      SERVICES,
      live('Service', 'v1', { spec: { clusterIPs: [] } }),
    );
    assert.equal(spec(r.object).clusterIPs, undefined);
  });

  it('Service spec.healthCheckNodePort is copied when the live value is > 0', () => {
    const r = render(
      fed(SERVICES, { template: { spec: {} } }),
      SERVICES,
      live('Service', 'v1', { spec: { healthCheckNodePort: 31000 } }),
    );
    assert.equal(spec(r.object).healthCheckNodePort, 31000);
  });

  it('Service spec.healthCheckNodePort is not copied when the live value is 0', () => {
    const r = render(
      fed(SERVICES, { template: { spec: {} } }),
      SERVICES,
      live('Service', 'v1', { spec: { healthCheckNodePort: 0 } }),
    );
    assert.equal(spec(r.object).healthCheckNodePort, undefined);
  });

  describe('Service ports[*].nodePort: matched by equal name, protocol and port', () => {
    const livePorts = [
      { name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 },
      { name: 'dns', protocol: 'TCP', port: 53, nodePort: 30053 },
      { protocol: 'TCP', port: 8080, nodePort: 30808 },
      { name: 'metrics', protocol: 'TCP', port: 9090, nodePort: 30909 },
      { name: 'plain', port: 7000, nodePort: 30700 },
    ];
    const rows: { rule: string; port: Record<string, unknown>; want: number | undefined }[] = [
      {
        rule: 'same name, protocol and port: the live nodePort is copied',
        port: { name: 'http', protocol: 'TCP', port: 80 },
        want: 30080,
      },
      {
        rule: 'a different protocol does not match',
        port: { name: 'dns', protocol: 'UDP', port: 53 },
        want: undefined,
      },
      {
        rule: 'a different port number does not match',
        port: { name: 'http', protocol: 'TCP', port: 81 },
        want: undefined,
      },
      { rule: 'a different name does not match', port: { name: 'web', protocol: 'TCP', port: 80 }, want: undefined },
      { rule: 'an absent name matches an absent name', port: { protocol: 'TCP', port: 8080 }, want: 30808 },
      { rule: 'an absent name does not match a present one', port: { protocol: 'TCP', port: 9090 }, want: undefined },
      {
        rule: 'an absent protocol only matches an absent protocol (raw values, no defaulting)',
        port: { name: 'http', port: 80 },
        want: undefined,
      },
      { rule: 'an absent protocol matches an absent protocol', port: { name: 'plain', port: 7000 }, want: 30700 },
      {
        rule: 'a desired port with no match keeps its own nodePort',
        port: { name: 'other', protocol: 'TCP', port: 1, nodePort: 31111 },
        want: 31111,
      },
      {
        rule: 'a matching live nodePort replaces the desired one',
        port: { name: 'http', protocol: 'TCP', port: 80, nodePort: 31111 },
        want: 30080,
      },
    ];
    for (const row of rows) {
      it(row.rule, () => {
        const r = render(
          fed(SERVICES, { template: { spec: { ports: [row.port] } } }),
          SERVICES,
          live('Service', 'v1', { spec: { ports: livePorts } }),
        );
        assert.equal(spec(r.object).ports[0].nodePort, row.want);
      });
    }

    it('several ports are matched independently', () => {
      const ports = [
        { name: 'dns', protocol: 'UDP', port: 53 },
        { name: 'http', protocol: 'TCP', port: 80 },
      ];
      const r = render(
        fed(SERVICES, { template: { spec: { ports } } }),
        SERVICES,
        live('Service', 'v1', { spec: { ports: livePorts } }),
      );
      assert.deepEqual(spec(r.object).ports, [
        { name: 'dns', protocol: 'UDP', port: 53 },
        { name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 },
      ]);
    });
  });

  it('ServiceAccount secrets are copied from live when the desired list is absent', () => {
    const r = render(
      fed(SERVICE_ACCOUNTS, { template: {} }),
      SERVICE_ACCOUNTS,
      live('ServiceAccount', 'v1', { secrets: [{ name: 'tok-1' }] }),
    );
    assert.deepEqual(r.object['secrets'], [{ name: 'tok-1' }]);
  });

  it('ServiceAccount secrets are copied from live when the desired list is empty', () => {
    const r = render(
      fed(SERVICE_ACCOUNTS, { template: { secrets: [] } }),
      SERVICE_ACCOUNTS,
      live('ServiceAccount', 'v1', { secrets: [{ name: 'tok-1' }] }),
    );
    assert.deepEqual(r.object['secrets'], [{ name: 'tok-1' }]);
  });

  it('ServiceAccount secrets are not copied when the desired list is not empty', () => {
    const r = render(
      fed(SERVICE_ACCOUNTS, { template: { secrets: [{ name: 'mine' }] } }),
      SERVICE_ACCOUNTS,
      live('ServiceAccount', 'v1', { secrets: [{ name: 'tok-1' }] }),
    );
    assert.deepEqual(r.object['secrets'], [{ name: 'mine' }]);
  });

  it('ServiceAccount secrets stay absent when the live list is empty', () => {
    const r = render(
      fed(SERVICE_ACCOUNTS, { template: {} }),
      SERVICE_ACCOUNTS,
      live('ServiceAccount', 'v1', { secrets: [] }),
    );
    assert.equal(r.object['secrets'], undefined);
  });

  describe('spec.replicas (retain_test.go: desired 1, live 2)', () => {
    const rows: { rule: string; retainReplicas: boolean | undefined; want: number }[] = [
      { rule: 'retainReplicas true keeps the live replicas (2)', retainReplicas: true, want: 2 },
      { rule: 'retainReplicas false uses the template replicas (1)', retainReplicas: false, want: 1 },
      { rule: 'retainReplicas absent uses the template replicas (1)', retainReplicas: undefined, want: 1 },
    ];
    for (const row of rows) {
      it(row.rule, () => {
        const s: FederatedSpec = {
          template: { spec: { replicas: 1 } },
          ...(row.retainReplicas === undefined ? {} : { retainReplicas: row.retainReplicas }),
        };
        const r = render(fed(DEPLOYMENTS, s), DEPLOYMENTS, live('Deployment', 'apps/v1', { spec: { replicas: 2 } }));
        assert.equal(spec(r.object).replicas, row.want);
      });
    }

    it('retainReplicas with a live object without spec.replicas keeps the template value', () => {
      const r = render(
        fed(DEPLOYMENTS, { template: { spec: { replicas: 1 } }, retainReplicas: true }),
        DEPLOYMENTS,
        live('Deployment', 'apps/v1', { spec: {} }),
      );
      assert.equal(spec(r.object).replicas, 1);
    });

    it('the kind switch is exclusive: a Service does not retain replicas', () => {
      const out = retainFromLive(
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} },
        live('Service', 'v1', { spec: { replicas: 3 } }),
        true,
      );
      assert.equal(spec(out).replicas, undefined);
    });
  });

  it('retainFromLive does not mutate the desired object', () => {
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80 }] },
    };
    const before = structuredClone(desired);
    retainFromLive(
      desired,
      live('Service', 'v1', {
        spec: { clusterIP: '10.0.0.1', ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }] },
      }),
      false,
    );
    assert.deepEqual(desired, before);
  });

  it('resourceVersion is not retained (server-side apply needs none)', () => {
    const r = render(fed(CONFIGMAPS, { template: {} }), CONFIGMAPS, live('ConfigMap', 'v1', {}));
    assert.equal(r.object.metadata.resourceVersion, undefined);
  });
});

describe('the applied hash', () => {
  const base = (): FederatedObject =>
    fed(DEPLOYMENTS, {
      template: { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, paused: false } },
      overrides: overrides({ path: '/spec/replicas', value: 3 }),
    });

  it('is stable across key order', () => {
    const reordered = fed(DEPLOYMENTS, {
      overrides: overrides({ value: 3, path: '/spec/replicas' }),
      template: { spec: { paused: false, replicas: 1 }, metadata: { labels: { b: '2', a: '1' } } },
    });
    assert.equal(render(reordered, DEPLOYMENTS).hash, render(base(), DEPLOYMENTS).hash);
  });

  it('is the same for repeated renderings', () => {
    assert.equal(render(base(), DEPLOYMENTS).hash, render(base(), DEPLOYMENTS).hash);
  });

  it('changes when the template changes', () => {
    const f = base();
    (f.spec.template!['spec'] as Record<string, unknown>)['paused'] = true;
    assert.notEqual(render(f, DEPLOYMENTS).hash, render(base(), DEPLOYMENTS).hash);
  });

  it('changes when the overrides change', () => {
    const f = base();
    f.spec.overrides = overrides({ path: '/spec/replicas', value: 4 });
    assert.notEqual(render(f, DEPLOYMENTS).hash, render(base(), DEPLOYMENTS).hash);
  });

  it('differs between clusters with different overrides', () => {
    const f = base();
    assert.notEqual(renderForCluster(f, DEPLOYMENTS, []).hash, render(f, DEPLOYMENTS).hash);
  });

  it('carries member labels (the ApplySet part-of label) in the object and the hash, and no labels leave the hash as before', () => {
    const f = base();
    const plain = renderForCluster(f, DEPLOYMENTS, []);
    assert.equal(renderForCluster(f, DEPLOYMENTS, [], { memberLabels: {} }).hash, plain.hash);
    const inSet = renderForCluster(f, DEPLOYMENTS, [], {
      memberLabels: { 'applyset.kubernetes.io/part-of': 'applyset-x-v1' },
    });
    assert.notEqual(inSet.hash, plain.hash);
    assert.equal(inSet.object.metadata.labels?.['applyset.kubernetes.io/part-of'], 'applyset-x-v1');
    assert.equal(inSet.object.metadata.labels?.[MANAGED_LABEL], 'true');
  });

  it('changes when retainReplicas changes', () => {
    const f = base();
    f.spec.retainReplicas = true;
    assert.notEqual(render(f, DEPLOYMENTS).hash, render(base(), DEPLOYMENTS).hash);
  });

  it('changes when the name changes', () => {
    assert.notEqual(
      render(fed(CONFIGMAPS, { template: {} }, { name: 'a' }), CONFIGMAPS).hash,
      render(fed(CONFIGMAPS, { template: {} }, { name: 'b' }), CONFIGMAPS).hash,
    );
  });

  it('does not change with the live object', () => {
    const f = fed(DEPLOYMENTS, { template: { spec: { replicas: 1 } }, retainReplicas: true });
    const none = render(f, DEPLOYMENTS).hash;
    const a = render(f, DEPLOYMENTS, live('Deployment', 'apps/v1', { spec: { replicas: 2 } })).hash;
    const b = render(
      f,
      DEPLOYMENTS,
      live('Deployment', 'apps/v1', { spec: { replicas: 5 }, status: { readyReplicas: 5 } }),
    ).hash;
    assert.equal(a, none);
    assert.equal(b, none);
  });

  it('does not change with retained Service fields', () => {
    const f = fed(SERVICES, { template: { spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80 }] } } });
    const none = render(f, SERVICES).hash;
    const withLive = render(
      f,
      SERVICES,
      live('Service', 'v1', {
        spec: { clusterIP: '10.0.0.1', ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }] },
      }),
    ).hash;
    assert.equal(withLive, none);
  });
});

describe('Secrets are rendered as the API server stores them', () => {
  const SECRETS = typeConfigFor({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true });
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

  it('merges stringData into data (base64), stringData winning, after overrides', () => {
    const f = fed(SECRETS, {
      template: {
        type: 'Opaque',
        data: { a: b64('from-data'), b: b64('kept') },
        stringData: { a: 'from-stringData', c: 'ünï' },
      },
      overrides: overrides({ path: '/stringData/c', value: 'overridden' }),
    });
    const out = render(f, SECRETS).object;
    assert.equal(out['stringData'], undefined);
    assert.deepEqual(out['data'], { a: b64('from-stringData'), b: b64('kept'), c: b64('overridden') });
  });

  it('leaves stringData alone when a value is not a string, for the API server to reject', () => {
    const f = fed(SECRETS, { template: { stringData: { a: 1 } } });
    assert.deepEqual(render(f, SECRETS).object['stringData'], { a: 1 });
  });

  it('does not touch other kinds with a stringData field', () => {
    const f = fed(CONFIGMAPS, { template: { stringData: { a: 'x' } } });
    assert.deepEqual(render(f, CONFIGMAPS).object['stringData'], { a: 'x' });
  });
});
