// The protobuf reader of metadata lists: messages built here field by field as the API server
// writes them, and broken ones. test/integration/run-record.test.ts compares it with the JSON
// of real API servers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMetadataList } from '../../src/kube/protobuf-metadata.js';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A length-delimited field. */
function field(number: number, body: number[] | string): number[] {
  const bytes = typeof body === 'string' ? [...Buffer.from(body, 'utf8')] : body;
  return [...varint(number * 8 + 2), ...varint(bytes.length), ...bytes];
}

/** A varint field. */
function number(n: number, value: number): number[] {
  return [...varint(n * 8), ...varint(value)];
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

function envelope(list: number[]): Uint8Array {
  const typeMeta = [...field(1, 'meta.k8s.io/v1'), ...field(2, 'PartialObjectMetadataList')];
  return Uint8Array.from([
    ...MAGIC,
    ...field(1, typeMeta),
    ...field(2, list),
    ...field(4, 'application/vnd.kubernetes.protobuf'),
  ]);
}

function item(meta: { name: string; namespace?: string; uid: string; rv: string }): number[] {
  const objectMeta = [
    ...field(1, meta.name),
    // The API server writes an empty namespace for a cluster-scoped object.
    ...(meta.namespace !== undefined ? field(3, meta.namespace) : []),
    ...field(5, meta.uid),
    ...field(6, meta.rv),
    ...number(7, 3), // generation
    ...field(11, [...field(1, 'app'), ...field(2, 'web')]), // a label
    // managedFields: skipped whole
    ...field(17, [...field(1, 'kubefedctl'), ...field(2, 'Apply'), ...field(7, '{"f:data":{}}')]),
  ];
  return field(2, field(1, objectMeta));
}

describe('protobuf metadata lists', () => {
  it("reads each item's uid and resourceVersion, and the list's continue", () => {
    const listMeta = field(1, [...field(2, '4711'), ...field(3, 'next-page'), ...number(4, 12)]);
    const bytes = envelope([
      ...listMeta,
      ...item({ name: 'a', namespace: 'shop', uid: 'u-1', rv: '10' }),
      ...item({ name: 'cluster-scoped', namespace: '', uid: 'ünïcode-2', rv: '11' }),
    ]);
    assert.deepEqual(decodeMetadataList(bytes), {
      items: [
        { uid: 'u-1', resourceVersion: '10' },
        { uid: 'ünïcode-2', resourceVersion: '11' },
      ],
      continue: 'next-page',
      resourceVersion: '4711',
    });
  });

  it('an empty list, and a last page (no continue)', () => {
    assert.deepEqual(decodeMetadataList(envelope([])), { items: [] });
    assert.deepEqual(decodeMetadataList(envelope(field(1, [...field(2, '5'), ...field(3, '')]))), {
      items: [],
      resourceVersion: '5',
    });
  });

  it('long fields: lengths past one byte of varint', () => {
    const uid = 'u'.repeat(300);
    const decoded = decodeMetadataList(envelope(item({ name: 'n'.repeat(20_000), uid, rv: '1' })));
    assert.equal(decoded.items[0]!.uid, uid);
    assert.equal(decoded.items[0]!.resourceVersion, '1');
  });

  it('refuses what is not a whole Kubernetes protobuf message', () => {
    const good = envelope(item({ name: 'a', uid: 'u', rv: '1' }));
    assert.throws(() => decodeMetadataList(Uint8Array.from(Buffer.from('{"items":[]}'))), /not a Kubernetes protobuf/);
    assert.throws(() => decodeMetadataList(good.subarray(0, good.length - 3)), /runs past|truncated/);
    assert.throws(() => decodeMetadataList(Uint8Array.from([...MAGIC, 0x0b])), /wire type 3/);
    const badText = envelope(field(1, field(2, [0xff, 0xfe])));
    assert.throws(
      () => decodeMetadataList(badText),
      (e) => e instanceof TypeError,
      'not UTF-8',
    );
  });
});
