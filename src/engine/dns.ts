// Multicluster DNS step of a host-mode pass: fill ServiceDNSRecord / IngressDNSRecord status from the
// members' Services and Ingresses, and keep the DNSEndpoint objects that external-dns reads in step.
import { lookup } from 'node:dns/promises';
import { messageOf } from '../errors.js';
import { qualifiedName } from '../federation/federated-object.js';
import { MANAGED_LABEL } from '../api/kubefed.js';
import { isNotFound } from '../kube/api-error.js';
import type { HasMetadata, KubeObject, ResourceType } from '../api/objects.js';
import type { Writer } from '../kube/writer.js';
import type { ClusterClient } from '../kube/cluster-client.js';
import {
  dnsEndpointName,
  hostnamesToResolve,
  ingressDnsEndpoints,
  sameEndpoints,
  serviceDnsEndpoints,
} from '../dns/endpoints.js';
import { computeIngressDnsStatus, computeServiceDnsStatus, endpointSlicesHaveReadyEndpoint } from '../dns/status.js';
import type {
  DNSEndpoint,
  DnsClusterFacts,
  Domain,
  IngressDNSRecord,
  IngressObservation,
  LoadBalancerStatus,
  ServiceDNSRecord,
  ServiceObservation,
} from '../dns/types.js';
import type { ClusterEntry } from './inventory.js';
import {
  DNS_ENDPOINTS,
  DOMAINS,
  ENDPOINT_SLICES,
  INGRESS_DNS_RECORDS,
  INGRESSES,
  SERVICE_DNS_RECORDS,
  SERVICES,
} from '../api/resources.js';

export interface DnsResult {
  record: string;
  kind: 'ServiceDNSRecord' | 'IngressDNSRecord';
  outcome: 'updated' | 'unchanged' | 'skipped' | 'failed';
  /** What happened to its DNSEndpoint. */
  endpoint?: 'created' | 'updated' | 'unchanged';
  message?: string;
}

export interface DnsInput {
  host: ClusterClient;
  kubefedNamespace: string;
  namespace?: string;
  clusters: ClusterEntry[];
  /** Region and zones per cluster, from this run's health check. */
  topology: Map<string, { region?: string; zones?: string[] }>;
}

/** Resolves load balancer host names to addresses (KubeFed looked them up to write A records). */
async function resolveHosts(names: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  await Promise.all(
    names.map(async (n) => {
      try {
        out.set(
          n,
          (await lookup(n, { all: true, family: 4 })).map((a) => a.address),
        );
      } catch {
        // left out: endpoint computation then reports the name as unresolved
      }
    }),
  );
  return out;
}

/** Lists a type per namespace in every ready cluster; a cluster that fails is absent (unreachable). */
async function readMembers(
  clusters: ClusterEntry[],
  type: ResourceType,
  namespaces: string[],
): Promise<Map<string, Map<string, KubeObject>>> {
  const out = new Map<string, Map<string, KubeObject>>();
  await Promise.all(
    clusters
      .filter((c) => c.ready && c.client)
      .map(async (c) => {
        try {
          const lists = await Promise.all(
            namespaces.map((ns) =>
              c.client!.list(type, { namespace: ns }).catch((e: unknown) => {
                if (isNotFound(e)) return { items: [] };
                throw e;
              }),
            ),
          );
          out.set(c.name, new Map(lists.flatMap((l) => l.items).map((o) => [qualifiedName(o.metadata), o])));
        } catch {
          // unreachable this run: its previous DNS entries are kept
        }
      }),
  );
  return out;
}

/** A member Service's or Ingress's `status.loadBalancer` (empty when it has none yet). */
function loadBalancerOf(obj: KubeObject): LoadBalancerStatus {
  return (obj['status'] as { loadBalancer?: LoadBalancerStatus } | undefined)?.loadBalancer ?? {};
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) (out.get(key(item)) ?? out.set(key(item), []).get(key(item))!).push(item);
  return out;
}

/**
 * What the DNS step will do for one ServiceDNSRecord or IngressDNSRecord: the status to write when
 * it changed, and the DNSEndpoint to write when its endpoints differ from the live one.
 */
export interface DnsRecordPlan {
  kind: DnsResult['kind'];
  type: ResourceType;
  record: HasMetadata;
  /** `skipped` / `failed`: nothing is written, and `message` says why. */
  outcome: 'planned' | 'skipped' | 'failed';
  message?: string;
  /** The new status; undefined when it is unchanged. */
  status?: unknown;
  /** The DNSEndpoint as it will be applied; undefined when the live one already matches. */
  endpoint?: KubeObject;
  endpointVerb?: 'created' | 'updated' | 'unchanged';
}

/** The DNSEndpoint to apply, or nothing when the live one has the same endpoints. */
function endpointChange(
  desired: DNSEndpoint,
  live: KubeObject | undefined,
): Pick<DnsRecordPlan, 'endpoint' | 'endpointVerb'> {
  if (live && sameEndpoints(desired.spec.endpoints, live)) return { endpointVerb: 'unchanged' };
  const endpoint = {
    ...desired,
    metadata: { ...desired.metadata, labels: { ...(desired.metadata.labels ?? {}), [MANAGED_LABEL]: 'true' } },
  } as KubeObject;
  return { endpoint, endpointVerb: live ? 'updated' : 'created' };
}

/** Reads the records, the Domains, the DNSEndpoints and the members' Services and Ingresses; writes nothing. */
export async function planDns(input: DnsInput): Promise<DnsRecordPlan[]> {
  const { host } = input;
  const scope = input.namespace ? { namespace: input.namespace } : {};
  const optional = <T>(p: Promise<{ items: T[] }>) =>
    p
      .then((l) => l.items)
      .catch((e: unknown) => {
        if (isNotFound(e)) return [];
        throw e;
      });
  const [serviceRecords, ingressRecords] = await Promise.all([
    optional(host.list<ServiceDNSRecord & KubeObject>(SERVICE_DNS_RECORDS, scope)),
    optional(host.list<IngressDNSRecord & KubeObject>(INGRESS_DNS_RECORDS, scope)),
  ]);
  if (serviceRecords.length === 0 && ingressRecords.length === 0) return [];
  const [domains, endpoints] = await Promise.all([
    optional(host.list<Domain & KubeObject>(DOMAINS, { namespace: input.kubefedNamespace })),
    optional(host.list<KubeObject>(DNS_ENDPOINTS, scope)),
  ]);
  const endpointByKey = new Map(endpoints.map((e) => [qualifiedName(e.metadata), e]));
  const facts: DnsClusterFacts[] = input.clusters.map((c) => ({
    name: c.name,
    ready: c.ready,
    ...input.topology.get(c.name),
  }));
  const plans: DnsRecordPlan[] = [];

  // The status and the DNSEndpoint are planned the same way for both kinds of record.
  const publish = async (
    kind: DnsResult['kind'],
    type: ResourceType,
    record: HasMetadata,
    computed: { status: unknown; changed: boolean },
    endpointFor: (resolved: Map<string, string[]>) => DNSEndpoint,
    source: 'service' | 'ingress',
  ) => {
    const desired = endpointFor(
      await resolveHosts(
        hostnamesToResolve({ status: computed.status as { dns?: { loadBalancer?: LoadBalancerStatus }[] } }),
      ),
    );
    const live = endpointByKey.get(
      `${record.metadata.namespace ?? ''}/${dnsEndpointName(source, record.metadata.name ?? '')}`,
    );
    plans.push({
      kind,
      type,
      record,
      outcome: 'planned',
      ...(computed.changed ? { status: computed.status } : {}),
      ...endpointChange(desired, live),
    });
  };
  const failed = (kind: DnsResult['kind'], type: ResourceType, record: HasMetadata, error: unknown) =>
    plans.push({ kind, type, record, outcome: 'failed', message: messageOf(error) });

  const serviceNamespaces = [...new Set(serviceRecords.map((r) => r.metadata.namespace ?? ''))];
  const [services, slices] = await Promise.all([
    readMembers(input.clusters, SERVICES, serviceNamespaces),
    readMembers(input.clusters, ENDPOINT_SLICES, serviceNamespaces),
  ]);
  // EndpointSlices by cluster and "namespace/service", built once rather than scanned per record.
  const slicesByService = new Map(
    [...slices].map(([cluster, list]) => [
      cluster,
      groupBy(
        [...list.values()],
        (s) => `${s.metadata.namespace ?? ''}/${s.metadata.labels?.['kubernetes.io/service-name'] ?? ''}`,
      ),
    ]),
  );
  for (const record of serviceRecords) {
    const key = qualifiedName(record.metadata);
    const observations = new Map<string, ServiceObservation>();
    for (const c of input.clusters) {
      const svc = services.get(c.name);
      if (!svc) continue;
      const found = svc.get(key);
      observations.set(c.name, {
        reachable: true,
        ...(found ? { loadBalancer: loadBalancerOf(found) } : {}),
        hasEndpoints: endpointSlicesHaveReadyEndpoint(slicesByService.get(c.name)?.get(key) ?? []),
      });
    }
    const domain = domains.find((d) => d.metadata.name === record.spec.domainRef);
    try {
      const computed = computeServiceDnsStatus({ record, domain, clusters: facts, observations });
      if (computed.outcome !== 'computed') {
        plans.push({
          kind: 'ServiceDNSRecord',
          type: SERVICE_DNS_RECORDS,
          record,
          outcome: computed.outcome,
          message: computed.reason,
        });
        continue;
      }
      await publish(
        'ServiceDNSRecord',
        SERVICE_DNS_RECORDS,
        record,
        computed,
        (resolved) => serviceDnsEndpoints({ ...record, status: computed.status }, domain!, { resolved }),
        'service',
      );
    } catch (error) {
      failed('ServiceDNSRecord', SERVICE_DNS_RECORDS, record, error);
    }
  }

  const ingresses = await readMembers(input.clusters, INGRESSES, [
    ...new Set(ingressRecords.map((r) => r.metadata.namespace ?? '')),
  ]);
  for (const record of ingressRecords) {
    const key = qualifiedName(record.metadata);
    const observations = new Map<string, IngressObservation>();
    for (const c of input.clusters) {
      const list = ingresses.get(c.name);
      if (!list) continue;
      const found = list.get(key);
      observations.set(c.name, { reachable: true, ...(found ? { loadBalancer: loadBalancerOf(found) } : {}) });
    }
    try {
      const computed = computeIngressDnsStatus({ record, clusters: facts, observations });
      await publish(
        'IngressDNSRecord',
        INGRESS_DNS_RECORDS,
        record,
        computed,
        (resolved) => ingressDnsEndpoints({ ...record, status: computed.status }, { resolved }),
        'ingress',
      );
    } catch (error) {
      failed('IngressDNSRecord', INGRESS_DNS_RECORDS, record, error);
    }
  }
  return plans;
}

/** Writes what planDns decided: each changed status (merge patch), then each changed DNSEndpoint. */
export async function applyDns(
  host: ClusterClient,
  plans: DnsRecordPlan[],
  writer: Writer,
): Promise<{ results: DnsResult[]; writes: number }> {
  const results: DnsResult[] = [];
  let writes = 0;
  for (const p of plans) {
    const record = qualifiedName(p.record.metadata);
    if (p.outcome !== 'planned') {
      results.push({ record, kind: p.kind, outcome: p.outcome, ...(p.message ? { message: p.message } : {}) });
      continue;
    }
    try {
      if (p.status !== undefined) {
        await writer.mergePatch(
          host,
          p.type,
          p.record.metadata.name ?? '',
          p.record.metadata.namespace,
          { status: p.status },
          { subresource: 'status' },
        );
        writes++;
      }
      if (p.endpoint) {
        await writer.apply(host, DNS_ENDPOINTS, p.endpoint, { force: true });
        writes++;
      }
      results.push({
        record,
        kind: p.kind,
        outcome: p.status !== undefined ? 'updated' : 'unchanged',
        ...(p.endpointVerb ? { endpoint: p.endpointVerb } : {}),
      });
    } catch (error) {
      results.push({ record, kind: p.kind, outcome: 'failed', message: messageOf(error) });
    }
  }
  return { results, writes };
}
