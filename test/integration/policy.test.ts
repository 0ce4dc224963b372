// Policies (policy.kubefed.io/v1alpha1) against three real clusters, in file mode: plain manifests
// placed by PropagationPolicy / ClusterPropagationPolicy, PlacementPolicy under Enforce and Audit,
// a Helm-style stream on stdin, competing policies, render = propagate, rejected inputs and diff.
// Every check reads the objects back from the member API servers.
// cluster1: region=eu tier=prod, cluster2: region=eu tier=staging, cluster3: region=us tier=prod.
// Each test uses its own namespace: other test files use the same clusters.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject, ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, DEPLOYMENTS, NAMESPACES, SECRETS, SERVICES } from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  deleteNamespaces,
  eventually,
  kubefedctl,
  uniqueName,
  writeClustersFile,
  type CliResult,
} from './harness.js';

const MEMBERS = ['cluster1', 'cluster2', 'cluster3'];
const LABELS: Record<string, Record<string, string>> = {
  cluster1: { region: 'eu', tier: 'prod' },
  cluster2: { region: 'eu', tier: 'staging' },
  cluster3: { region: 'us', tier: 'prod' },
};
const POLICY_API = 'policy.kubefed.io/v1alpha1';
const MANAGED = 'kubefed.io/managed';
const examples = resolve(import.meta.dirname, '..', '..', '..', 'examples');

const clustersFile = writeClustersFile(MEMBERS, LABELS);
const namespaces: string[] = [];
after(async () => {
  await deleteNamespaces(MEMBERS, namespaces);
  closeClients();
});

/** A fresh namespace name, deleted from every member after the file. */
function newNamespace(prefix: string): string {
  const ns = uniqueName(prefix);
  namespaces.push(ns);
  return ns;
}

const yamlOf = (docs: readonly object[]): string => docs.map((d) => stringify(d)).join('---\n');

/** Writes a file into a fresh temp folder and returns its path. */
function writeInput(name: string, content: string | readonly object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kf-policy-')), name);
  writeFileSync(path, typeof content === 'string' ? content : yamlOf(content));
  return path;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function secret(ns: string, name: string, value: string, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
    stringData: { key: value },
  };
}

function configMap(ns: string, name: string, data: Record<string, string>, labels?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
    data,
  };
}

function clusterPropagationPolicy(name: string, spec: Record<string, unknown>) {
  return { apiVersion: POLICY_API, kind: 'ClusterPropagationPolicy', metadata: { name }, spec };
}

function propagationPolicy(ns: string, name: string, spec: Record<string, unknown>) {
  return { apiVersion: POLICY_API, kind: 'PropagationPolicy', metadata: { name, namespace: ns }, spec };
}

function placementPolicy(name: string, spec: Record<string, unknown>) {
  return { apiVersion: POLICY_API, kind: 'PlacementPolicy', metadata: { name }, spec };
}

/** What the `-o json` report says, with the policy fields. */
interface ClusterEntry {
  cluster: string;
  action: string;
  outcome: string;
  status: string;
  policy?: string;
  message?: string;
}
interface ResourceEntry {
  type: string;
  kind: string;
  namespace?: string;
  name: string;
  reason: string;
  clusters: ClusterEntry[];
  warnings: string[];
  policies?: {
    placedBy?: string;
    outranked?: string[];
    restrictedBy?: { cluster: string; policy: string; enforcement: string }[];
  };
}
interface Report {
  clusters: { name: string; requests: Record<string, number> }[];
  resources: ResourceEntry[];
  summary: Record<string, number>;
}

/** propagate -o json in file mode with the labelled clusters; `-` as a file reads `stdin`. */
async function propagate(
  files: string[],
  opts: { stdin?: string } = {},
): Promise<CliResult & { report: Report; dump: string }> {
  const r = await kubefedctl(
    ['propagate', ...files.flatMap((f) => ['-f', f]), '--clusters', clustersFile, '-o', 'json'],
    opts,
  );
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`propagate printed no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, report, dump: `exit ${r.code}\n${r.stderr}\n${JSON.stringify(report.resources, null, 1)}` };
}

function resourceOf(report: Report, kind: string, ns: string, name: string): ResourceEntry {
  const found = report.resources.find(
    (r) => r.kind === `Federated${kind}` && r.name === name && (kind === 'Namespace' || r.namespace === ns),
  );
  assert.ok(found, `the report lists Federated${kind} ${ns}/${name}`);
  return found;
}

function clusterOf(resource: ResourceEntry, cluster: string): ClusterEntry {
  const found = resource.clusters.find((c) => c.cluster === cluster);
  assert.ok(found, `the report has ${cluster} for ${resource.kind} ${resource.name}`);
  return found;
}

function live(cluster: string, type: ResourceType, ns: string, name: string): Promise<KubeObject | undefined> {
  return admin(cluster).get<KubeObject>(type, name, type.namespaced ? ns : undefined);
}

/** The members where the object exists and is not being deleted. */
async function presentIn(type: ResourceType, ns: string, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of MEMBERS) {
    const o = await live(c, type, ns, name);
    if (o && !o.metadata.deletionTimestamp) found.push(c);
  }
  return found;
}

/** Whether the namespace exists (in any state) in any member. */
async function namespaceAnywhere(ns: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of MEMBERS) if (await live(c, NAMESPACES, '', ns)) found.push(c);
  return found;
}

/** The write requests of a run (anything but GET), by cluster. */
function writes(report: Report): string[] {
  return report.clusters.flatMap((c) =>
    Object.entries(c.requests)
      .filter(([method]) => method !== 'GET')
      .map(([method, n]) => `${c.name} ${method} ${n}`),
  );
}

const decoded = (o: KubeObject | undefined): string | undefined => {
  const v = (o?.['data'] as Record<string, string> | undefined)?.['key'];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString();
};

/** A managed copy with this value in each of the clusters. */
async function assertManagedCopies(clusters: string[], ns: string, name: string, value: string): Promise<void> {
  for (const c of clusters) {
    const o = await live(c, SECRETS, ns, name);
    assert.equal(o?.metadata.labels?.[MANAGED], 'true', `${c}: managed copy of ${name}`);
    assert.equal(decoded(o), value, `${c}: value of ${name}`);
  }
}

/** The report says the policy took `cluster` out of the object's placement under Enforce. */
function assertNotAllowed(resource: ResourceEntry, cluster: string, policy: string, dump: string): void {
  const entry = clusterOf(resource, cluster);
  assert.equal(entry.status, 'NotAllowedByPolicy', dump);
  assert.equal(entry.policy, policy, dump);
  assert.match(entry.message ?? '', new RegExp(policy), dump);
  assert.deepEqual(
    resource.policies?.restrictedBy,
    [{ cluster, policy, enforcement: 'Enforce' }],
    `restrictedBy lists the limit: ${dump}`,
  );
}

/** The object is exactly as `before` left it: same UID and resourceVersion, labels and data. */
async function assertUntouched(cluster: string, type: ResourceType, before: KubeObject): Promise<void> {
  const now = await live(cluster, type, before.metadata.namespace ?? '', before.metadata.name ?? '');
  assert.ok(now, `${cluster}: ${before.metadata.name} still exists`);
  assert.equal(now.metadata.uid, before.metadata.uid);
  assert.equal(now.metadata.resourceVersion, before.metadata.resourceVersion, `${cluster}: not written to`);
  assert.deepEqual(now.metadata.labels, before.metadata.labels);
  assert.deepEqual(now['data'], before['data']);
}

describe('PlacementPolicy under Enforce', () => {
  it('takes a forbidden cluster out: the managed copy there is deleted, the report says NotAllowedByPolicy and names the policy, an unmanaged object there is left alone', async () => {
    const ns = newNamespace('pol-enforce');
    // The ConfigMap goes everywhere and no PlacementPolicy is about it, so the namespace stays in cluster3.
    const base = [
      secret(ns, 'db', 'db-v1'),
      configMap(ns, 'settings', { a: 'b' }),
      clusterPropagationPolicy(`everywhere-${ns}`, {
        resourceSelectors: [
          { kind: 'Secret', namespace: ns },
          { kind: 'ConfigMap', namespace: ns },
        ],
        placement: { clusterSelector: { matchLabels: {} } },
      }),
    ];
    const first = await propagate([writeInput('app.yaml', base)]);
    assert.equal(first.code, 0, first.dump);
    assert.deepEqual(await presentIn(SECRETS, ns, 'db'), MEMBERS);
    assert.equal(
      resourceOf(first.report, 'Secret', ns, 'db').policies?.placedBy,
      `ClusterPropagationPolicy everywhere-${ns}`,
    );
    await assertManagedCopies(MEMBERS, ns, 'db', 'db-v1');

    // Someone else's Secret "keys" in cluster3, which the next run's input also has.
    const mine = await admin('cluster3').create<KubeObject>(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'keys', namespace: ns, labels: { owner: 'someone-else' } },
      data: { key: b64('not-yours') },
    });

    const policyName = `secrets-eu-only-${ns}`;
    const limited = [
      ...base,
      secret(ns, 'keys', 'from-input'),
      placementPolicy(policyName, {
        resourceSelectors: [{ kind: 'Secret', namespace: ns }],
        allowedClusters: { clusterSelector: { matchLabels: { region: 'eu' } } },
        enforcement: 'Enforce',
      }),
    ];
    const file = writeInput('app.yaml', limited);
    const second = await propagate([file]);
    assert.equal(second.code, 0, second.dump);

    // The managed copy in cluster3 is gone, the eu clusters keep theirs.
    assert.deepEqual(await presentIn(SECRETS, ns, 'db'), ['cluster1', 'cluster2']);
    assert.equal(await live('cluster3', SECRETS, ns, 'db'), undefined, 'deleted from cluster3');
    assert.deepEqual(await presentIn(CONFIG_MAPS, ns, 'settings'), MEMBERS, 'the ConfigMap is not restricted');
    const db = resourceOf(second.report, 'Secret', ns, 'db');
    assertNotAllowed(db, 'cluster3', `PlacementPolicy ${policyName}`, second.dump);
    assert.equal(clusterOf(db, 'cluster3').outcome, 'deleted');
    for (const c of ['cluster1', 'cluster2']) assert.equal(clusterOf(db, c).status, '', `${c} is allowed`);

    // "keys": created where allowed; the unmanaged object in cluster3 is not touched.
    assert.deepEqual(await presentIn(SECRETS, ns, 'keys'), MEMBERS);
    await assertManagedCopies(['cluster1', 'cluster2'], ns, 'keys', 'from-input');
    await assertUntouched('cluster3', SECRETS, mine);
    const keys = resourceOf(second.report, 'Secret', ns, 'keys');
    assertNotAllowed(keys, 'cluster3', `PlacementPolicy ${policyName}`, second.dump);
    assert.ok(['none', 'skip'].includes(clusterOf(keys, 'cluster3').action), second.dump);

    // Once applied, the same input writes nothing and changes nothing in cluster3.
    const third = await propagate([file]);
    assert.equal(third.code, 0, third.dump);
    assert.deepEqual(writes(third.report), [], 'a second run writes nothing');
    await assertUntouched('cluster3', SECRETS, mine);
    assert.equal(await live('cluster3', SECRETS, ns, 'db'), undefined);
  });

  it('reports NotAllowedByPolicy also when the object is the only one of its namespace (its implicit namespace leaves the forbidden cluster)', async () => {
    const ns = newNamespace('pol-alone');
    const base = [
      secret(ns, 'db', 'v1'),
      clusterPropagationPolicy(`everywhere-${ns}`, {
        resourceSelectors: [{ kind: 'Secret', namespace: ns }],
        placement: { clusterSelector: {} },
      }),
    ];
    const first = await propagate([writeInput('app.yaml', base)]);
    assert.equal(first.code, 0, first.dump);
    assert.deepEqual(await presentIn(SECRETS, ns, 'db'), MEMBERS);

    const policyName = `eu-only-${ns}`;
    const second = await propagate([
      writeInput('app.yaml', [
        ...base,
        placementPolicy(policyName, {
          resourceSelectors: [{ kind: 'Secret', namespace: ns }],
          allowedClusters: { clusterSelector: { matchLabels: { region: 'eu' } } },
        }),
      ]),
    ]);
    assert.equal(second.code, 0, second.dump);
    assert.deepEqual(await presentIn(SECRETS, ns, 'db'), ['cluster1', 'cluster2']);
    // Nothing of the namespace goes to cluster3 any more, so its implicit namespace leaves it too.
    await eventually(
      `namespace ${ns} gone from cluster3`,
      async () => !(await live('cluster3', NAMESPACES, '', ns)),
      60_000,
    );
    assert.deepEqual(await presentIn(NAMESPACES, ns, ns), ['cluster1', 'cluster2']);
    // Why it left is still the PlacementPolicy (enforcement defaults to Enforce), not a placement change.
    assertNotAllowed(
      resourceOf(second.report, 'Secret', ns, 'db'),
      'cluster3',
      `PlacementPolicy ${policyName}`,
      second.dump,
    );
  });
});

describe('PlacementPolicy under Audit', () => {
  it('places the object all the same: the copy in cluster3 stays, a new one is created there, and the report and stderr warn naming the policy', async () => {
    const ns = newNamespace('pol-audit');
    const cpp = clusterPropagationPolicy(`everywhere-${ns}`, {
      resourceSelectors: [{ kind: 'Secret', namespace: ns }],
      placement: { clusterSelector: {} },
    });
    const first = await propagate([writeInput('app.yaml', [secret(ns, 'db', 'v1'), cpp])]);
    assert.equal(first.code, 0, first.dump);
    const before = await live('cluster3', SECRETS, ns, 'db');
    assert.ok(before);

    const policyName = `audit-eu-only-${ns}`;
    const file = writeInput('app.yaml', [
      secret(ns, 'db', 'v1'),
      secret(ns, 'late', 'v1'),
      cpp,
      placementPolicy(policyName, {
        resourceSelectors: [{ kind: 'Secret', namespace: ns }],
        allowedClusters: { clusterSelector: { matchLabels: { region: 'eu' } } },
        enforcement: 'Audit',
      }),
    ]);
    const second = await propagate([file]);
    assert.equal(second.code, 0, second.dump);
    assert.deepEqual(await presentIn(SECRETS, ns, 'db'), MEMBERS, 'Audit takes nothing away');
    const after = await live('cluster3', SECRETS, ns, 'db');
    assert.equal(after?.metadata.uid, before.metadata.uid);
    assert.equal(
      after?.metadata.resourceVersion,
      before.metadata.resourceVersion,
      'the copy in cluster3 stays as it was',
    );
    assert.deepEqual(await presentIn(SECRETS, ns, 'late'), MEMBERS, 'Audit does not stop a create');
    assert.equal((await live('cluster3', SECRETS, ns, 'late'))?.metadata.labels?.[MANAGED], 'true');

    for (const name of ['db', 'late']) {
      const r = resourceOf(second.report, 'Secret', ns, name);
      for (const c of MEMBERS) assert.notEqual(clusterOf(r, c).status, 'NotAllowedByPolicy');
      assert.ok(
        r.warnings.some((w) => w.includes(`PlacementPolicy ${policyName}`) && w.includes('cluster3')),
        `${name}: the report warns naming the policy: ${JSON.stringify(r.warnings)}`,
      );
      assert.deepEqual(r.policies?.restrictedBy, [
        { cluster: 'cluster3', policy: `PlacementPolicy ${policyName}`, enforcement: 'Audit' },
      ]);
    }
    // The human report (no -o) prints the same warnings on stderr; -o json keeps them in the report.
    const human = await kubefedctl(['propagate', '-f', file, '--clusters', clustersFile]);
    assert.equal(human.code, 0, human.stdout + human.stderr);
    for (const name of ['db', 'late'])
      assert.match(
        human.stderr,
        new RegExp(`secret/${ns}/${name}: PlacementPolicy ${policyName} \\(Audit\\) does not allow cluster cluster3`),
      );
    assert.deepEqual(await presentIn(SECRETS, ns, 'db'), MEMBERS);
  });
});

/** What the Helm-style release should look like in one cluster after its overrides. */
async function assertHelmRelease(
  c: string,
  ns: string,
  want: { replicas: number; image: string; geo?: string },
): Promise<void> {
  const namespace = await live(c, NAMESPACES, '', ns);
  assert.ok(namespace, `${c}: the namespace was created`);
  assert.equal(namespace.metadata.labels?.[MANAGED], 'true', `${c}: the namespace is managed`);

  const d = await live(c, DEPLOYMENTS, ns, 'web');
  assert.ok(d, `${c}: the Deployment exists`);
  const spec = d['spec'] as {
    replicas: number;
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } };
  };
  assert.equal(spec.replicas, want.replicas, `${c}: replicas`);
  assert.equal(spec.template.spec.containers[0]?.image, want.image, `${c}: image`);
  assert.deepEqual(spec.template.metadata.labels, { 'app.kubernetes.io/name': 'web' }, 'pod labels untouched');
  const geo: Record<string, string> = want.geo ? { geo: want.geo } : {};
  assert.deepEqual(d.metadata.labels, {
    'app.kubernetes.io/name': 'web',
    'app.kubernetes.io/managed-by': 'Helm',
    ...geo,
    [MANAGED]: 'true',
  });

  const cm = await live(c, CONFIG_MAPS, ns, 'web-config');
  assert.ok(cm, `${c}: the ConfigMap exists`);
  assert.deepEqual(cm['data'], { greeting: 'hello' });
  assert.equal(cm.metadata.labels?.[MANAGED], 'true');
  assert.equal(cm.metadata.labels?.['geo'], want.geo, `${c}: the label override applies to every kind`);
  const svc = await live(c, SERVICES, ns, 'web');
  assert.ok(svc, `${c}: the Service exists`);
  assert.equal(svc.metadata.labels?.[MANAGED], 'true');
  assert.equal((svc['spec'] as { ports: { port: number }[] }).ports[0]?.port, 80);
}

describe('a Helm-style stream on stdin', () => {
  it('one ClusterPropagationPolicy places ConfigMap, Deployment and Service, with overrides by cluster label', async () => {
    const ns = newNamespace('pol-helm');
    const stream = `---
# Source: web/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/managed-by: Helm
data:
  greeting: hello
---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/managed-by: Helm
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: web
  ports:
    - port: 80
      targetPort: http
      protocol: TCP
      name: http
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/managed-by: Helm
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
        - name: web
          image: "registry.example.com/shop/web:1.27"
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: ${POLICY_API}
kind: ClusterPropagationPolicy
metadata:
  name: web-${ns}
spec:
  resourceSelectors:
    - {kind: ConfigMap, namespace: ${ns}, labelSelector: {matchLabels: {app.kubernetes.io/name: web}}}
    - {kind: Service, namespace: ${ns}, labelSelector: {matchLabels: {app.kubernetes.io/name: web}}}
    - {kind: Deployment, namespace: ${ns}, labelSelector: {matchLabels: {app.kubernetes.io/name: web}}}
  placement:
    clusterSelector: {}
  overrides:
    - targetClusters:
        clusterSelector: {matchLabels: {tier: prod}}
      replicas: 5
      image: {tag: "1.28"}
    - targetClusters:
        clusterSelector: {matchLabels: {region: us}}
      labels: {geo: us}
`;
    const run = await propagate(['-'], { stdin: stream });
    assert.equal(run.code, 0, run.dump);

    const expected: Record<string, { replicas: number; image: string; geo?: string }> = {
      cluster1: { replicas: 5, image: 'registry.example.com/shop/web:1.28' },
      cluster2: { replicas: 2, image: 'registry.example.com/shop/web:1.27' },
      cluster3: { replicas: 5, image: 'registry.example.com/shop/web:1.28', geo: 'us' },
    };
    for (const c of MEMBERS) await assertHelmRelease(c, ns, expected[c]!);
    for (const kind of ['ConfigMap', 'Service', 'Deployment'])
      assert.equal(
        resourceOf(run.report, kind, ns, kind === 'ConfigMap' ? 'web-config' : 'web').policies?.placedBy,
        `ClusterPropagationPolicy web-${ns}`,
      );

    const again = await propagate(['-'], { stdin: stream });
    assert.equal(again.code, 0, again.dump);
    assert.deepEqual(writes(again.report), [], 'the same stream again writes nothing');
  });
});

describe('competing propagation policies', () => {
  it('the higher priority wins, stderr names the winner, and a new winner moves the object', async () => {
    const ns = newNamespace('pol-prio');
    const docs = (priority: number) => [
      configMap(ns, 'settings', { a: 'b' }, { app: 'web' }),
      clusterPropagationPolicy(`to-cluster2-${ns}`, {
        priority,
        resourceSelectors: [{ kind: 'ConfigMap', namespace: ns, labelSelector: { matchLabels: { app: 'web' } } }],
        placement: { clusters: [{ name: 'cluster2' }] },
      }),
      propagationPolicy(ns, 'to-cluster3', {
        priority: 5,
        resourceSelectors: [{ kind: 'ConfigMap', name: 'settings' }],
        placement: { clusters: [{ name: 'cluster3' }] },
      }),
    ];
    const first = await propagate([writeInput('app.yaml', docs(10))]);
    assert.equal(first.code, 0, first.dump);
    assert.deepEqual(await presentIn(CONFIG_MAPS, ns, 'settings'), ['cluster2']);
    assert.deepEqual(await namespaceAnywhere(ns), ['cluster2'], 'the implicit namespace goes where the object goes');
    assert.match(
      first.stderr,
      new RegExp(
        `ConfigMap ${ns}/settings: selected by 2 policies; ClusterPropagationPolicy to-cluster2-${ns} wins over PropagationPolicy ${ns}/to-cluster3`,
      ),
    );
    const r = resourceOf(first.report, 'ConfigMap', ns, 'settings');
    assert.equal(r.policies?.placedBy, `ClusterPropagationPolicy to-cluster2-${ns}`);
    assert.deepEqual(r.policies?.outranked, [`PropagationPolicy ${ns}/to-cluster3`]);

    // Priority 1 is now below the PropagationPolicy's 5: the object moves to cluster3.
    const second = await propagate([writeInput('app.yaml', docs(1))]);
    assert.equal(second.code, 0, second.dump);
    assert.match(
      second.stderr,
      new RegExp(`PropagationPolicy ${ns}/to-cluster3 wins over ClusterPropagationPolicy to-cluster2-${ns}`),
    );
    assert.deepEqual(await presentIn(CONFIG_MAPS, ns, 'settings'), ['cluster3']);
    await eventually(
      `namespace ${ns} gone from cluster2`,
      async () => !(await live('cluster2', NAMESPACES, '', ns)),
      60_000,
    );
  });

  it('with equal priority, a policy selecting by name beats one selecting by label', async () => {
    const ns = newNamespace('pol-tie');
    // Both cluster-wide, and the label policy's name sorts first: only the selector decides.
    const run = await propagate([
      writeInput('app.yaml', [
        configMap(ns, 'settings', { a: 'b' }, { app: 'web' }),
        clusterPropagationPolicy(`a-by-label-${ns}`, {
          resourceSelectors: [{ kind: 'ConfigMap', namespace: ns, labelSelector: { matchLabels: { app: 'web' } } }],
          placement: { clusters: [{ name: 'cluster1' }] },
        }),
        clusterPropagationPolicy(`b-by-name-${ns}`, {
          resourceSelectors: [{ kind: 'ConfigMap', namespace: ns, name: 'settings' }],
          placement: { clusterSelector: { matchLabels: { region: 'us' } } },
        }),
      ]),
    ]);
    assert.equal(run.code, 0, run.dump);
    assert.deepEqual(await presentIn(CONFIG_MAPS, ns, 'settings'), ['cluster3']);
    assert.match(
      run.stderr,
      new RegExp(`ClusterPropagationPolicy b-by-name-${ns} wins over ClusterPropagationPolicy a-by-label-${ns}`),
    );
    assert.equal(
      resourceOf(run.report, 'ConfigMap', ns, 'settings').policies?.placedBy,
      `ClusterPropagationPolicy b-by-name-${ns}`,
    );
  });
});

/**
 * Where `sub` is not contained in `full`: every member of an object and every element of a list
 * (of the same length) must be there; an absent `sub` is contained in anything.
 */
function contained(sub: unknown, full: unknown, path = ''): string[] {
  if (sub === undefined) return [];
  const differs = [`${path}: want ${JSON.stringify(sub)}, got ${JSON.stringify(full)}`];
  if (Array.isArray(sub))
    return Array.isArray(full) && full.length === sub.length
      ? sub.flatMap((v, i) => contained(v, full[i], `${path}/${i}`))
      : differs;
  if (isRecord(sub))
    return isRecord(full) ? Object.entries(sub).flatMap(([k, v]) => contained(v, full[k], `${path}/${k}`)) : differs;
  return sub === full ? [] : differs;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Labels and annotations without the ones API servers and controllers add. */
function ownMap(m: Record<string, string> | undefined): Record<string, string> {
  const serverSet = ['kubernetes.io/metadata.name', 'deployment.kubernetes.io/revision'];
  return Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !serverSet.includes(k)));
}

const EXAMPLE_TYPES: Record<string, ResourceType> = {
  Namespace: NAMESPACES,
  ConfigMap: CONFIG_MAPS,
  Deployment: DEPLOYMENTS,
  Service: SERVICES,
  Secret: SECRETS,
};

/** Exactly the objects render printed for a cluster exist there (of the example's), as rendered. */
async function assertAsRendered(c: string, ns: string, objects: KubeObject[]): Promise<void> {
  const inputObjects: [string, string][] = [
    ['Namespace', ns],
    ['ConfigMap', 'web-config'],
    ['Deployment', 'web'],
    ['Service', 'web'],
    ['Secret', 'payment-keys'],
  ];
  for (const [kind, name] of inputObjects) {
    const isRendered = objects.some((o) => o.kind === kind && o.metadata.name === name);
    const there = await live(c, EXAMPLE_TYPES[kind]!, ns, name);
    assert.equal(Boolean(there), isRendered, `${c}: ${kind} ${name} exists if and only if rendered`);
  }
  assert.equal(objects.length, objects.filter((o) => EXAMPLE_TYPES[o.kind ?? '']).length, 'only input kinds');
  for (const o of objects) await assertLikeRendered(c, o);
}

/** The live object has the rendered labels, annotations, data and spec (server-set fields aside). */
async function assertLikeRendered(c: string, o: KubeObject): Promise<void> {
  const what = `${c}: ${o.kind} ${o.metadata.name}`;
  const l = await live(c, EXAMPLE_TYPES[o.kind ?? '']!, o.metadata.namespace ?? '', o.metadata.name ?? '');
  assert.ok(l, `${what} exists`);
  assert.equal(l.apiVersion, o.apiVersion);
  assert.deepEqual(ownMap(l.metadata.labels), o.metadata.labels ?? {}, `${what}: labels`);
  assert.deepEqual(ownMap(l.metadata.annotations), o.metadata.annotations ?? {}, `${what}: annotations`);
  for (const field of ['data', 'stringData', 'binaryData']) assert.deepEqual(l[field], o[field], `${what}: ${field}`);
  assert.deepEqual(contained(o['spec'], l['spec'], 'spec'), [], `${what}: spec as rendered (server defaults aside)`);
}

describe('render and propagate agree', () => {
  it('the objects render -o json prints for each cluster are those propagate creates (examples/policy)', async () => {
    const ns = newNamespace('pol-render');
    const dir = mkdtempSync(join(tmpdir(), 'kf-policy-example-'));
    for (const f of ['app.yaml', 'policies.yaml']) {
      const text = readFileSync(join(examples, 'policy', f), 'utf8').replace(
        /\bnamespace: shop\b/g,
        `namespace: ${ns}`,
      );
      const code = text
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('#'))
        .join('\n');
      assert.doesNotMatch(code, /\bshop\b(?!\/)/, `${f}: every namespace was rewritten`);
      writeFileSync(join(dir, f), text);
    }
    const rendered = await kubefedctl(['render', '-f', dir, '--clusters', clustersFile, '-o', 'json'], {
      env: { KUBECONFIG: '/nonexistent' },
    });
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.match(rendered.stderr, new RegExp(`FederatedSecret ${ns}/payment-keys in cluster3: NotAllowedByPolicy`));
    const byCluster = new Map(
      (JSON.parse(rendered.stdout) as { clusters: { name: string; objects: KubeObject[] }[] }).clusters.map((c) => [
        c.name,
        c.objects,
      ]),
    );
    assert.deepEqual([...byCluster.keys()].sort(), MEMBERS);

    const run = await propagate([dir]);
    assert.equal(run.code, 0, run.dump);
    const secret = resourceOf(run.report, 'Secret', ns, 'payment-keys');
    assert.equal(clusterOf(secret, 'cluster3').status, 'NotAllowedByPolicy');
    assert.equal(clusterOf(secret, 'cluster3').policy, 'PlacementPolicy payments-eu-only');

    for (const c of MEMBERS) await assertAsRendered(c, ns, byCluster.get(c) ?? []);
    // Spot checks of the example's meaning, on the live objects.
    const replicas = async (c: string) =>
      ((await live(c, DEPLOYMENTS, ns, 'web'))?.['spec'] as { replicas?: number } | undefined)?.replicas;
    assert.deepEqual([await replicas('cluster1'), await replicas('cluster2'), await replicas('cluster3')], [5, 2, 5]);
    assert.deepEqual(await presentIn(SECRETS, ns, 'payment-keys'), ['cluster1', 'cluster2']);
  });
});

describe('rejected inputs', () => {
  it('a plain manifest that no policy selects: exit 1, the error names file and object, nothing is written', async () => {
    const ns = newNamespace('pol-unselected');
    const docs = [
      configMap(ns, 'x', { a: 'b' }),
      secret(ns, 'selected', 'v1'),
      clusterPropagationPolicy(`secrets-only-${ns}`, {
        resourceSelectors: [{ kind: 'Secret', namespace: ns }],
        placement: { clusterSelector: {} },
      }),
    ];
    const file = writeInput('app.yaml', `# Rendered by a chart.\n# Two comment lines first.\n${yamlOf(docs)}`);
    const r = await kubefedctl(['propagate', '-f', file, '--clusters', clustersFile]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`app\\.yaml:3 \\(document 1\\): ConfigMap ${ns}/x: no PropagationPolicy`));
    assert.match(r.stderr, /nothing was written/);
    assert.doesNotMatch(r.stderr, /Secret .*selected:/, 'only the unselected object is an error');
    assert.deepEqual(await namespaceAnywhere(ns), [], 'not even the namespace of the selected Secret');
    // -o json does not print a report either.
    const json = await kubefedctl(['propagate', '-f', file, '--clusters', clustersFile, '-o', 'json']);
    assert.equal(json.code, 1);
    assert.equal(json.stdout, '');
  });

  it('invalid policies: exit 1 with file:line and the field named, nothing written to any cluster', async () => {
    const ns = newNamespace('pol-invalid');
    const app = (value: string) => [configMap(ns, 'settings', { a: value })];
    const good = clusterPropagationPolicy(`good-${ns}`, {
      resourceSelectors: [{ kind: 'ConfigMap', namespace: ns }],
      placement: { clusterSelector: {} },
    });
    const first = await propagate([writeInput('app.yaml', app('v1')), writeInput('policies.yaml', [good])]);
    assert.equal(first.code, 0, first.dump);
    const versions = async () => {
      const out: Record<string, string | undefined> = {};
      for (const c of MEMBERS) {
        out[`${c}/ns`] = (await live(c, NAMESPACES, '', ns))?.metadata.resourceVersion;
        out[`${c}/cm`] = (await live(c, CONFIG_MAPS, ns, 'settings'))?.metadata.resourceVersion;
      }
      return out;
    };
    const before = await versions();
    assert.equal(Object.values(before).filter(Boolean).length, 6);

    const cases: { name: string; policy: object; field: RegExp; fieldKey: string }[] = [
      {
        name: 'placement misspelt',
        policy: clusterPropagationPolicy('bad', {
          resourceSelectors: [{ kind: 'ConfigMap', namespace: ns }],
          placment: { clusters: [{ name: 'cluster1' }] },
        }),
        field: /ClusterPropagationPolicy bad: spec\.placment: unknown field; did you mean "placement"\?/,
        fieldKey: 'placment',
      },
      {
        name: 'enforcement: Maybe',
        policy: placementPolicy('bad', {
          resourceSelectors: [{ kind: 'ConfigMap', namespace: ns }],
          deniedClusters: { clusters: [{ name: 'cluster3' }] },
          enforcement: 'Maybe',
        }),
        field: /PlacementPolicy bad: spec\.enforcement: .*Maybe/,
        fieldKey: 'enforcement',
      },
      {
        name: 'a bad label key in a clusterSelector',
        policy: clusterPropagationPolicy('bad', {
          resourceSelectors: [{ kind: 'ConfigMap', namespace: ns }],
          placement: { clusterSelector: { matchLabels: { 'bad key!': 'eu' } } },
        }),
        field: /ClusterPropagationPolicy bad: spec\.placement\.clusterSelector\.matchLabels: .*bad key!/,
        fieldKey: 'bad key!',
      },
    ];
    for (const c of cases) {
      // The valid parts change too: were anything applied, the ConfigMap would be updated.
      const text = yamlOf([good, c.policy]);
      const policies = writeInput('policies.yaml', text);
      const lines = text.split('\n');
      const docStart = lines.indexOf('---') + 2;
      const fieldLine = lines.findIndex((l, i) => i + 1 >= docStart && l.includes(c.fieldKey)) + 1;
      const r = await kubefedctl([
        'propagate',
        '-f',
        writeInput('app.yaml', app('v2')),
        '-f',
        policies,
        '--clusters',
        clustersFile,
      ]);
      assert.equal(r.code, 1, `${c.name}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '', c.name);
      const where = new RegExp(`policies\\.yaml:(\\d+) \\(document 2\\): ${c.field.source}`).exec(r.stderr);
      assert.ok(where, `${c.name}: the error names file, line and field:\n${r.stderr}`);
      const line = Number(where[1]);
      assert.ok(
        line >= docStart && line <= fieldLine,
        `${c.name}: line ${line} is in the bad document (lines ${docStart}..${fieldLine})`,
      );
      assert.deepEqual(await versions(), before, `${c.name}: nothing written`);
    }
    for (const c of MEMBERS)
      assert.deepEqual((await live(c, CONFIG_MAPS, ns, 'settings'))?.['data'], { a: 'v1' }, `${c}: still v1`);
  });
});

describe('diff with policies', () => {
  it('no difference after propagate; a changed override in the policy shows, exit 1, and nothing is written', async () => {
    const ns = newNamespace('pol-diff');
    const docs = (prodReplicas: number) => [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns, labels: { app: 'web' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.example.com/web:1.0' }] },
          },
        },
      },
      propagationPolicy(ns, 'web', {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
        placement: { clusterSelector: {} },
        overrides: [{ targetClusters: { clusterSelector: { matchLabels: { tier: 'prod' } } }, replicas: prodReplicas }],
      }),
    ];
    const file = writeInput('app.yaml', docs(3));
    const diff = (f: string) => kubefedctl(['diff', '-f', f, '--clusters', clustersFile]);

    const run = await propagate([file]);
    assert.equal(run.code, 0, run.dump);
    const same = await diff(file);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.equal(same.stdout, '');

    const changed = await diff(writeInput('app.yaml', docs(4)));
    assert.equal(changed.code, 1, changed.stdout + changed.stderr);
    for (const c of ['cluster1', 'cluster3'])
      assert.match(changed.stdout, new RegExp(`^\\+\\+\\+ ${c}/deployment/${ns}/web \\(propagated\\)$`, 'm'));
    assert.doesNotMatch(changed.stdout, /cluster2\//, 'cluster2 is not prod: no change there');
    assert.match(changed.stdout, /^-  replicas: 3$/m);
    assert.match(changed.stdout, /^\+  replicas: 4$/m);
    for (const c of MEMBERS)
      assert.equal(
        ((await live(c, DEPLOYMENTS, ns, 'web'))?.['spec'] as { replicas: number }).replicas,
        c === 'cluster2' ? 1 : 3,
        `${c}: diff wrote nothing`,
      );
  });
});
