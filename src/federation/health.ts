// Cluster health as KubeFed's cluster controller reports it: conditions from a /healthz probe,
// smoothed by the failure/success thresholds, plus zones and region from node labels. Pure.
import type { V1Node } from '@kubernetes/client-node';
import type { WireObject } from '../api/objects.js';

export interface ClusterCondition {
  type: 'Ready' | 'Offline' | 'ConfigMalformed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime: string;
  lastTransitionTime?: string;
}

export interface ClusterHealthStatus {
  conditions: ClusterCondition[];
  zones?: string[];
  region?: string;
  kubernetesVersion?: string;
}

/** What one probe found. */
export type ProbeOutcome =
  | { kind: 'unreachable'; error: string }
  | { kind: 'not-ok'; body: string }
  | { kind: 'ok' }
  | { kind: 'malformed'; error: string };

/** The conditions a single probe yields (KubeFed's table; the unreachable message carries the error, as v0.10 does). */
export function conditionsFor(probe: ProbeOutcome, now: string): ClusterCondition[] {
  const at = { lastProbeTime: now, lastTransitionTime: now };
  switch (probe.kind) {
    case 'unreachable':
      return [
        {
          type: 'Offline',
          status: 'True',
          reason: 'ClusterNotReachable',
          message: `cluster is not reachable: ${probe.error}`,
          ...at,
        },
      ];
    case 'not-ok':
      return [
        { type: 'Ready', status: 'False', reason: 'ClusterNotReady', message: '/healthz responded without ok', ...at },
        { type: 'Offline', status: 'False', reason: 'ClusterReachable', message: 'cluster is reachable', ...at },
      ];
    case 'ok':
      return [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: '/healthz responded with ok', ...at }];
    case 'malformed':
      return [
        { type: 'ConfigMalformed', status: 'True', reason: 'ClusterConfigMalformed', message: probe.error, ...at },
      ];
  }
}

/** Ready means a Ready condition with status True; an Offline-only status is not ready. */
export function isReady(conditions: ClusterCondition[] | undefined): boolean {
  return (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export interface ThresholdState {
  /** The status last reported (written), if any. */
  previous?: ClusterCondition[];
  /** Consecutive reports of the previous state. */
  run: number;
}

export interface Thresholds {
  failureThreshold: number;
  successThreshold: number;
}

/**
 * KubeFed's threshold adjustment: a probe result only replaces the reported state once that state
 * has been reported `threshold` times in a row; returns what to report and the new run count.
 */
export function adjustForThresholds(
  probe: ClusterCondition[],
  state: ThresholdState,
  t: Thresholds,
  now: string,
): { report: ClusterCondition[]; run: number } {
  const previous = state.previous;
  if (!previous || previous.length === 0 || state.run < 1) return { report: probe, run: 1 };
  const probeReady = isReady(probe);
  const threshold = probeReady ? t.successThreshold : t.failureThreshold;
  let report: ClusterCondition[];
  if (state.run < threshold) {
    report = previous.map((c) => ({ ...c, lastProbeTime: now }));
  } else if (probeReady === isReady(previous)) {
    const since = previous[0]?.lastTransitionTime;
    report = probe.map((c) => ({ ...c, ...(since ? { lastTransitionTime: since } : {}) }));
  } else {
    report = probe;
  }
  const run = isReady(report) === isReady(previous) ? state.run + 1 : 1;
  return { report, run };
}

const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

/** Zones (sorted, unique) and region (of the first node) from node labels; current and legacy keys. */
export function topologyFromNodes(nodes: readonly Pick<WireObject<V1Node>, 'metadata'>[]): {
  zones: string[];
  region?: string;
} {
  const label = (n: (typeof nodes)[number], keys: string[]) => keys.map((k) => n.metadata.labels?.[k]).find((v) => v);
  const zones = [...new Set(nodes.map((n) => label(n, ZONE_LABELS)).filter((z): z is string => Boolean(z)))].sort();
  const first = nodes[0];
  const region = first ? label(first, REGION_LABELS) : undefined;
  return { zones, ...(region ? { region } : {}) };
}

/**
 * The status to write: the reported conditions, and when ready the topology (falling back to the
 * stored values when nodes carry none, so values set by `join --region/--zone` survive).
 */
export function clusterStatus(
  report: ClusterCondition[],
  stored: Partial<ClusterHealthStatus>,
  topology: { zones: string[]; region?: string } | undefined,
  version: string | undefined,
): ClusterHealthStatus {
  if (!isReady(report)) return { conditions: report };
  const zones = topology && topology.zones.length > 0 ? topology.zones : stored.zones;
  const region = topology?.region || stored.region;
  return {
    conditions: report,
    ...(zones && zones.length > 0 ? { zones } : {}),
    ...(region ? { region } : {}),
    ...(version
      ? { kubernetesVersion: version }
      : stored.kubernetesVersion
        ? { kubernetesVersion: stored.kubernetesVersion }
        : {}),
  };
}
