import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { apiErrorFromResponse, ClusterUnreachableError } from '../../src/kube/api-error.js';
import { parseExecCredential } from '../../src/kube/exec-credentials.js';
import { memoryIO, redactingIO } from '../../src/output/io.js';
import { printObjects } from '../../src/output/printers.js';
import {
  clearCredentials,
  maskSecretPair,
  maskSecretValues,
  redact,
  registerCredential,
} from '../../src/util/secrets.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const secret = () => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'Opaque',
  metadata: {
    name: 's',
    namespace: 'n',
    labels: { app: 'x' },
    annotations: { [LAST_APPLIED]: '{"data":{"password":"aHVudGVyMg=="}}', keep: 'me' },
  },
  data: { password: 'aHVudGVyMg==', 'ca.crt': 'LS0t' },
  stringData: { user: 'admin' },
});

const federatedSecret = () => ({
  apiVersion: 'types.kubefed.io/v1beta1',
  kind: 'FederatedSecret',
  metadata: {
    name: 's',
    namespace: 'n',
    annotations: { [LAST_APPLIED]: '{"spec":{"template":{"data":{"password":"aHVudGVyMg=="}}}}' },
  },
  spec: {
    template: {
      metadata: { labels: { app: 'x' } },
      type: 'Opaque',
      data: { password: 'aHVudGVyMg==' },
      stringData: { user: 'admin' },
    },
    placement: { clusters: [{ name: 'c1' }] },
    overrides: [
      {
        clusterName: 'c1',
        clusterOverrides: [
          { path: '/data/password', value: 'c2VjcmV0' },
          { path: '/stringData', value: { user: 'root', token: 'abc' } },
          { path: '/stringData/user', op: 'remove' },
          { path: '/metadata/labels/app', value: 'visible' },
          { path: '/type', value: 'kubernetes.io/tls' },
        ],
      },
    ],
  },
});

describe('maskSecretValues', () => {
  it('masks data and stringData of a Secret, keeping keys and everything else', () => {
    const masked = maskSecretValues(secret());
    assert.deepEqual(masked.data, { password: '***', 'ca.crt': '***' });
    assert.deepEqual(masked.stringData, { user: '***' });
    assert.equal(masked.metadata.annotations[LAST_APPLIED], '***', 'kubectl apply keeps the values in this annotation');
    assert.equal(masked.metadata.annotations.keep, 'me');
    assert.deepEqual(masked.metadata.labels, { app: 'x' });
    assert.equal(masked.type, 'Opaque');
  });

  it('does not change its input', () => {
    const input = secret();
    maskSecretValues(input);
    assert.deepEqual(input, secret());
  });

  it('masks a FederatedSecret: template values, and overrides of /data and /stringData only', () => {
    const masked = maskSecretValues(federatedSecret());
    assert.deepEqual(masked.spec.template.data, { password: '***' });
    assert.deepEqual(masked.spec.template.stringData, { user: '***' });
    assert.deepEqual(masked.spec.template.metadata, { labels: { app: 'x' } });
    assert.equal(masked.metadata.annotations[LAST_APPLIED], '***');
    assert.deepEqual(masked.spec.overrides[0]?.clusterOverrides, [
      { path: '/data/password', value: '***' },
      { path: '/stringData', value: { user: '***', token: '***' } },
      { path: '/stringData/user', op: 'remove' },
      { path: '/metadata/labels/app', value: 'visible' },
      { path: '/type', value: 'kubernetes.io/tls' },
    ]);
    assert.deepEqual(masked.spec.placement, { clusters: [{ name: 'c1' }] });
  });

  it('masks the items of a List, and leaves other kinds alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { password: 'plain' } };
    const list = { apiVersion: 'v1', kind: 'List', items: [cm, secret(), federatedSecret()] };
    const masked = maskSecretValues(list);
    assert.deepEqual(masked.items[0], cm);
    assert.deepEqual((masked.items[1] as ReturnType<typeof secret>).data, { password: '***', 'ca.crt': '***' });
    assert.deepEqual((masked.items[2] as ReturnType<typeof federatedSecret>).spec.template.data, { password: '***' });
    assert.equal(maskSecretValues(cm), cm);
    assert.equal(maskSecretValues(undefined), undefined);
  });

  it('copes with Secrets that have no values and with odd shapes', () => {
    assert.deepEqual(maskSecretValues({ kind: 'Secret', metadata: { name: 'x' }, data: {} }), {
      kind: 'Secret',
      metadata: { name: 'x' },
      data: {},
    });
    assert.deepEqual(
      maskSecretValues({
        kind: 'FederatedSecret',
        spec: { overrides: [{ clusterName: 'a' }, null, { clusterOverrides: [null, { path: 3 }] }] },
      }),
      {
        kind: 'FederatedSecret',
        spec: { overrides: [{ clusterName: 'a' }, null, { clusterOverrides: [null, { path: 3 }] }] },
      },
    );
    assert.deepEqual(maskSecretValues({ kind: 'Secret', data: { empty: '', gone: null } }), {
      kind: 'Secret',
      data: { empty: '***', gone: null },
    });
  });
});

describe('maskSecretPair (diff)', () => {
  it('tells unchanged values from changed ones without showing either', () => {
    const before = federatedSecret();
    const after = federatedSecret();
    after.spec.template.data.password = 'bmV3';
    const [b, a] = maskSecretPair(before, after);
    assert.equal(b.spec.template.data.password, '*** (before)');
    assert.equal(a.spec.template.data.password, '*** (after)');
    assert.equal(a.spec.template.stringData.user, '***');
    assert.equal(a.spec.overrides[0]?.clusterOverrides[0]?.value, '***');
  });
  it('works with one side missing', () => {
    const [b, a] = maskSecretPair(undefined, secret());
    assert.equal(b, undefined);
    assert.deepEqual(a?.data, { password: '*** (after)', 'ca.crt': '*** (after)' });
  });
});

describe('printObjects', () => {
  const print = (format: 'yaml' | 'json' | 'name', opts?: { showSecretValues?: boolean }) => {
    let text = '';
    printObjects([secret(), federatedSecret()], format, (t) => (text += t), opts);
    return text;
  };
  it('prints Secret values masked in yaml and json', () => {
    for (const format of ['yaml', 'json'] as const) {
      const text = print(format);
      assert.doesNotMatch(text, /aHVudGVyMg==|c2VjcmV0|admin|root/);
      assert.match(text, /password/);
    }
    assert.equal(print('name'), 'secret/s\nfederatedsecret.types.kubefed.io/s\n');
  });
  it('prints them as they are only when asked to (federate manifests)', () => {
    assert.match(print('yaml', { showSecretValues: true }), /aHVudGVyMg==/);
  });
});

describe('redact', () => {
  afterEach(() => clearCredentials());
  it('removes registered credentials, also in base64, and passwords in URLs', () => {
    registerCredential('eyJhbGciOi.payload-part.signature-part');
    registerCredential('short');
    const b64 = Buffer.from('eyJhbGciOi.payload-part.signature-part').toString('base64');
    assert.equal(redact(`token eyJhbGciOi.payload-part.signature-part and ${b64}; short`), 'token *** and ***; short');
    assert.equal(
      redact('GET https://user:pa55word@10.0.0.1:6443/api 200'),
      'GET https://user:***@10.0.0.1:6443/api 200',
    );
    assert.equal(redact('mail me at a@b.c, see https://10.0.0.1/x'), 'mail me at a@b.c, see https://10.0.0.1/x');
  });
  it('redacts everything written to stderr by a redacting IO, and nothing on stdout', () => {
    registerCredential('super-secret-token');
    const io = memoryIO();
    const wrapped = redactingIO(io);
    wrapped.err('error: super-secret-token refused\n');
    wrapped.out('data: super-secret-token\n');
    assert.equal(io.stderr(), 'error: *** refused\n');
    assert.equal(io.stdout(), 'data: super-secret-token\n');
  });
  it('API errors never carry a registered credential or a URL password', () => {
    registerCredential('super-secret-token');
    const api = apiErrorFromResponse('c1', 401, 'Unauthorized: token super-secret-token', {
      verb: 'get',
      resource: 'secrets',
    });
    assert.doesNotMatch(`${api.message} ${api.serverMessage} ${api.stack ?? ''}`, /super-secret-token/);
    const unreachable = new ClusterUnreachableError(
      'c1',
      'https://u:pw-in-url@127.0.0.1:1',
      'ECONNREFUSED',
      'connect ECONNREFUSED',
      { verb: 'list' },
    );
    assert.doesNotMatch(`${unreachable.message} ${unreachable.server} ${unreachable.stack ?? ''}`, /pw-in-url/);
  });
});

describe('exec credential errors', () => {
  afterEach(() => clearCredentials());
  const config = { command: 'plugin', apiVersion: 'client.authentication.k8s.io/v1' };
  const output = (doc: object) =>
    JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', ...doc });
  it('never repeat the token the plugin printed', () => {
    const token = 'plugin-token-0123456789';
    const cases = [
      output({ apiVersion: 'client.authentication.k8s.io/v1beta1', status: { token } }),
      output({ status: { token, expirationTimestamp: token } }),
      output({ kind: token, status: { token } }),
      `token=${token}`,
      stringify({ status: { token } }),
    ];
    for (const text of cases)
      assert.throws(
        () => parseExecCredential(text, config),
        (e: Error) => !e.message.includes(token) && !(e.stack ?? '').includes(token),
        text,
      );
  });
  it('still say what was wrong', () => {
    assert.throws(
      () =>
        parseExecCredential(
          output({ apiVersion: 'client.authentication.k8s.io/v1beta1', status: { token: 'x'.repeat(20) } }),
          config,
        ),
      /apiVersion "client.authentication.k8s.io\/v1beta1", but the kubeconfig asked for client.authentication.k8s.io\/v1/,
    );
    assert.throws(
      () => parseExecCredential(output({ status: { token: 'x'.repeat(20), expirationTimestamp: 'soon' } }), config),
      /expirationTimestamp "soon" is not a timestamp/,
    );
  });
});
