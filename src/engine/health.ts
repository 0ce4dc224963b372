// Cluster health, once per run: probe every KubeFedCluster's /healthz in parallel, report the
// conditions (with KubeFed's thresholds), zones, region and version in its status, and tell the
// rest of the pass which clusters answered. Writes only to the host.
import { messageOf } from '../errors.js';
import {
  adjustForThresholds,
  clusterStatus,
  conditionsFor,
  isReady,
  topologyFromNodes,
  type ClusterHealthStatus,
  type ProbeOutcome,
  type Thresholds,
} from '../federation/health.js';
import type { V1Node } from '@kubernetes/client-node';
import type { HasMetadata, WireObject } from '../api/objects.js';
import type { ClusterClient } from '../kube/cluster-client.js';
import { KUBEFED_CLUSTERS, NODES } from '../api/resources.js';
import { PROBE_RETRIES } from '../kube/transport.js';
import { HEALTH_RUN_ANNOTATION, REGION_LABEL, ZONES_ANNOTATION } from '../api/kubefed.js';

export interface HealthSettings extends Thresholds {
  timeoutMs: number;
}

export interface KubeFedClusterStatusObject extends HasMetadata {
  status?: Partial<ClusterHealthStatus>;
}

export interface HealthResult {
  name: string;
  /** The KubeFedCluster's namespace (the KubeFed namespace). */
  namespace?: string;
  /** This run's probe answered ok: only such clusters receive writes. */
  answered: boolean;
  /** The status the health step writes to the KubeFedCluster. */
  status: ClusterHealthStatus;
  problem?: string;
  /** The new value of the threshold counter annotation, when it changed. */
  runCount?: number;
  reportedReady: boolean;
}

/** Probes one member: /healthz, then (when healthy) its nodes and version. */
export async function probeMember(
  client: ClusterClient | undefined,
  clientProblem: string | undefined,
  timeoutMs: number,
): Promise<{ outcome: ProbeOutcome; topology?: { zones: string[]; region?: string }; version?: string }> {
  if (!client)
    return { outcome: { kind: 'malformed', error: clientProblem ?? 'no client could be built for this cluster' } };
  try {
    const res = await client.raw('/healthz', { timeoutMs, ...PROBE_RETRIES });
    if (res.statusCode < 200 || res.statusCode >= 300)
      return { outcome: { kind: 'unreachable', error: `/healthz answered ${res.statusCode}` } };
    if (res.body.trim().toLowerCase() !== 'ok') return { outcome: { kind: 'not-ok', body: res.body } };
  } catch (error) {
    return { outcome: { kind: 'unreachable', error: messageOf(error) } };
  }
  const [nodes, version] = await Promise.all([
    client
      .list<WireObject<V1Node>>(NODES)
      .then((l) => l.items)
      .catch(() => undefined),
    client
      .raw('/version', { timeoutMs, maxRetries: 0 })
      .then((r) => (JSON.parse(r.body) as { gitVersion?: string }).gitVersion)
      .catch(() => undefined),
  ]);
  return {
    outcome: { kind: 'ok' },
    ...(nodes ? { topology: topologyFromNodes(nodes) } : {}),
    ...(version ? { version } : {}),
  };
}

/**
 * Probes every cluster and works out its health status (with KubeFed's thresholds); writes
 * nothing. The status and the threshold counter go to the host in the pass's health step
 * (`writeHealth`), so loading an inventory, `diff` and dry runs leave the host untouched.
 */
export async function checkHealth(
  clusters: { object: KubeFedClusterStatusObject; client?: ClusterClient; problem?: string }[],
  settings: HealthSettings,
  now: Date,
): Promise<HealthResult[]> {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return Promise.all(
    clusters.map(async ({ object, client, problem }) => {
      const name = object.metadata.name ?? '';
      const probe = await probeMember(client, problem, settings.timeoutMs);
      const stored = object.status ?? {};
      const run = Number(object.metadata.annotations?.[HEALTH_RUN_ANNOTATION] ?? '0') || 0;
      const adjusted = adjustForThresholds(
        conditionsFor(probe.outcome, stamp),
        { previous: stored.conditions, run },
        settings,
        stamp,
      );
      const fromObject = {
        ...(object.metadata.labels?.[REGION_LABEL] ? { region: object.metadata.labels[REGION_LABEL] } : {}),
        ...(object.metadata.annotations?.[ZONES_ANNOTATION]
          ? { zones: object.metadata.annotations[ZONES_ANNOTATION].split(',').filter(Boolean) }
          : {}),
      };
      const status = clusterStatus(adjusted.report, { ...stored, ...fromObject }, probe.topology, probe.version);
      const answered = probe.outcome.kind === 'ok';
      const reason =
        probe.outcome.kind === 'ok'
          ? undefined
          : probe.outcome.kind === 'not-ok'
            ? '/healthz did not answer ok'
            : probe.outcome.error;
      return {
        name,
        ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
        answered,
        status,
        ...(reason ? { problem: reason } : {}),
        ...(adjusted.run !== run ? { runCount: adjusted.run } : {}),
        reportedReady: isReady(status.conditions),
      };
    }),
  );
}

/** The health step of a pass: writes each cluster's status and, when it moved, the threshold counter. */
export async function writeHealth(host: ClusterClient, results: HealthResult[]): Promise<number> {
  let writes = 0;
  await Promise.all(
    results.map(async (h) => {
      // Absent fields are written as null so a merge patch clears them.
      const patch = { status: { zones: null, region: null, kubernetesVersion: null, ...h.status } };
      await host.mergePatch(KUBEFED_CLUSTERS, h.name, h.namespace, patch, { subresource: 'status' });
      writes++;
      if (h.runCount !== undefined) {
        await host.mergePatch(KUBEFED_CLUSTERS, h.name, h.namespace, {
          metadata: { annotations: { [HEALTH_RUN_ANNOTATION]: String(h.runCount) } },
        });
        writes++;
      }
    }),
  );
  return writes;
}
