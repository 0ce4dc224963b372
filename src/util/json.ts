// JSON output written in pieces. A fleet's report or render is megabytes of JSON: made as one
// string, it is held twice at the end of a run (the string, and the bytes written), which is
// where a no-op's memory peaked (docs/performance.md).

/** Containers above this depth are written piece by piece; deeper ones are stringified whole. */
const SPLIT_DEPTH = 4;
/** Arrays longer than this are stringified this many items at a time, not item by item. */
const BATCH = 256;
/** Text gathered before it is handed on: a few writes per megabyte, not one per piece. */
const FLUSH_AT = 64 * 1024;

/**
 * Writes exactly what `JSON.stringify(value, null, indent)` returns (compact for indent 0),
 * followed by a newline, in pieces of about FLUSH_AT characters. `value` must be
 * JSON-serialisable (no cycles, no BigInt).
 */
export function writeJson(value: unknown, indent: number, out: (text: string) => void): void {
  let pending = '';
  const write = (text: string) => {
    pending += text;
    if (pending.length >= FLUSH_AT) {
      out(pending);
      pending = '';
    }
  };
  writeValue(value, 0, indent, write);
  out(`${pending}\n`);
}

function writeValue(value: unknown, depth: number, indent: number, write: (text: string) => void): void {
  if (depth >= SPLIT_DEPTH || !isPlainContainer(value)) return write(stringifyAt(value, depth, indent));
  if (Array.isArray(value) && value.length > BATCH) return writeBatches(value, depth, indent, write);
  const [start, end] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  // An array's items as members without keys.
  const members: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((item: unknown) => [undefined, omitted(item) ? null : item])
    : Object.entries(value).filter(([, v]) => !omitted(v));
  if (members.length === 0) return write(start + end);
  const close = lineStart(depth, indent);
  const open = lineStart(depth + 1, indent);
  write(start);
  members.forEach(([key, v], i) => {
    const label = key === undefined ? '' : `${JSON.stringify(key)}:${indent === 0 ? '' : ' '}`;
    write(`${i === 0 ? '' : ','}${open}${label}`);
    writeValue(v, depth + 1, indent, write);
  });
  write(close + end);
}

/** A long array, BATCH items stringified at a time. */
function writeBatches(items: unknown[], depth: number, indent: number, write: (text: string) => void): void {
  write('[');
  for (let i = 0; i < items.length; i += BATCH)
    write(`${i === 0 ? '' : ','}${itemsAt(items.slice(i, i + BATCH), depth + 1, indent)}`);
  write(`${lineStart(depth, indent)}]`);
}

/** The line break and indentation before something at `depth`: nothing when compact. */
function lineStart(depth: number, indent: number): string {
  return indent === 0 ? '' : `\n${' '.repeat(indent * depth)}`;
}

/**
 * JSON.stringify(value, null, indent) as it reads at `depth`: every line after the first indented
 * `depth` levels. Made by stringifying the value inside `depth` arrays and cutting them off again,
 * which costs a slice; re-indenting the text line by line cost ten times JSON.stringify itself.
 */
function stringifyAt(value: unknown, depth: number, indent: number): string {
  if (depth === 0 || indent === 0) return JSON.stringify(value, null, indent) ?? 'null';
  const text = JSON.stringify(nested(value, depth), null, indent);
  const wrap = wrapLength(depth, indent);
  return text.slice(wrap + indent * depth, text.length - wrap);
}

/**
 * `items` as they read inside an array at depth - 1, comma-separated: each on its own indented
 * line, starting with the line break before the first.
 */
function itemsAt(items: unknown[], depth: number, indent: number): string {
  if (indent === 0) return JSON.stringify(items).slice(1, -1);
  const text = JSON.stringify(nested(items, depth - 1), null, indent);
  const wrap = wrapLength(depth, indent);
  return text.slice(wrap - 1, text.length - wrap);
}

/** `value` inside `levels` arrays. */
function nested(value: unknown, levels: number): unknown {
  let out = value;
  for (let i = 0; i < levels; i++) out = [out];
  return out;
}

/**
 * The length of the opening lines of `levels` arrays (`[` and its line break, indented), which is
 * also the length of their closing lines (a line break, the indentation and `]`).
 */
function wrapLength(levels: number, indent: number): number {
  let length = 0;
  for (let k = 0; k < levels; k++) length += indent * k + 2;
  return length;
}

/** An array or a plain object without a toJSON of its own: what is safe to write member by member. */
function isPlainContainer(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/** What JSON.stringify leaves out of an object (and prints as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
