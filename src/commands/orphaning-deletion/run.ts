// The run step of `kubefedctl orphaning-deletion enable|disable|status TYPE NAME`.
import { UserError } from '../../errors.js';
import { lookupResource, groupQualifiedName } from '../../federation/type-lookup.js';
import { discoverResources } from '../../kube/discovery.js';
import { kindGroup } from '../../api/resources.js';
import { requestLogger, type RunContext } from '../../output/io.js';
import { objectRef } from '../../api/results.js';
import { clientFactory } from '../connect.js';
import { installedTypeConfigs } from '../../engine/type-configs.js';
import { isFederatedType, orphaningEnabled, orphaningPatch } from './orphaning.js';
import type { OrphaningOptions } from './options.js';
import { writerFor } from '../../kube/writer.js';
import { dryRunSuffix } from '../../output/printers.js';

/** Reads the federated object, then prints whether orphaning is on (status) or turns it on or off. */
export async function runOrphaning(ctx: RunContext, opts: OrphaningOptions): Promise<void> {
  const { io } = ctx;
  const { verb, type: typeArg, name, dryRun } = opts;
  const factory = clientFactory(opts.host, requestLogger(ctx));
  try {
    const context = factory.context(opts.host.hostClusterContext, '--host-cluster-context');
    const host = factory.forContext(opts.host.hostClusterContext, '--host-cluster-context');
    const type = lookupResource(await discoverResources(host), typeArg);
    const typeConfigs = await installedTypeConfigs(host, opts.host.kubefedNamespace).catch(() => []);
    if (!isFederatedType(type, typeConfigs)) {
      io.err(
        `${io.style.yellow('warning:')} ${groupQualifiedName(type)}/${type.version} might not be a federated type; the annotation has an effect only on federated resources\n`,
      );
    }
    const namespace = type.namespaced ? (opts.namespace ?? context.namespace ?? 'default') : undefined;
    const obj = await host.get(type, name, namespace);
    if (!obj)
      throw new UserError(
        `${kindGroup(type)} "${name}" not found${namespace ? ` in namespace "${namespace}"` : ''}`,
        namespace ? 'pass -n NAMESPACE if it lives in another namespace' : undefined,
      );
    if (verb === 'status') {
      io.out(orphaningEnabled(obj) ? 'Enabled\n' : 'Disabled\n');
      return;
    }
    const ref = objectRef({
      apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      kind: type.kind,
      metadata: obj.metadata,
    });
    const patch = orphaningPatch(obj, verb);
    const done = verb === 'enable' ? 'enabled' : 'disabled';
    if (!patch) {
      io.out(`${ref} orphaning-deletion already ${done}\n`);
      return;
    }
    await writerFor(dryRun).mergePatch(host, type, name, namespace, patch);
    io.out(`${ref} orphaning-deletion ${done}${dryRunSuffix(dryRun)}\n`);
  } finally {
    factory.closeAll();
  }
}
