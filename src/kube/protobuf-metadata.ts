// Reads the few fields a run record's check needs (engine/run-cache.ts) from a
// PartialObjectMetadataList in the API server's protobuf encoding, without decoding the rest:
// each item's name, namespace, uid and resourceVersion, and the list's continue token. The body is
// about a third of the JSON's size, and skipping managedFields without building them saves most
// of the decoding. Pure.
//
// The encoding (k8s.io/apimachinery runtime/serializer/protobuf and meta/v1 generated.proto):
// the 4 bytes "k8s\0", then a runtime.Unknown whose field 2 (raw) holds the list.
//   PartialObjectMetadataList: 1 metadata (ListMeta), 2 items (repeated PartialObjectMetadata)
//   ListMeta: 2 resourceVersion, 3 continue
//   PartialObjectMetadata: 1 metadata (ObjectMeta)
//   ObjectMeta: 1 name, 3 namespace, 5 uid, 6 resourceVersion

/** The content type of the API server's protobuf answers. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

export interface ItemVersion {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
}

export interface MetadataListVersions {
  items: ItemVersion[];
  continue?: string;
  resourceVersion?: string;
}

class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.bytes[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wire: key & 7 };
  }

  /** A length-delimited field's bounds, which the reader then moves past. */
  span(): { start: number; end: number } {
    const length = this.varint();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw new Error('field runs past its message');
    this.pos = end;
    return { start, end };
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.span();
    else if (wire === 5) this.advance(4);
    else throw new Error(`unsupported wire type ${wire}`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new Error('truncated field');
    this.pos += n;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array, { start, end }: { start: number; end: number }): string {
  return decoder.decode(bytes.subarray(start, end));
}

/** Calls `visit` with each field of the message in [start, end); length-delimited fields come as spans. */
function fields(
  bytes: Uint8Array,
  start: number,
  end: number,
  visit: (field: number, span: { start: number; end: number } | undefined) => void,
): void {
  const r = new Reader(bytes, start, end);
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire === 2) visit(field, r.span());
    else {
      r.skip(wire);
      visit(field, undefined);
    }
  }
}

function objectMeta(bytes: Uint8Array, start: number, end: number): ItemVersion {
  const item: ItemVersion = { name: '', uid: '', resourceVersion: '' };
  const r = new Reader(bytes, start, end);
  // The API server writes fields in number order, so nothing after resourceVersion (6) is read:
  // not the labels, annotations or managedFields, which are most of the bytes. (Fields in another
  // order would leave uid or resourceVersion empty: a record's check would then fail, never pass.)
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field > 6) break;
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    const span = r.span();
    if (field === 1) item.name = text(bytes, span);
    // '' for a cluster-scoped object.
    else if (field === 3 && span.end > span.start) item.namespace = text(bytes, span);
    else if (field === 5) item.uid = text(bytes, span);
    else if (field === 6) item.resourceVersion = text(bytes, span);
  }
  return item;
}

/**
 * Decodes a protobuf PartialObjectMetadataList answer. Throws on anything that is not one (no
 * magic, a truncated or malformed message), so the caller can refuse the answer.
 */
export function decodeMetadataList(bytes: Uint8Array): MetadataListVersions {
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('not a Kubernetes protobuf message');
  let raw: { start: number; end: number } | undefined;
  fields(bytes, MAGIC.length, bytes.length, (field, span) => {
    if (field === 2 && span) raw = span;
  });
  const out: MetadataListVersions = { items: [] };
  if (!raw) return out;
  fields(bytes, raw.start, raw.end, (field, span) => {
    if (!span) return;
    if (field === 1)
      fields(bytes, span.start, span.end, (f, s) => {
        if (s && f === 2) out.resourceVersion = text(bytes, s);
        else if (s && f === 3) out.continue = text(bytes, s);
      });
    else if (field === 2)
      fields(bytes, span.start, span.end, (f, s) => {
        if (s && f === 1) out.items.push(objectMeta(bytes, s.start, s.end));
      });
  });
  if (out.continue === '') delete out.continue;
  return out;
}
