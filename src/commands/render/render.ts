// kubefedctl render: the objects each member cluster would get, computed offline. Pure.
import type { KubeObject } from '../../api/objects.js';
import type { FederatedObject, MemberCluster } from '../../federation/federated-object.js';
import type { RenderCache } from '../../federation/render.js';
import { planResource } from '../../federation/plan.js';
import type { Inventory } from '../../engine/inventory.js';
import { limitsOf } from '../../engine/plain-manifests.js';
import { NOT_ALLOWED_BY_POLICY } from '../../api/policy.js';
import { namespacePlacementOf } from '../../engine/propagate.js';

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
  /** Clusters PlacementPolicies took out: as intended, so not problems. */
  notes: string[];
}

/** Renders every federated object for every cluster, as propagate would create them in empty clusters. */
export function renderAll(
  inv: Pick<
    Inventory,
    'types' | 'federatedNamespaces' | 'scope' | 'placementPolicies' | 'namespaceLabels' | 'kubefedNamespace'
  >,
  clusters: MemberCluster[],
  /** The pre-flight's renders of each federated object, used instead of rendering again. */
  renders?: ReadonlyMap<FederatedObject, RenderCache>,
): RenderResult {
  const out = new Map<string, KubeObject[]>(clusters.map((c) => [c.name, []]));
  const problems: RenderProblem[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  for (const { ftc, objects } of inv.types) {
    for (const fed of objects) {
      const name = `${fed.kind ?? ''} ${fed.metadata.namespace ? `${fed.metadata.namespace}/` : ''}${fed.metadata.name ?? ''}`;
      const plan = planResource({
        federated: fed,
        ftc,
        clusters,
        live: new Map(),
        namespacePlacement: namespacePlacementOf(inv, fed, ftc, clusters),
        scope: inv.scope,
        adopt: false,
        manageFinalizer: false,
        limits: limitsOf(fed, ftc, clusters, inv),
        renders: renders?.get(fed),
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
        else if (a.status === NOT_ALLOWED_BY_POLICY)
          notes.push(`${name} in ${a.cluster}: ${a.status} (${a.message ?? ''})`);
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
  return { clusters: out, problems, warnings, notes };
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
