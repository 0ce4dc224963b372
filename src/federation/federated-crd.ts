// The Federated<Kind> CRD that `enable` installs (apiextensions.k8s.io/v1). Pure.
// The template is an open object (x-kubernetes-preserve-unknown-fields), as in KubeFed v0.8+:
// see docs/adr/0002-open-template-schema.md for why the target schema is not embedded.
import type { KubeObject } from '../api/objects.js';
import type { FederatedTypeConfig } from './typeconfig.js';
import { federatedCrdName } from './typeconfig.js';

export interface FederatedCrdOptions {
  /** Short names of the target type; each gets an "f" prefix (deploy -> fdeploy). */
  targetShortNames: string[];
  /** Whether the target scales (has a scale subresource): adds spec.retainReplicas. */
  scalable: boolean;
}

const str = { type: 'string' };

const placementSchema = {
  type: 'object',
  description: 'Which member clusters receive the resource. A cluster list, if present, wins over the selector.',
  properties: {
    clusters: {
      type: 'array',
      description: 'Names of KubeFedClusters; an empty list selects no cluster.',
      items: { type: 'object', required: ['name'], properties: { name: str } },
    },
    clusterSelector: {
      type: 'object',
      description: 'Label selector over KubeFedCluster labels; {} selects every cluster.',
      properties: {
        matchLabels: { type: 'object', additionalProperties: str },
        matchExpressions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'operator'],
            properties: { key: str, operator: str, values: { type: 'array', items: str } },
          },
        },
      },
    },
  },
};

const overridesSchema = {
  type: 'array',
  description: 'Per-cluster JSON patches applied to the template.',
  items: {
    type: 'object',
    properties: {
      clusterName: str,
      clusterOverrides: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path'],
          properties: {
            op: { type: 'string', pattern: '^(add|remove|replace)?$' },
            path: str,
            value: { 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      },
    },
  },
};

const deleteOptionsSchema = {
  type: 'object',
  description:
    'How member copies are deleted when the federated object is (like the kubefed.io/deleteoption annotation).',
  properties: {
    gracePeriodSeconds: { type: 'integer', format: 'int64' },
    propagationPolicy: { type: 'string', enum: ['Orphan', 'Background', 'Foreground'] },
    preconditions: { type: 'object', properties: { uid: str, resourceVersion: str } },
  },
};

const statusSchema = {
  type: 'object',
  properties: {
    observedGeneration: { type: 'integer', format: 'int64' },
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'status'],
        properties: {
          type: str,
          status: str,
          reason: str,
          lastUpdateTime: { type: 'string', format: 'date-time' },
          lastTransitionTime: { type: 'string', format: 'date-time' },
        },
      },
    },
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: str,
          status: str,
          remoteStatus: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  },
};

/**
 * The openAPIV3Schema of every federated CRD: the same for every type, except that `spec.retainReplicas`
 * exists only for a target that scales. Federated objects are validated against it (the validator
 * is generated at build time from this function: scripts/gen-validators.mjs).
 */
export function federatedObjectSchema(scalable: boolean): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    template: {
      type: 'object',
      description: 'The target object, without name and namespace.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    placement: placementSchema,
    overrides: overridesSchema,
    deleteOptions: deleteOptionsSchema,
  };
  if (scalable)
    spec['retainReplicas'] = {
      type: 'boolean',
      description: 'Keep the replicas each member cluster has (e.g. set by an autoscaler).',
    };
  return {
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: str,
      kind: str,
      metadata: { type: 'object' },
      spec: { type: 'object', properties: spec },
      status: statusSchema,
    },
  };
}

/** Builds the federated CRD for a FederatedTypeConfig. */
export function federatedCrd(ftc: FederatedTypeConfig, opts: FederatedCrdOptions): KubeObject {
  const f = ftc.spec.federatedType;
  const shortNames = opts.targetShortNames.map((s) => `f${s}`);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: federatedCrdName(ftc) },
    spec: {
      group: f.group,
      names: {
        kind: f.kind,
        plural: f.pluralName,
        singular: f.kind.toLowerCase(),
        listKind: `${f.kind}List`,
        ...(shortNames.length > 0 ? { shortNames } : {}),
        categories: ['kubefed'],
      },
      scope: f.scope,
      versions: [
        {
          name: f.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
          schema: { openAPIV3Schema: federatedObjectSchema(opts.scalable) },
        },
      ],
    },
  };
}
