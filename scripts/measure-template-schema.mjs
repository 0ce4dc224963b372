// Measures how large a federated CRD gets when the target's schema is embedded in spec.template
// (from the server's OpenAPI v3), against the open-object template kubefedctl uses.
// Usage: node scripts/measure-template-schema.mjs KUBECONFIG CONTEXT group/version Kind [...]
// Prints one line per type. See docs/adr/0002-open-template-schema.md.
import { ClientFactory } from '../dist/src/kube/factory.js';
import { federatedCrd } from '../dist/src/federation/federated-crd.js';
import { typeConfigFor } from '../dist/src/federation/typeconfig.js';

const [kubeconfig, context, ...pairs] = process.argv.slice(2);
const factory = new ClientFactory({ kubeconfig, requestTimeoutMs: 30_000 });
const client = factory.forContext(context);
const index = await client.call({
  method: 'GET',
  path: '/openapi/v3',
  intent: { verb: 'get', resource: '/openapi/v3' },
});

function inline(schema, components, seen = new Set(), depth = 0) {
  if (depth > 400) throw new Error(`schema nests deeper than 400 levels: ${[...seen].join(' > ')}`);
  if (Array.isArray(schema)) return schema.map((s) => inline(s, components, seen, depth + 1));
  if (!schema || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop();
    if (seen.has(name)) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }; // recursive types (JSONSchemaProps)
    const { $ref: _r, ...rest } = schema;
    return {
      ...inline(components[name], components, new Set([...seen, name]), depth + 1),
      ...inline(rest, components, seen, depth + 1),
    };
  }
  if (schema.allOf && schema.allOf.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...inline(allOf[0], components, seen, depth + 1), ...inline(rest, components, seen, depth + 1) };
  }
  const out = {};
  for (const [k, v] of Object.entries(schema))
    if (k !== 'status' || typeof v !== 'object' || v.type) out[k] = inline(v, components, seen, depth + 1);
  delete out['x-kubernetes-group-version-kind'];
  if (out.properties) delete out.properties.status;
  return out;
}

for (let i = 0; i < pairs.length; i += 2) {
  const gv = pairs[i];
  const kind = pairs[i + 1];
  const path = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
  const doc = await client.call({
    method: 'GET',
    path: index.paths[path].serverRelativeURL,
    intent: { verb: 'get', resource: path },
  });
  const components = doc.components.schemas;
  const [name] = Object.entries(components).find(([, s]) =>
    (s['x-kubernetes-group-version-kind'] ?? []).some(
      (g) => g.kind === kind && `${g.group ? `${g.group}/` : ''}${g.version}` === gv,
    ),
  );
  const template = inline(components[name], components);
  delete template.properties?.apiVersion;
  delete template.properties?.kind;
  const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
  const ftc = typeConfigFor({ group, version, kind, plural: `${kind.toLowerCase()}s`, namespaced: true });
  const open = federatedCrd(ftc, { targetShortNames: [], scalable: true });
  const embedded = structuredClone(open);
  embedded.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.template = {
    type: 'object',
    ...template,
  };
  const kb = (o) => (Buffer.byteLength(JSON.stringify(o)) / 1024).toFixed(1);
  console.log(
    `${gv} ${kind}: federated CRD ${kb(open)} KiB with an open template, ${kb(embedded)} KiB with the schema embedded (template schema alone ${kb(template)} KiB)`,
  );
}
factory.closeAll();
