// API discovery: the server's preferred version of every resource type, read with aggregated
// discovery (two requests: /api and /apis), as kubectl does on Kubernetes 1.30 and later.
import type { KubeClient } from './client.js';
import type { ResourceType } from '../api/objects.js';

/** One resource type as discovery describes it. */
export interface ApiResource extends ResourceType {
  singular: string;
  shortNames: string[];
  verbs: string[];
  /** Subresources such as "status" and "scale". */
  subresources: string[];
  categories: string[];
}

interface DiscoveryResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: string;
  singularResource?: string;
  shortNames?: string[];
  verbs?: string[];
  categories?: string[];
  subresources?: { subresource: string }[];
}

interface DiscoveryList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: DiscoveryResource[]; freshness?: string }[];
  }[];
}

const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

/** Converts an aggregated discovery document to resources. With `allVersions`, every served version; else the preferred (first) one. Pure. */
export function resourcesFromDiscovery(doc: DiscoveryList, allVersions = false): ApiResource[] {
  const out: ApiResource[] = [];
  for (const group of doc.items ?? []) {
    const groupName = group.metadata?.name ?? '';
    const versions = allVersions ? (group.versions ?? []) : (group.versions ?? []).slice(0, 1);
    for (const v of versions) {
      for (const r of v.resources ?? []) {
        out.push({
          group: groupName,
          version: v.version,
          kind: r.responseKind?.kind ?? '',
          plural: r.resource,
          namespaced: r.scope === 'Namespaced',
          singular: r.singularResource ?? r.resource,
          shortNames: r.shortNames ?? [],
          verbs: r.verbs ?? [],
          subresources: (r.subresources ?? []).map((s) => s.subresource),
          categories: r.categories ?? [],
        });
      }
    }
  }
  return out;
}

/** Reads every resource type from the server (preferred versions unless `allVersions`). */
export async function discoverResources(client: KubeClient, allVersions = false): Promise<ApiResource[]> {
  const docs = await Promise.all(
    ['/api', '/apis'].map((path) =>
      client.call<DiscoveryList>({
        method: 'GET',
        path,
        accept: AGGREGATED_ACCEPT,
        intent: { verb: 'discover', resource: path },
      }),
    ),
  );
  for (const doc of docs) {
    if (doc.kind !== 'APIGroupDiscoveryList')
      throw new Error(
        `${client.clusterName}: the API server does not offer aggregated discovery (Kubernetes 1.30 or later is needed)`,
      );
  }
  return docs.flatMap((d) => resourcesFromDiscovery(d, allVersions));
}
