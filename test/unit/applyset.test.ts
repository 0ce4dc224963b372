// The ApplySet rules of src/federation/applyset.ts: the --applyset syntax, the set's ID (vectors
// read from parents kubectl 1.32 created), derived names, reading a parent, and which listed
// members a prune deletes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/objects.js';
import {
  applySetId,
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_NAMESPACES_ANNOTATION,
  APPLYSET_TOOLING_ANNOTATION,
  ApplySetError,
  decidePrunes,
  derivedApplySetName,
  groupKindOf,
  memberKey,
  parentObject,
  parentRecords,
  parseApplySetRef,
  readParent,
  type ApplySetParentRef,
} from '../../src/federation/applyset.js';

const secretRef = (name: string, namespace = 'default'): ApplySetParentRef => ({
  resource: 'secrets',
  kind: 'Secret',
  name,
  namespace,
});

describe('parseApplySetRef', () => {
  it('reads NAME as a Secret and RESOURCE/NAME for Secrets and ConfigMaps, as kubectl does', () => {
    assert.deepEqual(parseApplySetRef('apps', 'shop'), secretRef('apps', 'shop'));
    assert.deepEqual(parseApplySetRef('secrets/apps', 'shop'), secretRef('apps', 'shop'));
    assert.deepEqual(parseApplySetRef('secret/apps', 'shop'), secretRef('apps', 'shop'));
    for (const value of ['configmaps/apps', 'configmap/apps', 'cm/apps', 'ConfigMaps/apps'])
      assert.deepEqual(parseApplySetRef(value, 'shop'), {
        resource: 'configmaps',
        kind: 'ConfigMap',
        name: 'apps',
        namespace: 'shop',
      });
  });

  it('refuses other parent types and names that are not DNS subdomains', () => {
    assert.throws(() => parseApplySetRef('deployments.apps/x', 'd'), /must be a Secret or a ConfigMap/);
    assert.throws(
      () => parseApplySetRef('Bad_Name', 'd'),
      (e: unknown) => {
        assert.ok(e instanceof ApplySetError);
        assert.match(e.message, /the name "Bad_Name"/);
        return true;
      },
    );
    assert.throws(() => parseApplySetRef('secrets/', 'd'), /the name ""/);
  });
});

describe('applySetId', () => {
  it('is the ID kubectl 1.32 gives the same parent', () => {
    // `KUBECTL_APPLYSET=true kubectl apply -n default --server-side --prune --applyset=kset` (and
    // `--applyset=configmaps/kset2`) on a test cluster labelled the parents with these IDs.
    assert.equal(applySetId(secretRef('kset')), 'applyset-GjgIXczw14vNr48YfmbBYd6MxZmk2FHdIUuEQkPpkWk-v1');
    assert.equal(
      applySetId({ resource: 'configmaps', kind: 'ConfigMap', name: 'kset2', namespace: 'default' }),
      'applyset-MP2EKyhs-B-bpZzp5tuP76bIfwB3URfi66d8lgTMOMY-v1',
    );
  });

  it('differs by name, namespace and kind', () => {
    const ids = new Set([
      applySetId(secretRef('a')),
      applySetId(secretRef('b')),
      applySetId(secretRef('a', 'other')),
      applySetId({ ...secretRef('a'), resource: 'configmaps', kind: 'ConfigMap' }),
    ]);
    assert.equal(ids.size, 4);
  });
});

describe('derivedApplySetName', () => {
  it('names the set after the -f arguments, whatever their order or trailing slashes', () => {
    const name = derivedApplySetName(['apps/shop/', 'base']);
    assert.match(name, /^kubefedctl-[0-9a-f]{10}$/);
    assert.equal(derivedApplySetName(['base', 'apps/shop']), name);
    assert.equal(derivedApplySetName(['./base', 'apps//shop']), name);
    assert.notEqual(derivedApplySetName(['apps/shop']), name);
  });

  it('cannot name a set after standard input', () => {
    assert.throws(() => derivedApplySetName(['-']), /give it a name with --applyset NAME/);
  });
});

describe('groupKindOf and memberKey', () => {
  it('writes the core group as the bare kind', () => {
    assert.equal(groupKindOf({ apiVersion: 'v1', kind: 'ConfigMap' }), 'ConfigMap');
    assert.equal(groupKindOf({ apiVersion: 'apps/v1', kind: 'Deployment' }), 'Deployment.apps');
    assert.equal(memberKey('Namespace', { name: 'shop' }), 'Namespace shop');
    assert.equal(memberKey('ConfigMap', { name: 'a', namespace: 'shop' }), 'ConfigMap shop/a');
  });
});

function parent(annotations: Record<string, string>, id = applySetId(secretRef('apps'))): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'apps', namespace: 'default', labels: { [APPLYSET_ID_LABEL]: id }, annotations },
  };
}

describe('readParent', () => {
  const ref = secretRef('apps');

  it('takes a missing parent as an empty set', () => {
    assert.deepEqual(readParent(ref, undefined), { exists: false, groupKinds: [], namespaces: ['default'] });
  });

  it('reads kinds and namespaces of a parent kubectl or kubefedctl wrote', () => {
    for (const tooling of ['kubectl/v1.32.4', 'kubectl/v1.32.0+kubefedctl'])
      assert.deepEqual(
        readParent(
          ref,
          parent({
            [APPLYSET_TOOLING_ANNOTATION]: tooling,
            [APPLYSET_GROUP_KINDS_ANNOTATION]: 'ConfigMap,Deployment.apps',
            [APPLYSET_NAMESPACES_ANNOTATION]: 'web,shop',
          }),
        ),
        { exists: true, groupKinds: ['ConfigMap', 'Deployment.apps'], namespaces: ['default', 'shop', 'web'] },
      );
  });

  it('refuses a parent of another tool, of another set, or an object that is no parent', () => {
    assert.throws(
      () => readParent(ref, parent({ [APPLYSET_TOOLING_ANNOTATION]: 'helm/v3' })),
      /managed by "helm", not by kubectl or kubefedctl/,
    );
    assert.throws(
      () => readParent(ref, parent({ [APPLYSET_TOOLING_ANNOTATION]: 'kubectl/v1.32.0' }, 'applyset-x-v1')),
      /has applyset.kubernetes.io\/id=applyset-x-v1, not the ID of this set/,
    );
    assert.throws(() => readParent(ref, parent({})), /is not an ApplySet parent/);
  });
});

describe('parentObject and parentRecords', () => {
  const ref = secretRef('apps');

  it('lists kinds sorted and namespaces other than its own', () => {
    const p = parentObject(ref, ['Service', 'ConfigMap', 'Service'], ['shop', 'default', 'api']);
    assert.deepEqual(p.metadata.annotations, {
      [APPLYSET_TOOLING_ANNOTATION]: 'kubectl/v1.32.0+kubefedctl',
      [APPLYSET_GROUP_KINDS_ANNOTATION]: 'ConfigMap,Service',
      [APPLYSET_NAMESPACES_ANNOTATION]: 'api,shop',
    });
    assert.equal(p.metadata.labels?.[APPLYSET_ID_LABEL], applySetId(ref));
  });

  it('needs no write when the live parent records the same, whoever wrote it', () => {
    const live = parentObject(ref, ['ConfigMap'], ['shop']);
    live.metadata.annotations![APPLYSET_TOOLING_ANNOTATION] = 'kubectl/v1.32.4';
    assert.equal(parentRecords(live, ref, ['ConfigMap'], ['default', 'shop']), true);
    assert.equal(parentRecords(live, ref, ['ConfigMap', 'Service'], ['shop']), false);
    assert.equal(parentRecords(live, ref, ['ConfigMap'], []), false);
    assert.equal(parentRecords(undefined, ref, [], []), false);
  });
});

const member = (kind: string, name: string, namespace?: string, labels: Record<string, string> = {}): KubeObject => ({
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), labels },
});
const managed = { 'kubefed.io/managed': 'true' };

describe('decidePrunes', () => {
  it('prunes managed members the input no longer has, namespaces last', () => {
    const decisions = decidePrunes(
      [
        { groupKind: 'Namespace', object: member('Namespace', 'old', undefined, managed) },
        { groupKind: 'ConfigMap', object: member('ConfigMap', 'keep', 'shop', managed) },
        { groupKind: 'ConfigMap', object: member('ConfigMap', 'gone', 'shop', managed) },
        { groupKind: 'Deployment.apps', object: member('Deployment', 'web', 'old', managed) },
      ],
      new Set(['ConfigMap shop/keep']),
    );
    assert.deepEqual(
      decisions.map((d) => [memberKey(d.groupKind, d.object.metadata), d.prune]),
      [
        ['ConfigMap shop/gone', true],
        ['Deployment.apps old/web', true],
        ['Namespace old', true],
      ],
    );
  });

  it('leaves members that are not managed, or managed=false, with the reason', () => {
    const decisions = decidePrunes(
      [
        { groupKind: 'ConfigMap', object: member('ConfigMap', 'by-hand', 'shop') },
        { groupKind: 'ConfigMap', object: member('ConfigMap', 'off', 'shop', { 'kubefed.io/managed': 'false' }) },
      ],
      new Set(),
    );
    assert.deepEqual(
      decisions.map((d) => d.prune),
      [false, false],
    );
    assert.match(decisions[0]?.reason ?? '', /not managed by kubefedctl/);
  });

  it('skips members already being deleted, and a member of the same name in another kind is not the input’s', () => {
    const deleting = member('ConfigMap', 'x', 'shop', managed);
    deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    const decisions = decidePrunes(
      [
        { groupKind: 'ConfigMap', object: deleting },
        { groupKind: 'Secret', object: member('Secret', 'a', 'shop', managed) },
      ],
      new Set(['ConfigMap shop/a']),
    );
    assert.deepEqual(
      decisions.map((d) => memberKey(d.groupKind, d.object.metadata)),
      ['Secret shop/a'],
    );
  });
});
