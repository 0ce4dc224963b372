// No command prints a credential or a Secret value: every command, with -v=9 and each of its -o
// formats, plus failing invocations, against the real clusters. Every byte of stdout and stderr is
// scanned for every secret value this test knows. See docs/adr/0004-secrets-in-output.md for what
// is deliberately printed: the manifests `federate` and `render` produce. Assertions on output use
// assert.ok, never assert.match/equal, whose failure would print the output, secrets and all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { HasMetadata, KubeObject, ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, KUBEFED_CLUSTERS, NAMESPACES, SECRETS, SERVICE_ACCOUNTS } from '../../src/api/resources.js';
import {
  admin,
  closeClients,
  editor,
  eventually,
  kubeconfigDoc,
  kubefedctl,
  namespaceSettled,
  testClusters,
  uniqueName,
  writeKubeconfig,
  type CliResult,
} from './harness.js';

const HOST = 'cluster1';
const KF_NS = 'kube-federation-system';
const H = ['--host-cluster-context', HOST];
const FED_SECRETS: ResourceType = {
  group: 'types.kubefed.io',
  version: 'v1beta1',
  plural: 'federatedsecrets',
  kind: 'FederatedSecret',
  namespaced: true,
};
const FED_NAMESPACES: ResourceType = {
  group: 'types.kubefed.io',
  version: 'v1beta1',
  plural: 'federatednamespaces',
  kind: 'FederatedNamespace',
  namespaced: true,
};

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secretValue = (what: string) => `${what}-${randomBytes(12).toString('hex')}`;

/** A value that must never be printed, with a name to report it by. */
interface Known {
  label: string;
  value: string;
}

/** One CLI run and the secrets it may print on purpose (the manifests of federate and render). */
interface Run extends CliResult {
  args: string[];
  allowed: RegExp | undefined;
}

const known: Known[] = [];

function addSecret(label: string, value: string | undefined): void {
  if (!value || value.length < 8 || known.some((k) => k.value === value)) return;
  known.push({ label, value });
}

/** A bearer token: whole, base64 (as stored in a Secret's data), and each JWT segment of some length. */
function addToken(label: string, token: string): void {
  addSecret(label, token);
  addSecret(`${label} (base64)`, b64(token));
  const parts = token.split('.');
  if (parts.length === 3)
    parts.forEach((p, i) => (p.length > 8 ? addSecret(`${label} (JWT segment ${i + 1})`, p) : undefined));
}

/** A Secret value: plain and base64. */
function addValue(label: string, value: string): void {
  addSecret(label, value);
  addSecret(`${label} (base64)`, b64(value));
}

/** Text around a hit with every known secret replaced by its label: safe to print in a failure. */
function maskedExcerpt(text: string, at: number, length: number): string {
  let excerpt = text.slice(Math.max(0, at - 80), at + length + 80);
  for (const k of [...known].sort((a, b) => b.value.length - a.value.length))
    excerpt = excerpt.split(k.value).join(`<${k.label}>`);
  return JSON.stringify(excerpt);
}

/** Where the known secrets appear in a run's output, as failure lines that never contain them. */
function leaksIn(run: Run): string[] {
  const found: string[] = [];
  for (const k of known) {
    if (run.allowed?.test(k.label)) continue;
    for (const [stream, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
    ] as const) {
      const at = text.indexOf(k.value);
      if (at >= 0)
        found.push(
          `kubefedctl ${run.args.join(' ')}: ${stream} contains the ${k.label}: ${maskedExcerpt(text, at, k.value.length)}`,
        );
    }
  }
  return found;
}

const runs: Run[] = [];
let kubeconfig = '';

/** Runs kubefedctl with -v=9 on the kubeconfig with the extra contexts, records it, and checks its exit code. */
async function kf(args: string[], opts: { code?: number | 'nonzero'; allowed?: RegExp } = {}): Promise<Run> {
  const fullArgs = [...args, '-v=9'];
  const r = await kubefedctl(fullArgs, { env: { KUBECONFIG: kubeconfig } });
  const run: Run = { ...r, args: fullArgs, allowed: opts.allowed };
  runs.push(run);
  const want = opts.code ?? 0;
  if (want === 'nonzero') assert.notEqual(r.code, 0, `kubefedctl ${fullArgs.join(' ')} should fail`);
  else
    assert.equal(
      r.code,
      want,
      `kubefedctl ${fullArgs.join(' ')} exited ${r.code}: ${leaksIn(run).length > 0 ? '(output withheld: it contains secrets)' : `${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`}`,
    );
  return run;
}

/** Fails with every leak in the given runs (by default all so far), each with a masked excerpt. */
function assertNoLeaks(which: Run[] = runs): void {
  const leaks = which.flatMap(leaksIn);
  assert.equal(leaks.length, 0, `${leaks.length} secret value(s) printed:\n${leaks.join('\n')}`);
}

/** Runs a group of commands and checks their output against everything known so far. */
async function group(fn: () => Promise<void>): Promise<void> {
  const first = runs.length;
  await fn();
  assertNoLeaks(runs.slice(first));
}

/** The token the token controller put into a kubernetes.io/service-account-token Secret. */
async function tokenOf(cluster: string, name: string, namespace: string): Promise<string> {
  let token = '';
  await eventually(`token of ${namespace}/${name} in ${cluster}`, async () => {
    const s = await admin(cluster).get<KubeObject>(SECRETS, name, namespace);
    token = Buffer.from(((s?.['data'] ?? {}) as Record<string, string>)['token'] ?? '', 'base64').toString();
    return token !== '';
  });
  return token;
}

/** Records the tokens of a joined member: its token Secret in the member, and the host Secret. */
async function addJoinTokens(cluster: string): Promise<void> {
  addToken(`joined SA token of ${cluster} (member Secret)`, await tokenOf(cluster, `${cluster}-${HOST}`, KF_NS));
  const kfc = await admin(HOST).get<HasMetadata & { spec: { secretRef: { name: string } } }>(
    KUBEFED_CLUSTERS,
    cluster,
    KF_NS,
  );
  assert.ok(kfc, `KubeFedCluster ${cluster} exists`);
  addToken(`joined SA token of ${cluster} (host Secret)`, await tokenOf(HOST, kfc.spec.secretRef.name, KF_NS));
}

/** An exec credential plugin that misbehaves in the way MODE says, always holding a token. */
function execPlugin(dir: string): string {
  const path = join(dir, 'plugin.mjs');
  writeFileSync(
    path,
    [
      '#!/usr/bin/env node',
      'const token = process.env.PLUGIN_TOKEN;',
      "const ok = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } };",
      'const out = {',
      "  badversion: { ...ok, apiVersion: 'client.authentication.k8s.io/v1beta1' },",
      '  badtime: { ...ok, status: { token, expirationTimestamp: token } },',
      '  fails: ok,',
      '  rejected: ok,',
      '}[process.env.MODE];',
      'process.stdout.write(out ? JSON.stringify(out) : `token=${token}\\n`);',
      "if (process.env.MODE === 'fails') process.exitCode = 3;",
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

/** The test kubeconfig plus contexts that fail in different ways, each holding a credential. */
function kubeconfigWithBadContexts(restrictedToken: string): string {
  const doc = kubeconfigDoc();
  const host = doc.contexts.find((c) => c.name === HOST)?.context ?? {};
  const hostCluster = doc.clusters.find((c) => c.name === host['cluster'])?.cluster ?? {};
  const user = (name: string, u: Record<string, unknown>) => doc.users.push({ name, user: u });
  const context = (name: string, cluster = host['cluster']) =>
    doc.contexts.push({ name, context: { cluster, user: name } });
  user('certs', clientCertUser());
  context('certs');
  user('restricted', { token: restrictedToken });
  context('restricted');
  const badToken = secretValue('wrong-token');
  addSecret('refused kubeconfig token', badToken);
  user('badtoken', { token: badToken });
  context('badtoken');
  const password = secretValue('basic-password');
  addSecret('kubeconfig basic-auth password', password);
  addSecret('kubeconfig basic-auth header', b64(`kfuser:${password}`));
  user('basic', { username: 'kfuser', password });
  context('basic');
  // A server address with a password in it; the admin token still authenticates.
  const urlPassword = secretValue('url-password');
  addSecret('password in a server URL', urlPassword);
  doc.clusters.push({
    name: 'userinfo',
    cluster: {
      ...hostCluster,
      server: String(hostCluster['server']).replace('https://', `https://kfuser:${urlPassword}@`),
    },
  });
  doc.contexts.push({ name: 'userinfo', context: { ...host, cluster: 'userinfo' } });
  const dir = mkdtempSync(join(tmpdir(), 'kf-secrets-exec-'));
  const plugin = execPlugin(dir);
  for (const mode of ['badversion', 'badtime', 'fails', 'notjson', 'rejected']) {
    const token = secretValue(`exec-${mode}-token`);
    addSecret(`token of the exec plugin (${mode})`, token);
    user(`exec-${mode}`, {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: plugin,
        interactiveMode: 'Never',
        env: [
          { name: 'PLUGIN_TOKEN', value: token },
          { name: 'MODE', value: mode },
        ],
      },
    });
    context(`exec-${mode}`);
  }
  return writeKubeconfig(doc);
}

/** The client-certificate user of the host in kubeconfig-certs, with its key inline; the key is recorded as a secret. */
function clientCertUser(): Record<string, unknown> {
  const path = join(testClusters().dir, 'kubeconfig-certs');
  const doc = parse(readFileSync(path, 'utf8')) as ReturnType<typeof kubeconfigDoc>;
  const userName = doc.contexts.find((c) => c.name === HOST)?.context['user'];
  const user = doc.users.find((u) => u.name === userName)?.user ?? {};
  const file = (p: unknown) => readFileSync(isAbsolute(String(p)) ? String(p) : join(dirname(path), String(p)));
  const key = file(user['client-key']);
  addSecret('client key of kubeconfig-certs (base64)', key.toString('base64'));
  key
    .toString()
    .split('\n')
    .filter((l) => l.length > 40 && !l.startsWith('-----'))
    .forEach((l, i) => addSecret(`client key of kubeconfig-certs (PEM line ${i + 1})`, l));
  return {
    'client-certificate-data': file(user['client-certificate']).toString('base64'),
    'client-key-data': key.toString('base64'),
  };
}

describe('no command prints a credential or a Secret value', () => {
  const ns = uniqueName('secrets');
  const restricted = uniqueName('kf-restricted');
  const fileNs = uniqueName('secrets-file');
  const dir = mkdtempSync(join(tmpdir(), 'kf-secrets-'));
  const live = { data: secretValue('live-data'), stringData: secretValue('live-string') };
  const fed = {
    data: secretValue('fed-data'),
    stringData: secretValue('fed-string'),
    overrideData: secretValue('fed-override-data'),
    overrideString: secretValue('fed-override-string'),
    updated: secretValue('fed-updated'),
  };
  const file = {
    data: secretValue('file-data'),
    stringData: secretValue('file-string'),
    overrideData: secretValue('file-override-data'),
    updated: secretValue('file-updated'),
  };

  before(async () => {
    // Earlier test files unjoin their members, which deletes this namespace there; joining needs it gone or active.
    for (const c of ['cluster1', 'cluster2', 'cluster3']) await namespaceSettled(c, KF_NS);
    for (const u of kubeconfigDoc().users)
      if (typeof u.user['token'] === 'string') addToken(`kubeconfig token of ${u.name}`, u.user['token']);
    // A service account without any permission: its requests are answered 403.
    await admin(HOST).create(SERVICE_ACCOUNTS, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: restricted, namespace: 'default' },
    });
    await admin(HOST).create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: restricted,
        namespace: 'default',
        annotations: { 'kubernetes.io/service-account.name': restricted },
      },
    });
    const restrictedToken = await tokenOf(HOST, restricted, 'default');
    addToken('token of the restricted user', restrictedToken);
    kubeconfig = kubeconfigWithBadContexts(restrictedToken);
    for (const [k, v] of Object.entries(live)) addValue(`live Secret value ${k}`, v);
    for (const [k, v] of Object.entries(fed)) addValue(`FederatedSecret value ${k}`, v);
    for (const [k, v] of Object.entries(file)) addValue(`file FederatedSecret value ${k}`, v);
  });

  after(async () => {
    for (const c of ['cluster1', 'cluster2', 'cluster3']) await kubefedctl(['unjoin', c, ...H]);
    for (const c of ['cluster1', 'cluster2', 'cluster3'])
      for (const n of [ns, fileNs])
        await admin(c)
          .delete(NAMESPACES, n)
          .catch(() => undefined);
    await admin(HOST)
      .delete(SECRETS, restricted, 'default')
      .catch(() => undefined);
    await admin(HOST)
      .delete(SERVICE_ACCOUNTS, restricted, 'default')
      .catch(() => undefined);
    closeClients();
  });

  it('version and init', () =>
    group(async () => {
      for (const o of [[], ['-o', 'yaml'], ['-o', 'json']]) await kf(['version', ...o]);
      await kf(['init', ...H]);
      for (const o of ['yaml', 'json', 'name']) await kf(['init', ...H, '-o', o]);
      await kf(['init', ...H, '--dry-run=client', '-o', 'yaml']);
    }));

  it('join, in every output format', async () => {
    let first: Run | undefined;
    await group(async () => {
      // The first join prints the objects it wrote, the host Secret among them.
      first = await kf(['join', 'cluster2', ...H, '-o', 'yaml']);
      await addJoinTokens('cluster2');
      for (const o of ['json', 'name']) await kf(['join', 'cluster2', ...H, '-o', o]);
      await kf(['join', 'cluster2', ...H]);
      await kf(['join', 'cluster1', ...H, '-o', 'json']);
      await addJoinTokens('cluster1');
      for (const o of ['yaml', 'json', 'name']) await kf(['join', 'cluster3', ...H, '--dry-run=client', '-o', o]);
      await kf(['join', 'cluster3', ...H, '--dry-run=server', '-o', 'yaml']);
      await kf(['join', 'cluster3', ...H, '--dry-run=server']);
    });
    assert.ok(
      /kind: Secret\n[^]*token: "?\*\*\*"?\n/.test(first?.stdout ?? ''),
      'the host Secret is printed, its token masked',
    );
  });

  it('failing joins: bad context, 401, 403, basic auth', () =>
    group(async () => {
      await kf(['join', 'cluster3', '--host-cluster-context', 'nope'], { code: 1 });
      await kf(['join', 'cluster3', '--host-cluster-context', 'restricted'], { code: 1 });
      await kf(['join', 'cluster3', ...H, '--cluster-context', 'badtoken'], { code: 1 });
      await kf(['join', 'cluster3', ...H, '--cluster-context', 'basic'], { code: 1 });
      await kf(['join', 'cluster2', ...H, '--error-on-existing', '-o', 'yaml'], { code: 1 });
    }));

  it('join leaves a password in the member server address out of the KubeFedCluster', async () => {
    const r = await kf(['join', 'cluster3', ...H, '--cluster-context', 'userinfo', '--dry-run=client', '-o', 'yaml']);
    assertNoLeaks([r]);
    assert.ok(
      /apiEndpoint: https:\/\/127\.0\.0\.1:\d+\n/.test(r.stdout),
      'the KubeFedCluster gets the address without user and password',
    );
  });

  it('enable', () =>
    group(async () => {
      for (const t of ['namespaces', 'configmaps', 'secrets']) await kf(['enable', t, ...H]);
      for (const o of ['yaml', 'json']) await kf(['enable', 'secrets', ...H, '-o', o]);
      await kf(['enable', 'secrets', ...H, '--dry-run=client', '-o', 'yaml']);
    }));

  it('federate a ConfigMap, and a Secret: its manifest is the one output that shows its values', async () => {
    const host = admin(HOST);
    await host.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await host.create(FED_NAMESPACES, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedNamespace',
      metadata: { name: ns, namespace: ns },
      spec: { placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] } },
    });
    await host.create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns },
      data: { mode: 'fast' },
    });
    await host.create(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'live', namespace: ns },
      data: { data: b64(live.data) },
      stringData: { stringData: live.stringData },
    });
    await group(async () => {
      for (const o of ['yaml', 'json'])
        await kf(['federate', 'configmap', 'settings', '-n', ns, ...H, '--dry-run=client', '-o', o]);
      // The sources live in cluster1, which is also a member: the federated copies go to cluster2 only.
      await kf(['federate', 'configmap', 'settings', '-n', ns, ...H, '--placement-clusters', 'cluster2']);
      await kf(['federate', 'configmap', 'settings', '-n', ns, ...H, '--placement-clusters', 'cluster2', '-o', 'yaml']);
      await kf(['federate', 'secret', 'live', '-n', ns, ...H, '--placement-clusters', 'cluster2']);
      await kf(['federate', 'secret', 'nope', '-n', ns, ...H], { code: 1 });
      await kf(['federate', 'secret', 'live', '-n', ns, '--host-cluster-context', 'restricted'], { code: 1 });
    });
    // By decision (ADR 0004) the manifest federate prints carries the values, like `kubectl get secret -o yaml`.
    const manifests = [];
    for (const o of ['yaml', 'json'])
      manifests.push(
        await kf(
          [
            'federate',
            'secret',
            'live',
            '-n',
            ns,
            ...H,
            '--placement-clusters',
            'cluster2',
            '--dry-run=client',
            '-o',
            o,
          ],
          { allowed: /^live Secret value/ },
        ),
      );
    manifests.push(
      await kf(['federate', 'secret', 'live', '-n', ns, ...H, '--placement-clusters', 'cluster2', '-o', 'yaml'], {
        allowed: /^live Secret value/,
      }),
    );
    for (const m of manifests) {
      assert.ok(
        m.stdout.includes(b64(live.data)) && m.stdout.includes(b64(live.stringData)),
        `kubefedctl ${m.args.join(' ')} prints an appliable manifest`,
      );
      assertNoLeaks([m]);
      assert.ok(!m.stderr.includes(b64(live.data)), 'never on stderr');
    }
  });

  it('propagate, status, diff and orphaning-deletion in host mode', async () => {
    const host = admin(HOST);
    const spec = (data: string) => ({
      template: { type: 'Opaque', data: { password: b64(data) }, stringData: { apiKey: fed.stringData } },
      placement: { clusters: [{ name: 'cluster1' }, { name: 'cluster2' }] },
      overrides: [
        {
          clusterName: 'cluster2',
          clusterOverrides: [
            { path: '/data/password', value: b64(fed.overrideData) },
            { path: '/stringData/apiKey', value: fed.overrideString },
          ],
        },
      ],
    });
    await host.create(FED_SECRETS, {
      apiVersion: 'types.kubefed.io/v1beta1',
      kind: 'FederatedSecret',
      metadata: { name: 'db', namespace: ns },
      spec: spec(fed.data),
    });
    const P = ['-n', ns, ...H];
    await group(async () => {
      await kf(['diff', ...P], { code: 1 });
      await kf(['propagate', ...P, '--dry-run=client', '-o', 'json']);
      await kf(['propagate', ...P, '--dry-run=server', '-o', 'yaml']);
      await kf(['propagate', ...P]);
      for (const o of ['json', 'yaml']) await kf(['propagate', ...P, '-o', o]);
      await kf(['diff', ...P]);
    });
    const member = await admin('cluster2').get<KubeObject>(SECRETS, 'db', ns);
    assert.ok(
      Buffer.from(((member?.['data'] ?? {}) as Record<string, string>)['password'] ?? '', 'base64').toString() ===
        fed.overrideData,
      'the values did arrive',
    );
    await group(async () => {
      for (const o of [[], ['-o', 'wide'], ['-o', 'json'], ['-o', 'yaml']]) {
        await kf(['status', ...H, '-A', ...o]);
        await kf(['status', 'federatedsecrets', 'db', '-n', ns, ...H, ...o]);
        await kf(['status', 'clusters', ...H, ...o]);
      }
      await kf(['status', 'federatedsecrets', 'nope', '-n', ns, ...H]);
      await kf(['orphaning-deletion', 'status', 'federatedsecrets', 'db', '-n', ns, ...H]);
      await kf(['orphaning-deletion', 'enable', 'federatedsecrets', 'db', '-n', ns, ...H, '--dry-run']);
      await kf(['orphaning-deletion', 'status', 'federatedsecrets', 'nope', '-n', ns, ...H], { code: 1 });
    });
    // An update, then a member copy that someone ran `kubectl apply` on, which is then removed.
    await host.mergePatch(FED_SECRETS, 'db', ns, { spec: { template: { data: { password: b64(fed.updated) } } } });
    await editor('cluster2').mergePatch(SECRETS, 'db', ns, {
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'db', namespace: ns },
            data: { password: b64(fed.overrideData) },
            stringData: { apiKey: fed.overrideString },
          }),
        },
      },
    });
    let removal: Run | undefined;
    await group(async () => {
      await kf(['diff', ...P], { code: 1 });
      await kf(['propagate', ...P, '-o', 'json']);
      await host.mergePatch(FED_SECRETS, 'db', ns, { spec: { placement: { clusters: [{ name: 'cluster1' }] } } });
      removal = await kf(['diff', ...P], { code: 1 });
      await kf(['propagate', ...P, '-o', 'yaml']);
    });
    assert.ok(
      /cluster2\/secret\/.*\(deleted\)/.test(removal?.stdout ?? ''),
      'diff shows the member copy that would be deleted',
    );
  });

  it('failing host-mode commands: bad context, 401, 403, basic auth, a password in the URL, exec plugins', () =>
    group(async () => {
      for (const context of [
        'nope',
        'restricted',
        'badtoken',
        'basic',
        'exec-badversion',
        'exec-badtime',
        'exec-fails',
        'exec-notjson',
      ]) {
        await kf(['status', '--host-cluster-context', context], { code: 1 });
        await kf(['propagate', '-n', ns, '--host-cluster-context', context, '-o', 'json'], { code: 'nonzero' });
        await kf(['diff', '-n', ns, '--host-cluster-context', context], { code: 2 });
      }
      await kf(['status', 'clusters', '--host-cluster-context', 'exec-rejected', '-o', 'yaml'], { code: 1 });
      await kf(['init', '--host-cluster-context', 'restricted'], { code: 1 });
      await kf(['status', 'clusters', '--host-cluster-context', 'userinfo', '-o', 'json']);
      await kf(['status', 'clusters', '--host-cluster-context', 'certs', '-o', 'yaml']);
      await kf(['propagate', '-n', ns, '--host-cluster-context', 'certs', '--dry-run=client', '-o', 'json']);
      await kf(['enable', 'secrets', '--host-cluster-context', 'userinfo', '--dry-run=server', '-o', 'yaml']);
      await kf(['status', '--host-cluster-context', 'userinfo', '--request-timeout', '1ms'], { code: 'nonzero' });
    }));

  it('file mode: propagate, diff and render of a FederatedSecret with data, stringData and overrides', async () => {
    const objects = join(dir, 'objects.yaml');
    const clusters = join(dir, 'clusters.yaml');
    writeFileSync(
      clusters,
      ['cluster2', 'cluster3']
        .map((c) =>
          stringify({
            apiVersion: 'core.kubefed.io/v1beta1',
            kind: 'KubeFedCluster',
            metadata: { name: c },
            spec: { kubeconfigContext: c },
          }),
        )
        .join('---\n'),
    );
    const write = (data: string) =>
      writeFileSync(
        objects,
        [
          {
            apiVersion: 'types.kubefed.io/v1beta1',
            kind: 'FederatedNamespace',
            metadata: { name: fileNs, namespace: fileNs },
            spec: { placement: { clusterSelector: {} } },
          },
          {
            apiVersion: 'types.kubefed.io/v1beta1',
            kind: 'FederatedSecret',
            metadata: { name: 'api', namespace: fileNs },
            spec: {
              template: { data: { password: b64(data) }, stringData: { apiKey: file.stringData } },
              placement: { clusterSelector: {} },
              overrides: [
                {
                  clusterName: 'cluster3',
                  clusterOverrides: [{ path: '/data/password', value: b64(file.overrideData) }],
                },
              ],
            },
          },
        ]
          .map((d) => stringify(d))
          .join('---\n'),
      );
    write(file.data);
    const F = ['-f', objects, '--clusters', clusters];
    await group(async () => {
      await kf(['diff', ...F], { code: 1 });
      await kf(['propagate', ...F, '--dry-run=client', '-o', 'yaml']);
      await kf(['propagate', ...F]);
      for (const o of ['json', 'yaml']) await kf(['propagate', ...F, '-o', o]);
      write(file.updated);
      await kf(['diff', ...F], { code: 1 });
      await kf(['propagate', ...F, '-o', 'json']);
      await kf(['diff', '-f', join(dir, 'missing.yaml'), '--clusters', clusters], { code: 2 });
    });
    // render's output is the manifests to apply (ADR 0004): the values of the input files, and nothing else.
    for (const o of ['yaml', 'json']) {
      const r = await kf(['render', ...F, '-o', o], {
        allowed: /^file FederatedSecret value (updated|stringData|overrideData)/,
      });
      assert.ok(r.stdout.includes(b64(file.updated)), 'render prints what would be applied');
      assertNoLeaks([r]);
    }
  });

  it('unjoin', () =>
    group(async () => {
      await kf(['unjoin', 'cluster1', ...H, '--dry-run']);
      await kf(['unjoin', 'cluster2', ...H]);
      await kf(['unjoin', 'cluster2', ...H], { code: 1 });
      await kf(['unjoin', 'cluster3', '--host-cluster-context', 'restricted'], { code: 1 });
      await kf(['unjoin', 'cluster1', ...H]);
    }));

  it('all output, scanned again with every secret the test knows', () => {
    assertNoLeaks();
    assert.ok(runs.length > 100, `only ${runs.length} runs`);
    assert.ok(known.length > 40, `only ${known.length} secret values known`);
  });
});
