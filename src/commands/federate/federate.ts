// kubefedctl federate: the plan (which federated objects, which types to enable first)
// built from a live object or from manifests, and the writes.
import { UsageError, UserError, ValidationError } from '../../errors.js';
import {
  contentObjects,
  contentTypes,
  convertTarget,
  groupOf,
  guessTargetType,
  isFederatedObject,
  isTypeConfigDocument,
  typeHintsFrom,
  versionOf,
  type Placement,
} from '../../federation/federate.js';
import {
  DEFAULT_FEDERATED_TYPE,
  federatedResourceType,
  typeConfigFor,
  type FederatedTypeConfig,
} from '../../federation/typeconfig.js';
import { groupQualifiedName, lookupResource } from '../../federation/type-lookup.js';
import { isNotFound, KubeApiError } from '../../kube/api-error.js';
import type { KubeObject } from '../../api/objects.js';
import type { KubeClient } from '../../kube/client.js';
import type { Writer } from '../../kube/writer.js';
import { discoverResources, type ApiResource } from '../../kube/discovery.js';
import { kindGroup } from '../../api/resources.js';
import { objectRef, type ObjectResult } from '../../api/results.js';
import { describeSource, type SourcedDocument } from '../../util/documents.js';
import { isSubset } from '../../util/objects.js';
import { planEnable, runEnable, type EnablePlan } from '../../engine/enable-type.js';
import { installedTypeConfigs } from '../../engine/type-configs.js';
import type { FederateOptions } from './options.js';
import { printsOnly } from '../shared-flags.js';

/** One federated object to write, with the FederatedTypeConfig that describes its type. */
export interface FederationItem {
  typeConfig: FederatedTypeConfig;
  object: KubeObject;
  /** The source, for messages: a file position or `kind/namespace/name`. */
  from: string;
}

/** Everything federate will do: types to enable first, then objects to write; warnings for the user. */
export interface FederationPlan {
  enable: EnablePlan[];
  items: FederationItem[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// -f: manifests.

/** A manifest that passed the checks, with where it came from. */
export interface SourcedObject {
  object: KubeObject;
  from: string;
}

/**
 * Checks that every document is an object with apiVersion, kind and metadata.name, and is not
 * already federated; issues name the file, document and field. FederatedTypeConfig documents are
 * returned apart: they describe types, they are not federated. Pure.
 */
export function objectsFromDocuments(docs: readonly SourcedDocument[]): {
  objects: SourcedObject[];
  typeConfigs: KubeObject[];
} {
  const issues: string[] = [];
  const objects: SourcedObject[] = [];
  const typeConfigs: KubeObject[] = [];
  for (const d of docs) {
    const where = describeSource(d);
    const doc = d.doc as Record<string, unknown> | null;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      issues.push(`${where}: is not an object`);
      continue;
    }
    const before = issues.length;
    const meta = doc['metadata'] as Record<string, unknown> | undefined;
    if (typeof doc['apiVersion'] !== 'string' || doc['apiVersion'] === '')
      issues.push(`${where}: apiVersion: must be a non-empty string`);
    if (typeof doc['kind'] !== 'string' || doc['kind'] === '')
      issues.push(`${where}: kind: must be a non-empty string`);
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
      issues.push(`${where}: metadata: must be an object with a name`);
    else if (typeof meta['name'] !== 'string' || meta['name'] === '') {
      issues.push(
        `${where}: metadata.name: must be a non-empty string${meta['generateName'] ? ' (generateName is not enough: a federated object needs a fixed name)' : ''}`,
      );
    } else if (meta['namespace'] !== undefined && typeof meta['namespace'] !== 'string')
      issues.push(`${where}: metadata.namespace: must be a string`);
    if (issues.length > before) continue;
    const object = doc as unknown as KubeObject;
    if (isTypeConfigDocument(object)) typeConfigs.push(object);
    else if (isFederatedObject(object)) issues.push(`${where}: kind: ${object.kind} is already a federated type`);
    else objects.push({ object, from: where });
  }
  if (issues.length > 0) throw new ValidationError('the input holds documents that cannot be federated', issues);
  return { objects, typeConfigs };
}

/** Gives a namespaced object without a namespace the default one (as kubectl apply would). */
function withNamespace(obj: KubeObject, namespaced: boolean, namespace: string | undefined): KubeObject {
  if (!namespaced || obj.metadata.namespace || !namespace) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

/**
 * The plan for manifests without a server: each type comes from a FederatedTypeConfig among the
 * documents, a CRD among them, the table of built-in kinds, or KubeFed's guess. Pure.
 */
export function planFromManifests(
  docs: readonly SourcedDocument[],
  opts: Pick<FederateOptions, 'namespace' | 'placement'>,
): FederationPlan {
  const { objects, typeConfigs } = objectsFromDocuments(docs);
  const hints = typeHintsFrom([...typeConfigs, ...objects.map((o) => o.object)]);
  const plan: FederationPlan = { enable: [], items: [], warnings: [] };
  for (const { object, from } of objects) {
    const { typeConfig } = guessTargetType(object, hints);
    const namespaced = typeConfig.spec.targetType.scope === 'Namespaced';
    addItem(plan, withNamespace(object, namespaced, opts.namespace), typeConfig, opts.placement, from);
  }
  return plan;
}

function addItem(
  plan: FederationPlan,
  target: KubeObject,
  typeConfig: FederatedTypeConfig,
  placement: Placement,
  from: string,
): void {
  const { object, warnings } = convertTarget(target, typeConfig, placement);
  plan.items.push({ typeConfig, object, from });
  plan.warnings.push(...warnings);
}

// ---------------------------------------------------------------------------------------------
// Reading what the host has.

/** Where the type config of each target type comes from, and which types get enabled on the way. */
class TypeConfigs {
  private readonly planned = new Map<string, EnablePlan>();

  constructor(
    readonly installed: FederatedTypeConfig[],
    private readonly opts: Pick<FederateOptions, 'enableType' | 'output' | 'dryRun' | 'kubefedNamespace'>,
  ) {}

  /** The type config of a target; undefined when it is not enabled and will not be. */
  resolve(target: ApiResource): FederatedTypeConfig | undefined {
    const name = groupQualifiedName(target);
    const found = this.installed.find((f) => f.metadata.name === name);
    if (found) return found;
    if (this.opts.enableType) {
      const plan = this.planned.get(name) ?? planEnable(target, DEFAULT_FEDERATED_TYPE, this.opts.kubefedNamespace);
      this.planned.set(name, plan);
      return plan.typeConfig;
    }
    // Printing only: show what --enable-type would create, as KubeFed does for -o yaml.
    if (printsOnly(this.opts)) return typeConfigFor(target, DEFAULT_FEDERATED_TYPE, this.opts.kubefedNamespace);
    return undefined;
  }

  /** Like resolve, but a type that is not enabled is an error that says what to do. */
  require(target: ApiResource): FederatedTypeConfig {
    const ftc = this.resolve(target);
    if (ftc) return ftc;
    const name = groupQualifiedName(target);
    throw new UserError(
      `type "${name}" is not enabled for federation: there is no FederatedTypeConfig "${name}" in namespace "${this.opts.kubefedNamespace}"`,
      `re-run with --enable-type, or run 'kubefedctl enable ${name}' first`,
    );
  }

  enablePlans(): EnablePlan[] {
    return [...this.planned.values()];
  }
}

/** Lists a type in a namespace; undefined when the server will not list it (gone, forbidden, not allowed). */
async function listTolerant(
  host: KubeClient,
  type: ApiResource,
  namespace: string,
  warnings: string[],
): Promise<KubeObject[] | undefined> {
  try {
    return (await host.list(type, { namespace })).items;
  } catch (error) {
    if (error instanceof KubeApiError && [403, 404, 405].includes(error.statusCode)) {
      if (error.statusCode === 403)
        warnings.push(
          `cannot list ${groupQualifiedName(type)} in namespace "${namespace}" (forbidden); its objects are not federated`,
        );
      return undefined;
    }
    throw error;
  }
}

export interface LivePlanInput {
  host: KubeClient;
  /** The namespace for namespaced targets: -n, else the host context's, else "default". */
  namespace: string;
  progress: (line: string) => void;
}

/** The plan for `federate TYPE NAME`: reads discovery, the installed type configs and the target. */
export async function planFromServer(opts: FederateOptions, input: LivePlanInput): Promise<FederationPlan> {
  if (opts.source.kind !== 'live') throw new Error('planFromServer needs TYPE NAME');
  const { host, namespace, progress } = input;
  const { type: key, name } = opts.source;
  const resources = await discoverResources(host);
  const target = lookupResource(resources, key);
  const isNamespace = target.group === '' && target.kind === 'Namespace';
  if (opts.contents && !isNamespace)
    throw new UsageError(`--contents only applies to namespaces, not to ${groupQualifiedName(target)}`, 'federate');
  const configs = new TypeConfigs(await installedTypeConfigs(host, opts.kubefedNamespace), opts);
  const typeConfig = configs.require(target);
  const objectNamespace = target.namespaced ? namespace : undefined;
  const source = await host.get(target, name, objectNamespace);
  if (!source)
    throw new UserError(
      `${kindGroup(target)} "${name}" not found${objectNamespace ? ` in namespace "${objectNamespace}"` : ''}`,
      objectNamespace ? 'pass -n NAMESPACE if it lives in another namespace' : undefined,
    );
  const plan: FederationPlan = { enable: [], items: [], warnings: [] };
  addItem(
    plan,
    { apiVersion: target.group ? `${target.group}/${target.version}` : target.version, kind: target.kind, ...source },
    typeConfig,
    opts.placement,
    `${kindGroup(target)}/${name}`,
  );
  if (opts.contents) {
    progress(`reading the contents of namespace ${name}`);
    await addContents(plan, { host, resources, configs, namespace: name, opts });
  }
  plan.enable = configs.enablePlans();
  return plan;
}

interface ContentsInput {
  host: KubeClient;
  resources: ApiResource[];
  configs: TypeConfigs;
  namespace: string;
  opts: FederateOptions;
}

/** Adds the objects of a namespace whose types are (or, with --enable-type, will be) enabled. */
async function addContents(plan: FederationPlan, input: ContentsInput): Promise<void> {
  const { host, configs, namespace, opts } = input;
  const federatedGroups = configs.installed.map((f) => f.spec.federatedType.group ?? '');
  const types = contentTypes(input.resources, { skip: opts.skip, federatedGroups });
  const listed = await Promise.all(
    types.map(async (type) => ({ type, items: await listTolerant(host, type, namespace, plan.warnings) })),
  );
  const notEnabled: string[] = [];
  for (const { type, items } of listed) {
    if (!items || items.length === 0) continue;
    const { objects, skipped } = contentObjects(type, items);
    for (const s of skipped) plan.warnings.push(`not federating ${s}`);
    if (objects.length === 0) continue;
    const typeConfig = configs.resolve(type);
    if (!typeConfig) {
      notEnabled.push(`${groupQualifiedName(type)} (${objects.length})`);
      continue;
    }
    for (const obj of objects) {
      const target = {
        apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
        kind: type.kind,
        ...obj,
      };
      addItem(plan, target, typeConfig, opts.placement, `${kindGroup(type)}/${obj.metadata.name ?? ''}`);
    }
  }
  if (notEnabled.length > 0) {
    plan.warnings.push(
      `not federating objects of types that are not enabled: ${notEnabled.join(', ')}; add --enable-type to enable them, or run 'kubefedctl enable TYPE'`,
    );
  }
}

/**
 * The plan for manifests to be written to the host: each type must be enabled there (or be
 * enabled on the way with --enable-type); the installed FederatedTypeConfig gives the federated type.
 */
export async function planFromManifestsOnHost(
  docs: readonly SourcedDocument[],
  opts: FederateOptions,
  input: LivePlanInput,
): Promise<FederationPlan> {
  const { objects, typeConfigs } = objectsFromDocuments(docs);
  const plan: FederationPlan = { enable: [], items: [], warnings: [] };
  if (typeConfigs.length > 0)
    plan.warnings.push(
      "FederatedTypeConfig documents in the input are ignored: the host's own FederatedTypeConfigs decide the federated types",
    );
  const installed = await installedTypeConfigs(input.host, opts.kubefedNamespace);
  const configs = new TypeConfigs(installed, opts);
  let resources: ApiResource[] | undefined;
  const missing = new Set<string>();
  for (const { object, from } of objects) {
    const group = groupOf(object.apiVersion);
    const kind = object.kind ?? '';
    let typeConfig: FederatedTypeConfig | undefined = installed.find(
      (f) => f.spec.targetType.kind === kind && (f.spec.targetType.group ?? '') === group,
    );
    if (!typeConfig) {
      resources ??= await discoverResources(input.host);
      const target = targetForKind(resources, object);
      typeConfig = configs.resolve(target);
      if (!typeConfig) {
        missing.add(groupQualifiedName(target));
        continue;
      }
    }
    const namespaced = typeConfig.spec.targetType.scope === 'Namespaced';
    addItem(plan, withNamespace(object, namespaced, input.namespace), typeConfig, opts.placement, from);
  }
  if (missing.size > 0) {
    const names = [...missing];
    throw new UserError(
      `types not enabled for federation in namespace "${opts.kubefedNamespace}": ${names.join(', ')}`,
      `re-run with --enable-type, or run 'kubefedctl enable ${names[0] ?? 'TYPE'}' first`,
    );
  }
  plan.enable = configs.enablePlans();
  return plan;
}

/** The server's type for a manifest's apiVersion and kind (its own version if served, else the preferred one). */
function targetForKind(resources: ApiResource[], obj: KubeObject): ApiResource {
  const group = groupOf(obj.apiVersion);
  const matches = resources.filter((r) => r.group === group && r.kind === obj.kind && !r.plural.includes('/'));
  const found = matches.find((r) => r.version === versionOf(obj.apiVersion)) ?? matches[0];
  if (!found)
    return lookupResource(resources, `${obj.kind ?? ''}${group ? `.${versionOf(obj.apiVersion)}.${group}` : ''}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Writing.

type Action = { item: FederationItem; existing?: KubeObject; verb: 'create' | 'unchanged' | 'overwrite' };

function sameJson(a: unknown, b: unknown): boolean {
  return isSubset(a, b) && isSubset(b, a);
}

function specOf(obj: KubeObject | undefined): Record<string, unknown> {
  const spec = obj?.['spec'];
  return typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {};
}

/**
 * Decides per object: create it, leave it (it already has this template and placement), or
 * overwrite them (only with --overwrite). Any other existing object stops the run before anything
 * is written.
 */
async function decide(host: KubeClient, items: FederationItem[], overwrite: boolean): Promise<Action[]> {
  const actions = await Promise.all(
    items.map(async (item): Promise<Action> => {
      const type = federatedResourceType(item.typeConfig);
      const existing = await host.get(type, item.object.metadata.name ?? '', item.object.metadata.namespace);
      if (!existing) return { item, verb: 'create' };
      const want = specOf(item.object);
      const have = specOf(existing);
      const same = sameJson(want['template'], have['template']) && sameJson(want['placement'], have['placement']);
      return { item, existing, verb: same ? 'unchanged' : 'overwrite' };
    }),
  );
  const conflicts = actions.filter((a) => a.verb === 'overwrite');
  if (conflicts.length > 0 && !overwrite) {
    throw new ValidationError(
      'federated objects of these names already exist with a different template or placement',
      conflicts.map(
        (a) =>
          `${objectRef(a.item.object)}${a.item.object.metadata.namespace ? ` in namespace "${a.item.object.metadata.namespace}"` : ''} (from ${a.item.from})`,
      ),
      'nothing was written; add --overwrite to replace their template and placement (overrides are kept)',
    );
  }
  return actions;
}

/** Creates an object, retrying briefly while a CRD that was just established is not served yet. */
async function createServed(
  writer: Writer,
  host: KubeClient,
  type: ReturnType<typeof federatedResourceType>,
  obj: KubeObject,
): Promise<KubeObject> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await writer.create(host, type, obj);
    } catch (error) {
      if (!isNotFound(error) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export interface FederateOutcome {
  /** Results of enabling types, then one result per federated object. */
  enabled: ObjectResult[];
  results: ObjectResult[];
  /** Each federated object as stored (or as the server would store it); the planned one otherwise. */
  objects: KubeObject[];
}

/** Enables the types the plan needs, then writes its federated objects. */
export async function applyFederation(
  plan: FederationPlan,
  opts: Pick<FederateOptions, 'overwrite' | 'kubefedNamespace'>,
  deps: { host: KubeClient; writer: Writer; progress: (line: string) => void },
): Promise<FederateOutcome> {
  const { host, writer } = deps;
  const actions = await decide(host, plan.items, opts.overwrite);
  const enabled: ObjectResult[] = [];
  for (const e of plan.enable) {
    deps.progress(`enabling ${e.typeConfig.metadata.name}`);
    for (const { cluster: _c, ...r } of await runEnable(e, opts.kubefedNamespace, deps)) enabled.push(r);
  }
  // In a dry run the types enabled above do not exist, so the server cannot check their objects.
  const notInstalled = new Set(writer.persists ? [] : plan.enable.map((e) => e.typeConfig.metadata.name));
  const results: ObjectResult[] = [];
  const objects: KubeObject[] = [];
  for (const { item, existing, verb } of actions) {
    const type = federatedResourceType(item.typeConfig);
    const ref = objectRef(item.object);
    if (verb === 'unchanged') {
      results.push({ ref, verb: 'unchanged' });
      objects.push(existing ?? item.object);
    } else if (verb === 'overwrite') {
      const updated = {
        ...existing,
        metadata: existing?.metadata ?? item.object.metadata,
        spec: {
          ...specOf(existing),
          template: specOf(item.object)['template'],
          placement: specOf(item.object)['placement'],
        },
      };
      const stored = await writer.update(host, type, updated);
      results.push({ ref, verb: 'configured' });
      objects.push(stored);
    } else if (writer.sends && notInstalled.has(item.typeConfig.metadata.name)) {
      results.push({ ref, verb: 'created', note: 'its type is not installed yet, so the server did not check it' });
      objects.push(item.object);
    } else {
      const stored = await createServed(writer, host, type, item.object);
      results.push({ ref, verb: 'created' });
      objects.push(stored);
      if (writer.persists) deps.progress(`created ${ref} from ${item.from}`);
    }
  }
  return { enabled, results, objects };
}
