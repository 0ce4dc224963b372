// kubefedctl init: install the KubeFed API (CRDs, system namespace, KubeFedConfig) into the host.
import { UserError } from '../../errors.js';
import type { CustomResourceDefinition } from '../../federation/crds.js';
import { defaultKubeFedConfig, KUBEFED_CONFIG_NAME, type KubeFedScope } from '../../api/kubefed.js';
import { applyOwned, createIfMissing } from '../../kube/apply.js';
import type { HasMetadata, KubeObject } from '../../api/objects.js';
import type { KubeClient } from '../../kube/client.js';
import type { Writer } from '../../kube/writer.js';
import { CUSTOM_RESOURCE_DEFINITIONS, KUBEFED_CONFIGS, NAMESPACES } from '../../api/resources.js';
import type { ObjectResult } from '../../api/results.js';
import { waitEstablished } from '../../engine/type-configs.js';

export interface InitOptions {
  namespace: string;
  scope: KubeFedScope;
  /** How long to wait for the CRDs to become established. */
  establishTimeoutMs: number;
}

export interface InitPlan {
  namespace: KubeObject;
  crds: CustomResourceDefinition[];
  kubefedConfig: KubeObject;
}

/** The objects init installs, in the order it installs them. Pure. */
export function planInit(opts: Pick<InitOptions, 'namespace' | 'scope'>, crds: CustomResourceDefinition[]): InitPlan {
  return {
    namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: opts.namespace } },
    crds,
    kubefedConfig: defaultKubeFedConfig(opts.namespace, opts.scope) as unknown as KubeObject,
  };
}

/** Every object of the plan as one list, for printing. */
export function planObjects(plan: InitPlan): KubeObject[] {
  return [plan.namespace, ...(plan.crds as unknown as KubeObject[]), plan.kubefedConfig];
}

export interface InitDeps {
  host: KubeClient;
  writer: Writer;
  progress: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Applies the plan: CRDs by server-side apply, the namespace and KubeFedConfig only when missing. */
export async function runInit(plan: InitPlan, opts: InitOptions, deps: InitDeps): Promise<ObjectResult[]> {
  const { host, writer } = deps;
  // Check the one thing that can make the run fail half-way before writing anything.
  const crdInstalled = await host.get(
    CUSTOM_RESOURCE_DEFINITIONS,
    `${KUBEFED_CONFIGS.plural}.${KUBEFED_CONFIGS.group}`,
  );
  if (crdInstalled) {
    const existing = await host.get<HasMetadata & { spec?: { scope?: string } }>(
      KUBEFED_CONFIGS,
      KUBEFED_CONFIG_NAME,
      opts.namespace,
    );
    const scope = existing?.spec?.scope;
    if (scope && scope !== opts.scope) {
      throw new UserError(
        `KubeFedConfig "${KUBEFED_CONFIG_NAME}" in namespace "${opts.namespace}" already has scope ${scope}; the scope cannot be changed`,
        `run init with --scope ${scope}, or install into another --kubefed-namespace`,
      );
    }
  }
  const results: ObjectResult[] = [];
  results.push((await createIfMissing(writer, host, NAMESPACES, plan.namespace)).result);
  for (const crd of plan.crds)
    results.push((await applyOwned(writer, host, CUSTOM_RESOURCE_DEFINITIONS, crd as unknown as KubeObject)).result);
  if (writer.persists) {
    deps.progress(`waiting for ${plan.crds.length} CRDs to be established`);
    await waitEstablished(
      host,
      plan.crds.map((c) => c.metadata.name),
      opts.establishTimeoutMs,
      deps.sleep,
    );
  }
  if (!writer.sends || writer.persists || crdInstalled) {
    results.push((await createIfMissing(writer, host, KUBEFED_CONFIGS, plan.kubefedConfig)).result);
  } else {
    // A server dry run of a KubeFedConfig cannot succeed before its CRD really exists.
    results.push({
      ref: `kubefedconfig.core.kubefed.io/${KUBEFED_CONFIG_NAME}`,
      verb: 'created',
      cluster: host.clusterName,
      note: 'not sent: its CRD is not installed yet',
    });
  }
  return results;
}
