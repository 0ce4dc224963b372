// Loading what a propagation pass works on: clusters, type configs, federated objects and the
// control-plane settings, from the host cluster (host mode) or from files (file mode).
import { UserError, ValidationError } from '../errors.js';
import type { FederatedObject, MemberCluster } from '../federation/federated-object.js';
import { KUBEFED_CONFIG_NAME, MANAGED_LABEL, type KubeFedScope } from '../api/kubefed.js';
import { selectorMatches, parseLabelSelector } from '../federation/placement.js';
import { federatedResourceType, type FederatedTypeConfig } from '../federation/typeconfig.js';
import { checkFederatedObject, nameProblems, validateFederatedObject } from '../federation/validate.js';
import { qualifiedName } from '../federation/federated-object.js';
import { labelMapProblems } from '../util/names.js';
import { didYouMean } from '../util/suggest.js';
import { settle, VALIDATE_HINT, type Findings, type ValidateMode } from '../util/validate-mode.js';
import { checkControlPlaneDocument } from './input-checks.js';
import { accessFromContext, type KubeFedClusterSpec } from '../kube/cluster-access.js';
import type { DryRun, HasMetadata, KubeObject } from '../api/objects.js';
import type { ClusterClient } from '../kube/cluster-client.js';
import { parseDurationMs } from '../util/duration.js';
import { checkHealth, type HealthResult } from './health.js';
import { ownsCluster, type Shard } from '../federation/shard.js';
import type { ClientFactory } from '../kube/factory.js';
import {
  FEDERATED_TYPE_CONFIGS,
  KUBEFED_CLUSTERS,
  KUBEFED_CONFIGS,
  NAMESPACES,
  PLACEMENT_POLICIES,
  REPLICA_SCHEDULING_PREFERENCES,
  SECRETS,
} from '../api/resources.js';
import { isNotFound } from '../kube/api-error.js';
import { PROBE_RETRIES } from '../kube/transport.js';
import {
  describeSource,
  parseInputs,
  readDocuments,
  readInputs,
  type InputFile,
  type SourcedDocument,
} from '../util/documents.js';
import { BUILTIN_FEDERATED_KINDS, defaultTypeConfigForKind } from './builtin-types.js';
import { isPolicyKind, type PlacementPolicy } from '../api/policy.js';
import { TYPES_GROUP } from '../api/kubefed.js';
import type { KubeObject as PlainObject } from '../api/objects.js';
import {
  propagatePlainObjects,
  sortPolicies,
  targetTypeKey,
  type PlainOutput,
  type PolicyNote,
} from './plain-manifests.js';

/** A member cluster and how to reach it. */
export interface ClusterEntry extends MemberCluster {
  client?: ClusterClient;
}

export interface TypeEntry {
  ftc: FederatedTypeConfig;
  objects: FederatedObject[];
}

/** A federated object that failed validation; host mode reports it and carries on. */
export interface InvalidObject {
  typeName: string;
  object: FederatedObject;
  issues: string[];
}

/** What a pass works on, read from the host (host mode) or from files (file mode). Loading writes nothing. */
export type Inventory = HostInventory | FileInventory;

interface InventoryBase {
  kubefedNamespace: string;
  scope: KubeFedScope;
  adopt: boolean;
  clusters: ClusterEntry[];
  types: TypeEntry[];
  invalid: InvalidObject[];
  /** FederatedNamespace objects by namespace, for the namespace placement rule. */
  federatedNamespaces: Map<string, FederatedObject>;
  /** UIDs of the host's namespaces, so the host's own namespace is never deleted when the host is a member. */
  hostNamespaceUids: Map<string, string>;
  /** Restricts reads of member objects to one namespace (-n, or the KubeFed namespace in Namespaced scope). */
  namespace?: string;
  /** With -l, only part of each type is in view, so managed objects without a federated object are left alone. */
  partial: boolean;
  /** --collect-status: copy every member object's status into the federated status, for every type. */
  collectStatus?: boolean;
  /** ReplicaSchedulingPreferences to apply before planning (unvalidated documents). */
  rsps: unknown[];
  /** PlacementPolicies: every placement is intersected with those that match (docs/policy.md). */
  placementPolicies?: PlacementPolicy[];
  /** Labels of namespaces, for PlacementPolicies' namespaceSelectors. */
  namespaceLabels?: Map<string, Record<string, string>>;
  /** Which policy placed each object made from a plain manifest, by noteKey. */
  policyNotes?: Map<string, PolicyNote>;
  /** FederatedNamespaces made for namespaces of plain manifests: an existing namespace is used as it is. */
  implicitNamespaces?: Set<string>;
  /** --shard: `clusters` holds only this shard's clusters; the whole fleet is here (docs/scale.md). */
  shard?: ShardScope;
}

/** A sharded run's view of the fleet. */
export interface ShardScope extends Shard {
  /**
   * Every member cluster, this shard's and the others', in the host's (or file's) order. Other
   * shards' clusters are probed only when a fleet-wide step needs their readiness (replica
   * scheduling, and DNS in shard 0); they are only ever read, never written.
   */
  fleet: ClusterEntry[];
}

/** The control plane as the host holds it; the pass writes status, health and schedules back. */
export interface HostInventory extends InventoryBase {
  mode: 'host';
  host: ClusterClient;
  /** What this run's health check found, written to the KubeFedClusters by the pass's health step. */
  health: HealthResult[];
  /** Region and zones per cluster from the health check, for DNS names. */
  topology: Map<string, { region?: string; zones?: string[] }>;
  /** Every enabled type config by name, including types filtered out or with invalid objects. */
  allTypes: Map<string, FederatedTypeConfig>;
}

/** Federated objects from files: nothing is recorded anywhere but in the members. */
export interface FileInventory extends InventoryBase {
  mode: 'file';
}

export interface Filters {
  /** --type: FederatedTypeConfig names, target kinds or plurals. */
  types: string[];
  namespace?: string;
  labelSelector?: string;
}

export interface LoadOptions {
  kubefedNamespace: string;
  filters: Filters;
  /** --adopt forces adoption on, whatever the KubeFedConfig says. */
  adopt?: boolean;
  /** Readiness probe timeout (file mode; host mode uses the KubeFedConfig's clusterHealthCheck). */
  probeTimeoutMs: number;
  now?: Date;
  shard?: Shard;
}

interface KubeFedConfigObject extends HasMetadata {
  spec?: {
    scope?: KubeFedScope;
    syncController?: { adoptResources?: string };
    clusterHealthCheck?: { timeout?: string; failureThreshold?: number; successThreshold?: number };
    featureGates?: { name: string; configuration: string }[];
  };
}

interface KubeFedClusterObject extends HasMetadata {
  spec: KubeFedClusterSpec & { kubeconfigContext?: string };
}

/** True when a --type filter entry names this type. */
export function typeMatches(ftc: FederatedTypeConfig, filter: string[]): boolean {
  if (filter.length === 0) return true;
  const t = ftc.spec.targetType;
  const names = [
    ftc.metadata.name,
    t.pluralName,
    t.kind.toLowerCase(),
    ftc.spec.federatedType.kind.toLowerCase(),
    ftc.spec.federatedType.pluralName,
    `${ftc.spec.federatedType.pluralName}.${ftc.spec.federatedType.group ?? ''}`,
  ].map((n) => n.toLowerCase());
  return filter.some((f) => names.includes(f.toLowerCase()));
}

/** Reads the control plane from the host cluster. */
export async function loadFromHost(
  host: ClusterClient,
  factory: ClientFactory,
  opts: LoadOptions,
): Promise<HostInventory> {
  const ns = opts.kubefedNamespace;
  const config = await host.get<KubeFedConfigObject>(KUBEFED_CONFIGS, KUBEFED_CONFIG_NAME, ns);
  if (!config)
    throw new UserError(
      `the host cluster "${host.clusterName}" has no KubeFed API in namespace "${ns}"`,
      `run 'kubefedctl init --host-cluster-context ${host.clusterName}' first, or pass --kubefed-namespace`,
    );
  const scope: KubeFedScope = config.spec?.scope === 'Namespaced' ? 'Namespaced' : 'Cluster';
  const adopt = opts.adopt ?? config.spec?.syncController?.adoptResources === 'Enabled';
  const [clusterList, secretList, ftcList] = await Promise.all([
    host.list<KubeFedClusterObject>(KUBEFED_CLUSTERS, { namespace: ns }),
    host.list<KubeObject>(SECRETS, { namespace: ns }),
    host.list<FederatedTypeConfig>(FEDERATED_TYPE_CONFIGS, { namespace: ns }),
  ]);
  const secrets = new Map(
    secretList.items.map((s) => [s.metadata.name ?? '', (s['data'] ?? {}) as Record<string, string>]),
  );
  const entries = clusterList.items.map((c) => ({ object: c, entry: clusterFromObject(c, factory, secrets) }));
  // A namespace-scoped control plane only works inside its namespace: cluster-scoped targets
  // (Namespaces included) are skipped, as KubeFed does.
  const enabled = ftcList.items.filter(
    (f) => f.spec.propagation === 'Enabled' && (scope === 'Cluster' || f.spec.targetType.scope === 'Namespaced'),
  );
  const namespace = scope === 'Namespaced' ? ns : opts.filters.namespace;
  const selector = opts.filters.labelSelector;
  const schedulingOn =
    (config.spec?.featureGates ?? []).find((g) => g.name === 'SchedulerPreferences')?.configuration !== 'Disabled';
  // An older KubeFed API may lack the RSP CRD: then there is nothing to schedule.
  const rsps = schedulingOn
    ? await host
        .list(REPLICA_SCHEDULING_PREFERENCES, namespace ? { namespace } : {})
        .then((l) => l.items as unknown[])
        .catch((e: unknown) => {
          if (isNotFound(e)) return [];
          throw e;
        })
    : [];
  const shard = opts.shard;
  // Scheduling needs every cluster's readiness, and shard 0 also runs DNS: those probe the fleet (reads only).
  const fleetWide = !shard || shard.index === 0 || rsps.length > 0;
  const probed = entries.filter(({ entry }) => fleetWide || ownsCluster(shard, entry.name));
  const hc = config.spec?.clusterHealthCheck ?? {};
  const health = await checkHealth(
    probed.map(({ object, entry }) => ({
      object,
      ...(entry.client ? { client: entry.client } : {}),
      ...(entry.notReadyReason ? { problem: entry.notReadyReason } : {}),
    })),
    {
      timeoutMs: parseDurationMs(hc.timeout ?? '3s') ?? 3000,
      failureThreshold: hc.failureThreshold ?? 3,
      successThreshold: hc.successThreshold ?? 1,
    },
    opts.now ?? new Date(),
  );
  // Writes go only to clusters that answered this run, whatever the smoothed condition says.
  const answered = new Map(
    probed.map(({ entry }, i): [string, ClusterEntry] => {
      const h = health[i]!;
      return [
        entry.name,
        h.answered
          ? { ...entry, ready: true }
          : { ...entry, ready: false, notReadyReason: h.problem ?? entry.notReadyReason ?? 'not ready' },
      ];
    }),
  );
  const fleet = entries.map(({ entry }) => answered.get(entry.name) ?? entry);
  const clusters = fleet.filter((c) => ownsCluster(shard, c.name));
  const topology = new Map(
    health.map((h) => [
      h.name,
      { ...(h.status.region ? { region: h.status.region } : {}), ...(h.status.zones ? { zones: h.status.zones } : {}) },
    ]),
  );
  const inventory: HostInventory = {
    mode: 'host',
    host,
    kubefedNamespace: ns,
    scope,
    adopt,
    clusters,
    types: [],
    invalid: [],
    federatedNamespaces: new Map(),
    hostNamespaceUids: new Map(),
    ...(namespace ? { namespace } : {}),
    partial: Boolean(selector),
    // Each shard records the health of its own clusters only.
    health: health.filter((h) => ownsCluster(shard, h.name)),
    rsps,
    topology,
    allTypes: new Map(enabled.map((f) => [f.metadata.name, f])),
    ...(shard ? { shard: { ...shard, fleet } } : {}),
  };
  const namespacesFtc = enabled.find((f) => f.metadata.name === 'namespaces');
  await Promise.all(
    enabled.map(async (ftc) => {
      const wanted = typeMatches(ftc, opts.filters.types);
      const isNamespaces = ftc === namespacesFtc;
      if (!wanted && !isNamespaces) return;
      const type = federatedResourceType(ftc);
      // FederatedNamespaces are read whole: every namespaced object's placement depends on them.
      const list = await host.list<FederatedObject>(type, {
        ...(namespace && type.namespaced && !isNamespaces ? { namespace } : {}),
        ...(selector && !isNamespaces ? { labelSelector: selector } : {}),
      });
      if (isNamespaces)
        for (const o of list.items)
          if (o.metadata.namespace && o.metadata.name === o.metadata.namespace)
            inventory.federatedNamespaces.set(o.metadata.name, o);
      if (!wanted) return;
      let items = list.items;
      if (isNamespaces && selector)
        items = items.filter((o) => selectorMatches(parseLabelSelector(selector), o.metadata.labels ?? {}));
      if (isNamespaces && namespace) items = items.filter((o) => o.metadata.namespace === namespace);
      const valid: FederatedObject[] = [];
      for (const o of items) {
        const issues = validateFederatedObject(o, ftc);
        if (issues.length > 0) inventory.invalid.push({ typeName: ftc.metadata.name, object: o, issues });
        else valid.push(o);
      }
      inventory.types.push({ ftc, objects: valid });
    }),
  );
  inventory.types.sort(
    (a, b) => typeOrder(a.ftc) - typeOrder(b.ftc) || a.ftc.metadata.name.localeCompare(b.ftc.metadata.name),
  );
  // PlacementPolicies live in the host; an older host without their CRD has none.
  inventory.placementPolicies = await host
    .list<PlacementPolicy>(PLACEMENT_POLICIES)
    .then((l) => l.items)
    .catch((e: unknown) => {
      if (isNotFound(e)) return [];
      throw e;
    });
  if (namespacesFtc || inventory.placementPolicies.length > 0) {
    const hostNamespaces = await host.list(NAMESPACES);
    inventory.namespaceLabels = new Map();
    for (const n of hostNamespaces.items) {
      if (n.metadata.name && n.metadata.uid) inventory.hostNamespaceUids.set(n.metadata.name, n.metadata.uid);
      if (n.metadata.name) inventory.namespaceLabels.set(n.metadata.name, n.metadata.labels ?? {});
    }
  }
  return inventory;
}

/** Namespaces go first, so that objects inside them can be created in the same pass. */
function typeOrder(ftc: FederatedTypeConfig): number {
  return ftc.metadata.name === 'namespaces' ? 0 : 1;
}

function clusterFromObject(
  c: KubeFedClusterObject,
  factory: ClientFactory,
  secrets: Map<string, Record<string, string>> | undefined,
): ClusterEntry {
  const name = c.metadata.name ?? '';
  const labels = c.metadata.labels ?? {};
  try {
    if (c.spec.kubeconfigContext) {
      const access = accessFromContext(
        factory.context(c.spec.kubeconfigContext, `spec.kubeconfigContext of cluster ${name}`),
      );
      return { name, labels, ready: true, client: factory.forAccess({ ...access, name }) };
    }
    const data = secrets?.get(c.spec.secretRef?.name ?? '');
    if (!data)
      return {
        name,
        labels,
        ready: false,
        notReadyReason: `its Secret "${c.spec.secretRef?.name ?? ''}" does not exist`,
      };
    return { name, labels, ready: true, client: factory.forKubeFedCluster(name, c.spec, data) };
  } catch (error) {
    return { name, labels, ready: false, notReadyReason: (error as Error).message };
  }
}

/** Probes every cluster's /readyz in parallel; unreachable or unhealthy clusters are marked not ready. */
export async function probeClusters(clusters: ClusterEntry[], timeoutMs: number): Promise<ClusterEntry[]> {
  return Promise.all(
    clusters.map(async (c) => {
      if (!c.ready || !c.client) return c;
      try {
        const res = await c.client.raw('/readyz', { timeoutMs, ...PROBE_RETRIES });
        if (res.statusCode === 200) return c;
        return {
          ...c,
          ready: false,
          notReadyReason: `/readyz answered ${res.statusCode}${res.statusCode === 401 || res.statusCode === 403 ? ' (credentials refused)' : ''}`,
        };
      } catch (error) {
        return { ...c, ready: false, notReadyReason: (error as Error).message };
      }
    }),
  );
}

/** How strictly file inputs are checked, and where warnings go. */
export interface InputChecks {
  /** --validate. */
  validate: ValidateMode;
  /** Receives each warning line (file, document, object, field and problem). */
  warn: (line: string) => void;
}

/** Errors of the input, with --validate's hint when some of them are unknown fields or schema rules. */
function inputError(message: string, issues: string[], strictCount: number): ValidationError {
  return new ValidationError(message, issues, strictCount > 0 ? VALIDATE_HINT : undefined);
}

/**
 * Cluster documents of a --clusters file (KubeFedCluster-shaped), or of the host. With `checks`
 * (a file), each is checked against schemas/kubefedcluster.json and an empty file is an error.
 */
export function clustersFromDocuments(
  docs: SourcedDocument[],
  factory: ClientFactory | undefined,
  secrets?: Map<string, Record<string, string>>,
  checks?: InputChecks & { file: string },
): ClusterEntry[] {
  const issues: string[] = [];
  let strictCount = 0;
  const seen = new Map<string, string>();
  const out: ClusterEntry[] = [];
  if (checks && docs.length === 0)
    throw new ValidationError(
      `no clusters in ${checks.file}`,
      [],
      'the clusters file holds one KubeFedCluster document per member cluster (metadata.name, metadata.labels, spec.kubeconfigContext); see examples/clusters.yaml',
    );
  for (const d of docs) {
    const c = d.doc as KubeFedClusterObject;
    const where = describeSource(d);
    if (c?.kind !== 'KubeFedCluster') {
      issues.push(
        `${where}: kind: is ${JSON.stringify(c?.kind)}, want KubeFedCluster${typeof c?.kind === 'string' ? didYouMean(c.kind, ['KubeFedCluster']) : ''} (the clusters file holds only KubeFedClusters)`,
      );
      continue;
    }
    const label = `KubeFedCluster ${typeof c.metadata?.name === 'string' ? c.metadata.name : ''}`.trim();
    if (checks) {
      const found = checkControlPlaneDocument(c, 'KubeFedCluster');
      const { errors, warnings } = settle(found, checks.validate);
      for (const w of warnings) checks.warn(`${where}: ${label}: ${w}`);
      for (const e of errors) issues.push(`${where}: ${label}: ${e}`);
      if (checks.validate === 'strict') strictCount += found.strict.length;
      if (found.errors.length > 0) continue;
    } else {
      const problems = [...nameProblems(c.metadata?.name), ...labelMapProblems(c.metadata?.labels, 'metadata.labels')];
      for (const p of problems) issues.push(`${where}: ${label}: ${p}`);
      if (problems.length > 0) continue;
    }
    const name = c.metadata.name ?? '';
    const labels = c.metadata.labels ?? {};
    const first = seen.get(name);
    if (first !== undefined)
      issues.push(`${where}: ${label}: metadata.name: cluster "${name}" is defined twice (first at ${first})`);
    seen.set(name, where);
    if (!factory) {
      out.push({ name, labels, ready: true });
      continue;
    }
    if (!c.spec?.kubeconfigContext && !c.spec?.secretRef?.name)
      issues.push(
        `${where}: ${label}: spec: needs kubeconfigContext (a context of your kubeconfig) or secretRef with apiEndpoint (read from the host)`,
      );
    out.push(clusterFromObject(c, factory, secrets));
  }
  if (issues.length > 0)
    throw inputError(
      `the clusters file is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}); nothing was written`,
      issues,
      strictCount,
    );
  return out;
}

/** Replaces the members of `target` with those of `source` (a checked copy), keeping the object's identity. */
function replaceContents(target: object, source: object): void {
  if (target === source) return;
  for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
  Object.assign(target, source);
}

/** Where each document loadFromDocuments kept came from, for problems found later (engine/preflight.ts). */
const sources = new WeakMap<object, SourcedDocument>();

/** The file, line and document a federated object or RSP of the input was read from. */
export function sourceOf(doc: object): SourcedDocument | undefined {
  return sources.get(doc);
}

/** What -f documents hold, checked. */
export interface FileDocuments {
  types: TypeEntry[];
  federatedNamespaces: Map<string, FederatedObject>;
  rsps: unknown[];
  scope?: KubeFedScope;
  adopt?: boolean;
  placementPolicies: PlacementPolicy[];
  namespaceLabels: Map<string, Record<string, string>>;
  policyNotes: Map<string, PolicyNote>;
  implicitNamespaces: Set<string>;
}

/**
 * Federated objects, type configs, policies and plain manifests from -f documents; every problem
 * names its file, document and field. Plain manifests become the Federated<Kind> objects their
 * propagation policies make of them (`context.clusters` gives the clusters their overrides target).
 */
export function loadFromDocuments(
  docs: SourcedDocument[],
  known: FederatedTypeConfig[],
  checks: InputChecks & { inputs?: string[] } = { validate: 'strict', warn: () => {} },
  context: { clusters?: readonly MemberCluster[]; defaultNamespace?: string } = {},
): FileDocuments {
  const issues: string[] = [];
  let strictCount = 0;
  /** Adds a check's errors (and warnings) for the document at `where`; true when it may be used. */
  const report = (where: string, label: string, found: Findings): boolean => {
    const { errors, warnings } = settle(found, checks.validate);
    for (const w of warnings) checks.warn(`${where}: ${label}: ${w}`);
    for (const e of errors) issues.push(`${where}: ${label}: ${e}`);
    if (checks.validate === 'strict') strictCount += found.strict.length;
    return errors.length === 0;
  };
  const ftcs = new Map(known.map((f) => [f.spec.federatedType.kind, f]));
  let scope: KubeFedScope | undefined;
  let adopt: boolean | undefined;
  const objects: { doc: FederatedObject; source: SourcedDocument }[] = [];
  const plain: { doc: PlainObject; source: SourcedDocument }[] = [];
  const others: { doc: FederatedObject; source: SourcedDocument }[] = [];
  const policyDocs: PlainObject[] = [];
  let badPolicies = 0;
  const rsps: unknown[] = [];
  for (const d of docs) {
    const o = d.doc as FederatedObject & { kind?: unknown };
    const where = describeSource(d);
    if (!o || typeof o !== 'object' || typeof o.kind !== 'string') {
      issues.push(`${where}: kind: is required`);
      continue;
    }
    sources.set(o, d);
    const label = `${o.kind} ${qualifiedName(isObjectLike(o.metadata) ? o.metadata : {})}`.trim();
    if (
      o.kind === 'FederatedTypeConfig' ||
      o.kind === 'KubeFedConfig' ||
      o.kind === 'ReplicaSchedulingPreference' ||
      isPolicyKind(o.kind)
    ) {
      const found = checkControlPlaneDocument(o, o.kind);
      const usable = report(where, label, found);
      replaceContents(o, found.doc as object);
      if (!usable) {
        if (isPolicyKind(o.kind)) badPolicies++;
        continue;
      }
    }
    if (o.kind === 'FederatedTypeConfig')
      ftcs.set(
        (o as unknown as FederatedTypeConfig).spec?.federatedType?.kind ?? '',
        o as unknown as FederatedTypeConfig,
      );
    else if (o.kind === 'KubeFedConfig') {
      const spec = (o as unknown as KubeFedConfigObject).spec;
      scope = spec?.scope === 'Namespaced' ? 'Namespaced' : 'Cluster';
      adopt = spec?.syncController?.adoptResources === 'Enabled';
    } else if (o.kind === 'ReplicaSchedulingPreference') rsps.push(o);
    else if (isPolicyKind(o.kind)) policyDocs.push(o);
    else others.push({ doc: o, source: d });
  }
  for (const { doc, source } of others)
    if (isFederatedDocument(doc) || ftcs.has(doc.kind ?? '')) objects.push({ doc, source });
    else plain.push({ doc, source });
  // With a policy refused, which policy selects what is unknown: its errors are the ones to fix.
  const fromPolicies = policyInput({
    plain: badPolicies === 0 ? plain : [],
    federated: objects,
    policyDocs,
    ftcs,
    federateNamespaces: scope !== 'Namespaced',
    context,
  });
  issues.push(...fromPolicies.issues);
  for (const w of fromPolicies.warnings) checks.warn(w);
  for (const o of fromPolicies.objects) {
    sources.set(o.doc, o.source);
    objects.push(o);
  }
  for (const r of fromPolicies.rsps) {
    sources.set(r.doc, r.source);
    rsps.push(r.doc);
  }
  const byType = new Map<string, TypeEntry>();
  const federatedNamespaces = new Map<string, FederatedObject>();
  const keys = new Set<string>();
  // One default type config per built-in kind, shared as the host's are, not one per document.
  const defaults = new Map<string, FederatedTypeConfig | undefined>();
  const typeConfigOf = (doc: FederatedObject): FederatedTypeConfig | undefined => {
    const kind = doc.kind ?? '';
    if (!defaults.has(kind)) defaults.set(kind, ftcs.get(kind) ?? defaultTypeConfigForKind(doc));
    return defaults.get(kind);
  };
  for (const { doc, source } of objects) {
    const where = describeSource(source);
    const label = `${doc.kind} ${qualifiedName(isObjectLike(doc.metadata) ? doc.metadata : {})}`.trim();
    const ftc = typeConfigOf(doc);
    if (!ftc) {
      issues.push(`${where}: ${label}: kind: ${unknownKindProblem(doc, [...BUILTIN_FEDERATED_KINDS, ...ftcs.keys()])}`);
      continue;
    }
    if (doc.apiVersion !== `${ftc.spec.federatedType.group}/${ftc.spec.federatedType.version}`) {
      issues.push(
        `${where}: ${label}: apiVersion: is ${JSON.stringify(doc.apiVersion)}, want ${ftc.spec.federatedType.group}/${ftc.spec.federatedType.version}`,
      );
      continue;
    }
    const found = checkFederatedObject(doc, ftc);
    if (!report(where, label, found)) continue;
    replaceContents(doc, found.object);
    const key = `${doc.kind}/${doc.metadata.namespace ?? ''}/${doc.metadata.name ?? ''}`;
    if (keys.has(key)) issues.push(`${where}: ${label}: defined more than once`);
    keys.add(key);
    let entry = byType.get(ftc.metadata.name);
    if (!entry) byType.set(ftc.metadata.name, (entry = { ftc, objects: [] }));
    entry.objects.push(doc);
    if (ftc.metadata.name === 'namespaces' && doc.metadata.namespace)
      federatedNamespaces.set(doc.metadata.namespace, doc);
  }
  if (objects.length === 0 && issues.length === 0) {
    const inputs = checks.inputs ?? [...new Set(docs.map((d) => d.file))];
    throw new ValidationError(
      `no federated objects in ${inputs.length > 0 ? inputs.join(', ') : 'the input'}: nothing to do`,
      [],
      'pass files with Federated<Kind> objects (kubefedctl federate -f FILE -o yaml makes them from plain manifests)',
    );
  }
  if (issues.length > 0)
    throw inputError(
      `the input is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}); nothing was written`,
      issues,
      strictCount,
    );
  const types = [...byType.values()].sort(
    (a, b) => typeOrder(a.ftc) - typeOrder(b.ftc) || a.ftc.metadata.name.localeCompare(b.ftc.metadata.name),
  );
  return {
    types,
    federatedNamespaces,
    rsps,
    ...(scope ? { scope } : {}),
    ...(adopt !== undefined ? { adopt } : {}),
    placementPolicies: fromPolicies.placementPolicies,
    namespaceLabels: fromPolicies.namespaceLabels,
    policyNotes: fromPolicies.notes,
    implicitNamespaces: fromPolicies.implicitNamespaces,
  };
}

/** Labels of the input's namespaces (plain Namespaces and FederatedNamespaces) and its FederatedNamespaces. */
function namespacesOf(
  plain: { doc: PlainObject }[],
  federated: { doc: FederatedObject }[],
): { namespaceLabels: Map<string, Record<string, string>>; given: Map<string, FederatedObject> } {
  const namespaceLabels = new Map<string, Record<string, string>>();
  const given = new Map<string, FederatedObject>();
  for (const { doc } of plain)
    if (doc.kind === 'Namespace') namespaceLabels.set(nameOf(doc), doc.metadata.labels ?? {});
  for (const { doc } of federated) {
    if (doc.kind !== 'FederatedNamespace') continue;
    const template = doc.spec?.template as { metadata?: { labels?: Record<string, string> } } | undefined;
    namespaceLabels.set(nameOf(doc), template?.metadata?.labels ?? {});
    given.set(nameOf(doc), doc);
  }
  return { namespaceLabels, given };
}

/** metadata.name of a document that may lack metadata. */
const nameOf = (doc: { metadata?: unknown }): string =>
  isObjectLike(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '';

/**
 * The policies of a -f input: PlacementPolicies as they are, and the Federated<Kind> objects (and
 * RSPs) the propagation policies make of the plain manifests. Namespace labels come from the
 * input's Namespaces and FederatedNamespaces, for namespaceSelectors.
 */
function policyInput(input: {
  plain: { doc: PlainObject; source: SourcedDocument }[];
  federated: { doc: FederatedObject; source: SourcedDocument }[];
  policyDocs: PlainObject[];
  ftcs: Map<string, FederatedTypeConfig>;
  federateNamespaces: boolean;
  context: { clusters?: readonly MemberCluster[]; defaultNamespace?: string };
}): PlainOutput & { placementPolicies: PlacementPolicy[]; namespaceLabels: Map<string, Record<string, string>> } {
  const defaultNamespace = input.context.defaultNamespace ?? 'default';
  const policies = sortPolicies(input.policyDocs, defaultNamespace);
  const { namespaceLabels, given } = namespacesOf(input.plain, input.federated);
  const issues: string[] = [];
  const made = propagatePlainObjects({
    plain: input.plain.filter(({ doc, source }) => {
      if (isObjectLike(doc.metadata)) return true;
      issues.push(`${describeSource(source)}: ${doc.kind ?? ''}: metadata: is required`);
      return false;
    }),
    propagationPolicies: policies.propagation,
    placementPolicies: policies.placement,
    typeConfigs: new Map(
      [...input.ftcs.values()].map((f) => [targetTypeKey(f.spec.targetType.group, f.spec.targetType.kind), f] as const),
    ),
    clusters: input.context.clusters ?? [],
    federatedNamespaces: given,
    namespaceLabels,
    defaultNamespace,
    federateNamespaces: input.federateNamespaces,
  });
  return {
    ...made,
    issues: [...issues, ...made.issues],
    placementPolicies: policies.placement,
    namespaceLabels,
  };
}

/** A Federated<Kind> (or a document that means to be one): its group is types.kubefed.io, or its kind says so. */
function isFederatedDocument(o: { apiVersion?: unknown; kind?: unknown }): boolean {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  return apiVersion.startsWith(`${TYPES_GROUP}/`) || String(o.kind).startsWith('Federated');
}

const isObjectLike = (v: unknown): v is { name?: string; namespace?: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a document's kind has no type config, with the closest known federated kind. */
function unknownKindProblem(doc: { kind?: unknown; apiVersion?: unknown }, known: string[]): string {
  const kind = String(doc.kind);
  const suggestion = didYouMean(kind, known);
  if (!kind.startsWith('Federated'))
    return `${kind} is not a federated kind: -f takes Federated<Kind> objects, FederatedTypeConfigs, a KubeFedConfig and ReplicaSchedulingPreferences${suggestion || `; make a Federated${kind} with kubefedctl federate -f FILE -o yaml`}`;
  return `${kind} is not a federated type kubefedctl knows${suggestion}; for a type of your own, add its FederatedTypeConfig to the input (kubefedctl enable TYPE -o yaml prints it)`;
}

/** Re-exported for the engine: the label every managed member object carries. */
export { MANAGED_LABEL };

/** What to load: the inputs of propagate, diff and status, already parsed from request. */
export interface InventoryRequest {
  /** -f: files, folders or '-'; empty means host mode. */
  filenames: string[];
  recursive: boolean;
  /** --clusters: KubeFedCluster documents (file mode). */
  clusters?: string;
  types: string[];
  namespace?: string;
  selector?: string;
  adopt: boolean;
  collectStatus: boolean;
  kubefedNamespace: string;
  hostClusterContext?: string;
  dryRun: DryRun;
  /** --validate, for the files (default strict). */
  validate?: ValidateMode;
  /** --shard: only the member clusters this shard owns are probed and written (docs/scale.md). */
  shard?: Shard;
}

/** Loads the inventory a request describes: host mode, or file mode with clusters from a file or the host. */
export async function loadInventory(
  request: InventoryRequest,
  factory: ClientFactory,
  progress: (line: string) => void,
  warn: (line: string) => void = progress,
): Promise<Inventory> {
  if (request.filenames.length > 0) return fileInventory(await loadFileContext(request, factory, warn));
  progress('reading the control plane from the host cluster');
  const inv = await loadFromHost(hostClient(request, factory), factory, {
    kubefedNamespace: request.kubefedNamespace,
    filters: filtersOf(request),
    ...(request.adopt ? { adopt: true } : {}),
    probeTimeoutMs: PROBE_TIMEOUT_MS,
    ...(request.shard ? { shard: request.shard } : {}),
  });
  return { ...inv, collectStatus: request.collectStatus };
}

const PROBE_TIMEOUT_MS = 5_000;

function filtersOf(request: InventoryRequest): Filters {
  return {
    types: request.types,
    ...(request.namespace ? { namespace: request.namespace } : {}),
    ...(request.selector ? { labelSelector: request.selector } : {}),
  };
}

function hostClient(request: InventoryRequest, factory: ClientFactory): ClusterClient {
  return factory.forContext(request.hostClusterContext, '--host-cluster-context');
}

/**
 * File mode up to its federated objects: the input's bytes, the member clusters and what the host
 * says about them and about the types. A run record (engine/run-record.ts) is checked against this
 * before the input is parsed at all.
 */
export interface FileContext {
  request: InventoryRequest;
  inputs: InputFile[];
  /** The input's documents: parsed before the host is read, unless loadFileContext was asked to wait. */
  docs?: SourcedDocument[];
  /** The KubeFedClusters, from --clusters or from the host. */
  clusterDocs: SourcedDocument[];
  /** FederatedTypeConfigs the host has. */
  known: FederatedTypeConfig[];
  hostSettings: { scope?: KubeFedScope; adopt?: boolean };
  clusters: ClusterEntry[];
  checks: InputChecks;
  /** The readiness probe of this shard's clusters, started before the input is parsed. */
  probing: Promise<ClusterEntry[]>;
}

/**
 * Reads file mode's input (bytes only when `parseLater`), its clusters and the host's settings, and
 * starts probing this shard's clusters, so that the probe overlaps parsing and checking.
 */
export async function loadFileContext(
  request: InventoryRequest,
  factory: ClientFactory,
  warn: (line: string) => void,
  opts: { parseLater?: boolean } = {},
): Promise<FileContext> {
  const inputs = readInputs(request.filenames, { recursive: request.recursive });
  const docs = opts.parseLater ? undefined : parseInputs(inputs);
  const checks = { validate: request.validate ?? 'strict', warn };
  const { clusterDocs, known, hostSettings, clusters } = await clusterSide(request, factory, checks);
  const shard = request.shard;
  return {
    request,
    inputs,
    ...(docs ? { docs } : {}),
    clusterDocs,
    known,
    hostSettings,
    clusters,
    checks,
    probing: probeClusters(
      clusters.filter((c) => ownsCluster(shard, c.name)),
      PROBE_TIMEOUT_MS,
    ),
  };
}

/** File mode's member clusters, from --clusters or the host, and what the host says about types and settings. */
async function clusterSide(request: InventoryRequest, factory: ClientFactory, checks: InputChecks) {
  const given = request.clusters ? readDocuments([request.clusters]) : undefined;
  const needsHost = !given || given.some((d) => !(d.doc as KubeFedClusterObject)?.spec?.kubeconfigContext);
  const host = needsHost ? await readHostSide(request, factory, given === undefined) : undefined;
  const clusterDocs = given ?? host?.clusterDocs ?? [];
  const clusters = clustersFromDocuments(
    clusterDocs,
    factory,
    host?.secrets,
    request.clusters ? { ...checks, file: request.clusters } : undefined,
  );
  return { clusterDocs, clusters, known: host?.known ?? [], hostSettings: host?.settings ?? {} };
}

/** What file mode reads from the host: type configs, KubeFedClusters (unless given), their secrets, and settings. */
async function readHostSide(request: InventoryRequest, factory: ClientFactory, withClusters: boolean) {
  const h = hostClient(request, factory);
  const ns = request.kubefedNamespace;
  const [ftcs, clusters, secretList, config] = await Promise.all([
    h
      .list<FederatedTypeConfig>(FEDERATED_TYPE_CONFIGS, { namespace: ns })
      .catch(() => ({ items: [] as FederatedTypeConfig[] })),
    withClusters ? h.list(KUBEFED_CLUSTERS, { namespace: ns }) : Promise.resolve(undefined),
    h.list<KubeObject>(SECRETS, { namespace: ns }),
    h.get<KubeFedConfigObject>(KUBEFED_CONFIGS, KUBEFED_CONFIG_NAME, ns),
  ]);
  return {
    known: ftcs.items,
    clusterDocs: clusters?.items.map((doc, i) => ({
      file: `host ${h.clusterName}`,
      index: i + 1,
      line: 1,
      doc: { ...doc, kind: 'KubeFedCluster' },
    })),
    secrets: new Map(secretList.items.map((s) => [s.metadata.name ?? '', (s['data'] ?? {}) as Record<string, string>])),
    settings: {
      scope: config?.spec?.scope === 'Namespaced' ? 'Namespaced' : 'Cluster',
      adopt: config?.spec?.syncController?.adoptResources === 'Enabled',
    } satisfies FileContext['hostSettings'],
  };
}

/**
 * Every member, probed where needed: a shard probes its own clusters, and the whole fleet only when
 * replica scheduling needs it.
 */
async function probedFleet(context: FileContext, scheduling: boolean): Promise<ClusterEntry[]> {
  const shard = context.request.shard;
  const others = !shard || scheduling ? context.clusters.filter((c) => !ownsCluster(shard, c.name)) : [];
  const probingOthers = probeClusters(others, PROBE_TIMEOUT_MS);
  const probed = [...(await context.probing), ...(await probingOthers)];
  const byName = new Map(probed.map((c) => [c.name, c]));
  return context.clusters.map((c) => byName.get(c.name) ?? c);
}

/** File mode's inventory from its context: the input's federated objects, and the clusters probed. */
export async function fileInventory(context: FileContext): Promise<FileInventory> {
  const { request, known, hostSettings, clusters: entries, checks } = context;
  const docs = context.docs ?? parseInputs(context.inputs);
  const fromFiles = loadFromDocuments(
    docs,
    known,
    { ...checks, inputs: request.filenames },
    { clusters: entries, ...(request.namespace ? { defaultNamespace: request.namespace } : {}) },
  );
  const shard = request.shard;
  const fleet = await probedFleet(context, fromFiles.rsps.length > 0);
  const clusters = fleet.filter((c) => ownsCluster(shard, c.name));
  return {
    mode: 'file',
    kubefedNamespace: request.kubefedNamespace,
    scope: fromFiles.scope ?? hostSettings.scope ?? 'Cluster',
    adopt: request.adopt || (fromFiles.adopt ?? hostSettings.adopt ?? false),
    clusters,
    types: fromFiles.types.filter((t) => typeMatches(t.ftc, request.types)),
    invalid: [],
    federatedNamespaces: fromFiles.federatedNamespaces,
    hostNamespaceUids: new Map(),
    ...(request.namespace ? { namespace: request.namespace } : {}),
    partial: true,
    rsps: fromFiles.rsps,
    placementPolicies: fromFiles.placementPolicies,
    namespaceLabels: fromFiles.namespaceLabels,
    policyNotes: fromFiles.policyNotes,
    implicitNamespaces: fromFiles.implicitNamespaces,
    ...(shard ? { shard: { ...shard, fleet } } : {}),
  };
}
