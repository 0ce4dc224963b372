// Generates schemas/openapi/k8s-v<minor>.json: the OpenAPI v3 schemas of the built-in kinds KubeFed
// federates by default, as served by the test control plane's kube-apiserver, in a compact form
// (no descriptions, defaults, patch strategies or status), for offline validation of templates
// (`render`, the pre-flight of `propagate -f`). See docs/propagation.md ("Validation").
//
//   node scripts/gen-openapi-schemas.mjs                 # starts a one-cluster control plane, then stops it
//   node scripts/gen-openapi-schemas.mjs --dir /tmp/kf   # uses a running one (cluster1 of its state.json)
//   node scripts/gen-openapi-schemas.mjs --check         # exits 1 when the committed bundle differs
//
// Plain ESM, Node built-ins and scripts/control-plane.mjs only.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { controlPlaneState, startControlPlane, stopControlPlane } from './control-plane.mjs';

const root = resolve(import.meta.dirname, '..');

/** group/version → kinds: the targets of KubeFed's default FederatedTypeConfigs and of src/engine/builtin-types.ts. */
export const KINDS = {
  v1: [
    'ConfigMap',
    'Secret',
    'Service',
    'ServiceAccount',
    'Namespace',
    'PersistentVolumeClaim',
    'LimitRange',
    'ResourceQuota',
  ],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  'batch/v1': ['Job', 'CronJob'],
  'networking.k8s.io/v1': ['Ingress', 'NetworkPolicy'],
  'policy/v1': ['PodDisruptionBudget'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'storage.k8s.io/v1': ['StorageClass'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
};

/** Keywords kept: what validation reads. Everything else (description, default, x-kubernetes-patch-*, …) goes. */
const KEEP = new Set([
  'type',
  'format',
  'properties',
  'additionalProperties',
  'items',
  'required',
  'enum',
  'nullable',
  'allOf',
  'oneOf',
  'anyOf',
  '$ref',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
]);

const REF_PREFIX = '#/components/schemas/';

/** A compact copy of one schema; `refs` collects the components it names. */
function compact(schema, refs) {
  if (Array.isArray(schema)) return schema.map((s) => compact(s, refs));
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEEP.has(key)) continue;
    if (key === 'properties') {
      out.properties = {};
      for (const [name, sub] of Object.entries(value)) out.properties[name] = compact(sub, refs);
    } else if (key === '$ref') {
      refs.push(value.slice(REF_PREFIX.length));
      out.$ref = value;
    } else out[key] = compact(value, refs);
  }
  // `allOf: [{$ref}]` is how OpenAPI v3 wraps a reference that has siblings (default, description);
  // without the siblings it is the reference itself.
  if (out.allOf?.length === 1 && Object.keys(out).length === 1) return out.allOf[0];
  return out;
}

function get(server, token, ca, path) {
  return new Promise((done, fail) => {
    const url = new URL(path, server);
    const req = https.get(
      url,
      { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, ca },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () =>
          res.statusCode === 200 ? done(JSON.parse(body)) : fail(new Error(`GET ${path}: ${res.statusCode} ${body}`)),
        );
      },
    );
    req.on('error', fail);
  });
}

async function generate({ server, token, caData }) {
  const ca = Buffer.from(caData, 'base64').toString('utf8');
  const version = await get(server, token, ca, '/version');
  const index = await get(server, token, ca, '/openapi/v3');
  const kinds = {};
  const schemas = {};
  for (const [gv, wanted] of Object.entries(KINDS)) {
    const key = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
    const entry = index.paths[key];
    if (!entry) throw new Error(`the API server does not serve ${key}`);
    const doc = await get(server, token, ca, entry.serverRelativeURL);
    const components = doc.components.schemas;
    const pending = [];
    for (const kind of wanted) {
      const [name] =
        Object.entries(components).find(([, s]) =>
          (s['x-kubernetes-group-version-kind'] ?? []).some(
            (g) => g.kind === kind && `${g.group ? `${g.group}/` : ''}${g.version}` === gv,
          ),
        ) ?? [];
      if (!name) throw new Error(`${gv} has no schema for ${kind}`);
      kinds[`${gv}/${kind}`] = name;
      pending.push(name);
    }
    // Every component reachable from the kinds, except through `status` (rendering drops it).
    while (pending.length > 0) {
      const name = pending.pop();
      if (schemas[name]) continue;
      const source = components[name];
      if (!source) throw new Error(`${gv}: ${name} is referenced but not defined`);
      const refs = [];
      const copy = compact(source, refs);
      if (Object.values(kinds).includes(name) && copy.properties) {
        delete copy.properties.status;
        refs.length = 0;
        compact(copy, refs);
      }
      schemas[name] = copy;
      pending.push(...refs.filter((r) => !schemas[r]));
    }
  }
  return {
    kubernetesVersion: version.gitVersion,
    generatedBy: 'scripts/gen-openapi-schemas.mjs',
    source: 'kube-apiserver /openapi/v3 of the test control plane (docs/testing.md), descriptions and defaults dropped',
    kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))),
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function option(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const existing = option('--dir');
let dir = existing;
if (!dir) {
  dir = mkdtempSync(join(tmpdir(), 'kfo-'));
  process.stderr.write(`starting a one-cluster control plane in ${dir}\n`);
  await startControlPlane({ count: 1, dir });
}
let bundle;
try {
  const cluster = controlPlaneState(dir).clusters[0];
  bundle = await generate(cluster);
} finally {
  if (!existing) {
    await stopControlPlane(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
const minor = /^v(\d+\.\d+)/.exec(bundle.kubernetesVersion)?.[1] ?? 'unknown';
const out = join(root, 'schemas', 'openapi', `k8s-v${minor}.json`);
// One schema per line: small, and a new Kubernetes version gives a readable diff.
const text = `{\n${Object.entries(bundle)
  .map(([key, value]) =>
    key === 'schemas'
      ? `"schemas": {\n${Object.entries(value)
          .map(([name, schema]) => `${JSON.stringify(name)}: ${JSON.stringify(schema)}`)
          .join(',\n')}\n}`
      : `${JSON.stringify(key)}: ${JSON.stringify(value)}`,
  )
  .join(',\n')}\n}\n`;
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(out, 'utf8');
  } catch {
    // missing: differs
  }
  if (committed !== text) {
    process.stderr.write(`${out} differs from what ${bundle.kubernetesVersion} serves\n`);
    process.exit(1);
  }
  process.stderr.write(`${out} is up to date\n`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  process.stderr.write(
    `${out}: ${Object.keys(bundle.kinds).length} kinds, ${Object.keys(bundle.schemas).length} schemas, ${text.length} bytes (Kubernetes ${bundle.kubernetesVersion})\n`,
  );
}
