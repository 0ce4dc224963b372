// kubefedctl join: check everything first, then write the member objects, wait for the token,
// and write the host Secret and KubeFedCluster. Objects created by a run that fails are removed.
import { setTimeout as delay } from 'node:timers/promises';
import { UserError, messageOf } from '../../errors.js';
import { KUBEFED_CONFIG_NAME, type KubeFedScope } from '../../api/kubefed.js';
import { applyOwned, createIfMissing } from '../../kube/apply.js';
import type { HasMetadata, KubeObject, ResourceType } from '../../api/objects.js';
import type { KubeClient } from '../../kube/client.js';
import type { Writer } from '../../kube/writer.js';
import { KUBEFED_CLUSTERS, KUBEFED_CONFIGS, NAMESPACES, SECRETS } from '../../api/resources.js';
import { objectRef, type ObjectResult } from '../../api/results.js';
import { registerCredential } from '../../util/secrets.js';
import { completeHostObjects, planJoin, type JoinInput, type JoinPlan, type PlannedObject } from './join-plan.js';

export interface JoinOptions {
  clusterName: string;
  hostClusterName: string;
  namespace: string;
  secretName?: string;
  errorOnExisting: boolean;
  labels: Record<string, string>;
  region?: string;
  zones?: string[];
  tokenTimeoutMs: number;
}

export interface JoinDeps {
  host: KubeClient;
  member: KubeClient;
  writer: Writer;
  memberAccess: JoinInput['member'];
  progress: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface JoinOutcome {
  plan: JoinPlan;
  results: ObjectResult[];
  /** Host objects as written (or as they would be written). */
  hostObjects: KubeObject[];
}

interface KubeFedClusterObject extends HasMetadata {
  spec?: { secretRef?: { name?: string } };
}

/** Reads what the plan depends on from the host and checks the preconditions; writes nothing. */
export async function prepareJoin(opts: JoinOptions, deps: JoinDeps): Promise<JoinPlan> {
  const { host, member } = deps;
  const config = await host.get<HasMetadata & { spec?: { scope?: KubeFedScope } }>(
    KUBEFED_CONFIGS,
    KUBEFED_CONFIG_NAME,
    opts.namespace,
  );
  if (!config) {
    throw new UserError(
      `the host cluster "${host.clusterName}" has no KubeFedConfig "${KUBEFED_CONFIG_NAME}" in namespace "${opts.namespace}": the KubeFed API is not installed there`,
      `run 'kubefedctl init --host-cluster-context ${host.clusterName}${opts.namespace !== 'kube-federation-system' ? ` --kubefed-namespace ${opts.namespace}` : ''}' first`,
    );
  }
  const existingCluster = await host.get<KubeFedClusterObject>(KUBEFED_CLUSTERS, opts.clusterName, opts.namespace);
  const currentSecret = existingCluster?.spec?.secretRef?.name || undefined;
  const hostSecretName = opts.secretName ?? currentSecret;
  const plan = planJoin({
    clusterName: opts.clusterName,
    hostClusterName: opts.hostClusterName,
    namespace: opts.namespace,
    scope: config.spec?.scope === 'Namespaced' ? 'Namespaced' : 'Cluster',
    labels: opts.labels,
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.zones ? { zones: opts.zones } : {}),
    member: deps.memberAccess,
    ...(hostSecretName ? { hostSecretName } : {}),
  });
  // Reaching the member now means an unreachable member fails the join before anything is written.
  const existing: string[] = [];
  for (const p of plan.member) {
    const found = await member.get(p.type, p.object.metadata.name ?? '', p.object.metadata.namespace);
    if (found && p.type.kind === 'Namespace' && found.metadata.deletionTimestamp)
      await waitNamespaceGone(member, found.metadata.name ?? '', deps);
    else if (found && p.type.kind !== 'Namespace') existing.push(`${member.clusterName}: ${objectRef(p.object)}`);
  }
  if (existingCluster) existing.push(`${host.clusterName}: ${objectRef(plan.kubefedCluster)}`);
  if (opts.secretName && (await host.get(SECRETS, opts.secretName, opts.namespace)))
    existing.push(`${host.clusterName}: secret/${opts.secretName}`);
  if (opts.errorOnExisting && existing.length > 0) {
    throw new UserError(
      `cluster "${opts.clusterName}" cannot be joined with --error-on-existing: these objects already exist: ${existing.join(', ')}`,
      `run 'kubefedctl unjoin ${opts.clusterName}' first, or join without --error-on-existing to update them`,
    );
  }
  return plan;
}

/** How long join waits for a member namespace that an earlier unjoin is still deleting. */
export const TERMINATING_NAMESPACE_WAIT_MS = 60_000;

/**
 * A join right after an unjoin finds the member namespace still terminating, and the API server
 * refuses anything created in it: wait for it to go (bounded) rather than fail half-way.
 */
async function waitNamespaceGone(
  member: KubeClient,
  name: string,
  deps: Pick<JoinDeps, 'progress' | 'sleep'>,
): Promise<void> {
  const sleep = deps.sleep ?? delay;
  deps.progress(
    `namespace ${name} in ${member.clusterName} is still being deleted (by an earlier unjoin?); waiting up to ${TERMINATING_NAMESPACE_WAIT_MS / 1000}s for it to go`,
  );
  const deadline = Date.now() + TERMINATING_NAMESPACE_WAIT_MS;
  for (;;) {
    const ns = await member.get(NAMESPACES, name);
    if (!ns) return;
    if (Date.now() > deadline)
      throw new UserError(
        `namespace "${name}" in cluster "${member.clusterName}" is still being deleted (since ${ns.metadata.deletionTimestamp ?? 'earlier'}), so nothing can be created in it yet`,
        `join again once 'kubectl --context ${member.clusterName} get namespace ${name}' finds nothing; a namespace stuck terminating usually holds objects whose finalizers are not being removed`,
      );
    await sleep(500);
  }
}

/** Writes the plan. On failure, deletes what this run created and re-throws. */
export async function runJoin(plan: JoinPlan, opts: JoinOptions, deps: JoinDeps): Promise<JoinOutcome> {
  const { host, member, writer } = deps;
  const results: ObjectResult[] = [];
  const created: { client: KubeClient; type: ResourceType; object: HasMetadata }[] = [];
  const record = (
    client: KubeClient,
    type: ResourceType,
    r: { result: ObjectResult; object: HasMetadata | undefined },
  ) => {
    results.push(r.result);
    // Only what was really stored can be rolled back.
    if (r.result.verb === 'created' && writer.persists && r.object) created.push({ client, type, object: r.object });
  };
  try {
    let namespaceMissing = false;
    for (const p of plan.member) {
      if (namespaceMissing && p.type.namespaced) {
        // The API server refuses objects in a namespace that a dry run did not really create.
        results.push({
          ref: objectRef(p.object),
          verb: 'created',
          cluster: member.clusterName,
          note: 'not sent: its namespace does not exist yet',
        });
        continue;
      }
      const written = await writePlanned(writer, member, p);
      record(member, p.type, written);
      if (p.type.kind === 'Namespace' && written.result.verb === 'created' && writer.sends && !writer.persists)
        namespaceMissing = true;
    }
    let tokenData: { token: string; caCrt?: string } = { token: '' };
    if (writer.persists) {
      deps.progress(
        `waiting for the token of service account ${plan.tokenSecret.namespace}/${plan.serviceAccountName} in ${member.clusterName}`,
      );
      tokenData = await waitForToken(member, plan.tokenSecret, opts.tokenTimeoutMs, deps.sleep);
    }
    const secretName = plan.hostSecret.metadata.name;
    let hostSecretName = secretName ?? '';
    if (writer.persists && !secretName) {
      // A generated name is only known once the Secret exists.
      const stored = await writer.create(host, SECRETS, { ...plan.hostSecret, data: { token: tokenData.token } });
      hostSecretName = stored.metadata.name ?? '';
      record(host, SECRETS, {
        result: { ref: `secret/${hostSecretName}`, verb: 'created', cluster: host.clusterName },
        object: stored,
      });
    }
    const done = completeHostObjects(
      plan,
      tokenData,
      hostSecretName || `${plan.hostSecret.metadata.generateName ?? ''}<generated>`,
    );
    if (secretName) record(host, SECRETS, await writeHostSecret(writer, host, done.hostSecret));
    else if (!writer.persists)
      results.push({
        ref: `secret/${plan.hostSecret.metadata.generateName ?? ''}<generated>`,
        verb: 'created',
        cluster: host.clusterName,
      });
    if (writer.sends && !writer.persists && !secretName) {
      results.push({
        ref: objectRef(done.kubefedCluster),
        verb: 'created',
        cluster: host.clusterName,
        note: 'not sent: its Secret name is generated on creation',
      });
    } else {
      record(host, KUBEFED_CLUSTERS, await applyOwned(writer, host, KUBEFED_CLUSTERS, done.kubefedCluster));
    }
    return { plan, results, hostObjects: [done.hostSecret, done.kubefedCluster] };
  } catch (error) {
    if (created.length > 0) {
      const left = await rollBack(created);
      const note =
        left.length > 0 ? `; could not remove: ${left.join(', ')}` : '; the objects it had created were removed again';
      throw new UserError(
        `join of "${opts.clusterName}" failed: ${messageOf(error)}${note}`,
        error instanceof UserError ? error.hint : undefined,
      );
    }
    throw error;
  }
}

async function writePlanned(
  writer: Writer,
  client: KubeClient,
  p: PlannedObject,
): Promise<{ result: ObjectResult; object: HasMetadata | undefined }> {
  if (p.onExisting === 'keep') return createIfMissing(writer, client, p.type, p.object);
  if (p.onExisting === 'apply-binding') {
    const existing = await client.get<HasMetadata & { roleRef?: unknown }>(
      p.type,
      p.object.metadata.name ?? '',
      p.object.metadata.namespace,
    );
    if (existing && JSON.stringify(existing.roleRef) !== JSON.stringify(p.object['roleRef'])) {
      // roleRef cannot be changed in place.
      await writer.delete(client, p.type, p.object.metadata.name ?? '', p.object.metadata.namespace);
      if (writer.persists) {
        const stored = await writer.create(client, p.type, p.object);
        return {
          result: {
            ref: objectRef(p.object),
            verb: 'configured',
            cluster: client.clusterName,
            note: 're-created: roleRef changed',
          },
          object: stored,
        };
      }
    }
  }
  return applyOwned(writer, client, p.type, p.object);
}

async function writeHostSecret(
  writer: Writer,
  host: KubeClient,
  secret: KubeObject,
): Promise<{ result: ObjectResult; object: HasMetadata | undefined }> {
  const existing = await host.get<KubeObject>(SECRETS, secret.metadata.name ?? '', secret.metadata.namespace);
  const ref = objectRef(secret);
  if (!existing) return createIfMissing(writer, host, SECRETS, secret);
  const token = (secret['data'] as Record<string, string>)['token'];
  if ((existing['data'] as Record<string, string> | undefined)?.['token'] === token)
    return { result: { ref, verb: 'unchanged', cluster: host.clusterName }, object: existing };
  const stored = await writer.mergePatch(host, SECRETS, secret.metadata.name ?? '', secret.metadata.namespace, {
    data: { token },
  });
  return { result: { ref, verb: 'configured', cluster: host.clusterName }, object: stored ?? existing };
}

/** Polls the token Secret until the token controller has filled it. */
export async function waitForToken(
  member: KubeClient,
  secret: { name: string; namespace: string },
  timeoutMs: number,
  sleep: (ms: number) => Promise<unknown> = delay,
): Promise<{ token: string; caCrt?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await member.get<KubeObject>(SECRETS, secret.name, secret.namespace);
    const data = (found?.['data'] ?? {}) as Record<string, string>;
    if (data['token']) {
      // A cluster-admin credential of the member: never in an error or a log from here on.
      registerCredential(Buffer.from(data['token'], 'base64').toString('utf8'));
      return { token: data['token'], ...(data['ca.crt'] ? { caCrt: data['ca.crt'] } : {}) };
    }
    if (Date.now() > deadline) {
      throw new UserError(
        `the token Secret ${secret.namespace}/${secret.name} in cluster "${member.clusterName}" was not filled within ${Math.round(timeoutMs / 1000)}s`,
        `Kubernetes fills it through kube-controller-manager's serviceaccount-token controller; check that it runs in "${member.clusterName}"`,
      );
    }
    await sleep(250);
  }
}

async function rollBack(created: { client: KubeClient; type: ResourceType; object: HasMetadata }[]): Promise<string[]> {
  const left: string[] = [];
  for (const c of [...created].reverse()) {
    try {
      await c.client.delete(c.type, c.object.metadata.name ?? '', c.object.metadata.namespace);
    } catch {
      left.push(
        `${c.client.clusterName}: ${objectRef({ ...c.object, apiVersion: c.type.group ? `${c.type.group}/${c.type.version}` : c.type.version, kind: c.type.kind })}`,
      );
    }
  }
  return left;
}
