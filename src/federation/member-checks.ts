// What the API server refuses in a member object that its OpenAPI schema cannot say: names, ports,
// label syntax, selectors, data keys, size. One table, by kind; each check returns issues with the
// field in the member object. Pure. Used with the schema check by template-validation.ts.
import type { SchemaIssue } from '../util/openapi.js';
import { describeValue, formatPath } from '../util/openapi.js';

/** The API server refuses objects larger than this (etcd's request limit is a little above; Secrets and ConfigMaps are capped at 1 MiB of data). */
export const MAX_OBJECT_BYTES = 1024 * 1024;

type Obj = Record<string, unknown>;
type Path = (string | number)[];
type Check = (out: SchemaIssue[], obj: Obj) => void;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(obj: unknown, ...path: string[]): unknown {
  let v = obj;
  for (const p of path) v = isObj(v) ? v[p] : undefined;
  return v;
}

function issue(out: SchemaIssue[], path: Path, message: string): void {
  out.push({ path: formatPath(path), message });
}

function port(out: SchemaIssue[], path: Path, v: unknown, min: 0 | 1): void {
  if (typeof v === 'number' && Number.isInteger(v) && (v < min || v > 65535))
    issue(out, path, `must be a port number from ${min} to 65535, not ${v}`);
}

/** IANA_SVC_NAME: at most 15 characters, lower-case letters, digits and '-', with at least one letter. */
function serviceName(out: SchemaIssue[], path: Path, v: unknown): void {
  if (typeof v !== 'string' || v === '') return;
  if (v.length > 15 || !IANA_SVC_NAME.test(v) || v.includes('--') || !/[a-z]/.test(v))
    issue(
      out,
      path,
      `must be an IANA service name (at most 15 lower-case letters, digits and '-', with a letter), not ${describeValue(v)}`,
    );
}

/** A DNS label rule: DNS-1123 (lower-case letters, digits and '-') or DNS-1035 (starting with a letter). */
const LABEL_RULES = {
  1123: { re: DNS1123_LABEL, what: 'a DNS-1123 label' },
  1035: { re: DNS1035_LABEL, what: 'a DNS-1035 label (lower-case letters, digits and -, starting with a letter)' },
} as const;

function dnsLabel(out: SchemaIssue[], path: Path, v: unknown, rule: 1123 | 1035): void {
  if (typeof v !== 'string') return;
  const { re, what } = LABEL_RULES[rule];
  if (v.length > 63 || !re.test(v)) issue(out, path, `must be ${what}, at most 63 characters, not ${describeValue(v)}`);
}

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) return false;
  if (slash < 0) return true;
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix);
}

function labelMap(out: SchemaIssue[], path: Path, labels: unknown): void {
  if (!isObj(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key))
      issue(
        out,
        [...path, key],
        'is not a valid label key ([prefix/]name, name at most 63 letters, digits, -, _ or .)',
      );
    if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value)))
      issue(
        out,
        [...path, key],
        `must be a valid label value (at most 63 letters, digits, -, _ or ., starting and ending with a letter or digit), not ${describeValue(value)}`,
      );
  }
}

function containers(out: SchemaIssue[], path: Path, list: unknown): void {
  if (!Array.isArray(list)) return;
  const names = new Set<string>();
  list.forEach((c, i) => {
    if (!isObj(c)) return;
    const here = [...path, i];
    dnsLabel(out, [...here, 'name'], c['name'], 1123);
    if (typeof c['name'] === 'string') {
      if (names.has(c['name'])) issue(out, [...here, 'name'], `"${c['name']}" is used by another container`);
      names.add(c['name']);
    }
    if (c['image'] === undefined || c['image'] === '' || c['image'] === null)
      issue(out, [...here, 'image'], 'is required');
    if (Array.isArray(c['ports']))
      c['ports'].forEach((p, j) => {
        if (!isObj(p)) return;
        port(out, [...here, 'ports', j, 'containerPort'], p['containerPort'], 1);
        port(out, [...here, 'ports', j, 'hostPort'], p['hostPort'], 0);
        serviceName(out, [...here, 'ports', j, 'name'], p['name']);
      });
  });
}

/** A pod template at `path` of the object: its labels and containers. */
function podTemplate(out: SchemaIssue[], obj: Obj, path: string[]): void {
  const template = at(obj, ...path);
  if (!isObj(template)) return;
  labelMap(out, [...path, 'metadata', 'labels'], at(template, 'metadata', 'labels'));
  const spec = template['spec'];
  if (!isObj(spec)) return;
  if (Array.isArray(spec['containers']) && spec['containers'].length === 0)
    issue(out, [...path, 'spec', 'containers'], 'must have at least one container');
  containers(out, [...path, 'spec', 'containers'], spec['containers']);
  containers(out, [...path, 'spec', 'initContainers'], spec['initContainers']);
}

/** Workloads: replicas ≥ 0, and the selector must select the pod template's labels. */
function workload(out: SchemaIssue[], obj: Obj): void {
  const replicas = at(obj, 'spec', 'replicas');
  if (typeof replicas === 'number' && replicas < 0)
    issue(out, ['spec', 'replicas'], `must be 0 or more, not ${replicas}`);
  const matchLabels = at(obj, 'spec', 'selector', 'matchLabels');
  const labels = at(obj, 'spec', 'template', 'metadata', 'labels');
  if (isObj(matchLabels)) {
    const have = isObj(labels) ? labels : {};
    const missing = Object.entries(matchLabels).filter(([k, v]) => have[k] !== v);
    if (missing.length > 0)
      issue(
        out,
        ['spec', 'selector'],
        `does not match the template's labels (spec.template.metadata.labels needs ${missing.map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`,
      );
  }
  podTemplate(out, obj, ['spec', 'template']);
}

function dataKeys(out: SchemaIssue[], obj: Obj): void {
  const data = obj['data'];
  const binary = obj['binaryData'];
  for (const [field, map] of [
    ['data', data],
    ['binaryData', binary],
    ['stringData', obj['stringData']],
  ] as const) {
    if (!isObj(map)) continue;
    for (const key of Object.keys(map))
      if (key.length > 253 || !CONFIG_KEY.test(key))
        issue(out, [field, key], "is not a valid key (letters, digits, '-', '_' and '.', at most 253 characters)");
  }
  if (isObj(data) && isObj(binary))
    for (const key of Object.keys(binary))
      if (Object.hasOwn(data, key)) issue(out, ['binaryData', key], 'is also a key of data');
}

function servicePorts(out: SchemaIssue[], obj: Obj): void {
  const ports = at(obj, 'spec', 'ports');
  if (!Array.isArray(ports)) return;
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const here: Path = ['spec', 'ports', i];
    port(out, [...here, 'port'], p['port'], 1);
    port(out, [...here, 'nodePort'], p['nodePort'], 0);
    const target = p['targetPort'];
    if (typeof target === 'number') port(out, [...here, 'targetPort'], target, 1);
    else serviceName(out, [...here, 'targetPort'], target);
    if (ports.length > 1 && (typeof p['name'] !== 'string' || p['name'] === ''))
      issue(out, [...here, 'name'], 'is required when a Service has more than one port');
    if (typeof p['name'] === 'string' && p['name'] !== '') {
      dnsLabel(out, [...here, 'name'], p['name'], 1123);
      if (names.has(p['name'])) issue(out, [...here, 'name'], `"${p['name']}" is used by another port`);
      names.add(p['name']);
    }
  });
}

function ingressPaths(out: SchemaIssue[], obj: Obj): void {
  const rules = at(obj, 'spec', 'rules');
  if (!Array.isArray(rules)) return;
  rules.forEach((r, i) => {
    const paths = at(r, 'http', 'paths');
    if (!Array.isArray(paths)) return;
    paths.forEach((p, j) => {
      if (!isObj(p)) return;
      const type = p['pathType'];
      const path = p['path'];
      if ((type === 'Prefix' || type === 'Exact') && (typeof path !== 'string' || !path.startsWith('/')))
        issue(
          out,
          ['spec', 'rules', i, 'http', 'paths', j, 'path'],
          `must be an absolute path (starting with "/") for pathType ${type}`,
        );
    });
  });
}

/** The checks of each kind (the target's kind; group/version are not told apart). */
export const MEMBER_CHECKS: Readonly<Record<string, readonly Check[]>> = {
  Service: [(out, o) => dnsLabel(out, ['metadata', 'name'], at(o, 'metadata', 'name'), 1035), servicePorts],
  Namespace: [(out, o) => dnsLabel(out, ['metadata', 'name'], at(o, 'metadata', 'name'), 1123)],
  ConfigMap: [dataKeys],
  Secret: [dataKeys],
  Deployment: [workload],
  ReplicaSet: [workload],
  StatefulSet: [workload],
  DaemonSet: [workload],
  Job: [(out, o) => podTemplate(out, o, ['spec', 'template'])],
  CronJob: [(out, o) => podTemplate(out, o, ['spec', 'jobTemplate', 'spec', 'template'])],
  Ingress: [ingressPaths],
};

/**
 * The checks every kind gets (labels, size) and those of its kind. `size` is the object's length
 * as JSON in bytes when the caller already knows it.
 */
export function memberObjectIssues(obj: Obj, kind: string): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  labelMap(out, ['metadata', 'labels'], at(obj, 'metadata', 'labels'));
  for (const check of MEMBER_CHECKS[kind] ?? []) check(out, obj);
  const size = jsonSize(obj);
  if (size > MAX_OBJECT_BYTES)
    out.push({
      path: '',
      message: `is ${size} bytes as JSON; the API server refuses objects over 1 MiB (${MAX_OBJECT_BYTES} bytes)`,
    });
  return out;
}

/** UTF-8 length of the object as JSON; exact only when it could be near the limit. */
function jsonSize(obj: Obj): number {
  const text = JSON.stringify(obj);
  return text.length * 3 < MAX_OBJECT_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
}
