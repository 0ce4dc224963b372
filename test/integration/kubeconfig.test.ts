// kubectl's kubeconfig rules and connection settings, checked against the real API servers.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeClients, kubeconfigDoc, kubefedctl, testClusters, writeKubeconfig } from './harness.js';

const HOST = 'cluster1';

/** A probe that needs a working, authenticated connection to the host: a client-side dry run of init. */
async function probe(kubeconfig: string | undefined, context?: string) {
  return kubefedctl(['init', '--dry-run', ...(context ? ['--host-cluster-context', context] : [])], {
    env: { KUBECONFIG: kubeconfig },
  });
}

/** The pieces of the test kubeconfig for one context. */
function pieces(context: string) {
  const doc = kubeconfigDoc();
  const ctx = doc.contexts.find((c) => c.name === context);
  const cluster = doc.clusters.find((c) => c.name === ctx?.context['cluster']);
  const user = doc.users.find((u) => u.name === ctx?.context['user']);
  assert.ok(ctx && cluster && user);
  return {
    server: cluster.cluster['server'] as string,
    ca: cluster.cluster['certificate-authority-data'] as string,
    token: user.user['token'] as string,
  };
}

function singleContext(
  name: string,
  cluster: Record<string, unknown>,
  user: Record<string, unknown>,
  extra: object = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    ...extra,
  };
}

describe('kubeconfig handling against real clusters', () => {
  before(async () => {
    assert.equal((await kubefedctl(['init', '--host-cluster-context', HOST])).code, 0);
  });
  after(() => closeClients());

  it('KUBECONFIG lists are merged: the first file that defines a name wins', async () => {
    const { server, ca } = pieces(HOST);
    const wrong = writeKubeconfig(
      singleContext(HOST, { server, 'certificate-authority-data': ca }, { token: 'not-a-valid-token' }),
    );
    const real = kubeconfigDoc();
    const realPath = writeKubeconfig(real);
    const wrongFirst = await probe([wrong, realPath].join(delimiter), HOST);
    assert.equal(wrongFirst.code, 1);
    assert.match(wrongFirst.stderr, /Unauthorized|credentials .* were refused/);
    const realFirst = await probe([realPath, wrong].join(delimiter), HOST);
    assert.equal(realFirst.code, 0, realFirst.stderr);
  });

  it('current-context comes from the first file that sets it', async () => {
    const real = kubeconfigDoc();
    const noCurrent = writeKubeconfig({ ...real, 'current-context': undefined, contexts: real.contexts });
    const pointsAtCluster2 = writeKubeconfig({ apiVersion: 'v1', kind: 'Config', 'current-context': 'cluster2' });
    const realPath = writeKubeconfig(real); // current-context cluster1
    const r = await probe([noCurrent, pointsAtCluster2, realPath].join(delimiter));
    // cluster2 has no KubeFed API, so everything would be created there.
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kubefedconfig\.core\.kubefed\.io\/kubefed created \(dry run\)/);
    const hostFirst = await probe([realPath, pointsAtCluster2].join(delimiter));
    assert.match(hostFirst.stdout, /kubefedconfig\.core\.kubefed\.io\/kubefed unchanged \(dry run\)/);
  });

  it('--kubeconfig reads only that file', async () => {
    const { server, ca } = pieces(HOST);
    const wrong = writeKubeconfig(singleContext(HOST, { server, 'certificate-authority-data': ca }, { token: 'nope' }));
    const r = await kubefedctl(['init', '--dry-run', '--kubeconfig', wrong, '--host-cluster-context', 'cluster2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /context "cluster2" not found/);
  });

  it('CA and token files are read relative to the kubeconfig', async () => {
    const { server, ca, token } = pieces(HOST);
    const dir = mkdtempSync(join(tmpdir(), 'kf-files-'));
    writeFileSync(join(dir, 'ca.crt'), Buffer.from(ca, 'base64'));
    writeFileSync(join(dir, 'token'), `${token}\n`);
    const path = join(dir, 'config');
    writeFileSync(
      path,
      JSON.stringify(singleContext('files', { server, 'certificate-authority': 'ca.crt' }, { tokenFile: 'token' })),
    );
    const r = await probe(path);
    assert.equal(r.code, 0, r.stderr);
  });

  it('a server certificate that cannot be verified is refused; insecure-skip-tls-verify accepts it', async () => {
    const { server, token } = pieces(HOST);
    const noCa = await probe(writeKubeconfig(singleContext('no-ca', { server }, { token })));
    assert.equal(noCa.code, 1);
    assert.match(noCa.stderr, /certificate/i);
    assert.match(noCa.stderr, /hint: check certificate-authority/);
    const insecure = await probe(
      writeKubeconfig(singleContext('insecure', { server, 'insecure-skip-tls-verify': true }, { token })),
    );
    assert.equal(insecure.code, 0, insecure.stderr);
  });

  it('tls-server-name is used to verify the certificate', async () => {
    const { server, ca, token } = pieces(HOST);
    // The generated serving certificate names "kubernetes.default" besides 127.0.0.1.
    const right = await probe(
      writeKubeconfig(
        singleContext(
          'sni',
          { server, 'certificate-authority-data': ca, 'tls-server-name': 'kubernetes.default' },
          { token },
        ),
      ),
    );
    assert.equal(right.code, 0, right.stderr);
    const wrong = await probe(
      writeKubeconfig(
        singleContext(
          'sni',
          { server, 'certificate-authority-data': ca, 'tls-server-name': 'wrong.example' },
          { token },
        ),
      ),
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong\.example/);
  });

  it('proxy-url sends the connection through an HTTP CONNECT proxy', async () => {
    const { server, ca, token } = pieces(HOST);
    const tunnels: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as net.AddressInfo).port;
      const r = await probe(
        writeKubeconfig(
          singleContext(
            'proxied',
            { server, 'certificate-authority-data': ca, 'proxy-url': `http://127.0.0.1:${port}` },
            { token },
          ),
        ),
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(tunnels.length >= 1, 'the proxy was used');
      assert.equal(tunnels[0], new URL(server).host);
    } finally {
      proxy.close();
      proxy.closeAllConnections();
    }
  });

  it('exec credential plugins are run once per command, with KUBERNETES_EXEC_INFO', async () => {
    const { server, ca, token } = pieces(HOST);
    const dir = mkdtempSync(join(tmpdir(), 'kf-exec-'));
    const plugin = join(dir, 'plugin.mjs');
    writeFileSync(
      plugin,
      [
        '#!/usr/bin/env node',
        "import { appendFileSync } from 'node:fs';",
        "appendFileSync(process.env.CALLS_FILE, process.env.KUBERNETES_EXEC_INFO + '\\n');",
        "console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: process.env.PLUGIN_TOKEN } }));",
      ].join('\n'),
    );
    chmodSync(plugin, 0o755);
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: './plugin.mjs',
      interactiveMode: 'Never',
      provideClusterInfo: true,
      env: [
        { name: 'PLUGIN_TOKEN', value: token },
        { name: 'CALLS_FILE', value: calls },
      ],
    };
    const path = join(dir, 'config');
    writeFileSync(path, JSON.stringify(singleContext('exec', { server, 'certificate-authority-data': ca }, { exec })));
    const r = await probe(path);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1, 'the credential is cached for the whole run');
    const info = JSON.parse(lines[0] ?? '{}') as {
      kind: string;
      spec: { interactive: boolean; cluster: { server: string } };
    };
    assert.equal(info.kind, 'ExecCredential');
    assert.equal(info.spec.interactive, false);
    assert.equal(info.spec.cluster.server, server);

    const missing = join(dir, 'missing-config');
    writeFileSync(
      missing,
      JSON.stringify(
        singleContext(
          'exec',
          { server, 'certificate-authority-data': ca },
          {
            exec: {
              ...exec,
              command: 'no-such-plugin-xyz',
              installHint: 'install no-such-plugin-xyz from your cloud provider',
            },
          },
        ),
      ),
    );
    const bad = await probe(missing);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /exec credential plugin "no-such-plugin-xyz" \(context "exec"\) could not be started: command not found/,
    );
    assert.match(bad.stderr, /hint: install no-such-plugin-xyz from your cloud provider/);
  });
});

describe('client certificate authentication', () => {
  after(() => closeClients());
  it('a client certificate and key given as files relative to the kubeconfig authenticate', async () => {
    const path = join(testClusters().dir, 'kubeconfig-certs');
    const r = await probe(path, HOST);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kubefedconfig\.core\.kubefed\.io\/kubefed unchanged \(dry run\)/);
  });
  it('a certificate without its key is not accepted', async () => {
    const { server, ca } = pieces(HOST);
    const certOnly = writeKubeconfig(
      singleContext(
        'cert-only',
        { server, 'certificate-authority-data': ca },
        { 'client-certificate': join(testClusters().dir, 'cluster1', 'admin.crt') },
      ),
    );
    const r = await probe(certOnly);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has a client certificate but no client-key; both are needed/);
  });
});
