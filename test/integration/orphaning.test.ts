// orphaning-deletion against a real host cluster: the kubefed.io/orphan annotation, dry runs and
// idempotent writes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResourceType } from '../../src/api/objects.js';
import { CONFIG_MAPS, NAMESPACES } from '../../src/api/resources.js';
import { admin, closeClients, kubefedctl, uniqueName } from './harness.js';

const HOST = 'cluster1';
const H = ['--host-cluster-context', HOST];
const FED_CONFIG_MAPS: ResourceType = {
  group: 'types.kubefed.io',
  version: 'v1beta1',
  plural: 'federatedconfigmaps',
  kind: 'FederatedConfigMap',
  namespaced: true,
};

describe('orphaning-deletion', () => {
  const ns = uniqueName('orphan');
  const stored = async () => {
    const obj = await admin(HOST).get(FED_CONFIG_MAPS, 'keep', ns);
    assert.ok(obj, 'the federated object exists');
    return { rv: obj.metadata.resourceVersion, orphan: obj.metadata.annotations?.['kubefed.io/orphan'] };
  };
  const run = (...args: string[]) => kubefedctl(['orphaning-deletion', ...args, '-n', ns, ...H]);

  before(async () => {
    assert.equal((await kubefedctl(['init', ...H])).code, 0);
    assert.equal((await kubefedctl(['enable', 'configmaps', ...H])).code, 0);
    const host = admin(HOST);
    await host.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await host.create(CONFIG_MAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'keep', namespace: ns },
      data: { a: 'b' },
    });
    const r = await kubefedctl(['federate', 'configmaps', 'keep', '-n', ns, ...H]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await admin(HOST).delete(NAMESPACES, ns);
    closeClients();
  });

  it('status of a new federated object is Disabled', async () => {
    const r = await run('status', 'federatedconfigmaps', 'keep');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Disabled\n');
    assert.equal(r.stderr, '');
  });

  it('--dry-run and --dry-run=server write nothing', async () => {
    const before = await stored();
    const client = await run('enable', 'FederatedConfigMap', 'keep', '--dry-run');
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdout, 'federatedconfigmap.types.kubefed.io/keep orphaning-deletion enabled (dry run)\n');
    const server = await run('enable', 'fcm', 'keep', '--dry-run=server');
    assert.equal(server.code, 0, server.stderr);
    assert.equal(
      server.stdout,
      'federatedconfigmap.types.kubefed.io/keep orphaning-deletion enabled (server dry run)\n',
    );
    assert.deepEqual(await stored(), before);
  });

  it('enable sets the annotation; a second enable writes nothing', async () => {
    const r = await run('enable', 'federatedconfigmaps', 'keep');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'federatedconfigmap.types.kubefed.io/keep orphaning-deletion enabled\n');
    const first = await stored();
    assert.equal(first.orphan, 'true');
    assert.equal((await run('status', 'federatedconfigmap', 'keep')).stdout, 'Enabled\n');

    const again = await run('enable', 'federatedconfigmaps', 'keep');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'federatedconfigmap.types.kubefed.io/keep orphaning-deletion already enabled\n');
    assert.deepEqual(await stored(), first);
  });

  it('disable --dry-run keeps it; disable removes it; a second disable writes nothing', async () => {
    const enabled = await stored();
    const dry = await run('disable', 'federatedconfigmaps', 'keep', '--dry-run');
    assert.equal(dry.stdout, 'federatedconfigmap.types.kubefed.io/keep orphaning-deletion disabled (dry run)\n');
    assert.deepEqual(await stored(), enabled);

    const r = await run('disable', 'federatedconfigmaps', 'keep');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'federatedconfigmap.types.kubefed.io/keep orphaning-deletion disabled\n');
    const disabled = await stored();
    assert.equal(disabled.orphan, undefined);
    assert.equal((await run('status', 'federatedconfigmaps', 'keep')).stdout, 'Disabled\n');

    const again = await run('disable', 'federatedconfigmaps', 'keep');
    assert.equal(again.stdout, 'federatedconfigmap.types.kubefed.io/keep orphaning-deletion already disabled\n');
    assert.deepEqual(await stored(), disabled);
  });

  it('a target type means its federated type; a type that is not federated is an error; so is a missing object', async () => {
    // The plain ConfigMap "keep" is in the host too: naming its type must still reach the FederatedConfigMap.
    const viaTarget = await run('enable', 'configmaps', 'keep');
    assert.equal(viaTarget.code, 0, viaTarget.stderr);
    assert.equal(viaTarget.stdout, 'federatedconfigmap.types.kubefed.io/keep orphaning-deletion enabled\n');
    assert.equal((await stored()).orphan, 'true');
    const plain = await admin(HOST).get(CONFIG_MAPS, 'keep', ns);
    assert.equal(plain?.metadata.annotations?.['kubefed.io/orphan'], undefined, 'the plain ConfigMap is untouched');
    assert.equal((await run('disable', 'configmap', 'keep')).code, 0);
    assert.equal((await stored()).orphan, undefined);

    const notFederated = await run('enable', 'secrets', 'keep');
    assert.equal(notFederated.code, 1);
    assert.equal(notFederated.stdout, '');
    assert.match(notFederated.stderr, /"secrets" is not a federated type/);
    assert.match(notFederated.stderr, /kubefedctl enable secrets/);

    const missing = await run('enable', 'federatedconfigmaps', 'nope');
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      new RegExp(`federatedconfigmap\\.types\\.kubefed\\.io "nope" not found in namespace "${ns}"`),
    );
  });
});
