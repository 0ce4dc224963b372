// kubefedctl enable: generate and install the FederatedTypeConfig and Federated<Kind> CRD for a type.
import { UserError } from '../errors.js';
import { federatedCrd } from '../federation/federated-crd.js';
import { KUBEFED_CONFIG_NAME } from '../api/kubefed.js';
import {
  describeApiResource,
  federatedCrdName,
  typeConfigFor,
  type FederatedTypeConfig,
  type FederatedTypeOptions,
} from '../federation/typeconfig.js';
import { applyOwned } from '../kube/apply.js';
import type { HasMetadata, KubeObject } from '../api/objects.js';
import type { Writer } from '../kube/writer.js';
import type { KubeClient } from '../kube/client.js';
import type { ApiResource } from '../kube/discovery.js';
import { CUSTOM_RESOURCE_DEFINITIONS, FEDERATED_TYPE_CONFIGS, KUBEFED_CONFIGS } from '../api/resources.js';
import type { ObjectResult } from '../api/results.js';
import { waitEstablished } from './type-configs.js';

export interface EnablePlan {
  target: ApiResource;
  typeConfig: FederatedTypeConfig;
  crd: KubeObject;
}

/** The objects that federate a target type. Pure. */
export function planEnable(target: ApiResource, opts: FederatedTypeOptions, namespace: string): EnablePlan {
  const typeConfig = typeConfigFor(target, opts, namespace);
  const crd = federatedCrd(typeConfig, {
    targetShortNames: target.shortNames,
    scalable: target.subresources.includes('scale'),
  });
  return { target, typeConfig, crd };
}

/** Versions of the same API that KubeFed treats as one type (an FTC for one blocks the others). */
const EQUIVALENT_APIS: Record<string, string[]> = {
  deployments: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'extensions/v1beta1'],
  daemonsets: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'extensions/v1beta1'],
  statefulsets: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2'],
  replicasets: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'extensions/v1beta1'],
  networkpolicies: ['networking.k8s.io/v1', 'extensions/v1beta1'],
  podsecuritypolicies: ['policy/v1beta1', 'extensions/v1beta1'],
  ingresses: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'],
};

/** True when two targets are the same API under different groups or versions. Pure. */
export function isEquivalentApi(
  a: FederatedTypeConfig['spec']['targetType'],
  b: FederatedTypeConfig['spec']['targetType'],
): boolean {
  if (a.pluralName !== b.pluralName) return false;
  const list = EQUIVALENT_APIS[a.pluralName];
  const gv = (t: typeof a) => `${t.group ? `${t.group}/` : ''}${t.version}`;
  return Boolean(list && gv(a) !== gv(b) && list.includes(gv(a)) && list.includes(gv(b)));
}

/** Refuses an enable that would clash with what is installed; reads only. */
export async function checkEnable(host: KubeClient, plan: EnablePlan, namespace: string): Promise<void> {
  if (!(await host.get(KUBEFED_CONFIGS, KUBEFED_CONFIG_NAME, namespace))) {
    throw new UserError(
      `the host cluster "${host.clusterName}" has no KubeFed API in namespace "${namespace}"`,
      `run 'kubefedctl init --host-cluster-context ${host.clusterName}' first`,
    );
  }
  const name = plan.typeConfig.metadata.name;
  const all = (await host.list<FederatedTypeConfig>(FEDERATED_TYPE_CONFIGS, { namespace })).items;
  const same = all.find((f) => f.metadata.name === name);
  const want = plan.typeConfig.spec.federatedType;
  if (same) {
    const have = same.spec.federatedType;
    if (have.pluralName !== want.pluralName || have.group !== want.group || have.version !== want.version) {
      throw new UserError(
        `"${name}" is already enabled with federated type ${describeApiResource(have)}; changing it to ${describeApiResource(want)} is not supported`,
        `run 'kubefedctl disable ${name}' first`,
      );
    }
  }
  for (const other of all) {
    if (other.metadata.name === name) continue;
    if (isEquivalentApi(other.spec.targetType, plan.typeConfig.spec.targetType)) {
      throw new UserError(
        `federation is already enabled for the equivalent type ${describeApiResource(other.spec.targetType)} by FederatedTypeConfig ${namespace}/${other.metadata.name}`,
      );
    }
    if (federatedCrdName(other) === federatedCrdName(plan.typeConfig)) {
      throw new UserError(
        `the CRD ${federatedCrdName(plan.typeConfig)} already serves FederatedTypeConfig ${namespace}/${other.metadata.name}`,
        'pick another --federated-group for this type',
      );
    }
  }
}

export interface EnableDeps {
  host: KubeClient;
  writer: Writer;
  progress: (line: string) => void;
}

/** Installs the CRD, waits until it is established, then the FederatedTypeConfig. */
export async function runEnable(plan: EnablePlan, namespace: string, deps: EnableDeps): Promise<ObjectResult[]> {
  const { host, writer } = deps;
  await checkEnable(host, plan, namespace);
  const results: ObjectResult[] = [];
  const crd = await applyOwned(writer, host, CUSTOM_RESOURCE_DEFINITIONS, plan.crd);
  results.push(crd.result);
  if (writer.persists) {
    deps.progress(`waiting for CRD ${plan.crd.metadata.name} to be established`);
    await waitEstablished(host, [plan.crd.metadata.name ?? ''], 60_000);
  }
  const ftc = await applyOwned<HasMetadata>(writer, host, FEDERATED_TYPE_CONFIGS, plan.typeConfig);
  results.push(ftc.result);
  return results;
}
