// FederatedTypeConfig: what `enable` generates for a target type. Pure.
import type { ApiResource } from '../kube/discovery.js';
import type { KubeObject, ResourceType } from '../api/objects.js';
import { CORE_API_VERSION, TYPES_GROUP, TYPES_VERSION } from '../api/kubefed.js';
import { groupQualifiedName } from './type-lookup.js';

export type Scope = 'Cluster' | 'Namespaced';

/** KubeFed's APIResource: a type as a FederatedTypeConfig records it. */
export interface APIResourceRef {
  group?: string;
  version: string;
  kind: string;
  pluralName: string;
  scope: Scope;
}

export interface FederatedTypeConfigSpec {
  targetType: APIResourceRef;
  propagation: 'Enabled' | 'Disabled';
  federatedType: APIResourceRef;
  statusType?: APIResourceRef;
  statusCollection?: 'Enabled' | 'Disabled';
}

export interface FederatedTypeConfig extends KubeObject {
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec: FederatedTypeConfigSpec;
}

export interface FederatedTypeOptions {
  federatedGroup: string;
  federatedVersion: string;
}

export const DEFAULT_FEDERATED_TYPE: FederatedTypeOptions = {
  federatedGroup: TYPES_GROUP,
  federatedVersion: TYPES_VERSION,
};

/** The FederatedTypeConfig for a target, as kubefedctl enable builds it. */
export function typeConfigFor(
  target: Pick<ApiResource, 'group' | 'version' | 'kind' | 'plural' | 'namespaced'>,
  opts: FederatedTypeOptions = DEFAULT_FEDERATED_TYPE,
  namespace?: string,
): FederatedTypeConfig {
  const name = groupQualifiedName(target);
  const targetScope: Scope = target.namespaced ? 'Namespaced' : 'Cluster';
  // A FederatedNamespace lives inside the namespace it federates, so it is namespaced.
  const federatedScope: Scope = target.namespaced || name === 'namespaces' ? 'Namespaced' : 'Cluster';
  return {
    apiVersion: CORE_API_VERSION,
    kind: 'FederatedTypeConfig',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      targetType: {
        ...(target.group ? { group: target.group } : {}),
        version: target.version,
        kind: target.kind,
        pluralName: target.plural,
        scope: targetScope,
      },
      propagation: 'Enabled',
      federatedType: {
        group: opts.federatedGroup,
        version: opts.federatedVersion,
        kind: `Federated${target.kind}`,
        pluralName: `federated${target.plural}`,
        scope: federatedScope,
      },
    },
  };
}

/** The REST type of the federated resources an FTC describes. */
export function federatedResourceType(ftc: Pick<FederatedTypeConfig, 'spec'>): ResourceType {
  const f = ftc.spec.federatedType;
  return {
    group: f.group ?? '',
    version: f.version,
    plural: f.pluralName,
    kind: f.kind,
    namespaced: f.scope === 'Namespaced',
  };
}

/** The REST type of the target resources an FTC describes. */
export function targetResourceType(ftc: Pick<FederatedTypeConfig, 'spec'>): ResourceType {
  const t = ftc.spec.targetType;
  return {
    group: t.group ?? '',
    version: t.version,
    plural: t.pluralName,
    kind: t.kind,
    namespaced: t.scope === 'Namespaced',
  };
}

/** Name of the federated CRD: `<federated plural>.<federated group>`. */
export function federatedCrdName(ftc: Pick<FederatedTypeConfig, 'spec'>): string {
  return `${ftc.spec.federatedType.pluralName}.${ftc.spec.federatedType.group ?? ''}`;
}

/** `plural[.group]/version`, as kubefedctl prints a type in messages. */
export function describeApiResource(r: APIResourceRef): string {
  return `${r.group ? `${r.pluralName}.${r.group}` : r.pluralName}/${r.version}`;
}

/** KubeFed's plural helper for a kind (used where no discovery is available). */
export function pluralName(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh|o)$/.test(k)) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}
