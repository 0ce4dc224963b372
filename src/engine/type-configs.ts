// Reading the host's type machinery, shared by several commands: installed FederatedTypeConfigs,
// a type looked up by any of its names, and CRDs waited on until established.
import { setTimeout as delay } from 'node:timers/promises';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import type { WireObject } from '../api/objects.js';
import { CUSTOM_RESOURCE_DEFINITIONS, FEDERATED_TYPE_CONFIGS } from '../api/resources.js';
import { UserError } from '../errors.js';
import type { FederatedTypeConfig } from '../federation/typeconfig.js';
import { lookupResource } from '../federation/type-lookup.js';
import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { discoverResources, type ApiResource } from '../kube/discovery.js';

/** The FederatedTypeConfigs installed in the host (none when the KubeFed API is not installed). */
export async function installedTypeConfigs(host: KubeClient, namespace: string): Promise<FederatedTypeConfig[]> {
  try {
    return (await host.list<FederatedTypeConfig>(FEDERATED_TYPE_CONFIGS, { namespace })).items;
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** Finds a type on the server by any of its names. */
export async function resolveTarget(host: KubeClient, key: string, version?: string): Promise<ApiResource> {
  return lookupResource(await discoverResources(host), key, version);
}

/** Polls until every named CRD reports Established=True; fails early when its names are rejected. */
export async function waitEstablished(
  host: KubeClient,
  names: string[],
  timeoutMs: number,
  sleep: (ms: number) => Promise<unknown> = delay,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...names];
  while (pending.length > 0) {
    const still: string[] = [];
    for (const name of pending) {
      const crd = await host.get<WireObject<V1CustomResourceDefinition>>(CUSTOM_RESOURCE_DEFINITIONS, name);
      const conditions = crd?.status?.conditions ?? [];
      const namesAccepted = conditions.find((c) => c.type === 'NamesAccepted');
      if (namesAccepted?.status === 'False')
        throw new UserError(
          `CRD ${name} was not accepted: ${namesAccepted.message ?? namesAccepted.reason ?? 'names conflict'}`,
        );
      if (!conditions.some((c) => c.type === 'Established' && c.status === 'True')) still.push(name);
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new UserError(
        `CRDs not established after ${Math.round(timeoutMs / 1000)}s: ${pending.join(', ')}`,
        'check the API server logs; run init again to resume',
      );
    await sleep(200);
  }
}
