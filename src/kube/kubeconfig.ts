// kubeconfig loading with kubectl's rules:
//   --kubeconfig FILE  -> that file only (it must exist)
//   KUBECONFIG=a:b:c   -> every listed file that exists, merged: the first file that defines a
//                         cluster/user/context name wins; current-context from the first file that sets it
//   otherwise          -> ~/.kube/config (missing means an empty configuration)
// Relative paths inside a file are relative to that file's folder, as in client-go.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { NOT_READ, readFastYaml } from '../util/yaml-fast.js';
import { yamlPackage } from '../util/yaml-package.js';
import { UserError, ValidationError } from '../errors.js';

export interface KubeconfigCluster {
  server: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

export interface ExecEnvVar {
  name: string;
  value: string;
}

export interface ExecConfig {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: ExecEnvVar[] | null;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
  installHint?: string;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  as?: string;
  'as-groups'?: string[];
}

export interface KubeconfigContext {
  cluster: string;
  user?: string;
  namespace?: string;
}

interface Named<T> {
  name: string;
  value: T;
  /** The file that defined this entry. */
  source: string;
}

/** A kubeconfig after merging: named entries keep the file they came from. */
export interface Kubeconfig {
  files: string[];
  currentContext?: string;
  clusters: Map<string, Named<KubeconfigCluster>>;
  users: Map<string, Named<KubeconfigUser>>;
  contexts: Map<string, Named<KubeconfigContext>>;
}

/** One parsed kubeconfig file. */
export interface KubeconfigFile {
  path: string;
  currentContext?: string;
  clusters: Named<KubeconfigCluster>[];
  users: Named<KubeconfigUser>[];
  contexts: Named<KubeconfigContext>[];
}

export interface KubeconfigSources {
  /** Value of --kubeconfig. */
  explicitPath?: string;
  /** Value of the KUBECONFIG environment variable. */
  envValue?: string;
  /** Home folder, for ~/.kube/config. */
  home?: string;
}

/** Lists the files to read, in precedence order, following kubectl's rules. */
export function kubeconfigPaths(sources: KubeconfigSources): { paths: string[]; mustExist: boolean } {
  if (sources.explicitPath) return { paths: [resolve(sources.explicitPath)], mustExist: true };
  const fromEnv = (sources.envValue ?? '')
    .split(delimiter)
    .filter((p) => p.trim() !== '')
    .map((p) => resolve(p));
  if (fromEnv.length > 0) return { paths: [...new Set(fromEnv)], mustExist: false };
  return { paths: [join(sources.home ?? homedir(), '.kube', 'config')], mustExist: false };
}

/** Reads and merges the kubeconfig files that kubectl would read. */
export function loadKubeconfig(sources: KubeconfigSources): Kubeconfig {
  const { paths, mustExist } = kubeconfigPaths(sources);
  const files: KubeconfigFile[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      if (mustExist) throw new UserError(`kubeconfig file ${path} does not exist`, 'check the --kubeconfig path');
      continue;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UserError(`cannot read kubeconfig file ${path}: ${(error as Error).message}`);
    }
    files.push(parseKubeconfig(text, path));
  }
  return mergeKubeconfigs(files);
}

/** Merges parsed files in precedence order: the first definition of a name wins. */
export function mergeKubeconfigs(files: KubeconfigFile[]): Kubeconfig {
  const merged: Kubeconfig = {
    files: files.map((f) => f.path),
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  for (const file of files) {
    merged.currentContext ??= file.currentContext;
    for (const entry of file.clusters) if (!merged.clusters.has(entry.name)) merged.clusters.set(entry.name, entry);
    for (const entry of file.users) if (!merged.users.has(entry.name)) merged.users.set(entry.name, entry);
    for (const entry of file.contexts) if (!merged.contexts.has(entry.name)) merged.contexts.set(entry.name, entry);
  }
  return merged;
}

/**
 * A kubeconfig file's value: the fast reader takes the plain block YAML kubectl writes, and gives
 * up on anything else (flow style, anchors, a `---` line, duplicate keys), which the yaml package
 * then reads or reports. Either gives the same value.
 */
function readYaml(text: string): unknown {
  // Where the content starts: the first character of the first line that is not blank or a comment.
  const line = /^ *[^ \t\r\n#]/m.exec(text);
  const at = line ? line.index + line[0].length - 1 : -1;
  if (at >= 0 && !text.startsWith('---', at) && text[at] !== '%') {
    const value = readFastYaml(text, at, text.length);
    if (value !== NOT_READ) return value;
  }
  return yamlPackage().parse(text);
}

/** Parses one kubeconfig document; errors name the file and the field. */
export function parseKubeconfig(text: string, path: string): KubeconfigFile {
  let doc: unknown;
  try {
    doc = readYaml(text);
  } catch (error) {
    const where = error instanceof yamlPackage().YAMLParseError && error.linePos ? `:${error.linePos[0].line}` : '';
    const reason = (error as Error).message.split('\n')[0];
    throw new ValidationError(`kubeconfig ${path}${where} is not valid YAML: ${reason}`);
  }
  const issues: string[] = [];
  const file: KubeconfigFile = { path, clusters: [], users: [], contexts: [] };
  if (doc === null || doc === undefined) return file; // an empty file is an empty configuration
  if (!isObject(doc))
    throw new ValidationError(`kubeconfig ${path} must be a mapping with clusters, users and contexts`);

  const current = doc['current-context'];
  if (typeof current === 'string' && current !== '') file.currentContext = current;
  else if (current !== undefined && current !== null && current !== '')
    issues.push('current-context: must be a string');

  const dir = dirname(path);
  file.clusters = namedList(doc, 'clusters', 'cluster', path, issues, (value, field) => {
    if (typeof value['server'] !== 'string' || value['server'] === '')
      issues.push(`${field}.server: must be a non-empty string`);
    checkStrings(
      value,
      ['certificate-authority', 'certificate-authority-data', 'tls-server-name', 'proxy-url'],
      field,
      issues,
    );
    checkBooleans(value, ['insecure-skip-tls-verify'], field, issues);
    const cluster = { ...value } as unknown as KubeconfigCluster;
    if (cluster['certificate-authority'])
      cluster['certificate-authority'] = absolute(dir, cluster['certificate-authority']);
    return cluster;
  });
  file.users = namedList(doc, 'users', 'user', path, issues, (value, field) => {
    checkStrings(
      value,
      [
        'token',
        'tokenFile',
        'client-certificate',
        'client-certificate-data',
        'client-key',
        'client-key-data',
        'username',
        'password',
        'as',
      ],
      field,
      issues,
    );
    const user = { ...value } as unknown as KubeconfigUser;
    for (const key of ['tokenFile', 'client-certificate', 'client-key'] as const) {
      const p = user[key];
      if (p) user[key] = absolute(dir, p);
    }
    if (value['exec'] !== undefined && value['exec'] !== null)
      user.exec = parseExec(value['exec'], `${field}.exec`, dir, issues);
    return user;
  });
  file.contexts = namedList(doc, 'contexts', 'context', path, issues, (value, field) => {
    if (typeof value['cluster'] !== 'string' || value['cluster'] === '')
      issues.push(`${field}.cluster: must be a non-empty string`);
    checkStrings(value, ['user', 'namespace'], field, issues);
    return { ...value } as unknown as KubeconfigContext;
  });
  if (issues.length > 0)
    throw new ValidationError(
      `kubeconfig ${path} is invalid`,
      issues.map((i) => `${path}: ${i}`),
    );
  return file;
}

function parseExec(raw: unknown, field: string, dir: string, issues: string[]): ExecConfig | undefined {
  if (!isObject(raw)) {
    issues.push(`${field}: must be a mapping`);
    return undefined;
  }
  if (typeof raw['command'] !== 'string' || raw['command'] === '')
    issues.push(`${field}.command: must be a non-empty string`);
  if (
    raw['args'] !== undefined &&
    raw['args'] !== null &&
    !(Array.isArray(raw['args']) && raw['args'].every((a) => typeof a === 'string'))
  )
    issues.push(`${field}.args: must be a list of strings`);
  const exec = { ...raw } as unknown as ExecConfig;
  // client-go: a command given as a relative path (it has a separator) is relative to the kubeconfig file.
  if (typeof exec.command === 'string' && exec.command.includes('/') && !isAbsolute(exec.command))
    exec.command = resolve(dir, exec.command);
  return exec;
}

function namedList<T>(
  doc: Record<string, unknown>,
  listKey: string,
  itemKey: string,
  source: string,
  issues: string[],
  convert: (value: Record<string, unknown>, field: string) => T,
): Named<T>[] {
  const raw = doc[listKey];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.push(`${listKey}: must be a list`);
    return [];
  }
  const out: Named<T>[] = [];
  raw.forEach((item, i) => {
    const field = `${listKey}[${i}]`;
    if (!isObject(item) || typeof item['name'] !== 'string' || item['name'] === '') {
      issues.push(`${field}.name: must be a non-empty string`);
      return;
    }
    const value = item[itemKey];
    if (!isObject(value)) {
      issues.push(`${field}.${itemKey}: must be a mapping (entry "${item['name']}")`);
      return;
    }
    out.push({ name: item['name'], value: convert(value, `${field}.${itemKey}`), source });
  });
  return out;
}

function checkStrings(value: Record<string, unknown>, keys: string[], field: string, issues: string[]): void {
  for (const key of keys) {
    const v = value[key];
    if (v !== undefined && v !== null && typeof v !== 'string') issues.push(`${field}.${key}: must be a string`);
  }
}

function checkBooleans(value: Record<string, unknown>, keys: string[], field: string, issues: string[]): void {
  for (const key of keys) {
    const v = value[key];
    if (v !== undefined && v !== null && typeof v !== 'boolean') issues.push(`${field}.${key}: must be true or false`);
  }
}

function absolute(dir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dir, p);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A context resolved to its cluster and user stanzas. */
export interface ResolvedContext {
  contextName: string;
  cluster: KubeconfigCluster;
  clusterName: string;
  user: KubeconfigUser;
  userName?: string;
  namespace?: string;
  /** File that defined the context, for messages. */
  source: string;
}

/** Resolves a context by name (default: current-context) or explains what is missing. */
export function resolveContext(
  config: Kubeconfig,
  contextName: string | undefined,
  flag = '--context',
): ResolvedContext {
  const files = config.files.length > 0 ? config.files.join(', ') : '(no kubeconfig file found)';
  const name = contextName || config.currentContext;
  if (!name) {
    throw new UserError(
      `no context selected: the kubeconfig (${files}) sets no current-context`,
      `pass ${flag} NAME, or run 'kubectl config use-context NAME'`,
    );
  }
  const context = config.contexts.get(name);
  if (!context) {
    const known = [...config.contexts.keys()];
    const list = known.length > 0 ? `known contexts: ${known.join(', ')}` : 'it defines no contexts';
    throw new UserError(`context "${name}" not found in kubeconfig (${files})`, list);
  }
  const cluster = config.clusters.get(context.value.cluster);
  if (!cluster)
    throw new UserError(
      `context "${name}" refers to cluster "${context.value.cluster}", which is not defined in kubeconfig (${files})`,
    );
  const userName = context.value.user || undefined;
  let user: KubeconfigUser = {};
  if (userName) {
    const found = config.users.get(userName);
    if (!found)
      throw new UserError(
        `context "${name}" refers to user "${userName}", which is not defined in kubeconfig (${files})`,
      );
    user = found.value;
  }
  return {
    contextName: name,
    cluster: cluster.value,
    clusterName: context.value.cluster,
    user,
    ...(userName ? { userName } : {}),
    ...(context.value.namespace ? { namespace: context.value.namespace } : {}),
    source: context.source,
  };
}
