// In-cluster configuration (src/kube/in-cluster.ts): when it applies, what it reads, how it fails,
// and that its token is treated as a credential. Offline: the service account folder is a temp dir.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { UserError } from '../../src/errors.js';
import { accessFromContext } from '../../src/kube/cluster-access.js';
import { ClientFactory } from '../../src/kube/factory.js';
import { IN_CLUSTER_NAME, SERVICE_ACCOUNT_DIR, inClusterServer, serviceAccountDir } from '../../src/kube/in-cluster.js';
import { clearCredentials, redact } from '../../src/util/secrets.js';
import { runCli } from '../cli.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.service-account-token-one';

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** A service account folder as the kubelet mounts it; `files` replaces or (undefined) leaves out entries. */
function serviceAccount(files: Record<string, string | undefined> = {}): string {
  const dir = tempDir('sa');
  const all: Record<string, string | undefined> = {
    token: `${TOKEN}\n`,
    'ca.crt': CA,
    namespace: 'kube-federation-system',
    ...files,
  };
  for (const [name, content] of Object.entries(all)) if (content !== undefined) writeFileSync(join(dir, name), content);
  return dir;
}

/** The environment of a pod: no KUBECONFIG, an empty home, the service variables. */
function podEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: tempDir('home'), KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', ...extra };
}

function factory(env: NodeJS.ProcessEnv, dir?: string, kubeconfig?: string): ClientFactory {
  return new ClientFactory({ ...(dir ? { serviceAccountDir: dir } : {}), ...(kubeconfig ? { kubeconfig } : {}) }, env);
}

/** A kubeconfig file with one context "file-ctx", as current-context. */
function kubeconfigFile(): string {
  const path = join(tempDir('kc'), 'config');
  writeFileSync(
    path,
    JSON.stringify({
      'current-context': 'file-ctx',
      clusters: [{ name: 'c', cluster: { server: 'https://from-file:6443' } }],
      users: [{ name: 'u', user: { token: 'file-token-1234567890' } }],
      contexts: [{ name: 'file-ctx', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  return path;
}

const userError =
  (...parts: string[]) =>
  (e: unknown) =>
    e instanceof UserError && parts.every((p) => `${e.message} ${e.hint ?? ''}`.includes(p));

afterEach(() => clearCredentials());

describe('in-cluster server address', () => {
  it('is https://HOST:PORT from the service variables', () => {
    assert.equal(inClusterServer(podEnv()), 'https://10.96.0.1:443');
  });
  it('puts an IPv6 host in brackets', () => {
    assert.equal(inClusterServer(podEnv({ KUBERNETES_SERVICE_HOST: 'fd00:10:96::1' })), 'https://[fd00:10:96::1]:443');
  });
  it('does not bracket a host twice', () => {
    assert.equal(inClusterServer(podEnv({ KUBERNETES_SERVICE_HOST: '[fd00::1]' })), 'https://[fd00::1]:443');
  });
  it('is undefined when either variable is unset or empty', () => {
    assert.equal(inClusterServer({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }), undefined);
    assert.equal(inClusterServer({ KUBERNETES_SERVICE_PORT: '443' }), undefined);
    assert.equal(inClusterServer({ KUBERNETES_SERVICE_HOST: '', KUBERNETES_SERVICE_PORT: '443' }), undefined);
  });
});

describe('when the in-cluster configuration is used', () => {
  it('no kubeconfig anywhere, in a pod: the service account, with the namespace from its file', () => {
    const ctx = factory(podEnv(), serviceAccount()).context(undefined, '--host-cluster-context');
    assert.equal(ctx.contextName, IN_CLUSTER_NAME);
    assert.equal(ctx.cluster.server, 'https://10.96.0.1:443');
    assert.equal(ctx.user.token, TOKEN, 'the token, without its trailing newline');
    assert.equal(Buffer.from(ctx.cluster['certificate-authority-data'] ?? '', 'base64').toString(), CA);
    assert.equal(ctx.namespace, 'kube-federation-system');
  });
  it('an empty KUBECONFIG, or one naming only missing or empty files, still counts as no kubeconfig', () => {
    const empty = join(tempDir('kc'), 'empty');
    writeFileSync(empty, '');
    for (const KUBECONFIG of ['', '/no/such/file', empty]) {
      const ctx = factory(podEnv({ KUBECONFIG }), serviceAccount()).context(undefined, '--host-cluster-context');
      assert.equal(ctx.contextName, IN_CLUSTER_NAME, `KUBECONFIG=${JSON.stringify(KUBECONFIG)}`);
    }
  });
  it('a kubeconfig from KUBECONFIG wins over the pod', () => {
    const ctx = factory(podEnv({ KUBECONFIG: kubeconfigFile() }), serviceAccount()).context(undefined, '--context');
    assert.equal(ctx.contextName, 'file-ctx');
  });
  it('~/.kube/config wins over the pod', () => {
    const home = tempDir('home');
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), JSON.stringify({ 'current-context': 'x' }));
    const f = factory(podEnv({ HOME: home }), serviceAccount());
    // The file sets a current-context that does not exist: the kubeconfig's own error, not the pod.
    assert.throws(() => f.context(undefined, '--context'), userError('context "x" not found'));
  });
  it('--kubeconfig is always used, even when the file is empty', () => {
    const empty = join(tempDir('kc'), 'empty');
    writeFileSync(empty, '');
    assert.throws(
      () => factory(podEnv(), serviceAccount(), empty).context(undefined, '--host-cluster-context'),
      userError('no context selected'),
    );
  });
  it('outside a pod (no service variables) no kubeconfig is the usual error', () => {
    assert.throws(
      () => factory({ HOME: tempDir('home') }, serviceAccount()).context(undefined, '--host-cluster-context'),
      userError('no context selected', '--host-cluster-context'),
    );
  });
  it('a context name asked for in a pod without kubeconfig is an error naming the flag and the name', () => {
    assert.throws(
      () => factory(podEnv(), serviceAccount()).context('cluster1', '--host-cluster-context'),
      userError('--host-cluster-context "cluster1"', 'no kubeconfig', 'service account', '--kubeconfig'),
    );
  });
});

describe('what the in-cluster configuration reads', () => {
  it('POD_NAMESPACE wins over the namespace file', () => {
    const ctx = factory(podEnv({ POD_NAMESPACE: 'from-env' }), serviceAccount()).context(undefined, '--context');
    assert.equal(ctx.namespace, 'from-env');
  });
  it('without a namespace file the namespace is "default"', () => {
    const ctx = factory(podEnv(), serviceAccount({ namespace: undefined })).context(undefined, '--context');
    assert.equal(ctx.namespace, 'default');
  });
  it('reads the token again each time: a rotated token is used by the next client', () => {
    const dir = serviceAccount();
    const f = factory(podEnv(), dir);
    assert.equal(f.context(undefined, '--context').user.token, TOKEN);
    writeFileSync(join(dir, 'token'), 'eyJhbGciOiJSUzI1NiJ9.service-account-token-two');
    assert.equal(f.context(undefined, '--context').user.token, 'eyJhbGciOiJSUzI1NiJ9.service-account-token-two');
  });
  it('builds a cluster access with the token and the CA', () => {
    const access = accessFromContext(factory(podEnv(), serviceAccount()).context(undefined, '--context'));
    assert.equal(access.server, 'https://10.96.0.1:443');
    assert.equal(access.token, TOKEN);
    assert.equal(access.caData?.toString(), CA);
    assert.equal(access.insecureSkipTLSVerify, false);
  });
  it('the token is redacted from errors and logs once it was read', () => {
    factory(podEnv(), serviceAccount()).context(undefined, '--context');
    assert.equal(
      redact(`Authorization: Bearer ${TOKEN}; ${Buffer.from(TOKEN).toString('base64')}`),
      'Authorization: Bearer ***; ***',
    );
  });
  it('the folder is the kubelet one unless the test variable names another', () => {
    assert.equal(SERVICE_ACCOUNT_DIR, '/var/run/secrets/kubernetes.io/serviceaccount');
    assert.equal(serviceAccountDir({}), SERVICE_ACCOUNT_DIR);
    assert.equal(serviceAccountDir({ KUBEFEDCTL_SERVICE_ACCOUNT_DIR: '' }), SERVICE_ACCOUNT_DIR);
    assert.equal(serviceAccountDir({ KUBEFEDCTL_SERVICE_ACCOUNT_DIR: '/tmp/sa' }), '/tmp/sa');
    const dir = serviceAccount({ namespace: 'via-env' });
    const ctx = factory(podEnv({ KUBEFEDCTL_SERVICE_ACCOUNT_DIR: dir })).context(undefined, '--context');
    assert.equal(ctx.namespace, 'via-env');
  });
});

describe('in-cluster errors name the file', () => {
  const contextOf = (dir: string) => () => factory(podEnv(), dir).context(undefined, '--host-cluster-context');
  it('a missing token', () => {
    const dir = serviceAccount({ token: undefined });
    assert.throws(contextOf(dir), userError(join(dir, 'token'), 'ENOENT', 'automountServiceAccountToken'));
  });
  it('an empty token', () => {
    const dir = serviceAccount({ token: '\n' });
    assert.throws(contextOf(dir), userError(join(dir, 'token'), 'is empty'));
  });
  it('a missing CA', () => {
    const dir = serviceAccount({ 'ca.crt': undefined });
    assert.throws(contextOf(dir), userError(join(dir, 'ca.crt'), 'ENOENT'));
  });
  it('a CA that is no PEM certificate', () => {
    const dir = serviceAccount({ 'ca.crt': 'not a certificate' });
    assert.throws(contextOf(dir), userError(join(dir, 'ca.crt'), 'no PEM certificate'));
  });
});

describe('in-cluster from the command line', () => {
  const env = (dir: string) => ({
    KUBECONFIG: undefined,
    HOME: tempDir('home'),
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: '1',
    KUBEFEDCTL_SERVICE_ACCOUNT_DIR: dir,
  });
  it('propagate without a token file fails with the file named', async () => {
    const dir = serviceAccount({ token: undefined });
    const r = await runCli(['propagate'], { env: env(dir) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`cannot read the service account token ${join(dir, 'token')}: ENOENT`));
  });
  it('propagate --host-cluster-context in a pod without kubeconfig says there is no context', async () => {
    const r = await runCli(['propagate', '--host-cluster-context', 'cluster1'], { env: env(serviceAccount()) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--host-cluster-context "cluster1" names a kubeconfig context, but there is no kubeconfig/);
  });
  it('an unreachable in-cluster server is reported by its address, and the token is never printed', async () => {
    const r = await runCli(['propagate', '-v=6'], { env: env(serviceAccount()) });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /127\.0\.0\.1:1/);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token is not printed');
  });
});
