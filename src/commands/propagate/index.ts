// Wiring for `kubefedctl propagate`: load (host or files) -> propagate -> report -> exit code.
import { ExitError, UsageError } from '../../errors.js';
import { clustersFromDocuments, loadFromDocuments, loadFromHost, probeClusters, type Inventory } from '../../engine/inventory.js';
import { propagate, type PropagateReport } from '../../engine/propagate.js';
import { KUBEFED_CONFIG_NAME } from '../../federation/kubefed-config.js';
import type { FederatedTypeConfig } from '../../federation/typeconfig.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { ClientFactory } from '../../kube/factory.js';
import { FEDERATED_TYPE_CONFIGS, KUBEFED_CONFIGS, SECRETS, kindGroup } from '../../kube/resources.js';
import { progressLogger, requestLogger, type RunContext } from '../../output/io.js';
import { printReportData, printReportHuman } from '../../output/report.js';
import { readDocuments } from '../../util/documents.js';
import { clientFactory } from '../connect.js';
import { dryRunOf, type HostFlags } from '../shared-flags.js';

export interface PropagateFlags extends HostFlags {
  filename?: string[];
  recursive: boolean;
  clusters?: string;
  type?: string[];
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  adopt: boolean;
  collectStatus: boolean;
  concurrency: string;
  dryRun?: string;
  output?: string;
}

/** Exit code when some clusters or resources failed (documented in --help). */
export const EXIT_PARTIAL = 2;

/** Parses --concurrency. */
export function concurrencyOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`invalid --concurrency "${value}": use a whole number from 1 to 256`);
  return n;
}

/** Loads the inventory the flags describe: host mode, or file mode with clusters from a file or the host. */
export async function loadInventory(flags: PropagateFlags, factory: ClientFactory, ctx: RunContext): Promise<Inventory> {
  if (flags.namespace && flags.allNamespaces) throw new UsageError('use either -n/--namespace or -A/--all-namespaces, not both');
  const types = (flags.type ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  const filters = { types, ...(flags.namespace ? { namespace: flags.namespace } : {}), ...(flags.selector ? { labelSelector: flags.selector } : {}) };
  const probeTimeoutMs = 5_000;
  const host = (): KubeClient => factory.forContext(flags.hostClusterContext, '--host-cluster-context');
  if (!flags.filename || flags.filename.length === 0) {
    if (flags.clusters) throw new UsageError('--clusters goes with -f: in host mode the clusters are the KubeFedClusters of the host');
    progressLogger(ctx)('reading the control plane from the host cluster');
    const inv = await loadFromHost(host(), factory, { kubefedNamespace: flags.kubefedNamespace, filters, ...(flags.adopt ? { adopt: true } : {}), probeTimeoutMs, dryRun: dryRunOf(flags.dryRun) });
    return { ...inv, collectStatus: flags.collectStatus };
  }
  if (flags.selector) throw new UsageError('-l/--selector selects objects in the host; with -f, pass only the files you want');
  const docs = readDocuments(flags.filename, { recursive: flags.recursive });
  let known: FederatedTypeConfig[] = [];
  let clusterDocs = flags.clusters ? readDocuments([flags.clusters]) : undefined;
  let secrets: Map<string, Record<string, string>> | undefined;
  let hostSettings: { scope?: 'Cluster' | 'Namespaced'; adopt?: boolean } = {};
  const needsHost = !clusterDocs || clusterDocs.some((d) => !(d.doc as { spec?: { kubeconfigContext?: string } })?.spec?.kubeconfigContext);
  if (needsHost) {
    const h = host();
    const ns = flags.kubefedNamespace;
    const [ftcs, clusters, secretList, config] = await Promise.all([
      h.list<FederatedTypeConfig>(FEDERATED_TYPE_CONFIGS, { namespace: ns }).catch(() => ({ items: [] as FederatedTypeConfig[] })),
      clusterDocs ? Promise.resolve(undefined) : h.list(KUBE_FED_CLUSTERS_TYPE, { namespace: ns }),
      h.list<KubeObject>(SECRETS, { namespace: ns }),
      h.get<KubeObject & { spec?: { scope?: string; syncController?: { adoptResources?: string } } }>(KUBEFED_CONFIGS, KUBEFED_CONFIG_NAME, ns),
    ]);
    known = ftcs.items;
    if (clusters) clusterDocs = clusters.items.map((doc, i) => ({ file: `host ${h.clusterName}`, index: i + 1, line: 1, doc: { ...doc, kind: 'KubeFedCluster' } }));
    secrets = new Map(secretList.items.map((s) => [s.metadata.name ?? '', (s['data'] ?? {}) as Record<string, string>]));
    hostSettings = { scope: config?.spec?.scope === 'Namespaced' ? 'Namespaced' : 'Cluster', adopt: config?.spec?.syncController?.adoptResources === 'Enabled' };
  }
  const fromFiles = loadFromDocuments(docs, known);
  const clusters = await probeClusters(clustersFromDocuments(clusterDocs ?? [], factory, secrets), probeTimeoutMs);
  const typeFilter = new Set(types.map((t) => t.toLowerCase()));
  return {
    mode: 'file',
    kubefedNamespace: flags.kubefedNamespace,
    scope: fromFiles.scope ?? hostSettings.scope ?? 'Cluster',
    adopt: flags.adopt || (fromFiles.adopt ?? hostSettings.adopt ?? false),
    clusters,
    types: fromFiles.types.filter((t) => typeFilter.size === 0 || [t.ftc.metadata.name, t.ftc.spec.targetType.kind, t.ftc.spec.targetType.pluralName].some((n) => typeFilter.has(n.toLowerCase()))),
    invalid: [],
    federatedNamespaces: fromFiles.federatedNamespaces,
    hostNamespaceUids: new Map(),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    partial: true,
    hostWrites: 0,
    rsps: fromFiles.rsps,
  };
}

const KUBE_FED_CLUSTERS_TYPE = { group: 'core.kubefed.io', version: 'v1beta1', plural: 'kubefedclusters', kind: 'KubeFedCluster', namespaced: true };

/** `kind.group` of each type's target, for report lines. */
export function targetRefs(inv: Inventory): Map<string, string> {
  return new Map(inv.types.map((t) => [t.ftc.metadata.name, kindGroup({ kind: t.ftc.spec.targetType.kind, group: t.ftc.spec.targetType.group ?? '' })]));
}

export async function propagateCommand(ctx: RunContext, args: unknown[]): Promise<void> {
  const flags = args[0] as PropagateFlags;
  const dryRun = dryRunOf(flags.dryRun);
  const output = flags.output === 'json' || flags.output === 'yaml' ? flags.output : undefined;
  const factory = clientFactory(flags, requestLogger(ctx), concurrencyOf(flags.concurrency));
  let report: PropagateReport;
  let inv: Inventory;
  try {
    inv = await loadInventory(flags, factory, ctx);
    report = await propagate(inv, { dryRun, progress: progressLogger(ctx) });
  } finally {
    factory.closeAll();
  }
  if (output) printReportData(report, output, ctx.io.out);
  else printReportHuman(report, ctx.io, targetRefs(inv), { verbose: ctx.verbosity >= 2 });
  if (report.failed) throw new ExitError(EXIT_PARTIAL);
}
