// Shared helpers for tests against the real clusters that scripts/test.mjs starts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { runCli, type CliResult } from '../cli.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ApplySetReport } from '../../src/engine/applyset.js';
import type { KubeClient } from '../../src/kube/client.js';
import { ClientFactory } from '../../src/kube/factory.js';
import { compileValidator } from '../../src/util/schema-compile.js';

const root = resolve(import.meta.dirname, '..', '..', '..');

/** Where the test clusters are; fails (never skips) when the run was not started by scripts/test.mjs. */
export function testClusters(): { dir: string; kubeconfig: string } {
  const kubeconfig = process.env['KUBEFEDCTL_TEST_KUBECONFIG'];
  const dir = process.env['KUBEFEDCTL_TEST_DIR'];
  if (!kubeconfig || !dir)
    throw new Error(
      'integration tests need the test clusters: run them with `npm test` (KUBEFEDCTL_TEST_KUBECONFIG is not set)',
    );
  return { dir, kubeconfig };
}

export type { CliResult };

/** Runs the built CLI as a user would, with the test kubeconfig unless the env says otherwise. */
export function kubefedctl(
  args: string[],
  opts: { env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<CliResult> {
  return runCli(args, { ...opts, env: { KUBECONFIG: testClusters().kubeconfig, ...opts.env } });
}

/** An admin client for a test cluster context (cluster1..cluster3). */
export function admin(context: string): KubeClient {
  return factory().forContext(context);
}

/**
 * A client that edits member objects as a person does, under kubectl's field manager for
 * `kubectl edit`: an edit made as kubefedctl would be taken for one of ours.
 */
export function editor(context: string): KubeClient {
  editors ??= new ClientFactory({
    kubeconfig: testClusters().kubeconfig,
    requestTimeoutMs: 30_000,
    fieldManager: 'kubectl-edit',
  });
  return editors.forContext(context);
}

let editors: ClientFactory | undefined;
let shared: ClientFactory | undefined;
export function factory(): ClientFactory {
  shared ??= new ClientFactory({ kubeconfig: testClusters().kubeconfig, requestTimeoutMs: 30_000 });
  return shared;
}

/** Closes idle connections so node --test can finish the file. */
export function closeClients(): void {
  shared?.closeAll();
  shared = undefined;
  editors?.closeAll();
  editors = undefined;
}

/** The test kubeconfig as a plain object, to derive variants from. */
export function kubeconfigDoc(): {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  'current-context'?: string;
} {
  return parse(readFileSync(testClusters().kubeconfig, 'utf8'));
}

/** Writes a kubeconfig document into a fresh temp folder and returns its path. */
export function writeKubeconfig(doc: object, name = 'kubeconfig'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kf-test-')), name);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}

/** A unique lower-case name for test objects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls until check() is true or the time is up. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Waits until a namespace is gone or active in a cluster: an earlier test's unjoin may still be deleting it. */
export async function namespaceSettled(cluster: string, name: string, timeoutMs = 60_000): Promise<void> {
  const namespaces = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false };
  await eventually(
    `namespace ${name} in ${cluster} to finish terminating`,
    async () => !(await admin(cluster).get(namespaces, name))?.metadata.deletionTimestamp,
    timeoutMs,
  );
}

/** The test kubeconfig plus a context "dead" whose server refuses connections, and a context named like an EKS ARN. */
export function kubeconfigWithDeadCluster(): string {
  const doc = kubeconfigDoc();
  doc.clusters.push({ name: 'dead', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } });
  doc.contexts.push({ name: 'dead', context: { cluster: 'dead', user: doc.users[0]?.name } });
  doc.contexts.push({
    name: 'arn:aws:eks:eu-west-1:1:cluster/host',
    context: { ...doc.contexts.find((c) => c.name === 'cluster1')?.context },
  });
  return writeKubeconfig(doc);
}

interface ControlPlane {
  stopCluster(dir: string, name: string): Promise<void>;
  startCluster(dir: string, name: string): Promise<unknown>;
  startControlPlane(opts: { count: number; dir: string }): Promise<{ kubeconfig: string }>;
  stopControlPlane(dir: string): Promise<boolean>;
}

/** The test control plane library (scripts/control-plane.mjs), to stop and restart a cluster. */
export async function controlPlane(): Promise<ControlPlane> {
  const url = new URL(`file://${join(root, 'scripts', 'control-plane.mjs')}`).href;
  return (await import(url)) as ControlPlane;
}

/**
 * A kubeconfig with contexts cluster1..clusterN, for the few tests that need more members than the
 * suite's three. Clusters the test kubeconfig already has are used (`npm run clusters -- up
 * --count N`); the rest come from a second control plane started here, in the test folder, and
 * renamed to follow on (its cluster1 becomes cluster4, ...). `stop` stops what was started.
 */
export async function withClusters(count: number): Promise<{ kubeconfig: string; stop: () => Promise<void> }> {
  const doc = kubeconfigDoc();
  const names = Array.from({ length: count }, (_, i) => `cluster${i + 1}`);
  const have = names.filter((n) => doc.contexts.some((c) => c.name === n)).length;
  if (have === count) return { kubeconfig: testClusters().kubeconfig, stop: async () => {} };
  const cp = await controlPlane();
  const dir = join(testClusters().dir, `more-clusters-${process.pid}`);
  const more = await cp.startControlPlane({ count: count - have, dir });
  try {
    const extra = parse(readFileSync(more.kubeconfig, 'utf8')) as ReturnType<typeof kubeconfigDoc>;
    const rename = (name: string) => name.replace(/^cluster(\d+)/, (_, n: string) => `cluster${Number(n) + have}`);
    for (const c of extra.clusters) doc.clusters.push({ ...c, name: rename(c.name) });
    for (const u of extra.users) doc.users.push({ ...u, name: rename(u.name) });
    for (const c of extra.contexts)
      doc.contexts.push({
        name: rename(c.name),
        context: { cluster: rename(String(c.context['cluster'])), user: rename(String(c.context['user'])) },
      });
    return { kubeconfig: writeKubeconfig(doc), stop: () => cp.stopControlPlane(dir).then(() => undefined) };
  } catch (error) {
    await cp.stopControlPlane(dir);
    throw error;
  }
}

const reportIssues = compileValidator(
  JSON.parse(readFileSync(join(root, 'schemas', 'report', 'propagation-report.json'), 'utf8')) as object,
);

/** Runs kubefedctl propagate with -o json and returns the exit code and the parsed report. */
export async function propagateJson(
  args: string[],
  opts: { env?: Record<string, string | undefined> } = {},
): Promise<{ code: number; stderr: string; report: PropagationReport }> {
  const r = await kubefedctl(['propagate', ...args, '-o', 'json'], opts);
  let report: PropagationReport;
  try {
    report = JSON.parse(r.stdout) as PropagationReport;
  } catch {
    throw new Error(`propagate printed no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  // Every real report the tests see is held to the published schema.
  const issues = reportIssues(report);
  if (issues.length > 0)
    throw new Error(`the report does not match schemas/report/propagation-report.json: ${issues.join('; ')}`);
  return { code: r.code, stderr: r.stderr, report };
}

export interface PropagationReport {
  summary: Record<string, number>;
  clusters: { name: string; ready: boolean; reason?: string; requests: Record<string, number> }[];
  resources: {
    type: string;
    kind: string;
    namespace?: string;
    name: string;
    reason: string;
    message?: string;
    clusters: { cluster: string; action: string; outcome: string; status: string; message?: string }[];
  }[];
  scheduling: { rsp: string; outcome: string; replicas?: Record<string, number>; message?: string }[];
  dns: { record: string; kind: string; outcome: string; endpoint?: string; message?: string }[];
  applySet?: ApplySetReport;
  shard?: { index: number; count: number; clusters: string[] };
}

/** A `--clusters` file for file mode: one KubeFedCluster per member, reached through the kubeconfig context of the same name. */
export function writeClustersFile(members: string[], labels: Record<string, Record<string, string>> = {}): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kf-clusters-')), 'clusters.yaml');
  const docs = members.map((name) =>
    stringify({
      apiVersion: 'core.kubefed.io/v1beta1',
      kind: 'KubeFedCluster',
      metadata: { name, ...(labels[name] ? { labels: labels[name] } : {}) },
      spec: { kubeconfigContext: name },
    }),
  );
  writeFileSync(path, docs.join('---\n'));
  return path;
}

/** Deletes test namespaces from the given clusters, ignoring ones already gone; for `after` hooks. */
export async function deleteNamespaces(clusters: string[], namespaces: string[]): Promise<void> {
  const type = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false };
  for (const c of clusters)
    for (const ns of namespaces)
      await admin(c)
        .delete(type, ns)
        .catch(() => undefined);
}

/** The template of a one-replica Deployment whose pods carry `app` (the image never pulls). */
export function deploymentTemplate(app: string, image = 'registry.invalid/app:1') {
  return {
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: { containers: [{ name: 'c', image }] },
      },
    },
  };
}
