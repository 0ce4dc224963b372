// Multicluster DNS objects (group multiclusterdns.kubefed.io/v1alpha1) and the per-cluster facts
// the DNS steps of `propagate` work from. Field names follow schemas/{servicednsrecord,
// ingressdnsrecord,domain,dnsendpoint}.json. Types only, plus a few constants.
import type { V1LoadBalancerIngress, V1LoadBalancerStatus, V1PortStatus } from '@kubernetes/client-node';
import type { ObjectMeta } from '../api/objects.js';
import { MULTICLUSTERDNS_API_VERSION } from '../api/kubefed.js';

/** apiVersion of every multicluster DNS object, including the DNSEndpoints external-dns reads. */
export const DNS_API_VERSION = MULTICLUSTERDNS_API_VERSION;

export const SERVICE_DNS_RECORD_KIND = 'ServiceDNSRecord';
export const INGRESS_DNS_RECORD_KIND = 'IngressDNSRecord';
export const DOMAIN_KIND = 'Domain';
export const DNS_ENDPOINT_KIND = 'DNSEndpoint';

/** TTL (seconds) of generated records when a record's `spec.recordTTL` is 0 or absent. */
export const DEFAULT_DNS_TTL = 180;

export const RECORD_TYPE_A = 'A';
export const RECORD_TYPE_CNAME = 'CNAME';

// ---- core/v1 LoadBalancerStatus (as found on Service and Ingress status) ----
// client-node's models; networking/v1 IngressLoadBalancerStatus has the same fields, so one type
// serves both. None of these fields is a timestamp, so the model is the wire shape as it is.

export type PortStatus = V1PortStatus;
export type LoadBalancerIngress = V1LoadBalancerIngress;
export type LoadBalancerStatus = V1LoadBalancerStatus;

// ---- Domain ----

/** A DNS zone. Its fields sit at the top level; records refer to it by `metadata.name`. */
export interface Domain {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  /** The zone, e.g. `example.com`. */
  domain: string;
  nameServer?: string;
}

// ---- ServiceDNSRecord ----

export interface ServiceDNSRecordSpec {
  /** Name of a Domain in the KubeFed system namespace. */
  domainRef: string;
  /** Seconds; 0 or absent means DEFAULT_DNS_TTL. */
  recordTTL?: number;
  /** Adds CNAME `<dnsPrefix>.<domain>` → the global name. */
  dnsPrefix?: string;
  /** Used in record names instead of the object name. */
  externalName?: string;
  /** Publish a cluster's load balancer even when the Service has no ready endpoints there. */
  allowServiceWithoutEndpoints?: boolean;
}

/** One member cluster's contribution to a ServiceDNSRecord. */
export interface ClusterDNS {
  cluster?: string;
  loadBalancer?: LoadBalancerStatus;
  zones?: string[];
  region?: string;
}

export interface ServiceDNSRecordStatus {
  /** The referenced Domain's `domain`. */
  domain?: string;
  dns?: ClusterDNS[];
}

export interface ServiceDNSRecord {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: ServiceDNSRecordSpec;
  status?: ServiceDNSRecordStatus;
}

// ---- IngressDNSRecord ----

export interface IngressDNSRecordSpec {
  /** Fully qualified host names to publish (given by the user, not read from the Ingress rules). */
  hosts?: string[];
  /** Seconds; 0 or absent means DEFAULT_DNS_TTL. */
  recordTTL?: number;
}

export interface ClusterIngressDNS {
  cluster?: string;
  loadBalancer?: LoadBalancerStatus;
}

export interface IngressDNSRecordStatus {
  dns?: ClusterIngressDNS[];
}

export interface IngressDNSRecord {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: IngressDNSRecordSpec;
  status?: IngressDNSRecordStatus;
}

// ---- DNSEndpoint (the external-dns CRD-source shape) ----

/** One DNS record. `labels` is present only when non-empty. */
export interface DnsRecordEndpoint {
  dnsName: string;
  targets: string[];
  recordType: string;
  recordTTL: number;
  labels?: Record<string, string>;
}

export interface DNSEndpointSpec {
  endpoints: DnsRecordEndpoint[];
}

export interface DNSEndpoint {
  apiVersion: string;
  kind: typeof DNS_ENDPOINT_KIND;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: DNSEndpointSpec;
  status?: { observedGeneration?: number };
}

// ---- Inputs of the status step ----

/** What the status step needs to know about a member cluster (from its KubeFedCluster). */
export interface DnsClusterFacts {
  name: string;
  /** `status.region`; required for a live ServiceDNSRecord entry. */
  region?: string;
  /** `status.zones`; at least one is required for a live ServiceDNSRecord entry. */
  zones?: readonly string[];
  /** The cluster's Ready condition as read at the start of the run. */
  ready: boolean;
}

/**
 * What this run saw of the member Service behind a ServiceDNSRecord in one cluster.
 * `reachable: false` means the cluster could not be read this run; it is then treated like a
 * not-ready cluster (its previous entry is kept, without load balancer).
 */
export type ServiceObservation =
  | { reachable: false }
  | {
      reachable: true;
      /** The member Service's `status.loadBalancer`; absent when the Service does not exist. */
      loadBalancer?: LoadBalancerStatus;
      /** The Service has at least one ready endpoint address in that cluster. */
      hasEndpoints: boolean;
    };

/** What this run saw of the member Ingress behind an IngressDNSRecord in one cluster. */
export type IngressObservation =
  | { reachable: false }
  | {
      reachable: true;
      /** The member Ingress's `status.loadBalancer`; absent when the Ingress does not exist. */
      loadBalancer?: LoadBalancerStatus;
    };
