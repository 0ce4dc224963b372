// DNSEndpoint objects (the external-dns CRD source) computed from ServiceDNSRecord and
// IngressDNSRecord status: KubeFed's DNSEndpoint controllers, done once per run.
// Pure: load balancer host names must be resolved by the caller beforehand (see
// `hostnamesToResolve`) and passed in, because A records may only carry addresses.
import { isIP } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { compareStrings } from './status.js';
import {
  DEFAULT_DNS_TTL,
  DNS_API_VERSION,
  DNS_ENDPOINT_KIND,
  RECORD_TYPE_A,
  RECORD_TYPE_CNAME,
  type DNSEndpoint,
  type DnsRecordEndpoint,
  type Domain,
  type IngressDNSRecord,
  type LoadBalancerStatus,
  type ServiceDNSRecord,
} from './types.js';

/** Host name → its addresses, as looked up by the caller for this run. */
export type ResolvedHosts = ReadonlyMap<string, readonly string[]>;

export interface DnsEndpointOptions {
  /** Addresses of every load balancer host name in the record's status (`hostnamesToResolve`). */
  resolved?: ResolvedHosts;
}

/**
 * Thrown when a load balancer reports a host name the caller did not resolve. KubeFed fails the
 * record's reconcile when a lookup fails; the caller should do the same (skip the write, report).
 */
export class UnresolvedHostnameError extends Error {
  readonly hostnames: string[];
  constructor(hostnames: string[]) {
    super(`load balancer host name(s) not resolved: ${hostnames.join(', ')}`);
    this.name = 'UnresolvedHostnameError';
    this.hostnames = hostnames;
  }
}

/** Name of the DNSEndpoint for a record: `service-<name>` or `ingress-<name>`. */
export function dnsEndpointName(source: 'service' | 'ingress', recordName: string): string {
  return `${source}-${recordName}`;
}

/** `spec.recordTTL`, or DEFAULT_DNS_TTL when it is 0 or absent. */
export function effectiveTtl(recordTTL: number | undefined): number {
  return recordTTL ? recordTTL : DEFAULT_DNS_TTL;
}

/** The targets a load balancer offers: for each ingress point, its IP and then its host name. */
export function loadBalancerTargets(lb: LoadBalancerStatus | undefined): string[] {
  const targets: string[] = [];
  for (const point of lb?.ingress ?? []) {
    if (point.ip) targets.push(point.ip);
    if (point.hostname) targets.push(point.hostname);
  }
  return targets;
}

/**
 * Every load balancer target in a record's status that is not an IP literal, sorted and unique:
 * what the caller must look up before calling `serviceDnsEndpoints` / `ingressDnsEndpoints`.
 */
export function hostnamesToResolve(record: {
  status?: { dns?: readonly { loadBalancer?: LoadBalancerStatus }[] };
}): string[] {
  const names = new Set<string>();
  for (const entry of record.status?.dns ?? []) {
    for (const target of loadBalancerTargets(entry.loadBalancer)) {
      if (isIP(target) === 0) names.add(target);
    }
  }
  return [...names].sort(compareStrings);
}

/** A-record targets: IP literals kept, host names replaced by their addresses; sorted, unique. */
function resolveTargets(targets: readonly string[], resolved: ResolvedHosts | undefined): string[] {
  const out = new Set<string>();
  const missing: string[] = [];
  for (const target of targets) {
    if (isIP(target) !== 0) {
      out.add(target);
      continue;
    }
    const addresses = resolved?.get(target);
    if (!addresses) missing.push(target);
    else for (const address of addresses) out.add(address);
  }
  if (missing.length > 0) throw new UnresolvedHostnameError([...new Set(missing)].sort(compareStrings));
  return [...out].sort(compareStrings);
}

function sortedUnique(targets: readonly string[]): string[] {
  return [...new Set(targets)].sort(compareStrings);
}

function byNameThenType(a: DnsRecordEndpoint, b: DnsRecordEndpoint): number {
  return compareStrings(a.dnsName, b.dnsName) || compareStrings(a.recordType, b.recordType);
}

/**
 * Dedupe and merge, with the A-versus-CNAME rule of KubeFed v0.1.0-rc4: empty targets are dropped
 * (and endpoints left with none); endpoints with the same name are merged into one. When a name has
 * both A and CNAME records (say two clusters in one zone, only one with a load balancer), the A
 * records win and the CNAMEs are discarded; KubeFed v0.0.10 mixed them into one record.
 * The result is sorted by name then type, with sorted, unique targets.
 */
export function dedupeAndMergeEndpoints(endpoints: readonly DnsRecordEndpoint[]): DnsRecordEndpoint[] {
  const byName = new Map<string, DnsRecordEndpoint[]>();
  for (const ep of [...endpoints].sort(byNameThenType)) {
    const targets = ep.targets.filter((t) => t !== '');
    if (targets.length === 0) continue;
    const group = byName.get(ep.dnsName);
    const copy = { ...ep, targets };
    if (group) group.push(copy);
    else byName.set(ep.dnsName, [copy]);
  }
  const merged: DnsRecordEndpoint[] = [];
  for (const group of byName.values()) {
    const hasA = group.some((ep) => ep.recordType === RECORD_TYPE_A);
    const kept = hasA ? group.filter((ep) => ep.recordType === RECORD_TYPE_A) : group;
    const first = kept[0];
    if (!first) continue;
    const out: DnsRecordEndpoint = {
      dnsName: first.dnsName,
      targets: sortedUnique(kept.flatMap((ep) => ep.targets)),
      recordType: first.recordType,
      recordTTL: first.recordTTL,
    };
    if (first.labels && Object.keys(first.labels).length > 0) out.labels = { ...first.labels };
    merged.push(out);
  }
  return merged.sort(byNameThenType);
}

function namespaceOf(
  kind: string,
  record: { metadata: { name?: string; namespace?: string } },
): { name: string; namespace: string } {
  const { name, namespace } = record.metadata;
  if (!name || !namespace) throw new Error(`${kind} needs metadata.name and metadata.namespace to publish DNS records`);
  return { name, namespace };
}

function dnsEndpointObject(name: string, namespace: string, endpoints: DnsRecordEndpoint[]): DNSEndpoint {
  return { apiVersion: DNS_API_VERSION, kind: DNS_ENDPOINT_KIND, metadata: { name, namespace }, spec: { endpoints } };
}

/**
 * The DNSEndpoint `service-<name>` for a ServiceDNSRecord, from its `status.dns` and the zone of
 * its Domain. With prefix `P = <externalName or name>.<namespace>.<domainRef>.svc` and zone `D`,
 * each status entry gives, for each of its zones z and its region r:
 *   `P.z.r.D`, `P.r.D` and `P.D` — A records of the entry's load balancer addresses, or, when it has
 *   none, CNAMEs to the next level up (`P.r.D`, `P.D`; none for the global name);
 * plus CNAME `<dnsPrefix>.D` → `P.D` when `dnsPrefix` is set. With `externalName`, the zone, region
 * and global records carry the label `serviceName: <record name>`. TTL: `recordTTL`, else 180.
 * No status entries give an empty endpoint list. Throws UnresolvedHostnameError when a load
 * balancer host name is missing from `options.resolved`.
 */
export function serviceDnsEndpoints(
  record: ServiceDNSRecord,
  domain: Domain,
  options: DnsEndpointOptions = {},
): DNSEndpoint {
  const { name, namespace } = namespaceOf('ServiceDNSRecord', record);
  const zone = domain.domain;
  const ttl = effectiveTtl(record.spec.recordTTL);
  const externalName = record.spec.externalName;
  const prefix = `${externalName || name}.${namespace}.${record.spec.domainRef}.svc`;
  const labels = externalName ? { serviceName: name } : undefined;
  const globalName = `${prefix}.${zone}`;

  const raw: DnsRecordEndpoint[] = [];
  const add = (dnsName: string, addresses: string[], upLevel: string): void => {
    const ep: DnsRecordEndpoint =
      addresses.length > 0
        ? { dnsName, targets: addresses, recordType: RECORD_TYPE_A, recordTTL: ttl }
        : { dnsName, targets: [upLevel], recordType: RECORD_TYPE_CNAME, recordTTL: ttl };
    if (labels) ep.labels = { ...labels };
    raw.push(ep);
  };

  for (const entry of record.status?.dns ?? []) {
    const targets = loadBalancerTargets(entry.loadBalancer);
    const addresses = targets.length > 0 ? resolveTargets(targets, options.resolved) : [];
    const region = entry.region ?? '';
    const regionName = `${prefix}.${region}.${zone}`;
    for (const z of entry.zones ?? []) add(`${prefix}.${z}.${region}.${zone}`, addresses, regionName);
    add(regionName, addresses, globalName);
    // The global name has nowhere further up to point: an empty target, dropped by the merge.
    add(globalName, addresses, '');
    if (record.spec.dnsPrefix) {
      raw.push({
        dnsName: `${record.spec.dnsPrefix}.${zone}`,
        targets: [globalName],
        recordType: RECORD_TYPE_CNAME,
        recordTTL: ttl,
      });
    }
  }
  return dnsEndpointObject(dnsEndpointName('service', name), namespace, dedupeAndMergeEndpoints(raw));
}

/**
 * The DNSEndpoint `ingress-<name>` for an IngressDNSRecord: for each of `spec.hosts`, an A record
 * of the load balancer addresses of all clusters in `status.dns` (no record when there are none).
 * TTL: `recordTTL`, else 180. Throws UnresolvedHostnameError as `serviceDnsEndpoints` does.
 */
export function ingressDnsEndpoints(record: IngressDNSRecord, options: DnsEndpointOptions = {}): DNSEndpoint {
  const { name, namespace } = namespaceOf('IngressDNSRecord', record);
  const ttl = effectiveTtl(record.spec.recordTTL);
  const targets = (record.status?.dns ?? []).flatMap((entry) => loadBalancerTargets(entry.loadBalancer));
  const raw: DnsRecordEndpoint[] = [];
  if (targets.length > 0) {
    const addresses = resolveTargets(targets, options.resolved);
    for (const host of record.spec.hosts ?? []) {
      raw.push({ dnsName: host, targets: [...addresses], recordType: RECORD_TYPE_A, recordTTL: ttl });
    }
  }
  return dnsEndpointObject(dnsEndpointName('ingress', name), namespace, dedupeAndMergeEndpoints(raw));
}

/** One endpoint as read from a live object, in the form computed ones take. */
function canonicalEndpoint(ep: unknown): unknown {
  if (ep === null || typeof ep !== 'object' || Array.isArray(ep)) return ep;
  const { labels, targets, recordTTL, ...rest } = ep as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest, targets: targets ?? [], recordTTL: recordTTL ?? 0 };
  if (labels && typeof labels === 'object' && Object.keys(labels).length > 0) out['labels'] = labels;
  return out;
}

/**
 * True when a live DNSEndpoint's `spec.endpoints` already equals the computed ones, so no write is
 * needed. Order matters (the computation is deterministic); an absent list equals an empty one and
 * absent labels equal empty labels. Any other field on a live endpoint counts as a difference.
 */
export function sameEndpoints(desired: readonly DnsRecordEndpoint[], live: unknown): boolean {
  const liveList = (live as { spec?: { endpoints?: unknown } } | null | undefined)?.spec?.endpoints ?? [];
  if (!Array.isArray(liveList)) return false;
  return isDeepStrictEqual(desired.map(canonicalEndpoint), liveList.map(canonicalEndpoint));
}
