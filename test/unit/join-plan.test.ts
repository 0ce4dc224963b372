import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeHostObjects, planJoin, type JoinInput } from '../../src/commands/join/join-plan.js';
import { memberNames } from '../../src/federation/join-names.js';
import { planMemberDeletions } from '../../src/commands/unjoin/unjoin.js';
import { useColour } from '../../src/output/io.js';

const input: JoinInput = {
  clusterName: 'c2',
  hostClusterName: 'host',
  namespace: 'kube-federation-system',
  scope: 'Cluster',
  labels: { region: 'eu' },
  member: { server: 'https://10.0.0.2:6443', caData: Buffer.from('CA'), insecureSkipTLSVerify: false },
};

describe('planJoin', () => {
  it('names member objects after <cluster>-<host>, as kubefedctl does', () => {
    assert.deepEqual(memberNames('c2', 'host', 'ns'), {
      serviceAccount: 'c2-host',
      tokenSecret: 'c2-host',
      role: 'kubefed-controller-manager:c2-host',
      healthCheckRole: 'kubefed-controller-manager:ns:healthcheck-c2-host',
    });
  });

  it('Cluster scope: namespace, service account, token Secret, ClusterRole and binding', () => {
    const plan = planJoin(input);
    assert.deepEqual(
      plan.member.map((p) => `${p.object.kind}/${p.object.metadata.name}`),
      [
        'Namespace/kube-federation-system',
        'ServiceAccount/c2-host',
        'Secret/c2-host',
        'ClusterRole/kubefed-controller-manager:c2-host',
        'ClusterRoleBinding/kubefed-controller-manager:c2-host',
      ],
    );
    const token = plan.member[2]?.object;
    assert.equal(token?.['type'], 'kubernetes.io/service-account-token');
    assert.equal(token?.metadata.annotations?.['kubernetes.io/service-account.name'], 'c2-host');
    const sa = plan.member[1]?.object;
    assert.equal(sa?.['automountServiceAccountToken'], false);
    assert.deepEqual(plan.member[3]?.object['rules'], [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['get'] },
    ]);
  });

  it('Namespaced scope: Role and RoleBinding in the namespace plus a health-check ClusterRole', () => {
    const plan = planJoin({ ...input, scope: 'Namespaced' });
    assert.deepEqual(
      plan.member.slice(3).map((p) => `${p.object.kind}/${p.object.metadata.name}`),
      [
        'Role/kubefed-controller-manager:c2-host',
        'RoleBinding/kubefed-controller-manager:c2-host',
        'ClusterRole/kubefed-controller-manager:kube-federation-system:healthcheck-c2-host',
        'ClusterRoleBinding/kubefed-controller-manager:kube-federation-system:healthcheck-c2-host',
      ],
    );
  });

  it('KubeFedCluster carries endpoint, CA, labels; insecure and proxy map to their fields', () => {
    const plan = planJoin({
      ...input,
      member: { ...input.member, insecureSkipTLSVerify: true, proxyUrl: 'socks5://p:1080' },
    });
    assert.deepEqual(plan.kubefedCluster.metadata, {
      name: 'c2',
      namespace: 'kube-federation-system',
      labels: { region: 'eu' },
    });
    assert.deepEqual(plan.kubefedCluster['spec'], {
      apiEndpoint: 'https://10.0.0.2:6443',
      secretRef: { name: '' },
      caBundle: Buffer.from('CA').toString('base64'),
      disabledTLSValidations: ['*'],
      proxyURL: 'socks5://p:1080',
    });
    assert.deepEqual(plan.hostSecret.metadata, { generateName: 'c2-', namespace: 'kube-federation-system' });
  });

  it('the kubeconfig CA wins over the token Secret ca.crt; without it, ca.crt is used', () => {
    const withCa = completeHostObjects(planJoin(input), { token: 'dG9r', caCrt: 'T1RIRVI=' }, 'c2-abc');
    assert.equal(
      (withCa.kubefedCluster['spec'] as { caBundle: string }).caBundle,
      Buffer.from('CA').toString('base64'),
    );
    const withoutCa = completeHostObjects(
      planJoin({ ...input, member: { server: 's', insecureSkipTLSVerify: false } }),
      { token: 'dG9r', caCrt: 'T1RIRVI=' },
      'c2-abc',
    );
    assert.equal((withoutCa.kubefedCluster['spec'] as { caBundle: string }).caBundle, 'T1RIRVI=');
    assert.deepEqual(withoutCa.hostSecret['data'], { token: 'dG9r' });
    assert.deepEqual((withoutCa.kubefedCluster['spec'] as { secretRef: unknown }).secretRef, { name: 'c2-abc' });
  });

  it('unjoin deletes bindings before roles and the service account last', () => {
    const order = planMemberDeletions({ clusterName: 'c2', hostClusterName: 'host', namespace: 'ns' }).map(
      (d) => `${d.type.kind}/${d.name}`,
    );
    assert.ok(
      order.indexOf('ClusterRoleBinding/kubefed-controller-manager:c2-host') <
        order.indexOf('ClusterRole/kubefed-controller-manager:c2-host'),
    );
    assert.equal(order.at(-1), 'ServiceAccount/c2-host');
  });
});

describe('colour', () => {
  const env = {};
  it('only on a terminal, never with NO_COLOR, TERM=dumb or --no-color; FORCE_COLOR forces it', () => {
    assert.equal(useColour({ isTTY: true, noColorFlag: false, env }), true);
    assert.equal(useColour({ isTTY: false, noColorFlag: false, env }), false);
    assert.equal(useColour({ isTTY: true, noColorFlag: true, env }), false);
    assert.equal(useColour({ isTTY: true, noColorFlag: false, env: { NO_COLOR: '1' } }), false);
    assert.equal(useColour({ isTTY: true, noColorFlag: false, env: { TERM: 'dumb' } }), false);
    assert.equal(useColour({ isTTY: false, noColorFlag: false, env: { FORCE_COLOR: '1' } }), true);
  });
});
