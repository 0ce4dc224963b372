// kubefedctl disable: stop federating a type; with --delete-crd also remove its federated CRD.
import { UserError } from '../../errors.js';
import { federatedCrdName, federatedResourceType, type FederatedTypeConfig } from '../../federation/typeconfig.js';
import type { KubeClient } from '../../kube/client.js';
import type { Writer } from '../../kube/writer.js';
import { CUSTOM_RESOURCE_DEFINITIONS, FEDERATED_TYPE_CONFIGS } from '../../api/resources.js';
import type { ObjectResult } from '../../api/results.js';

export interface DisableOptions {
  /** FederatedTypeConfig name: plural[.group] of the target. */
  name: string;
  namespace: string;
  deleteCrd: boolean;
  force: boolean;
}

export interface DisableOutcome {
  results: ObjectResult[];
  notices: string[];
}

export async function runDisable(
  host: KubeClient,
  writer: Writer,
  opts: DisableOptions,
  fallback?: FederatedTypeConfig,
): Promise<DisableOutcome> {
  const results: ObjectResult[] = [];
  const notices: string[] = [];
  const ftc = (await host.get<FederatedTypeConfig>(FEDERATED_TYPE_CONFIGS, opts.name, opts.namespace)) ?? undefined;
  if (!ftc && !fallback)
    throw new UserError(
      `"${opts.name}" is not enabled (there is no FederatedTypeConfig "${opts.namespace}/${opts.name}") and the server has no such type`,
      "run 'kubectl -n " + opts.namespace + " get federatedtypeconfigs' to list the enabled types",
    );
  if (!ftc)
    notices.push(`FederatedTypeConfig "${opts.namespace}/${opts.name}" does not exist: the type is not enabled`);
  const described = ftc ?? fallback;
  if (opts.deleteCrd) {
    if (!described)
      throw new UserError(
        `cannot tell which CRD to delete: "${opts.name}" is not enabled and is not a type the server knows`,
      );
    const crdName = federatedCrdName(described);
    const crd = await host.get(CUSTOM_RESOURCE_DEFINITIONS, crdName);
    if (crd) {
      const type = federatedResourceType(described);
      const existing = (await host.list(type)).items;
      if (existing.length > 0 && !opts.force) {
        const sample = existing
          .slice(0, 5)
          .map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name));
        throw new UserError(
          `${existing.length} ${type.kind} object(s) exist (${sample.join(', ')}${existing.length > 5 ? ', ...' : ''}); deleting CRD ${crdName} would delete them all, without removing what they propagated`,
          'delete them first (their member copies are then cleaned up by propagate), or pass --force',
        );
      }
      if (existing.length > 0)
        notices.push(
          `deleting ${existing.length} ${type.kind} object(s) with the CRD; their member copies are left as they are`,
        );
      await writer.delete(host, CUSTOM_RESOURCE_DEFINITIONS, crdName, undefined);
      results.push({ ref: `customresourcedefinition.apiextensions.k8s.io/${crdName}`, verb: 'deleted' });
    } else {
      notices.push(`CRD ${crdName} does not exist`);
    }
  }
  if (ftc) {
    await writer.delete(host, FEDERATED_TYPE_CONFIGS, opts.name, opts.namespace);
    results.push({ ref: `federatedtypeconfig.core.kubefed.io/${opts.name}`, verb: 'deleted' });
  }
  return { results, notices };
}
