// Multicluster DNS: record status (src/dns/status.ts) and DNSEndpoint computation (src/dns/endpoints.ts).
// The "spec §11.8" suite has one test per example row of the KubeFed v0.0.10 service/ingress tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dedupeAndMergeEndpoints,
  dnsEndpointName,
  effectiveTtl,
  hostnamesToResolve,
  ingressDnsEndpoints,
  sameEndpoints,
  serviceDnsEndpoints,
  UnresolvedHostnameError,
} from '../../src/dns/endpoints.js';
import {
  computeIngressDnsStatus,
  computeServiceDnsStatus,
  endpointSlicesHaveReadyEndpoint,
  endpointsHaveReadyAddress,
  sortedLoadBalancer,
} from '../../src/dns/status.js';
import type {
  ClusterDNS,
  ClusterIngressDNS,
  DnsClusterFacts,
  DnsRecordEndpoint,
  Domain,
  IngressDNSRecord,
  IngressObservation,
  LoadBalancerStatus,
  ServiceDNSRecord,
  ServiceDNSRecordSpec,
  ServiceObservation,
} from '../../src/dns/types.js';

// ---- fixtures (the constants of KubeFed's service_test.go / ingress_test.go) ----

const LB1 = '10.20.30.1';
const LB2 = '10.20.30.2';
const LB3 = '10.20.30.3';
const LB_HOST = 'a9.us-west-2.elb.amazonaws.test';
const RESOLVED = new Map([[LB_HOST, [LB3]]]);

const DOMAIN: Domain = {
  apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
  kind: 'Domain',
  metadata: { name: 'galactic', namespace: 'kube-federation-system' },
  domain: 'example.com',
};

const P = 'nginx.test.galactic.svc';
const G = `${P}.example.com`;
const US = `${P}.us.example.com`;
const US1 = `${P}.us1.us.example.com`;
const US2 = `${P}.us2.us.example.com`;
const EU = `${P}.eu.example.com`;
const EU1 = `${P}.eu1.eu.example.com`;

function lb(...ips: string[]): LoadBalancerStatus {
  return { ingress: ips.map((ip) => ({ ip })) };
}
const NO_LB: LoadBalancerStatus = {};

function c1(loadBalancer: LoadBalancerStatus, zones = ['us1']): ClusterDNS {
  return { cluster: 'c1', loadBalancer, zones, region: 'us' };
}
function c2(loadBalancer: LoadBalancerStatus): ClusterDNS {
  return { cluster: 'c2', loadBalancer, zones: ['eu1'], region: 'eu' };
}

function serviceRecord(dns: ClusterDNS[] | undefined, spec: Partial<ServiceDNSRecordSpec> = {}): ServiceDNSRecord {
  return {
    apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
    kind: 'ServiceDNSRecord',
    metadata: { name: 'nginx', namespace: 'test' },
    spec: { domainRef: 'galactic', ...spec },
    ...(dns ? { status: { domain: 'example.com', dns } } : {}),
  };
}

function ingressRecord(hosts: string[], dns: ClusterIngressDNS[], recordTTL?: number): IngressDNSRecord {
  return {
    apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
    kind: 'IngressDNSRecord',
    metadata: { name: 'nginx', namespace: 'test' },
    spec: { hosts, ...(recordTTL !== undefined ? { recordTTL } : {}) },
    status: { dns },
  };
}

function A(dnsName: string, targets: string[], recordTTL = 180, labels?: Record<string, string>): DnsRecordEndpoint {
  return { dnsName, targets, recordType: 'A', recordTTL, ...(labels ? { labels } : {}) };
}
function CNAME(dnsName: string, target: string, recordTTL = 180, labels?: Record<string, string>): DnsRecordEndpoint {
  return { dnsName, targets: [target], recordType: 'CNAME', recordTTL, ...(labels ? { labels } : {}) };
}

function serviceEndpoints(record: ServiceDNSRecord): DnsRecordEndpoint[] {
  return serviceDnsEndpoints(record, DOMAIN, { resolved: RESOLVED }).spec.endpoints;
}

/** The A records of the two-cluster case (c1 lb1, c2 lb2), in output order. */
function twoClusterA(ttl = 180, labels?: Record<string, string>, prefix = P): DnsRecordEndpoint[] {
  return [
    A(`${prefix}.eu.example.com`, [LB2], ttl, labels),
    A(`${prefix}.eu1.eu.example.com`, [LB2], ttl, labels),
    A(`${prefix}.example.com`, [LB1, LB2], ttl, labels),
    A(`${prefix}.us.example.com`, [LB1], ttl, labels),
    A(`${prefix}.us1.us.example.com`, [LB1], ttl, labels),
  ];
}

// ---- spec §11.8 example rows ----

describe('spec §11.8 examples (KubeFed v0.0.10 service_test.go / ingress_test.go)', () => {
  it('no status.dns: no endpoints', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord(undefined)), []);
    assert.deepEqual(serviceEndpoints(serviceRecord([])), []);
  });

  it('c1 lb1 only: global, region and zone A records of lb1', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(lb(LB1))])), [A(G, [LB1]), A(US, [LB1]), A(US1, [LB1])]);
  });

  it('c1 lb1, c2 lb2: global A of both, per-cluster region and zone A records', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(lb(LB1)), c2(lb(LB2))])), twoClusterA());
  });

  it('c1 lb1, c2 no LB: c2 region CNAME to global, c2 zone CNAME to its region', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(lb(LB1)), c2(NO_LB)])), [
      CNAME(EU, G),
      CNAME(EU1, EU),
      A(G, [LB1]),
      A(US, [LB1]),
      A(US1, [LB1]),
    ]);
  });

  it('neither has LB: no global record; region CNAMEs to global; zone CNAMEs to their regions', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(NO_LB), c2(NO_LB)])), [
      CNAME(EU, G),
      CNAME(EU1, EU),
      CNAME(US, G),
      CNAME(US1, US),
    ]);
  });

  it('c1 [lb1, lb3], c2 lb2: global A of all three, c1 records [lb1, lb3], c2 records [lb2]', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(lb(LB1, LB3)), c2(lb(LB2))])), [
      A(EU, [LB2]),
      A(EU1, [LB2]),
      A(G, [LB1, LB2, LB3]),
      A(US, [LB1, LB3]),
      A(US1, [LB1, LB3]),
    ]);
  });

  it('c1 hostname, c2 lb2: the host name is resolved; global A [lb2, lb3], c1 records [lb3]', () => {
    const record = serviceRecord([c1({ ingress: [{ hostname: LB_HOST }] }), c2(lb(LB2))]);
    assert.deepEqual(serviceEndpoints(record), [
      A(EU, [LB2]),
      A(EU1, [LB2]),
      A(G, [LB2, LB3]),
      A(US, [LB3]),
      A(US1, [LB3]),
    ]);
  });

  it('recordTTL 300: the single-cluster records with TTL 300', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(lb(LB1))], { recordTTL: 300 })), [
      A(G, [LB1], 300),
      A(US, [LB1], 300),
      A(US1, [LB1], 300),
    ]);
  });

  it('dnsPrefix foo: the two-cluster A records plus CNAME foo.example.com to the global name', () => {
    const got = serviceEndpoints(serviceRecord([c1(lb(LB1)), c2(lb(LB2))], { dnsPrefix: 'foo' }));
    assert.deepEqual(got, [CNAME('foo.example.com', G), ...twoClusterA()]);
  });

  it('externalName foo: names start foo.test.galactic.svc, A records as two-cluster, each labelled serviceName: nginx', () => {
    const got = serviceEndpoints(serviceRecord([c1(lb(LB1)), c2(lb(LB2))], { externalName: 'foo' }));
    assert.deepEqual(got, twoClusterA(180, { serviceName: 'nginx' }, 'foo.test.galactic.svc'));
  });

  it('c1 zones [us1, us2]: an additional zone A record for us2', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(lb(LB1), ['us1', 'us2'])])), [
      A(G, [LB1]),
      A(US, [LB1]),
      A(US1, [LB1]),
      A(US2, [LB1]),
    ]);
  });

  it('Ingress hosts [foo.bar.test], c1 lb1, c2 lb2: A foo.bar.test [lb1, lb2]', () => {
    const record = ingressRecord(
      ['foo.bar.test'],
      [
        { cluster: 'c1', loadBalancer: lb(LB1) },
        { cluster: 'c2', loadBalancer: lb(LB2) },
      ],
    );
    assert.deepEqual(ingressDnsEndpoints(record).spec.endpoints, [A('foo.bar.test', [LB1, LB2])]);
  });

  it('Ingress hosts [foo.bar.test, jane.goodall.test]: one A per host, both [lb1, lb2]', () => {
    const record = ingressRecord(
      ['foo.bar.test', 'jane.goodall.test'],
      [
        { cluster: 'c1', loadBalancer: lb(LB1) },
        { cluster: 'c2', loadBalancer: lb(LB2) },
      ],
    );
    assert.deepEqual(ingressDnsEndpoints(record).spec.endpoints, [
      A('foo.bar.test', [LB1, LB2]),
      A('jane.goodall.test', [LB1, LB2]),
    ]);
  });

  it('Ingress c1 hostname, c2 lb2: A foo.bar.test [lb2, lb3]', () => {
    const record = ingressRecord(
      ['foo.bar.test'],
      [
        { cluster: 'c1', loadBalancer: { ingress: [{ hostname: LB_HOST }] } },
        { cluster: 'c2', loadBalancer: lb(LB2) },
      ],
    );
    assert.deepEqual(ingressDnsEndpoints(record, { resolved: RESOLVED }).spec.endpoints, [
      A('foo.bar.test', [LB2, LB3]),
    ]);
  });

  it('doc example (servicedns-with-externaldns.md): DNSEndpoint service-test-service with global, region and zone A records', () => {
    const domain: Domain = {
      metadata: { name: 'test-domain', namespace: 'kube-federation-system' },
      domain: 'your.domain.name',
    };
    const record: ServiceDNSRecord = {
      metadata: { name: 'test-service', namespace: 'test-namespace' },
      spec: { domainRef: 'test-domain', recordTTL: 300 },
      status: {
        domain: 'your.domain.name',
        dns: [{ cluster: 'cluster1', loadBalancer: lb('203.0.113.10'), zones: ['us-west1-b'], region: 'us-west1' }],
      },
    };
    const p = 'test-service.test-namespace.test-domain.svc';
    assert.deepEqual(serviceDnsEndpoints(record, domain), {
      apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
      kind: 'DNSEndpoint',
      metadata: { name: 'service-test-service', namespace: 'test-namespace' },
      spec: {
        endpoints: [
          A(`${p}.us-west1-b.us-west1.your.domain.name`, ['203.0.113.10'], 300),
          A(`${p}.us-west1.your.domain.name`, ['203.0.113.10'], 300),
          A(`${p}.your.domain.name`, ['203.0.113.10'], 300),
        ],
      },
    });
  });
});

// ---- merge rule ----

describe('dedupe and merge: the fixed A-versus-CNAME rule (KubeFed v0.1.0-rc4)', () => {
  it('an A and a CNAME for the same name: the A wins, the CNAME is discarded', () => {
    assert.deepEqual(dedupeAndMergeEndpoints([CNAME(US, G), A(US, [LB1])]), [A(US, [LB1])]);
    assert.deepEqual(dedupeAndMergeEndpoints([A(US, [LB1]), CNAME(US, G)]), [A(US, [LB1])]);
  });

  it('two clusters in one zone, only one with a load balancer: zone and region names are pure A records', () => {
    const c3: ClusterDNS = { cluster: 'c3', loadBalancer: NO_LB, zones: ['us1'], region: 'us' };
    assert.deepEqual(serviceEndpoints(serviceRecord([c1(lb(LB1)), c3])), [A(G, [LB1]), A(US, [LB1]), A(US1, [LB1])]);
  });

  it('several A records for one name merge into one with sorted, unique targets', () => {
    assert.deepEqual(dedupeAndMergeEndpoints([A(G, [LB2, LB1]), CNAME(G, 'x.test'), A(G, [LB1, LB3])]), [
      A(G, [LB1, LB2, LB3]),
    ]);
  });

  it('same-name CNAMEs merge; empty targets are removed and endpoints left without targets dropped', () => {
    assert.deepEqual(dedupeAndMergeEndpoints([CNAME(US, G), CNAME(US, G), CNAME(G, ''), A(EU, ['', LB2])]), [
      A(EU, [LB2]),
      CNAME(US, G),
    ]);
  });

  it('does not modify its input', () => {
    const input = [A(G, [LB2, LB1, '']), A(G, [LB1])];
    const copy = structuredClone(input);
    dedupeAndMergeEndpoints(input);
    assert.deepEqual(input, copy);
  });
});

// ---- TTL, dnsPrefix, externalName, object shape ----

describe('serviceDnsEndpoints / ingressDnsEndpoints: TTL, dnsPrefix, externalName, object shape', () => {
  it('TTL defaults to 180 when recordTTL is 0 or absent, for services and ingresses', () => {
    assert.equal(effectiveTtl(undefined), 180);
    assert.equal(effectiveTtl(0), 180);
    assert.equal(effectiveTtl(60), 60);
    for (const ep of serviceEndpoints(serviceRecord([c1(lb(LB1))], { recordTTL: 0 }))) assert.equal(ep.recordTTL, 180);
    const ing = ingressRecord(['foo.bar.test'], [{ cluster: 'c1', loadBalancer: lb(LB1) }], 0);
    assert.deepEqual(ingressDnsEndpoints(ing).spec.endpoints, [A('foo.bar.test', [LB1], 180)]);
    const ing300 = ingressRecord(['foo.bar.test'], [{ cluster: 'c1', loadBalancer: lb(LB1) }], 300);
    assert.deepEqual(ingressDnsEndpoints(ing300).spec.endpoints, [A('foo.bar.test', [LB1], 300)]);
  });

  it('dnsPrefix CNAME uses the record TTL and carries no labels even with externalName', () => {
    const got = serviceEndpoints(
      serviceRecord([c1(lb(LB1))], { dnsPrefix: 'www', externalName: 'web', recordTTL: 60 }),
    );
    const labels = { serviceName: 'nginx' };
    assert.deepEqual(got, [
      A('web.test.galactic.svc.example.com', [LB1], 60, labels),
      A('web.test.galactic.svc.us.example.com', [LB1], 60, labels),
      A('web.test.galactic.svc.us1.us.example.com', [LB1], 60, labels),
      CNAME('www.example.com', 'web.test.galactic.svc.example.com', 60),
    ]);
  });

  it('dnsPrefix alone, with no status entries, gives no record', () => {
    assert.deepEqual(serviceEndpoints(serviceRecord([], { dnsPrefix: 'foo' })), []);
  });

  it('externalName labels are also on CNAMEs of clusters without a load balancer', () => {
    const got = serviceEndpoints(serviceRecord([c1(NO_LB)], { externalName: 'foo' }));
    const labels = { serviceName: 'nginx' };
    assert.deepEqual(got, [
      CNAME('foo.test.galactic.svc.us.example.com', 'foo.test.galactic.svc.example.com', 180, labels),
      CNAME('foo.test.galactic.svc.us1.us.example.com', 'foo.test.galactic.svc.us.example.com', 180, labels),
    ]);
  });

  it('objects are named service-<name> / ingress-<name> in the record namespace, kind DNSEndpoint, group multiclusterdns.kubefed.io', () => {
    assert.equal(dnsEndpointName('service', 'nginx'), 'service-nginx');
    const svc = serviceDnsEndpoints(serviceRecord(undefined), DOMAIN);
    assert.deepEqual(svc, {
      apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
      kind: 'DNSEndpoint',
      metadata: { name: 'service-nginx', namespace: 'test' },
      spec: { endpoints: [] },
    });
    const ing = ingressDnsEndpoints(ingressRecord(['foo.bar.test'], []));
    assert.deepEqual(ing, {
      apiVersion: 'multiclusterdns.kubefed.io/v1alpha1',
      kind: 'DNSEndpoint',
      metadata: { name: 'ingress-nginx', namespace: 'test' },
      spec: { endpoints: [] },
    });
  });

  it('a record without a namespace is refused', () => {
    const record = serviceRecord([c1(lb(LB1))]);
    delete record.metadata.namespace;
    assert.throws(() => serviceDnsEndpoints(record, DOMAIN), /metadata\.namespace/);
  });

  it('an ingress with hosts but no load balancer addresses gets no records', () => {
    assert.deepEqual(
      ingressDnsEndpoints(ingressRecord(['foo.bar.test'], [{ cluster: 'c1', loadBalancer: NO_LB }])).spec.endpoints,
      [],
    );
  });
});

// ---- host name resolution ----

describe('load balancer host names', () => {
  it('hostnamesToResolve lists non-IP targets once, sorted; IPv4 and IPv6 literals need no lookup', () => {
    const record = serviceRecord([
      c1({ ingress: [{ hostname: 'b.elb.test' }, { ip: LB1, hostname: 'a.elb.test' }] }),
      c2({ ingress: [{ hostname: 'b.elb.test' }, { ip: '2001:db8::1' }] }),
    ]);
    assert.deepEqual(hostnamesToResolve(record), ['a.elb.test', 'b.elb.test']);
    assert.deepEqual(hostnamesToResolve(serviceRecord(undefined)), []);
  });

  it('a host name missing from the resolved map throws UnresolvedHostnameError naming it', () => {
    const record = serviceRecord([c1({ ingress: [{ hostname: 'gone.elb.test' }] })]);
    assert.throws(
      () => serviceDnsEndpoints(record, DOMAIN, { resolved: new Map() }),
      (err: unknown) => err instanceof UnresolvedHostnameError && err.hostnames.join() === 'gone.elb.test',
    );
    assert.throws(
      () =>
        ingressDnsEndpoints(
          ingressRecord(['h.test'], [{ cluster: 'c1', loadBalancer: { ingress: [{ hostname: 'gone.elb.test' }] } }]),
        ),
      UnresolvedHostnameError,
    );
  });

  it('an IP and a host name resolving to the same address give that address once', () => {
    const record = serviceRecord([c1({ ingress: [{ ip: LB3, hostname: LB_HOST }] })]);
    assert.deepEqual(serviceEndpoints(record), [A(G, [LB3]), A(US, [LB3]), A(US1, [LB3])]);
  });
});

// ---- determinism ----

describe('ordering and determinism', () => {
  it('endpoints are sorted by dnsName (byte order) then type, targets sorted', () => {
    const got = serviceEndpoints(serviceRecord([c1(lb(LB3, LB1)), c2(NO_LB)], { dnsPrefix: 'zz' }));
    const names = got.map((ep) => ep.dnsName);
    assert.deepEqual(names, [EU, EU1, G, US, US1, 'zz.example.com']);
    assert.deepEqual(got.find((ep) => ep.dnsName === G)?.targets, [LB1, LB3]);
  });

  it('the order of status entries and ingress points does not change the output', () => {
    const a = serviceEndpoints(
      serviceRecord(
        [c1(lb(LB1, LB3)), c2(lb(LB2)), { cluster: 'c3', loadBalancer: NO_LB, zones: ['us1'], region: 'us' }],
        { dnsPrefix: 'foo' },
      ),
    );
    const b = serviceEndpoints(
      serviceRecord(
        [{ cluster: 'c3', loadBalancer: NO_LB, zones: ['us1'], region: 'us' }, c2(lb(LB2)), c1(lb(LB3, LB1))],
        { dnsPrefix: 'foo' },
      ),
    );
    assert.deepEqual(a, b);
    assert.ok(sameEndpoints(a, { spec: { endpoints: b } }));
  });

  it('sameEndpoints: absent list equals empty, absent labels equal empty labels, order and extra fields matter', () => {
    assert.ok(sameEndpoints([], {}));
    assert.ok(sameEndpoints([], { spec: {} }));
    assert.ok(
      sameEndpoints([A(G, [LB1])], {
        spec: { endpoints: [{ dnsName: G, targets: [LB1], recordType: 'A', recordTTL: 180, labels: {} }] },
      }),
    );
    assert.ok(!sameEndpoints([A(G, [LB1]), A(US, [LB1])], { spec: { endpoints: [A(US, [LB1]), A(G, [LB1])] } }));
    assert.ok(
      !sameEndpoints([A(G, [LB1])], {
        spec: { endpoints: [{ ...A(G, [LB1]), providerSpecific: [{ name: 'x', value: 'y' }] }] },
      }),
    );
    assert.ok(!sameEndpoints([A(G, [LB1])], { spec: { endpoints: [A(G, [LB1], 300)] } }));
  });
});

// ---- status ----

const READY_C1: DnsClusterFacts = { name: 'c1', region: 'us', zones: ['us1'], ready: true };
const READY_C2: DnsClusterFacts = { name: 'c2', region: 'eu', zones: ['eu1'], ready: true };

function seen(loadBalancer: LoadBalancerStatus | undefined, hasEndpoints = true): ServiceObservation {
  return { reachable: true, hasEndpoints, ...(loadBalancer ? { loadBalancer } : {}) };
}

describe('computeServiceDnsStatus', () => {
  it('one entry per ready cluster with region, zones and the Service load balancer; sorted by cluster; domain from the Domain', () => {
    const result = computeServiceDnsStatus({
      record: serviceRecord(undefined),
      domain: DOMAIN,
      clusters: [READY_C2, READY_C1],
      observations: new Map([
        ['c1', seen(lb(LB1))],
        ['c2', seen(lb(LB2))],
      ]),
    });
    assert.deepEqual(result, {
      outcome: 'computed',
      changed: true,
      status: { domain: 'example.com', dns: [c1(lb(LB1)), c2(lb(LB2))] },
    });
  });

  it('a missing Domain skips the record', () => {
    const result = computeServiceDnsStatus({
      record: serviceRecord(undefined),
      domain: undefined,
      clusters: [READY_C1],
      observations: new Map(),
    });
    assert.equal(result.outcome, 'skipped');
  });

  it('a ready cluster without region or zones fails the whole record', () => {
    for (const bad of [
      { ...READY_C1, region: '' },
      { ...READY_C1, zones: [] },
      { name: 'c1', ready: true },
    ]) {
      const result = computeServiceDnsStatus({
        record: serviceRecord(undefined),
        domain: DOMAIN,
        clusters: [bad],
        observations: new Map([['c1', seen(lb(LB1))]]),
      });
      assert.equal(result.outcome, 'failed');
    }
  });

  it('no ready endpoints: empty load balancer, unless allowServiceWithoutEndpoints', () => {
    const input = { domain: DOMAIN, clusters: [READY_C1], observations: new Map([['c1', seen(lb(LB1), false)]]) };
    const without = computeServiceDnsStatus({ ...input, record: serviceRecord(undefined) });
    assert.deepEqual(without.outcome === 'computed' && without.status.dns, [c1({})]);
    const allowed = computeServiceDnsStatus({
      ...input,
      record: serviceRecord(undefined, { allowServiceWithoutEndpoints: true }),
    });
    assert.deepEqual(allowed.outcome === 'computed' && allowed.status.dns, [c1(lb(LB1))]);
  });

  it('a missing member Service yields an empty load balancer', () => {
    const result = computeServiceDnsStatus({
      record: serviceRecord(undefined),
      domain: DOMAIN,
      clusters: [READY_C1],
      observations: new Map([['c1', seen(undefined)]]),
    });
    assert.deepEqual(result.outcome === 'computed' && result.status.dns, [c1({})]);
  });

  it('load balancer ingress points are sorted by IP, then host name', () => {
    const unsorted: LoadBalancerStatus = {
      ingress: [{ ip: LB2 }, { hostname: 'b.test' }, { ip: LB1 }, { hostname: 'a.test' }],
    };
    assert.deepEqual(sortedLoadBalancer(unsorted), {
      ingress: [{ hostname: 'a.test' }, { hostname: 'b.test' }, { ip: LB1 }, { ip: LB2 }],
    });
    assert.deepEqual(sortedLoadBalancer({ ingress: [] }), {});
  });

  it('unchanged status is reported as not changed (no write), whatever the ingress order on the record', () => {
    const record = serviceRecord([c1({ ingress: [{ ip: LB3 }, { ip: LB1 }] }), c2(lb(LB2))]);
    const result = computeServiceDnsStatus({
      record,
      domain: DOMAIN,
      clusters: [READY_C1, READY_C2],
      observations: new Map([
        ['c1', seen(lb(LB1, LB3))],
        ['c2', seen(lb(LB2))],
      ]),
    });
    assert.equal(result.outcome === 'computed' && result.changed, false);
    const otherDomain = computeServiceDnsStatus({
      record,
      domain: { ...DOMAIN, domain: 'example.org' },
      clusters: [READY_C1, READY_C2],
      observations: new Map([
        ['c1', seen(lb(LB1, LB3))],
        ['c2', seen(lb(LB2))],
      ]),
    });
    assert.equal(otherDomain.outcome === 'computed' && otherDomain.changed, true);
  });
});

describe('offline-cluster DNS preservation (the later fix; a no-op in KubeFed v0.0.10)', () => {
  const previous = serviceRecord([c1(lb(LB1)), c2(lb(LB2))]);

  it('a not-ready cluster keeps its previous entry without load balancer', () => {
    const result = computeServiceDnsStatus({
      record: previous,
      domain: DOMAIN,
      clusters: [READY_C1, { ...READY_C2, ready: false }],
      observations: new Map([['c1', seen(lb(LB1))]]),
    });
    assert.deepEqual(result, {
      outcome: 'computed',
      changed: true,
      status: { domain: 'example.com', dns: [c1(lb(LB1)), c2({})] },
    });
  });

  it('a ready cluster that could not be read this run (reachable: false, or not observed) is treated the same', () => {
    for (const observations of [
      new Map<string, ServiceObservation>([
        ['c1', seen(lb(LB1))],
        ['c2', { reachable: false }],
      ]),
      new Map([['c1', seen(lb(LB1))]]),
    ]) {
      const result = computeServiceDnsStatus({
        record: previous,
        domain: DOMAIN,
        clusters: [READY_C1, READY_C2],
        observations,
      });
      assert.deepEqual(result.outcome === 'computed' && result.status.dns, [c1(lb(LB1)), c2({})]);
    }
  });

  it('the preserved entry keeps the region and zones it had, and the endpoints send its names elsewhere by CNAME', () => {
    const result = computeServiceDnsStatus({
      record: previous,
      domain: DOMAIN,
      clusters: [READY_C1, { name: 'c2', region: 'moved', zones: ['moved1'], ready: false }],
      observations: new Map([['c1', seen(lb(LB1))]]),
    });
    assert.ok(result.outcome === 'computed');
    const next = { ...previous, status: result.status };
    assert.deepEqual(serviceEndpoints(next), [CNAME(EU, G), CNAME(EU1, EU), A(G, [LB1]), A(US, [LB1]), A(US1, [LB1])]);
  });

  it('an offline cluster with no previous entry, or a cluster no longer joined, gets no entry', () => {
    const result = computeServiceDnsStatus({
      record: serviceRecord([c2(lb(LB2)), { cluster: 'gone', loadBalancer: lb(LB3), zones: ['x1'], region: 'x' }]),
      domain: DOMAIN,
      clusters: [{ ...READY_C1, ready: false }, READY_C2],
      observations: new Map([['c2', seen(lb(LB2))]]),
    });
    assert.deepEqual(result.outcome === 'computed' && result.status.dns, [c2(lb(LB2))]);
  });

  it('ingress records keep an offline cluster entry without load balancer too', () => {
    const record = ingressRecord(
      ['foo.bar.test'],
      [
        { cluster: 'c1', loadBalancer: lb(LB1) },
        { cluster: 'c2', loadBalancer: lb(LB2) },
      ],
    );
    const result = computeIngressDnsStatus({
      record,
      clusters: [READY_C1, READY_C2],
      observations: new Map<string, IngressObservation>([
        ['c1', { reachable: true, loadBalancer: lb(LB1) }],
        ['c2', { reachable: false }],
      ]),
    });
    assert.deepEqual(result, {
      outcome: 'computed',
      changed: true,
      status: {
        dns: [
          { cluster: 'c1', loadBalancer: lb(LB1) },
          { cluster: 'c2', loadBalancer: {} },
        ],
      },
    });
    assert.deepEqual(ingressDnsEndpoints({ ...record, status: result.status }).spec.endpoints, [
      A('foo.bar.test', [LB1]),
    ]);
  });
});

describe('computeIngressDnsStatus', () => {
  it('one entry per ready cluster with the Ingress load balancer sorted, empty when absent; sorted by cluster; unchanged detected', () => {
    const record = ingressRecord(['foo.bar.test'], []);
    const observations = new Map<string, IngressObservation>([
      ['c2', { reachable: true, loadBalancer: { ingress: [{ ip: LB2 }, { ip: LB1 }] } }],
      ['c1', { reachable: true }],
    ]);
    const result = computeIngressDnsStatus({ record, clusters: [READY_C2, READY_C1], observations });
    const dns = [
      { cluster: 'c1', loadBalancer: {} },
      { cluster: 'c2', loadBalancer: lb(LB1, LB2) },
    ];
    assert.deepEqual(result, { outcome: 'computed', changed: true, status: { dns } });
    const again = computeIngressDnsStatus({
      record: { ...record, status: { dns } },
      clusters: [READY_C2, READY_C1],
      observations,
    });
    assert.equal(again.changed, false);
  });

  it('ready clusters need no region or zones for ingress records', () => {
    const result = computeIngressDnsStatus({
      record: ingressRecord([], []),
      clusters: [{ name: 'c1', ready: true }],
      observations: new Map([['c1', { reachable: true, loadBalancer: lb(LB1) }]]),
    });
    assert.deepEqual(result.status.dns, [{ cluster: 'c1', loadBalancer: lb(LB1) }]);
  });
});

describe('endpoint readiness helpers', () => {
  it('endpointsHaveReadyAddress counts addresses, not notReadyAddresses', () => {
    assert.equal(endpointsHaveReadyAddress({ subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] }), true);
    assert.equal(
      endpointsHaveReadyAddress({ subsets: [{ notReadyAddresses: [{ ip: '10.0.0.1' }] }, { addresses: [] }] }),
      false,
    );
    assert.equal(endpointsHaveReadyAddress({}), false);
    assert.equal(endpointsHaveReadyAddress(undefined), false);
  });

  it('endpointSlicesHaveReadyEndpoint treats an unset ready condition as ready', () => {
    assert.equal(endpointSlicesHaveReadyEndpoint([{ endpoints: [{ addresses: ['10.0.0.1'] }] }]), true);
    assert.equal(
      endpointSlicesHaveReadyEndpoint([
        { endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: false } }] },
        { endpoints: [] },
      ]),
      false,
    );
    assert.equal(endpointSlicesHaveReadyEndpoint([]), false);
  });
});
