import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, retryAfterMs } from '../../src/kube/transport.js';
import { parseDurationMs } from '../../src/util/duration.js';
import { execInfo, parseExecCredential } from '../../src/kube/exec-credentials.js';
import { apiErrorFromResponse, explainClusterError } from '../../src/kube/api-error.js';

describe('retry timing', () => {
  it('backs off exponentially with a cap', () => {
    const none = () => 0;
    assert.deepEqual(
      [0, 1, 2, 3, 10].map((a) => backoffMs(a, none)),
      [250, 500, 1000, 2000, 8000],
    );
  });
  it('reads Retry-After seconds and caps it', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(['3']), 3000);
    assert.equal(retryAfterMs('3600'), 30_000);
    assert.equal(retryAfterMs(undefined), undefined);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT'), undefined);
  });
});

describe('durations', () => {
  it('parses kubectl request timeouts', () => {
    assert.equal(parseDurationMs('0'), 0);
    assert.equal(parseDurationMs('30'), 30_000);
    assert.equal(parseDurationMs('500ms'), 500);
    assert.equal(parseDurationMs('1m30s'), 90_000);
    assert.equal(parseDurationMs('1.5s'), 1500);
    assert.equal(parseDurationMs('soon'), undefined);
    assert.equal(parseDurationMs('-1s'), undefined);
  });
});

describe('exec credentials', () => {
  const config = { command: 'x', apiVersion: 'client.authentication.k8s.io/v1' };
  it('accepts a token with an expiry', () => {
    const r = parseExecCredential(
      JSON.stringify({
        apiVersion: config.apiVersion,
        kind: 'ExecCredential',
        status: { token: 't', expirationTimestamp: '2030-01-01T00:00:00Z' },
      }),
      config,
    );
    assert.equal(r.token, 't');
    assert.equal(r.expiresAt, Date.parse('2030-01-01T00:00:00Z'));
  });
  it('accepts a client certificate and key', () => {
    const r = parseExecCredential(
      JSON.stringify({
        apiVersion: config.apiVersion,
        kind: 'ExecCredential',
        status: { clientCertificateData: 'C', clientKeyData: 'K' },
      }),
      config,
    );
    assert.equal(r.certData?.toString(), 'C');
    assert.equal(r.expiresAt, undefined);
  });
  it('rejects output of the wrong apiVersion, kind, or without credentials', () => {
    assert.throws(() => parseExecCredential('not json', config), /not a JSON ExecCredential/);
    assert.throws(
      () =>
        parseExecCredential(
          JSON.stringify({
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            kind: 'ExecCredential',
            status: { token: 't' },
          }),
          config,
        ),
      /asked for client.authentication.k8s.io\/v1/,
    );
    assert.throws(
      () => parseExecCredential(JSON.stringify({ apiVersion: config.apiVersion, kind: 'Pod' }), config),
      /want ExecCredential/,
    );
    assert.throws(
      () =>
        parseExecCredential(
          JSON.stringify({ apiVersion: config.apiVersion, kind: 'ExecCredential', status: {} }),
          config,
        ),
      /neither a token/,
    );
  });
  it('passes cluster information only when asked', () => {
    const access = { name: 'c', server: 'https://s', insecureSkipTLSVerify: false, caData: Buffer.from('CA') };
    assert.deepEqual(execInfo(config, access), {
      apiVersion: config.apiVersion,
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    assert.deepEqual(execInfo({ ...config, provideClusterInfo: true }, access), {
      apiVersion: config.apiVersion,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: { server: 'https://s', 'certificate-authority-data': Buffer.from('CA').toString('base64') },
      },
    });
  });
});

describe('API error translation', () => {
  it('names the cluster, the request and the causes', () => {
    const body = JSON.stringify({
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      message: 'Secret "x" is invalid',
      code: 422,
      details: { causes: [{ field: 'metadata.name', message: 'bad name' }] },
    });
    const err = apiErrorFromResponse('cluster2', 422, body, {
      verb: 'create',
      resource: 'secrets',
      name: 'x',
      namespace: 'ns',
    });
    assert.equal(err.message, 'cluster2: create secrets "x" in namespace "ns": Secret "x" is invalid');
    assert.deepEqual(explainClusterError(err)?.details, ['metadata.name: bad name']);
  });
  it('explains a 403 as an RBAC problem', () => {
    const err = apiErrorFromResponse('c', 403, '{"reason":"Forbidden","message":"no"}', {
      verb: 'list',
      resource: 'nodes',
    });
    assert.match(explainClusterError(err)?.hint ?? '', /RBAC permission to list nodes/);
  });
  it('keeps a non-JSON body as the message', () => {
    const err = apiErrorFromResponse('c', 502, 'bad gateway', { verb: 'get' });
    assert.equal(err.reason, 'HTTP502');
    assert.equal(err.serverMessage, 'bad gateway');
  });
});
