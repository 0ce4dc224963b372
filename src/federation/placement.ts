// Which member clusters a federated object goes to (KubeFed's placement rules). Pure.
import type { LabelSelector, LabelSelectorRequirement, MemberCluster, Placement } from './federated-object.js';

/** Thrown for a selector that cannot be evaluated (an unknown operator): status ComputePlacementFailed. */
export class PlacementError extends Error {
  override readonly name = 'PlacementError';
}

/**
 * Names of the selected clusters, in the order of `clusters`:
 * - an explicit cluster list (even empty) wins over the selector;
 * - otherwise an absent selector selects nothing and an empty one ({}) selects every cluster;
 * - names that are not known clusters are dropped.
 */
export function selectClusters(
  placement: Placement | undefined,
  clusters: readonly Pick<MemberCluster, 'name' | 'labels'>[],
): string[] {
  const list = placement?.clusters;
  if (list !== undefined && list !== null) {
    const wanted = new Set(list.map((c) => c.name));
    return clusters.filter((c) => wanted.has(c.name)).map((c) => c.name);
  }
  const selector = placement?.clusterSelector;
  if (selector === undefined || selector === null) return [];
  for (const e of selector.matchExpressions ?? []) checkRequirement(e); // an error even with no clusters
  return clusters.filter((c) => selectorMatches(selector, c.labels)).map((c) => c.name);
}

/** Kubernetes label selector semantics: matchLabels AND every matchExpression. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  // Like LabelSelectorAsSelector: a bad requirement is an error whatever the labels are.
  for (const e of selector.matchExpressions ?? []) checkRequirement(e);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

function checkRequirement(e: LabelSelectorRequirement): void {
  const count = e.values?.length ?? 0;
  switch (e.operator) {
    case 'In':
    case 'NotIn':
      if (count === 0)
        throw new PlacementError(`clusterSelector operator "${e.operator}" on key "${e.key}" needs at least one value`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (count > 0)
        throw new PlacementError(`clusterSelector operator "${e.operator}" on key "${e.key}" takes no values`);
      break;
    default:
      throw new PlacementError(
        `clusterSelector has an unknown operator "${e.operator}" (want In, NotIn, Exists or DoesNotExist)`,
      );
  }
}

/** Parses a kubectl-style `-l` selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) into a LabelSelector. */
export function parseLabelSelector(text: string): LabelSelector {
  const selector: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] };
  for (const raw of splitTopLevel(text)
    .map((p) => p.trim())
    .filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = raw.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      selector.matchExpressions.push({
        key: m[1]!,
        operator: m[2] === 'in' ? 'In' : 'NotIn',
        values: m[3]!
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      });
    } else if ((m = raw.match(/^([\w./-]+)\s*!=\s*([\w.-]*)$/))) {
      selector.matchExpressions.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = raw.match(/^([\w./-]+)\s*==?\s*([\w.-]*)$/))) {
      selector.matchLabels[m[1]!] = m[2]!;
    } else if ((m = raw.match(/^!([\w./-]+)$/))) {
      selector.matchExpressions.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if ((m = raw.match(/^([\w./-]+)$/))) {
      selector.matchExpressions.push({ key: m[1]!, operator: 'Exists' });
    } else {
      throw new PlacementError(`cannot parse label selector "${text}" near "${raw}"`);
    }
  }
  return selector;
}

/** Splits on the commas outside parentheses; every character stays in some part, so garbage cannot slip through. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
