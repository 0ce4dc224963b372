// kubefedctl unjoin: remove what join created, member side first, then the host side.
import { UserError, messageOf } from '../../errors.js';
import { isNotFound } from '../../kube/api-error.js';
import type { HasMetadata, ResourceType } from '../../api/objects.js';
import type { KubeClient } from '../../kube/client.js';
import type { Writer } from '../../kube/writer.js';
import {
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  KUBEFED_CLUSTERS,
  NAMESPACES,
  ROLE_BINDINGS,
  ROLES,
  SECRETS,
  SERVICE_ACCOUNTS,
  kindGroup,
} from '../../api/resources.js';
import type { ObjectResult } from '../../api/results.js';
import { memberNames } from '../../federation/join-names.js';

export interface UnjoinOptions {
  clusterName: string;
  hostClusterName: string;
  namespace: string;
  force: boolean;
}

export interface Deletion {
  type: ResourceType;
  name: string;
  namespace?: string;
}

/** The member-side objects join may have made, in deletion order. Pure. */
export function planMemberDeletions(
  opts: Pick<UnjoinOptions, 'clusterName' | 'hostClusterName' | 'namespace'>,
): Deletion[] {
  const n = memberNames(opts.clusterName, opts.hostClusterName, opts.namespace);
  const ns = opts.namespace;
  return [
    { type: CLUSTER_ROLE_BINDINGS, name: n.role },
    { type: CLUSTER_ROLES, name: n.role },
    { type: CLUSTER_ROLE_BINDINGS, name: n.healthCheckRole },
    { type: CLUSTER_ROLES, name: n.healthCheckRole },
    { type: ROLE_BINDINGS, name: n.role, namespace: ns },
    { type: ROLES, name: n.role, namespace: ns },
    { type: SECRETS, name: n.tokenSecret, namespace: ns },
    { type: SERVICE_ACCOUNTS, name: n.serviceAccount, namespace: ns },
  ];
}

export interface UnjoinDeps {
  host: KubeClient;
  writer: Writer;
  /** Undefined when the member's context could not be resolved (only allowed with --force). */
  member: KubeClient | undefined;
  memberProblem?: string;
}

export interface UnjoinOutcome {
  results: ObjectResult[];
  /** What --force left behind, and why. */
  leftBehind: string[];
}

interface KubeFedClusterObject extends HasMetadata {
  spec?: { secretRef?: { name?: string } };
}

export async function runUnjoin(opts: UnjoinOptions, deps: UnjoinDeps): Promise<UnjoinOutcome> {
  const { host, member } = deps;
  const results: ObjectResult[] = [];
  const leftBehind: string[] = [];
  const cluster = await host.get<KubeFedClusterObject>(KUBEFED_CLUSTERS, opts.clusterName, opts.namespace);
  if (!cluster && !opts.force) {
    throw new UserError(
      `cluster "${opts.clusterName}" is not joined: there is no KubeFedCluster "${opts.clusterName}" in namespace "${opts.namespace}" of host "${host.clusterName}"`,
      'use --force to remove what is left of it in the member cluster anyway',
    );
  }
  const attempt = async (client: KubeClient, d: Deletion) => {
    const ref = `${kindGroup(d.type)}/${d.name}`;
    try {
      const deleted = await remove(deps.writer, client, d);
      results.push({ ref, verb: deleted ? 'deleted' : 'not found', cluster: client.clusterName });
    } catch (error) {
      if (!opts.force) throw error;
      leftBehind.push(`${client.clusterName}: ${ref} (${messageOf(error)})`);
    }
  };

  if (member) {
    for (const d of planMemberDeletions(opts)) await attempt(member, d);
    // The member may be the host itself: then the namespace holds the control plane and stays.
    try {
      const [hostNs, memberNs] = await Promise.all([
        host.get(NAMESPACES, opts.namespace),
        member.get(NAMESPACES, opts.namespace),
      ]);
      if (memberNs && hostNs?.metadata.uid === memberNs.metadata.uid)
        results.push({
          ref: `namespace/${opts.namespace}`,
          verb: 'kept',
          cluster: member.clusterName,
          note: 'it is the host cluster',
        });
      else await attempt(member, { type: NAMESPACES, name: opts.namespace });
    } catch (error) {
      if (!opts.force) throw error;
      leftBehind.push(`${member.clusterName}: namespace/${opts.namespace} (${messageOf(error)})`);
    }
  } else {
    leftBehind.push(
      `every member-side object of "${opts.clusterName}" (${deps.memberProblem ?? 'member not reachable'})`,
    );
  }

  if (cluster) {
    const secretName = cluster.spec?.secretRef?.name;
    if (secretName) await attempt(host, { type: SECRETS, name: secretName, namespace: opts.namespace });
    await attempt(host, { type: KUBEFED_CLUSTERS, name: opts.clusterName, namespace: opts.namespace });
  }
  return { results, leftBehind };
}

/** Deletes one object; false when it did not exist (read first, as a client dry run cannot tell). */
async function remove(writer: Writer, client: KubeClient, d: Deletion): Promise<boolean> {
  if ((await client.get(d.type, d.name, d.namespace)) === undefined) return false;
  try {
    return await writer.delete(client, d.type, d.name, d.namespace);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
