// TYPE arguments of commands that act on federated objects mean federated types (engine/federated-type.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseFederatedType } from '../../src/engine/federated-type.js';
import { typeConfigFor } from '../../src/federation/typeconfig.js';
import type { ApiResource } from '../../src/kube/discovery.js';

const CM = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true };
const FTCS = [typeConfigFor(CM), typeConfigFor(DEPLOY)];

function resource(group: string, kind: string, plural: string): ApiResource {
  return {
    group,
    version: 'v1',
    kind,
    plural,
    namespaced: true,
    singular: kind.toLowerCase(),
    shortNames: [],
    verbs: [],
    subresources: [],
    categories: [],
  };
}
const SERVER = [
  resource('', 'ConfigMap', 'configmaps'),
  resource('', 'Secret', 'secrets'),
  resource('types.kubefed.io', 'FederatedSecret', 'federatedsecrets'),
];
const noDiscovery = () => Promise.reject(new Error('discovery must not be needed'));

describe('chooseFederatedType', () => {
  for (const name of [
    'configmaps',
    'configmap',
    'ConfigMap',
    'federatedconfigmaps',
    'FederatedConfigMap',
    'federatedconfigmaps.types.kubefed.io',
  ]) {
    it(`"${name}" is FederatedConfigMap, from its type config alone`, async () => {
      const { type, ftc } = await chooseFederatedType(name, FTCS, noDiscovery, 'kube-federation-system');
      assert.equal(type.kind, 'FederatedConfigMap');
      assert.equal(type.group, 'types.kubefed.io');
      assert.equal(ftc?.metadata.name, 'configmaps');
    });
  }

  it('deployments.apps is FederatedDeployment', async () => {
    const { type } = await chooseFederatedType('deployments.apps', FTCS, noDiscovery, 'kube-federation-system');
    assert.equal(type.kind, 'FederatedDeployment');
  });

  it('a Federated<Kind> of types.kubefed.io without a type config is taken, as KubeFed does', async () => {
    const { type, ftc } = await chooseFederatedType('federatedsecrets', FTCS, () => Promise.resolve(SERVER), 'ns');
    assert.equal(type.kind, 'FederatedSecret');
    assert.equal(ftc, undefined);
  });

  it('a plain type that is not federated is an error that says how to federate it', async () => {
    await assert.rejects(
      chooseFederatedType('secrets', FTCS, () => Promise.resolve(SERVER), 'kfs'),
      (e: Error & { hint?: string }) => {
        assert.match(
          e.message,
          /"secrets" is not a federated type: no FederatedTypeConfig in namespace "kfs" federates secrets/,
        );
        assert.match(e.hint ?? '', /kubefedctl enable secrets/);
        return true;
      },
    );
  });
});
