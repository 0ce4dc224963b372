// The schema each control-plane kind of a -f input is checked against: the kind's schema from
// schemas/ as `kubefedctl init` installs it, except where a file may say more than the API server
// stores. Pure; used at run time and by the build step that generates the validators
// (scripts/gen-validators.mjs), so both check the same schema.
import type { JsonSchema } from './crds.js';

/**
 * The schema of a kind from schemas/. A KubeFedCluster of a --clusters file may say how to reach
 * the cluster with `spec.kubeconfigContext` instead of `apiEndpoint` and `secretRef`.
 */
export function controlPlaneSchema(kind: string, base: JsonSchema): JsonSchema {
  if (kind !== 'KubeFedCluster') return base;
  const spec: JsonSchema = base.properties?.['spec'] ?? {};
  const { required: _required, ...open } = spec;
  return {
    ...base,
    properties: {
      ...base.properties,
      spec: {
        ...open,
        properties: {
          ...open.properties,
          kubeconfigContext: {
            type: 'string',
            minLength: 1,
            description: 'file mode: the kubeconfig context that reaches the cluster',
          },
        },
      },
    },
  };
}
