// How to reach one API server: endpoint, TLS material and credentials, from a kubeconfig context
// or from a KubeFedCluster and its Secret (the way propagation reaches members).
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { registerCredential } from '../util/secrets.js';
import type { ExecConfig, ResolvedContext } from './kubeconfig.js';

export interface ClusterAccess {
  /** Name used in messages: the context name or the KubeFedCluster name. */
  name: string;
  /** Base URL of the API server, without a trailing slash. */
  server: string;
  caData?: Buffer;
  certData?: Buffer;
  keyData?: Buffer;
  /** Skip all server certificate checks (insecure-skip-tls-verify, disabledTLSValidations ["*"]). */
  insecureSkipTLSVerify: boolean;
  /** Accept a certificate whose names do not match the server (disabledTLSValidations SubjectName). */
  skipHostnameCheck?: boolean;
  /** Accept an expired or not-yet-valid certificate (disabledTLSValidations ValidityPeriod). */
  allowExpiredCertificate?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  token?: string;
  basicAuth?: { username: string; password: string };
  exec?: { config: ExecConfig; cacheKey: string };
  impersonate?: { user: string; groups: string[] };
}

/** Normalises a server address: client-go assumes https when no scheme is given. */
export function normaliseServer(server: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `https://${server}`;
  return withScheme.replace(/\/+$/, '');
}

/** Builds access settings from a resolved kubeconfig context, reading referenced files now. */
export function accessFromContext(ctx: ResolvedContext): ClusterAccess {
  const { cluster, user } = ctx;
  const read = (path: string | undefined, inline: string | undefined, what: string): Buffer | undefined => {
    if (inline) return Buffer.from(inline, 'base64');
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new UserError(
        `context "${ctx.contextName}": cannot read ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  const access: ClusterAccess = {
    name: ctx.contextName,
    server: normaliseServer(cluster.server),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
  };
  const ca = read(cluster['certificate-authority'], cluster['certificate-authority-data'], 'certificate-authority');
  if (ca) access.caData = ca;
  const cert = read(user['client-certificate'], user['client-certificate-data'], 'client-certificate');
  if (cert) access.certData = cert;
  const key = read(user['client-key'], user['client-key-data'], 'client-key');
  if (key) access.keyData = key;
  if (Boolean(cert) !== Boolean(key)) {
    throw new UserError(
      `context "${ctx.contextName}": user "${ctx.userName ?? ''}" has a client ${cert ? 'certificate but no client-key' : 'key but no client-certificate'}; both are needed`,
    );
  }
  if (cluster['tls-server-name']) access.tlsServerName = cluster['tls-server-name'];
  if (cluster['proxy-url']) access.proxyUrl = cluster['proxy-url'];
  if (user.token) access.token = user.token;
  else if (user.tokenFile) {
    const token = read(user.tokenFile, undefined, 'tokenFile');
    if (token) access.token = token.toString('utf8').trim();
  }
  if (user.username && user.password !== undefined)
    access.basicAuth = { username: user.username, password: user.password };
  if (user.exec) access.exec = { config: user.exec, cacheKey: `${ctx.source}#${ctx.userName ?? ''}` };
  if (user.as) access.impersonate = { user: user.as, groups: user['as-groups'] ?? [] };
  registerAccessCredentials(access);
  return access;
}

/** The parts of a KubeFedCluster that say how to reach it. */
export interface KubeFedClusterSpec {
  apiEndpoint: string;
  caBundle?: string;
  secretRef: { name: string };
  disabledTLSValidations?: string[];
  proxyURL?: string;
}

/**
 * Builds access settings from a KubeFedCluster and the `token` of its Secret (base64 as stored in
 * `data`), following KubeFed's cluster client: bearer token, caBundle, proxyURL, and
 * disabledTLSValidations (`*` turns verification off, SubjectName skips hostname matching,
 * ValidityPeriod accepts expired certificates).
 */
export function accessFromKubeFedCluster(
  name: string,
  spec: KubeFedClusterSpec,
  secretData: Record<string, string> | undefined,
): ClusterAccess {
  const tokenB64 = secretData?.['token'];
  if (!tokenB64)
    throw new UserError(
      `KubeFedCluster "${name}": its Secret "${spec.secretRef.name}" has no "token" key`,
      `re-run 'kubefedctl join ${name}'`,
    );
  const disabled = spec.disabledTLSValidations ?? [];
  const access: ClusterAccess = {
    name,
    server: normaliseServer(spec.apiEndpoint),
    token: Buffer.from(tokenB64, 'base64').toString('utf8'),
    insecureSkipTLSVerify: disabled.includes('*'),
  };
  if (spec.caBundle) access.caData = Buffer.from(spec.caBundle, 'base64');
  if (disabled.includes('SubjectName')) access.skipHostnameCheck = true;
  if (disabled.includes('ValidityPeriod')) access.allowExpiredCertificate = true;
  if (spec.proxyURL) access.proxyUrl = spec.proxyURL;
  registerAccessCredentials(access);
  return access;
}

/** Every credential an access carries is redacted from errors and logs from now on (util/secrets.ts). */
function registerAccessCredentials(access: ClusterAccess): void {
  registerCredential(access.token);
  if (access.basicAuth) {
    registerCredential(access.basicAuth.password);
    registerCredential(`${access.basicAuth.username}:${access.basicAuth.password}`);
  }
}
