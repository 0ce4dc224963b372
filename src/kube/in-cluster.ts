// In-cluster configuration: a process in a pod, given no kubeconfig, reaches its own API server
// with the pod's service account, as kubectl and client-go do (docs/kubeconfig.md, "Inside a pod"):
//   server    https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT (an IPv6 host in brackets)
//   token     <dir>/token, read again on every use (the kubelet rotates bound tokens)
//   CA        <dir>/ca.crt
//   namespace $POD_NAMESPACE, else <dir>/namespace, else "default"
// <dir> is /var/run/secrets/kubernetes.io/serviceaccount; tests point it elsewhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { registerCredential } from '../util/secrets.js';
import type { Kubeconfig, ResolvedContext } from './kubeconfig.js';

/** Where the kubelet mounts the service account's token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * For tests only: a folder that replaces SERVICE_ACCOUNT_DIR, so that a spawned kubefedctl can be
 * given a service account without a pod. Not a flag on purpose: nobody needs it in a pod.
 */
export const SERVICE_ACCOUNT_DIR_ENV = 'KUBEFEDCTL_SERVICE_ACCOUNT_DIR';

/** The name used for the in-cluster configuration in messages (it is no kubeconfig context). */
export const IN_CLUSTER_NAME = 'in-cluster';

/** The API server address a pod is given, or undefined outside a pod (either variable unset or empty). */
export function inClusterServer(env: NodeJS.ProcessEnv): string | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) return undefined;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `https://${bracketed}:${port}`;
}

/** True when a merged kubeconfig has nothing in it: no files, or only empty ones. */
export function isEmptyKubeconfig(config: Kubeconfig): boolean {
  return (
    config.currentContext === undefined &&
    config.clusters.size === 0 &&
    config.users.size === 0 &&
    config.contexts.size === 0
  );
}

/**
 * Whether to use the in-cluster configuration: no --kubeconfig was given, the kubeconfig files
 * read (KUBECONFIG, else ~/.kube/config) define nothing, and the pod's variables are set.
 */
export function usesInCluster(
  explicitKubeconfig: string | undefined,
  config: Kubeconfig,
  env: NodeJS.ProcessEnv,
): boolean {
  return !explicitKubeconfig && isEmptyKubeconfig(config) && inClusterServer(env) !== undefined;
}

/** The service account folder: SERVICE_ACCOUNT_DIR unless the test variable names another. */
export function serviceAccountDir(env: NodeJS.ProcessEnv): string {
  return env[SERVICE_ACCOUNT_DIR_ENV] || SERVICE_ACCOUNT_DIR;
}

/**
 * The in-cluster configuration as a resolved context, with the token and CA read now (so a
 * rotated token is picked up by the next client). `requested` is a context name the user asked
 * for: there is none in a pod without a kubeconfig, so asking for one is an error, as in kubectl.
 */
export function inClusterContext(
  env: NodeJS.ProcessEnv,
  dir: string,
  requested?: { name: string; flag: string },
): ResolvedContext {
  const server = inClusterServer(env);
  if (!server)
    throw new UserError(
      'no kubeconfig, and not in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set for the in-cluster configuration',
    );
  if (requested)
    throw new UserError(
      `${requested.flag} "${requested.name}" names a kubeconfig context, but there is no kubeconfig: kubefedctl runs with the pod's service account (in-cluster configuration), which has no contexts`,
      `leave out ${requested.flag} to use the service account, or pass --kubeconfig FILE that defines "${requested.name}"`,
    );
  const tokenPath = join(dir, 'token');
  const token = readServiceAccountFile(tokenPath, 'token').trim();
  if (token === '')
    throw new UserError(`in-cluster configuration: the service account token file ${tokenPath} is empty`);
  // Redacted from every error and log from now on, as kubeconfig tokens are (ADR 0004).
  registerCredential(token);
  const caPath = join(dir, 'ca.crt');
  const ca = readServiceAccountFile(caPath, 'CA certificate');
  if (!ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new UserError(`in-cluster configuration: ${caPath} holds no PEM certificate`);
  const namespace = env['POD_NAMESPACE'] || readOptional(join(dir, 'namespace')) || 'default';
  return {
    contextName: IN_CLUSTER_NAME,
    clusterName: IN_CLUSTER_NAME,
    cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') },
    user: { token },
    namespace,
    source: dir,
  };
}

function readServiceAccountFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(
      `in-cluster configuration: cannot read the service account ${what} ${path}: ${reason}`,
      'the pod needs a service account token mounted (automountServiceAccountToken must not be false), or pass --kubeconfig',
    );
  }
}

/** The trimmed content of a file that may be missing (the namespace file), or undefined. */
function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
