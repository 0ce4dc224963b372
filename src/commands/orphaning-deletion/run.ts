// The run step of `kubefedctl orphaning-deletion enable|disable|status TYPE NAME`.
import { UserError } from '../../errors.js';
import { kindGroup } from '../../api/resources.js';
import { requestLogger, type RunContext } from '../../output/io.js';
import { objectRef } from '../../api/results.js';
import { clientFactory } from '../connect.js';
import { resolveFederatedType } from '../../engine/federated-type.js';
import { orphaningEnabled, orphaningPatch } from './orphaning.js';
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
    // The TYPE is a federated type, or a target type that is federated; never a plain object by accident.
    const { type } = await resolveFederatedType(host, typeArg, opts.host.kubefedNamespace);
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
