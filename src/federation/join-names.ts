// Names join gives the objects it creates in a member, which unjoin must find again. Pure.
import { UsageError } from '../errors.js';

/** Names of the member-side objects, shared by join and unjoin. */
export function memberNames(clusterName: string, hostClusterName: string, namespace: string) {
  const serviceAccount = `${clusterName}-${hostClusterName}`;
  return {
    serviceAccount,
    tokenSecret: serviceAccount,
    role: `kubefed-controller-manager:${serviceAccount}`,
    healthCheckRole: `kubefed-controller-manager:${namespace}:healthcheck-${serviceAccount}`,
  };
}

/** Resolves the host cluster name used in member-side object names, rejecting names that cannot be used. */
export function hostClusterName(explicitName: string | undefined, hostContext: string): string {
  const name = explicitName ?? hostContext;
  if (/[:/]/.test(name)) {
    const from = explicitName ? '--host-cluster-name' : `the host context name "${hostContext}"`;
    throw new UsageError(
      `${from} contains ':' or '/', which cannot appear in object names; pass --host-cluster-name with a plain name`,
      'join',
    );
  }
  return name;
}
