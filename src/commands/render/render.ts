// kubefedctl render: the objects each member cluster would get, computed offline. Pure.
import type { KubeObject } from '../../api/objects.js';
import type { MemberCluster } from '../../federation/federated-object.js';
import { planResource } from '../../federation/plan.js';
import type { TypeEntry } from '../../engine/inventory.js';
import { selectClusters } from '../../federation/placement.js';
import type { FederatedObject } from '../../federation/federated-object.js';
import type { KubeFedScope } from '../../api/kubefed.js';

export interface RenderProblem {
  object: string;
  cluster?: string;
  status: string;
  message?: string;
}

export interface RenderResult {
  /** Objects by cluster name, in a stable order (namespaces first, then by kind, namespace, name). */
  clusters: Map<string, KubeObject[]>;
  problems: RenderProblem[];
  warnings: string[];
}

/** Renders every federated object for every cluster, as propagate would create them in empty clusters. */
export function renderAll(
  types: TypeEntry[],
  clusters: MemberCluster[],
  federatedNamespaces: Map<string, FederatedObject>,
  scope: KubeFedScope,
): RenderResult {
  const out = new Map<string, KubeObject[]>(clusters.map((c) => [c.name, []]));
  const problems: RenderProblem[] = [];
  const warnings: string[] = [];
  for (const { ftc, objects } of types) {
    for (const fed of objects) {
      const name = `${fed.kind ?? ''} ${fed.metadata.namespace ? `${fed.metadata.namespace}/` : ''}${fed.metadata.name ?? ''}`;
      const fns = fed.metadata.namespace ? federatedNamespaces.get(fed.metadata.namespace) : undefined;
      const namespaced = ftc.spec.targetType.scope === 'Namespaced' && ftc.metadata.name !== 'namespaces';
      const plan = planResource({
        federated: fed,
        ftc,
        clusters,
        live: new Map(),
        namespacePlacement: !namespaced
          ? { kind: 'not-applicable' }
          : fns
            ? { kind: 'clusters', clusters: selectClusters(fns.spec.placement, clusters) }
            : { kind: 'missing' },
        scope,
        adopt: false,
        manageFinalizer: false,
      });
      if (plan.aggregate)
        problems.push({
          object: name,
          status: plan.aggregate,
          ...(plan.aggregateMessage ? { message: plan.aggregateMessage } : {}),
        });
      for (const w of plan.warnings) warnings.push(`${name}: ${w}`);
      for (const a of plan.actions) {
        if (a.kind === 'create' && a.desired) out.get(a.cluster)?.push(a.desired);
        else if (a.kind === 'skip')
          problems.push({
            object: name,
            cluster: a.cluster,
            status: a.status,
            ...(a.message ? { message: a.message } : {}),
          });
      }
    }
  }
  for (const list of out.values()) list.sort(compareObjects);
  return { clusters: out, problems, warnings };
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : 1);
  return (
    rank(a) - rank(b) ||
    (a.kind ?? '').localeCompare(b.kind ?? '') ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}
