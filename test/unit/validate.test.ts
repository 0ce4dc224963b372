// Validation of federated objects before anything is written: one message per problem, naming the field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELETE_OPTIONS_ANNOTATION } from '../../src/api/kubefed.js';
import type { FederatedTypeConfig } from '../../src/federation/typeconfig.js';
import { checkFederatedObject, validateFederatedObject } from '../../src/federation/validate.js';
import { settle, validateModeOf } from '../../src/util/validate-mode.js';
import { CLUSTER_ROLES, CONFIGMAPS, NAMESPACES } from '../type-configs.js';

function federated(
  ftc: FederatedTypeConfig,
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'obj', namespace: 'ns' },
): unknown {
  return { apiVersion: 'types.kubefed.io/v1beta1', kind: ftc.spec.federatedType.kind, metadata, spec };
}

const cm = (spec: Record<string, unknown>, metadata?: Record<string, unknown>): unknown =>
  federated(CONFIGMAPS, spec, metadata);

describe('validateFederatedObject', () => {
  it('a well-formed object has no issues', () => {
    const doc = cm({
      template: { data: { a: '1' } },
      placement: {
        clusters: [{ name: 'c1' }],
        clusterSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
      },
      overrides: [
        {
          clusterName: 'c1',
          clusterOverrides: [
            { path: '/data/a', value: '2' },
            { op: 'add', path: '/data/b', value: '3' },
          ],
        },
      ],
    });
    assert.deepEqual(validateFederatedObject(doc, CONFIGMAPS), []);
  });

  const rows: { rule: string; ftc?: FederatedTypeConfig; doc: unknown; want: string[] }[] = [
    {
      rule: 'placement.clusters must be a list',
      doc: cm({ placement: { clusters: { name: 'c1' } } }),
      want: ['spec.placement.clusters: must be array'],
    },
    {
      rule: 'placement.clusters as a string is the wrong type',
      doc: cm({ placement: { clusters: 'c1' } }),
      want: ['spec.placement.clusters: must be array'],
    },
    {
      rule: 'placement.clusterSelector must be an object',
      doc: cm({ placement: { clusterSelector: ['env=prod'] } }),
      want: ['spec.placement.clusterSelector: must be object'],
    },
    {
      rule: 'placement itself must be an object',
      doc: cm({ placement: 'everywhere' }),
      want: ['spec.placement: must be object'],
    },
    {
      rule: 'an override op outside add/remove/replace is rejected',
      doc: cm({ overrides: [{ clusterName: 'c1', clusterOverrides: [{ op: 'move', path: '/data/a' }] }] }),
      want: ['spec.overrides[0].clusterOverrides[0].op: must match pattern "^(add|remove|replace)?$"'],
    },
    {
      rule: 'a forbidden override path is rejected',
      doc: cm({ overrides: [{ clusterName: 'c1', clusterOverrides: [{ path: '/metadata/name', value: 'x' }] }] }),
      want: ['spec.overrides[0].clusterOverrides[0].path: /metadata/name cannot be overridden'],
    },
    {
      rule: 'overriding kind is rejected',
      doc: cm({ overrides: [{ clusterName: 'c1', clusterOverrides: [{ path: '/kind', value: 'Secret' }] }] }),
      want: ['spec.overrides[0].clusterOverrides[0].path: /kind cannot be overridden'],
    },
    {
      rule: 'a duplicate override cluster is rejected',
      doc: cm({ overrides: [{ clusterName: 'c1' }, { clusterName: 'c1' }] }),
      want: ['spec.overrides[1]: cluster "c1" appears more than once'],
    },
    {
      rule: 'a namespaced type needs a namespace',
      doc: cm({}, { name: 'obj' }),
      want: ['metadata.namespace: is required for a namespaced federated type'],
    },
    {
      rule: 'a FederatedNamespace must be named after its namespace',
      ftc: NAMESPACES,
      doc: federated(NAMESPACES, {}, { name: 'team-a', namespace: 'team-b' }),
      want: ['metadata.name: a FederatedNamespace must be named after the namespace it lives in ("team-b")'],
    },
    {
      rule: 'an unknown selector operator is rejected',
      doc: cm({
        placement: { clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['x'] }] } },
      }),
      want: [
        'spec.placement.clusterSelector: has an unknown operator "Equals" (want In, NotIn, Exists or DoesNotExist)',
      ],
    },
    {
      rule: 'an unknown selector operator is rejected even next to matchLabels',
      doc: cm({
        placement: {
          clusterSelector: {
            matchLabels: { env: 'prod' },
            matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['x'] }],
          },
        },
      }),
      want: [
        'spec.placement.clusterSelector: has an unknown operator "Equals" (want In, NotIn, Exists or DoesNotExist)',
      ],
    },
    {
      rule: 'an In requirement without values is rejected',
      doc: cm({ placement: { clusterSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] } } }),
      want: ['spec.placement.clusterSelector: operator "In" on key "env" needs at least one value'],
    },
    {
      rule: 'a deleteoption annotation that is not JSON is rejected',
      doc: cm(
        {},
        { name: 'obj', namespace: 'ns', annotations: { [DELETE_OPTIONS_ANNOTATION]: '{propagationPolicy: Orphan' } },
      ),
      want: [`metadata.annotations: annotation ${DELETE_OPTIONS_ANNOTATION} is not valid JSON`],
    },
    {
      rule: 'a name that is not an RFC 1123 subdomain is rejected',
      doc: cm({}, { name: 'Bad_Name', namespace: 'ns' }),
      want: [
        "metadata.name: must be a lower-case RFC 1123 subdomain (letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)",
      ],
    },
    {
      rule: 'a template name different from the object name is rejected',
      doc: cm({ template: { metadata: { name: 'other' } } }),
      want: ['spec.template.metadata.name: must be left out (the name comes from the federated object)'],
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      assert.deepEqual(validateFederatedObject(row.doc, row.ftc ?? CONFIGMAPS), row.want);
    });
  }

  it('a FederatedNamespace named after its namespace is fine', () => {
    assert.deepEqual(
      validateFederatedObject(
        federated(NAMESPACES, { placement: { clusters: [] } }, { name: 'team', namespace: 'team' }),
        NAMESPACES,
      ),
      [],
    );
  });

  it('a valid deleteoption annotation is fine', () => {
    const doc = cm(
      {},
      { name: 'obj', namespace: 'ns', annotations: { [DELETE_OPTIONS_ANNOTATION]: '{"propagationPolicy":"Orphan"}' } },
    );
    assert.deepEqual(validateFederatedObject(doc, CONFIGMAPS), []);
  });

  it('several independent problems are all reported', () => {
    const doc = cm(
      {
        overrides: [{ clusterName: 'c1', clusterOverrides: [{ path: '/metadata/namespace', value: 'x' }] }],
        placement: { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } },
      },
      { name: 'obj', namespace: 'ns', annotations: { [DELETE_OPTIONS_ANNOTATION]: 'nope' } },
    );
    assert.equal(validateFederatedObject(doc, CONFIGMAPS).length, 3);
  });
});

describe('checkFederatedObject: unknown fields, names, labels, template identity', () => {
  const check = (doc: unknown, ftc: FederatedTypeConfig = CONFIGMAPS) => checkFederatedObject(doc, ftc);
  const strictRows: { rule: string; doc: unknown; want: string[] }[] = [
    {
      rule: 'a typo of placement is an unknown field with a suggestion',
      doc: cm({ placment: { clusters: [] } }),
      want: ['spec.placment: unknown field; did you mean "placement"?'],
    },
    {
      rule: 'a typo of overrides',
      doc: cm({ overides: [] }),
      want: ['spec.overides: unknown field; did you mean "overrides"?'],
    },
    {
      rule: 'metadata.lables: only ObjectMeta fields are allowed',
      doc: cm({}, { name: 'obj', namespace: 'ns', lables: { a: 'b' } }),
      want: ['metadata.lables: unknown field; did you mean "labels"?'],
    },
    {
      rule: 'an unknown field inside a placement cluster entry',
      doc: cm({ placement: { clusters: [{ name: 'c1', weight: 2 }] } }),
      want: ['spec.placement.clusters[0].weight: unknown field'],
    },
    {
      rule: 'a template of another API group',
      doc: cm({ template: { apiVersion: 'apps/v1' } }),
      want: [
        'spec.template.apiVersion: "apps/v1" is not in the API group of ConfigMap (""); leave apiVersion out or use v1',
      ],
    },
  ];
  for (const row of strictRows)
    it(row.rule, () => {
      const r = check(row.doc);
      assert.deepEqual(r.strict, row.want);
      assert.deepEqual(r.errors, []);
    });

  it('fields inside the template are not checked', () => {
    assert.deepEqual(check(cm({ template: { dataa: { x: '1' }, metadata: { lables: {} } } })).strict, []);
  });

  const errorRows: { rule: string; doc: unknown; want: string }[] = [
    {
      rule: 'a bad label key in metadata.labels',
      doc: cm({}, { name: 'obj', namespace: 'ns', labels: { 'a b': 'x' } }),
      want: 'metadata.labels: key "a b" must be a name of',
    },
    {
      rule: 'a label value that is too long',
      doc: cm({}, { name: 'obj', namespace: 'ns', labels: { a: 'x'.repeat(64) } }),
      want: 'metadata.labels.a: value',
    },
    {
      rule: 'a bad key in matchLabels',
      doc: cm({ placement: { clusterSelector: { matchLabels: { '-bad': 'x' } } } }),
      want: 'spec.placement.clusterSelector.matchLabels: key "-bad"',
    },
    {
      rule: 'a bad value in matchExpressions',
      doc: cm({
        placement: { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['x y'] }] } },
      }),
      want: 'spec.placement.clusterSelector.matchExpressions[0].values[0]: "x y"',
    },
    {
      rule: 'a placement cluster name that is not a name',
      doc: cm({ placement: { clusters: [{ name: 'Cluster_1' }] } }),
      want: 'spec.placement.clusters[0].name: must be a lower-case RFC 1123 subdomain',
    },
    {
      rule: 'a namespace that is not an RFC 1123 label',
      doc: cm({}, { name: 'obj', namespace: 'a.b' }),
      want: 'metadata.namespace: must be a lower-case RFC 1123 label',
    },
    {
      rule: 'a template of another kind',
      doc: cm({ template: { kind: 'Secret' } }),
      want: 'spec.template.kind: is "Secret", but a FederatedConfigMap holds a ConfigMap',
    },
    {
      rule: 'a missing name',
      doc: cm({}, { namespace: 'ns' }),
      want: 'metadata.name: is required',
    },
  ];
  for (const row of errorRows)
    it(row.rule, () => {
      const r = check(row.doc);
      assert.ok(
        r.errors.some((e) => e.startsWith(row.want)),
        `${JSON.stringify(r.errors)} has no line starting with ${row.want}`,
      );
    });

  it('null overrides are pruned, as an API server does', () => {
    const doc = cm({ overrides: null, placement: { clusters: null, clusterSelector: {} } });
    const r = check(doc);
    assert.deepEqual([r.errors, r.strict, r.warnings], [[], [], []]);
    assert.deepEqual(r.object.spec, { placement: { clusterSelector: {} } });
    assert.notEqual(r.object, doc, 'the input is not changed');
  });

  it('a namespace on a cluster-scoped object is a warning, and the object loses it', () => {
    const doc = federated(CLUSTER_ROLES, {}, { name: 'reader', namespace: 'ns' });
    const r = check(doc, CLUSTER_ROLES);
    assert.deepEqual(r.errors, []);
    assert.match(r.warnings[0] ?? '', /^metadata\.namespace: "ns" is ignored: FederatedClusterRole is cluster-scoped/);
    assert.deepEqual(r.object.metadata, { name: 'reader' });
  });

  it('a template namespace that differs is a warning', () => {
    const r = check(cm({ template: { metadata: { namespace: 'other' } } }));
    assert.deepEqual(r.errors, []);
    assert.match(r.warnings[0] ?? '', /^spec\.template\.metadata\.namespace: "other" is ignored/);
  });

  it('settle: strict findings are errors, warnings or nothing by --validate', () => {
    const f = { errors: ['e'], strict: ['s'], warnings: ['w'] };
    assert.deepEqual(settle(f, 'strict'), { errors: ['e', 's'], warnings: ['w'] });
    assert.deepEqual(settle(f, 'warn'), { errors: ['e'], warnings: ['s', 'w'] });
    assert.deepEqual(settle(f, 'ignore'), { errors: ['e'], warnings: ['w'] });
    assert.equal(validateModeOf('true'), 'strict');
    assert.equal(validateModeOf('false'), 'ignore');
  });
});
