// The run step of `kubefedctl status` and `kubefedctl status clusters`: read, then print a table or data.
import { UsageError } from '../../errors.js';
import type { FederatedObject } from '../../federation/federated-object.js';
import { typeMatches } from '../../engine/inventory.js';
import { federatedResourceType, targetResourceType, type FederatedTypeConfig } from '../../federation/typeconfig.js';
import { qualifiedName } from '../../federation/federated-object.js';
import { accessFromKubeFedCluster } from '../../kube/cluster-access.js';
import type { KubeClient } from '../../kube/client.js';
import type { KubeObject } from '../../api/objects.js';
import { FEDERATED_TYPE_CONFIGS, KUBEFED_CLUSTERS, SECRETS } from '../../api/resources.js';
import { requestLogger, type RunContext } from '../../output/io.js';
import { writeJson } from '../../util/json.js';
import { age, formatTable } from '../../output/table.js';
import { clientFactory } from '../connect.js';
import { cellText, clusterRow, resourceRow, type ResourceRow } from './status.js';
import type { StatusCommandOptions } from './options.js';
import { yamlPackage } from '../../util/yaml-package.js';

/** Kinds whose member objects carry replica counts worth a read. */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

export async function runStatus(ctx: RunContext, opts: StatusCommandOptions): Promise<void> {
  const { io } = ctx;
  const [typeArg, nameArg] = [opts.type, opts.name];
  const factory = clientFactory(opts.host, requestLogger(ctx));
  const now = new Date();
  try {
    const host = factory.forContext(opts.host.hostClusterContext, '--host-cluster-context');
    const ns = opts.host.kubefedNamespace;
    const kfcs = (await host.list(KUBEFED_CLUSTERS, { namespace: ns })).items;
    if (typeArg === 'clusters' && !nameArg) {
      const rows = kfcs.map(clusterRow);
      if (opts.output === 'json' || opts.output === 'yaml') return printData(io.out, opts.output, { clusters: rows });
      const wide = opts.output === 'wide';
      io.out(
        formatTable(
          ['NAME', 'READY', 'KUBERNETES-VERSION', 'REGION', 'ZONES', 'LAST-PROBE', 'AGE', ...(wide ? ['MESSAGE'] : [])],
          rows.map((r) => [
            r.name,
            r.ready,
            r.kubernetesVersion ?? '',
            r.region ?? '',
            (r.zones ?? []).join(','),
            r.lastProbe ? `${age(r.lastProbe, now)} ago` : '',
            age(r.created, now),
            ...(wide ? [r.reason ?? ''] : []),
          ]),
        ),
      );
      return;
    }
    const ftcs = (await host.list<FederatedTypeConfig>(FEDERATED_TYPE_CONFIGS, { namespace: ns })).items.filter(
      (f) => f.spec.propagation === 'Enabled' && typeMatches(f, typeArg ? [typeArg] : []),
    );
    if (typeArg && ftcs.length === 0)
      throw new UsageError(
        `no enabled federated type matches "${typeArg}"; run 'kubectl -n ${ns} get federatedtypeconfigs' to list them`,
        'status',
      );
    const clusterNames = kfcs.map((k) => k.metadata.name ?? '').sort();
    const members = await memberClients(host, kfcs, ns, factory.forAccess.bind(factory));
    const rows: ResourceRow[] = [];
    await Promise.all(
      ftcs.map(async (ftc) => {
        const type = federatedResourceType(ftc);
        const namespace = type.namespaced && !opts.allNamespaces ? opts.namespace : undefined;
        let objects = (await host.list<FederatedObject>(type, namespace ? { namespace } : {})).items;
        if (nameArg) objects = objects.filter((o) => o.metadata.name === nameArg);
        if (objects.length === 0) return;
        // Replica counts come from one LIST per scalable type per cluster.
        const live = new Map<string, Map<string, KubeObject>>();
        if (SCALABLE.has(ftc.spec.targetType.kind)) {
          await Promise.all(
            [...members].map(async ([name, client]) => {
              const list = await client
                .list(targetResourceType(ftc), {
                  ...(namespace ? { namespace } : {}),
                  labelSelector: 'kubefed.io/managed=true',
                })
                .catch(() => undefined);
              live.set(name, new Map((list?.items ?? []).map((o) => [qualifiedName(o.metadata), o])));
            }),
          );
        }
        for (const o of objects) {
          const key = ftc.spec.targetType.scope === 'Namespaced' ? qualifiedName(o.metadata) : (o.metadata.name ?? '');
          rows.push(
            resourceRow(
              ftc.metadata.name,
              o,
              clusterNames,
              new Map(clusterNames.map((c) => [c, live.get(c)?.get(key)])),
            ),
          );
        }
      }),
    );
    rows.sort(
      (a, b) =>
        a.type.localeCompare(b.type) ||
        (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
        a.name.localeCompare(b.name),
    );
    if (opts.output === 'json' || opts.output === 'yaml')
      return printData(io.out, opts.output, { clusters: clusterNames, resources: rows });
    if (rows.length === 0) {
      io.err(`No federated resources found${opts.namespace ? ` in namespace ${opts.namespace}` : ''}.\n`);
      return;
    }
    const wide = opts.output === 'wide';
    io.out(
      formatTable(
        [
          'NAMESPACE',
          'KIND',
          'NAME',
          'PROPAGATION',
          ...clusterNames.map((c) => c.toUpperCase()),
          ...(wide ? ['GENERATION'] : []),
        ],
        rows.map((r) => [
          r.namespace ?? '',
          r.kind,
          r.name,
          r.propagation,
          ...clusterNames.map((c) => cellText(r.clusters[c])),
          ...(wide ? [`${r.observedGeneration ?? '-'}/${r.generation ?? '-'}`] : []),
        ]),
      ),
    );
  } finally {
    factory.closeAll();
  }
}

function printData(out: (t: string) => void, format: 'json' | 'yaml', doc: object): void {
  if (format === 'json') writeJson(doc, 2, out);
  else out(yamlPackage().stringify(doc, { lineWidth: 0 }));
}

/** Clients for the members the way propagate reaches them; clusters that cannot be reached are left out. */
async function memberClients(
  host: KubeClient,
  kfcs: KubeObject[],
  ns: string,
  forAccess: (a: ReturnType<typeof accessFromKubeFedCluster>) => KubeClient,
): Promise<Map<string, KubeClient>> {
  const secrets = new Map(
    (await host.list(SECRETS, { namespace: ns })).items.map((s) => [
      s.metadata.name ?? '',
      (s['data'] ?? {}) as Record<string, string>,
    ]),
  );
  const out = new Map<string, KubeClient>();
  for (const k of kfcs) {
    const spec = k['spec'] as Parameters<typeof accessFromKubeFedCluster>[1];
    try {
      out.set(
        k.metadata.name ?? '',
        forAccess(accessFromKubeFedCluster(k.metadata.name ?? '', spec, secrets.get(spec.secretRef?.name ?? ''))),
      );
    } catch {
      // no usable credentials: the table shows what propagate recorded, without replica counts
    }
  }
  return out;
}
