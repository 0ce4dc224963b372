// client.authentication.k8s.io exec credential plugins (EKS, GKE, AKS, kubelogin, ...), run the
// way kubectl runs them: KUBERNETES_EXEC_INFO in the environment, stderr passed through, the result
// cached until its expirationTimestamp (for the whole run when it has none).
import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';
import { redact, registerCredential } from '../util/secrets.js';
import type { ClusterAccess } from './cluster-access.js';
import type { ExecConfig } from './kubeconfig.js';

export interface ExecCredentialResult {
  token?: string;
  certData?: Buffer;
  keyData?: Buffer;
  /** Milliseconds since the epoch; undefined means valid for the whole run. */
  expiresAt?: number;
}

const DEFAULT_API_VERSION = 'client.authentication.k8s.io/v1';
const cache = new Map<string, Promise<ExecCredentialResult>>();

/** Returns a credential for the access, running the plugin only when no valid cached one exists. */
export async function execCredential(
  access: ClusterAccess,
  now: () => number = Date.now,
): Promise<ExecCredentialResult> {
  const exec = access.exec;
  if (!exec) throw new Error('execCredential called without an exec configuration');
  const cached = cache.get(exec.cacheKey);
  if (cached) {
    const result = await cached.catch(() => undefined);
    if (result && (result.expiresAt === undefined || result.expiresAt > now() + 10_000)) return result;
  }
  const pending = runPlugin(exec.config, access);
  cache.set(exec.cacheKey, pending);
  pending.catch(() => cache.delete(exec.cacheKey));
  return pending;
}

/** Forgets a cached credential, e.g. after the server answered 401 with it. */
export function forgetExecCredential(access: ClusterAccess): void {
  if (access.exec) cache.delete(access.exec.cacheKey);
}

/** The KUBERNETES_EXEC_INFO document a plugin receives. */
export function execInfo(config: ExecConfig, access: ClusterAccess): object {
  const spec: Record<string, unknown> = { interactive: false };
  if (config.provideClusterInfo) {
    const cluster: Record<string, unknown> = { server: access.server };
    if (access.caData) cluster['certificate-authority-data'] = access.caData.toString('base64');
    if (access.insecureSkipTLSVerify) cluster['insecure-skip-tls-verify'] = true;
    if (access.tlsServerName) cluster['tls-server-name'] = access.tlsServerName;
    if (access.proxyUrl) cluster['proxy-url'] = access.proxyUrl;
    spec['cluster'] = cluster;
  }
  return { apiVersion: config.apiVersion ?? DEFAULT_API_VERSION, kind: 'ExecCredential', spec };
}

/**
 * Parses a plugin's stdout into a credential; the error says what was wrong. The token is
 * registered as a credential before anything is checked, and values quoted in errors are redacted
 * and cut short, so no error ever repeats what the plugin printed as its token.
 */
export function parseExecCredential(stdout: string, config: ExecConfig): ExecCredentialResult {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new Error('its output is not a JSON ExecCredential');
  }
  const obj = (doc ?? {}) as { kind?: unknown; apiVersion?: unknown; status?: Record<string, unknown> };
  const status = obj.status !== null && typeof obj.status === 'object' ? obj.status : {};
  if (typeof status['token'] === 'string') registerCredential(status['token']);
  const quote = (value: unknown) => {
    const text = redact(JSON.stringify(value) ?? 'nothing');
    return text.length > 80 ? `${text.slice(0, 60)}…` : text;
  };
  if (obj.kind !== 'ExecCredential') throw new Error(`its output has kind ${quote(obj.kind)}, want ExecCredential`);
  const want = config.apiVersion ?? DEFAULT_API_VERSION;
  if (obj.apiVersion !== want)
    throw new Error(`its output has apiVersion ${quote(obj.apiVersion)}, but the kubeconfig asked for ${want}`);
  const result: ExecCredentialResult = {};
  if (typeof status['token'] === 'string' && status['token'] !== '') result.token = status['token'];
  if (typeof status['clientCertificateData'] === 'string')
    result.certData = Buffer.from(status['clientCertificateData']);
  if (typeof status['clientKeyData'] === 'string') result.keyData = Buffer.from(status['clientKeyData']);
  if (!result.token && !(result.certData && result.keyData))
    throw new Error('its ExecCredential status has neither a token nor a client certificate and key');
  if (typeof status['expirationTimestamp'] === 'string') {
    const at = Date.parse(status['expirationTimestamp']);
    if (Number.isNaN(at))
      throw new Error(`its expirationTimestamp ${quote(status['expirationTimestamp'])} is not a timestamp`);
    result.expiresAt = at;
  }
  return result;
}

function runPlugin(config: ExecConfig, access: ClusterAccess): Promise<ExecCredentialResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const v of config.env ?? []) env[v.name] = v.value;
  env['KUBERNETES_EXEC_INFO'] = JSON.stringify(execInfo(config, access));
  const what = `exec credential plugin "${config.command}" (context "${access.name}")`;
  return new Promise((resolve, reject) => {
    const child = spawn(config.command, config.args ?? [], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      const hint = config.installHint?.trim() || 'install it or fix the command in the kubeconfig';
      reject(
        new UserError(
          `${what} could not be started: ${error.code === 'ENOENT' ? 'command not found' : error.message}`,
          hint,
        ),
      );
    });
    child.once('close', (code) => {
      if (code !== 0) return reject(new UserError(`${what} failed with exit code ${code}`));
      try {
        resolve(parseExecCredential(stdout, config));
      } catch (error) {
        reject(new UserError(`${what}: ${(error as Error).message}`));
      }
    });
  });
}
