// Status of ServiceDNSRecord and IngressDNSRecord: which load balancers each member cluster offers.
// This is the job of KubeFed's ServiceDNS / IngressDNS status controllers, done once per run.
// Pure: the caller reads clusters, member Services/Ingresses and Endpoints, and passes what it saw.
import { isDeepStrictEqual } from 'node:util';
import type { V1Endpoint, V1EndpointSlice, V1Endpoints, V1EndpointSubset } from '@kubernetes/client-node';
import type { Wire } from '../api/objects.js';
import type {
  ClusterDNS,
  ClusterIngressDNS,
  DnsClusterFacts,
  Domain,
  IngressDNSRecord,
  IngressDNSRecordStatus,
  IngressObservation,
  LoadBalancerIngress,
  LoadBalancerStatus,
  ServiceDNSRecord,
  ServiceDNSRecordStatus,
  ServiceObservation,
} from './types.js';

/** A status the caller should write only when `changed` is true. */
export interface ComputedDnsStatus<S> {
  outcome: 'computed';
  status: S;
  /** False when the record already carries this status (no write needed). */
  changed: boolean;
}

/**
 * Result for a ServiceDNSRecord: a status, or `skipped` (its Domain does not exist; KubeFed leaves
 * the record alone) or `failed` (a ready cluster lacks a region or zones; nothing may be written).
 */
export type ServiceDnsStatusResult =
  | ComputedDnsStatus<ServiceDNSRecordStatus>
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'failed'; reason: string };

export interface ServiceDnsStatusInput {
  record: ServiceDNSRecord;
  /** The Domain named by `spec.domainRef` in the KubeFed namespace, if it exists. */
  domain: Domain | undefined;
  /** Every member cluster, ready or not. */
  clusters: readonly DnsClusterFacts[];
  /** Per cluster name; a ready cluster with no entry counts as unreachable. */
  observations: ReadonlyMap<string, ServiceObservation>;
}

export interface IngressDnsStatusInput {
  record: IngressDNSRecord;
  clusters: readonly DnsClusterFacts[];
  observations: ReadonlyMap<string, IngressObservation>;
}

/** Byte-wise string order (what Go's `<` gives), independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A copy of a load balancer status with its ingress points sorted by IP, then host name, so that
 * statuses compare equal whatever order the member cluster reported. No points gives `{}`.
 */
export function sortedLoadBalancer(lb: LoadBalancerStatus | undefined): LoadBalancerStatus {
  const ingress = (lb?.ingress ?? []).map((point): LoadBalancerIngress => structuredClone(point));
  if (ingress.length === 0) return {};
  ingress.sort((x, y) => compareStrings(x.ip ?? '', y.ip ?? '') || compareStrings(x.hostname ?? '', y.hostname ?? ''));
  return { ingress };
}

/**
 * True when a core/v1 Endpoints object has at least one ready address (`subsets[].addresses`;
 * `notReadyAddresses` do not count). Anything else, including undefined, is false.
 */
export function endpointsHaveReadyAddress(endpoints: unknown): boolean {
  // Typed as client-node's model, still checked at every level: the caller passes what it read.
  const subsets = (endpoints as Partial<Wire<V1Endpoints>> | null | undefined)?.subsets;
  if (!Array.isArray(subsets)) return false;
  return subsets.some((subset: Wire<V1EndpointSubset> | null) => {
    const addresses = subset?.addresses;
    return Array.isArray(addresses) && addresses.length > 0;
  });
}

/**
 * True when any of a Service's discovery.k8s.io/v1 EndpointSlices has an endpoint that is ready
 * (`conditions.ready` true or unset, as the EndpointSlice API defines). For clusters where the
 * core/v1 Endpoints API is not served.
 */
export function endpointSlicesHaveReadyEndpoint(slices: readonly unknown[]): boolean {
  return slices.some((slice) => {
    const endpoints = (slice as Partial<Wire<V1EndpointSlice>> | null)?.endpoints;
    if (!Array.isArray(endpoints)) return false;
    return endpoints.some((e: Wire<V1Endpoint> | null) => {
      return Array.isArray(e?.addresses) && e.addresses.length > 0 && e.conditions?.ready !== false;
    });
  });
}

/** A ready cluster that could be read this run; everything else is "offline" for DNS. */
function isOnline<O extends { reachable: boolean }>(
  cluster: DnsClusterFacts,
  observations: ReadonlyMap<string, O>,
): Extract<O, { reachable: true }> | undefined {
  if (!cluster.ready) return undefined;
  const seen = observations.get(cluster.name);
  return seen?.reachable ? (seen as Extract<O, { reachable: true }>) : undefined;
}

function byCluster(a: { cluster?: string }, b: { cluster?: string }): number {
  return compareStrings(a.cluster ?? '', b.cluster ?? '');
}

/**
 * The previous entry of an offline cluster, without its load balancer. Keeping it makes the
 * endpoint step publish CNAMEs from that cluster's zone and region names to the names still
 * served, so clients near the offline cluster are sent elsewhere. (KubeFed v0.0.10 meant to do
 * this but looked the entry up in the status it was building, so offline clusters vanished.)
 */
function preservedEntry<E extends { cluster?: string; loadBalancer?: LoadBalancerStatus }>(
  previous: readonly E[] | undefined,
  cluster: string,
): E | undefined {
  const old = previous?.find((entry) => entry.cluster === cluster);
  return old ? { ...structuredClone(old), loadBalancer: {} } : undefined;
}

/**
 * Canonical form for "did the status change": an empty load balancer, no zones and no region
 * compare equal to absent ones, and ingress points are compared in sorted order.
 */
function canonicalEntries(entries: readonly ClusterDNS[] | undefined, withLocation: boolean): unknown[] {
  return (entries ?? []).map((entry) => {
    const out: Record<string, unknown> = {
      cluster: entry.cluster ?? '',
      loadBalancer: sortedLoadBalancer(entry.loadBalancer),
    };
    if (withLocation) {
      out['zones'] = entry.zones ?? [];
      out['region'] = entry.region ?? '';
    }
    return out;
  });
}

/**
 * Computes `ServiceDNSRecord.status`: `domain` from the Domain, and one `dns[]` entry per member
 * cluster, sorted by cluster name. An online cluster (ready and reachable) contributes its region,
 * zones and, when the Service has ready endpoints there or `allowServiceWithoutEndpoints` is set,
 * the Service's load balancer. An offline cluster keeps its previous entry without load balancer.
 */
export function computeServiceDnsStatus(input: ServiceDnsStatusInput): ServiceDnsStatusResult {
  const { record, domain, clusters, observations } = input;
  if (!domain) {
    return { outcome: 'skipped', reason: `Domain "${record.spec.domainRef}" not found` };
  }
  const previous = record.status?.dns;
  const entries: ClusterDNS[] = [];
  for (const cluster of clusters) {
    const seen = isOnline(cluster, observations);
    if (!seen) {
      const kept = preservedEntry(previous, cluster.name);
      if (kept) entries.push(kept);
      continue;
    }
    if (!cluster.region || !cluster.zones || cluster.zones.length === 0) {
      return {
        outcome: 'failed',
        reason: `cluster "${cluster.name}" has no region or no zones; set them on its KubeFedCluster status to publish DNS`,
      };
    }
    const publish = record.spec.allowServiceWithoutEndpoints === true || seen.hasEndpoints;
    entries.push({
      cluster: cluster.name,
      loadBalancer: publish ? sortedLoadBalancer(seen.loadBalancer) : {},
      zones: [...cluster.zones],
      region: cluster.region,
    });
  }
  entries.sort(byCluster);
  const status: ServiceDNSRecordStatus = { domain: domain.domain, dns: entries };
  const changed =
    (record.status?.domain ?? '') !== domain.domain ||
    !isDeepStrictEqual(canonicalEntries(previous, true), canonicalEntries(entries, true));
  return { outcome: 'computed', status, changed };
}

/**
 * Computes `IngressDNSRecord.status`: one `dns[]` entry per online member cluster with the member
 * Ingress's load balancer (empty when the Ingress is absent), sorted by cluster name. An offline
 * cluster keeps its previous entry without load balancer, as for Services.
 */
export function computeIngressDnsStatus(input: IngressDnsStatusInput): ComputedDnsStatus<IngressDNSRecordStatus> {
  const { record, clusters, observations } = input;
  const previous = record.status?.dns;
  const entries: ClusterIngressDNS[] = [];
  for (const cluster of clusters) {
    const seen = isOnline(cluster, observations);
    if (!seen) {
      const kept = preservedEntry(previous, cluster.name);
      if (kept) entries.push(kept);
      continue;
    }
    entries.push({ cluster: cluster.name, loadBalancer: sortedLoadBalancer(seen.loadBalancer) });
  }
  entries.sort(byCluster);
  const changed = !isDeepStrictEqual(canonicalEntries(previous, false), canonicalEntries(entries, false));
  return { outcome: 'computed', status: { dns: entries }, changed };
}
