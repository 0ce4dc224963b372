// What a TYPE argument means to commands that act on federated objects (orphaning-deletion,
// status): a federated type, named by its own names or by its target's, through the
// FederatedTypeConfig that links them. A plain type is never taken by accident: `configmaps` means
// FederatedConfigMap when configmaps are federated, and is an error when they are not.
import { TYPES_GROUP } from '../api/kubefed.js';
import type { ResourceType } from '../api/objects.js';
import { UserError } from '../errors.js';
import { lookupResource } from '../federation/type-lookup.js';
import { federatedResourceType, type FederatedTypeConfig } from '../federation/typeconfig.js';
import type { KubeClient } from '../kube/client.js';
import { discoverResources, type ApiResource } from '../kube/discovery.js';
import { typeMatches } from './inventory.js';
import { installedTypeConfigs } from './type-configs.js';

export interface FederatedTypeChoice {
  type: ResourceType;
  /** Its FederatedTypeConfig; absent for a KubeFed-style type (Federated<Kind> in types.kubefed.io) without one. */
  ftc?: FederatedTypeConfig;
}

/**
 * The federated type a TYPE argument names, from the host's type configs; only when none matches
 * are the server's types looked at (`discovered`), for KubeFed-style types without a type config.
 */
export async function chooseFederatedType(
  typeArg: string,
  typeConfigs: FederatedTypeConfig[],
  discovered: () => Promise<ApiResource[]>,
  kubefedNamespace: string,
): Promise<FederatedTypeChoice> {
  const matches = typeConfigs.filter((f) => typeMatches(f, [typeArg]));
  if (matches.length > 1)
    throw new UserError(
      `"${typeArg}" names more than one federated type: ${matches.map((f) => f.metadata.name).join(', ')}`,
      'use the group-qualified name, e.g. deployments.apps',
    );
  if (matches[0]) return { type: federatedResourceType(matches[0]), ftc: matches[0] };
  const r = lookupResource(await discovered(), typeArg);
  // KubeFed's own test for a federated type: Federated<Kind> in types.kubefed.io.
  if (r.group === TYPES_GROUP && r.kind.startsWith('Federated'))
    return { type: { group: r.group, version: r.version, kind: r.kind, plural: r.plural, namespaced: r.namespaced } };
  throw new UserError(
    `"${typeArg}" is not a federated type: no FederatedTypeConfig in namespace "${kubefedNamespace}" federates ${r.plural}${r.group ? `.${r.group}` : ''}`,
    `run 'kubefedctl enable ${typeArg}' to federate it, or 'kubectl -n ${kubefedNamespace} get federatedtypeconfigs' to list the federated types`,
  );
}

/** Reads the host's type configs (and, only if none matches, its discovery) to resolve a TYPE argument. */
export async function resolveFederatedType(
  host: KubeClient,
  typeArg: string,
  kubefedNamespace: string,
): Promise<FederatedTypeChoice> {
  return chooseFederatedType(
    typeArg,
    await installedTypeConfigs(host, kubefedNamespace),
    () => discoverResources(host),
    kubefedNamespace,
  );
}
