import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ValidationError, UserError } from '../../src/errors.js';
import { accessFromContext, accessFromKubeFedCluster, normaliseServer } from '../../src/kube/cluster-access.js';
import { kubeconfigPaths, loadKubeconfig, parseKubeconfig, resolveContext } from '../../src/kube/kubeconfig.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
}

function write(dir: string, name: string, doc: object | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const config = (prefix: string, opts: { current?: string; server?: string; token?: string } = {}) => ({
  apiVersion: 'v1',
  kind: 'Config',
  ...(opts.current ? { 'current-context': opts.current } : {}),
  clusters: [{ name: `${prefix}-cluster`, cluster: { server: opts.server ?? `https://${prefix}.example:6443` } }],
  users: [{ name: `${prefix}-user`, user: { token: opts.token ?? `${prefix}-token` } }],
  contexts: [{ name: prefix, context: { cluster: `${prefix}-cluster`, user: `${prefix}-user` } }],
});

describe('kubeconfig file selection', () => {
  it('--kubeconfig wins over KUBECONFIG and must exist', () => {
    const r = kubeconfigPaths({ explicitPath: '/x/explicit', envValue: '/a:/b', home: '/home/u' });
    assert.deepEqual(r, { paths: ['/x/explicit'], mustExist: true });
  });
  it('KUBECONFIG is a list split on the OS delimiter, empty entries and duplicates dropped', () => {
    const r = kubeconfigPaths({ envValue: ['/a', '', '/b', '/a'].join(delimiter), home: '/home/u' });
    assert.deepEqual(r, { paths: ['/a', '/b'], mustExist: false });
  });
  it('falls back to ~/.kube/config', () => {
    assert.deepEqual(kubeconfigPaths({ home: '/home/u' }), { paths: ['/home/u/.kube/config'], mustExist: false });
  });
  it('a missing --kubeconfig file is an error naming it', () => {
    assert.throws(
      () => loadKubeconfig({ explicitPath: '/does/not/exist' }),
      (e: Error) => e instanceof UserError && e.message.includes('/does/not/exist'),
    );
  });
  it('missing files in KUBECONFIG are ignored', () => {
    const dir = tempDir();
    const a = write(dir, 'a', config('a', { current: 'a' }));
    const merged = loadKubeconfig({ envValue: [join(dir, 'missing'), a].join(delimiter) });
    assert.deepEqual([...merged.contexts.keys()], ['a']);
    assert.equal(merged.currentContext, 'a');
  });
});

describe('kubeconfig merge (kubectl rules)', () => {
  it('the first file that defines a name wins', () => {
    const dir = tempDir();
    const first = write(dir, 'first', config('same', { server: 'https://first:6443', token: 'first-token' }));
    const second = write(dir, 'second', config('same', { server: 'https://second:6443', token: 'second-token' }));
    const merged = loadKubeconfig({ envValue: [first, second].join(delimiter) });
    const ctx = resolveContext(merged, 'same');
    assert.equal(ctx.cluster.server, 'https://first:6443');
    assert.equal(ctx.user.token, 'first-token');
    assert.equal(ctx.source, first);
  });
  it('current-context comes from the first file that sets it', () => {
    const dir = tempDir();
    const none = write(dir, 'none', config('n'));
    const b = write(dir, 'b', config('b', { current: 'b' }));
    const c = write(dir, 'c', config('c', { current: 'c' }));
    assert.equal(loadKubeconfig({ envValue: [none, b, c].join(delimiter) }).currentContext, 'b');
  });
  it('names from every file are available', () => {
    const dir = tempDir();
    const a = write(dir, 'a', config('a'));
    const b = write(dir, 'b', config('b'));
    const merged = loadKubeconfig({ envValue: [a, b].join(delimiter) });
    assert.deepEqual([...merged.contexts.keys()].sort(), ['a', 'b']);
    assert.equal(resolveContext(merged, 'b').user.token, 'b-token');
  });
  it('a context may use a cluster defined in another file', () => {
    const dir = tempDir();
    const clusters = write(dir, 'clusters', {
      clusters: [{ name: 'shared', cluster: { server: 'https://shared:6443' } }],
    });
    const ctxs = write(dir, 'ctxs', { contexts: [{ name: 'x', context: { cluster: 'shared' } }] });
    assert.equal(
      resolveContext(loadKubeconfig({ envValue: [ctxs, clusters].join(delimiter) }), 'x').cluster.server,
      'https://shared:6443',
    );
  });
  it('relative certificate paths are relative to the file that holds them', () => {
    const dir = tempDir();
    const path = write(dir, 'cfg', {
      clusters: [{ name: 'c', cluster: { server: 's', 'certificate-authority': 'ca.crt' } }],
      users: [
        {
          name: 'u',
          user: {
            'client-key': 'keys/k.pem',
            exec: { command: './bin/plugin', apiVersion: 'client.authentication.k8s.io/v1' },
          },
        },
      ],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    });
    const ctx = resolveContext(loadKubeconfig({ explicitPath: path }), 'x');
    assert.equal(ctx.cluster['certificate-authority'], join(dir, 'ca.crt'));
    assert.equal(ctx.user['client-key'], join(dir, 'keys/k.pem'));
    assert.equal(ctx.user.exec?.command, join(dir, 'bin/plugin'));
  });
  it('an exec command without a path separator is looked up on PATH', () => {
    const file = parseKubeconfig(
      JSON.stringify({ users: [{ name: 'u', user: { exec: { command: 'aws', args: ['eks', 'get-token'] } } }] }),
      '/cfg/file',
    );
    assert.equal(file.users[0]?.value.exec?.command, 'aws');
  });
});

describe('context resolution', () => {
  it('defaults to current-context', () => {
    const merged = loadKubeconfig({ explicitPath: write(tempDir(), 'k', config('a', { current: 'a' })) });
    assert.equal(resolveContext(merged, undefined).contextName, 'a');
  });
  it('an unknown context names the known ones', () => {
    const merged = loadKubeconfig({ explicitPath: write(tempDir(), 'k', config('a')) });
    assert.throws(
      () => resolveContext(merged, 'nope', '--cluster-context'),
      (e: Error) =>
        e instanceof UserError && /context "nope" not found/.test(e.message) && (e.hint ?? '').includes('a'),
    );
  });
  it('no current-context asks for the flag', () => {
    const merged = loadKubeconfig({ explicitPath: write(tempDir(), 'k', config('a')) });
    assert.throws(
      () => resolveContext(merged, undefined, '--host-cluster-context'),
      (e: Error) => e instanceof UserError && (e.hint ?? '').includes('--host-cluster-context'),
    );
  });
  it('a context naming a missing user is an error', () => {
    const merged = loadKubeconfig({
      explicitPath: write(tempDir(), 'k', {
        clusters: [{ name: 'c', cluster: { server: 's' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'ghost' } }],
      }),
    });
    assert.throws(() => resolveContext(merged, 'x'), /user "ghost"/);
  });
});

describe('kubeconfig YAML styles', () => {
  // kubectl writes block YAML (read by the fast reader); the other styles go to the yaml package.
  const block = [
    '# written by kubectl',
    'apiVersion: v1',
    'kind: Config',
    'current-context: kind-a',
    'clusters:',
    '- cluster:',
    '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
    '    server: https://127.0.0.1:6443',
    '  name: kind-a',
    'contexts:',
    '- context:',
    '    cluster: kind-a',
    '    namespace: "team-1"',
    '    user: kind-a',
    '  name: kind-a',
    'preferences: {}',
    'users:',
    '- name: kind-a',
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1',
    '      args:',
    '      - token',
    "      - '--cluster=a'",
    '      command: /usr/local/bin/plugin',
    '      env: null',
    '      provideClusterInfo: false',
    '',
  ].join('\n');
  const styles: [string, string][] = [
    ['block YAML, as kubectl writes it', block],
    ['with a document marker', `---\n${block}`],
    ['with CRLF line ends', block.replace(/\n/g, '\r\n')],
    ['indented sequences', block.replace(/^(- |  )/gm, (m) => `  ${m}`)],
    ['JSON', JSON.stringify(parseYaml(block))],
  ];
  for (const [name, text] of styles)
    it(`${name}: the same configuration`, () => {
      assert.deepEqual(parseKubeconfig(text, '/cfg/k'), parseKubeconfig(JSON.stringify(parseYaml(block)), '/cfg/k'));
    });
  it('a duplicate key is still an error naming the file', () => {
    assert.throws(
      () => parseKubeconfig('kind: Config\nkind: Config\n', '/tmp/dup.yaml'),
      (e: Error) => e instanceof ValidationError && /\/tmp\/dup\.yaml:\d+ is not valid YAML/.test(e.message),
    );
  });
});

describe('malformed kubeconfig', () => {
  it('invalid YAML names the file and line', () => {
    assert.throws(
      () => parseKubeconfig('clusters:\n  - name: a\n    cluster: [\n', '/tmp/bad.yaml'),
      (e: Error) => e instanceof ValidationError && /\/tmp\/bad\.yaml:\d+ is not valid YAML/.test(e.message),
    );
  });
  it('wrong field types name the field', () => {
    const text = JSON.stringify({ clusters: [{ name: 'a', cluster: { server: 42 } }], contexts: 'nope' });
    assert.throws(
      () => parseKubeconfig(text, '/tmp/k'),
      (e: Error) =>
        e instanceof ValidationError &&
        e.issues.includes('/tmp/k: clusters[0].cluster.server: must be a non-empty string') &&
        e.issues.includes('/tmp/k: contexts: must be a list'),
    );
  });
  it('a scalar document is rejected', () => {
    assert.throws(() => parseKubeconfig('just text', '/tmp/k'), ValidationError);
  });
  it('an empty file is an empty configuration', () => {
    assert.deepEqual(parseKubeconfig('', '/tmp/k').contexts, []);
  });
});

describe('cluster access', () => {
  it('defaults the scheme to https and drops trailing slashes', () => {
    assert.equal(normaliseServer('10.0.0.1:6443/'), 'https://10.0.0.1:6443');
    assert.equal(normaliseServer('http://x'), 'http://x');
  });
  it('copies TLS, proxy and credentials from the context', () => {
    const dir = tempDir();
    const tokenFile = write(dir, 'token', 'from-file\n');
    const merged = loadKubeconfig({
      explicitPath: write(dir, 'k', {
        clusters: [
          {
            name: 'c',
            cluster: {
              server: 'https://s:6443',
              'certificate-authority-data': Buffer.from('CA').toString('base64'),
              'tls-server-name': 'api.internal',
              'proxy-url': 'http://proxy:3128',
              'insecure-skip-tls-verify': false,
            },
          },
        ],
        users: [{ name: 'u', user: { tokenFile, as: 'jane', 'as-groups': ['devs'] } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      }),
    });
    const access = accessFromContext(resolveContext(merged, 'x'));
    assert.equal(access.caData?.toString(), 'CA');
    assert.equal(access.tlsServerName, 'api.internal');
    assert.equal(access.proxyUrl, 'http://proxy:3128');
    assert.equal(access.token, 'from-file');
    assert.deepEqual(access.impersonate, { user: 'jane', groups: ['devs'] });
    assert.equal(access.insecureSkipTLSVerify, false);
  });
  it('an unreadable certificate file names the context and the file', () => {
    const merged = loadKubeconfig({
      explicitPath: write(tempDir(), 'k', {
        clusters: [{ name: 'c', cluster: { server: 's', 'certificate-authority': '/nope/ca.crt' } }],
        contexts: [{ name: 'x', context: { cluster: 'c' } }],
      }),
    });
    assert.throws(
      () => accessFromContext(resolveContext(merged, 'x')),
      /context "x": cannot read certificate-authority file \/nope\/ca.crt/,
    );
  });
  it('maps KubeFedCluster TLS settings', () => {
    const spec = {
      apiEndpoint: 'https://m:6443',
      caBundle: Buffer.from('CA').toString('base64'),
      secretRef: { name: 's' },
      disabledTLSValidations: ['SubjectName', 'ValidityPeriod'],
      proxyURL: 'socks5://p:1080',
    };
    const access = accessFromKubeFedCluster('m', spec, { token: Buffer.from('tok').toString('base64') });
    assert.equal(access.token, 'tok');
    assert.equal(access.skipHostnameCheck, true);
    assert.equal(access.allowExpiredCertificate, true);
    assert.equal(access.insecureSkipTLSVerify, false);
    assert.equal(access.proxyUrl, 'socks5://p:1080');
    assert.equal(
      accessFromKubeFedCluster('m', { ...spec, disabledTLSValidations: ['*'] }, { token: 'dA==' })
        .insecureSkipTLSVerify,
      true,
    );
  });
  it('a KubeFedCluster Secret without a token is an error', () => {
    assert.throws(
      () => accessFromKubeFedCluster('m', { apiEndpoint: 'x', secretRef: { name: 's' } }, {}),
      /has no "token" key/,
    );
  });
});
