// Printing objects as YAML, fast. `printYaml(v)` returns exactly what
// `stringify(v, { lineWidth: 0, aliasDuplicateObjects: false })` of the `yaml` package returns, but
// for JSON-like data (plain objects, arrays, strings, finite numbers, booleans, null) it writes the
// text directly instead of building a YAML document tree first, which costs ten times more. The
// rules below are the `yaml` package's own (stringify/stringifyString.js, stringifyPair.js,
// stringifyCollection.js, version 2), narrowed to block style with no line folding; anything they
// do not cover (control characters, keys that need an explicit `? `, multi-line quoted strings,
// undefined, class instances) is printed by the package itself. `test/unit/yaml-print.test.ts`
// compares the two on generated data. Shared sub-objects are printed in full each time: never an
// anchor or an alias, which kubectl and GitOps tools would have to expand.
import type { ScalarTag } from 'yaml';
import { yamlPackage } from '../util/yaml-package.js';

/** The `yaml` options printYaml matches: no line folding, no anchors for repeated objects. */
export const YAML_PRINT_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Thrown inside the fast path for what it does not cover; the `yaml` package prints it instead. */
class NotCovered extends Error {}
const NOT_COVERED = new NotCovered();

const INDENT_STEP = '  ';
/** Characters `yaml` prints double-quoted with escapes (stringifyString: "force double quotes"). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** What a plain scalar may not look like (stringifyString: plainString). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/**
 * First characters of the text the core schema reads as null, a boolean or a number (its tags' tests
 * all start so, or match the empty string): other text is a string, with no expression to run.
 */
const MAYBE_OTHER_TYPE = new Set([...'~nNtTfF0123456789+-.'].map((ch) => ch.charCodeAt(0)));

let otherTypes: RegExp[] | undefined;
/** True when a plain scalar with this text would be read back as something other than a string. */
function readsAsOtherType(s: string): boolean {
  if (s !== '' && !MAYBE_OTHER_TYPE.has(s.charCodeAt(0))) return false;
  otherTypes ??= (new (yamlPackage().Document)(null, YAML_PRINT_OPTIONS).schema.tags as ScalarTag[])
    .filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)
    .map((t) => t.test!);
  return otherTypes.some((re) => re.test(s));
}

/** `stringify(value, YAML_PRINT_OPTIONS)`, faster for JSON-like data. */
export function printYaml(value: unknown): string {
  if (isPlainObject(value)) {
    try {
      return `${collection(value, '')}\n`;
    } catch (error) {
      if (error !== NOT_COVERED) throw error;
    }
  }
  return yamlPackage().stringify(value, YAML_PRINT_OPTIONS);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A map or sequence in block style; `indent` is the collection's own (its continuation lines start there). */
function collection(v: Record<string, unknown> | unknown[], indent: string): string {
  let out = '';
  if (Array.isArray(v)) {
    const itemIndent = indent + INDENT_STEP;
    for (const item of v) {
      if (item === undefined) throw NOT_COVERED;
      out += `${out === '' ? '' : `\n${indent}`}- ${node(item, itemIndent)}`;
    }
    return out === '' ? '[]' : out;
  }
  const valueIndent = indent + INDENT_STEP;
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (value === undefined) continue; // as `yaml` does without keepUndefined
    out += `${out === '' ? '' : `\n${indent}`}${pair(key, value, valueIndent)}`;
  }
  return out === '' ? '{}' : out;
}

function pair(key: string, value: unknown, indent: string): string {
  if (key === '' || key.includes('\n')) throw NOT_COVERED;
  const k = scalarString(key, indent, true);
  if (k.length > 1024) throw NOT_COVERED; // `yaml` makes it an explicit key
  if (value !== null && typeof value === 'object') {
    const text = node(value, indent);
    return text === '{}' || text === '[]' ? `${k}: ${text}` : `${k}:\n${indent}${text}`;
  }
  return `${k}: ${node(value, indent)}`;
}

/** Any value at `indent` (the indent of its continuation lines). */
function node(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string':
      return scalarString(v, indent, false);
    case 'number':
      return number(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v) || isPlainObject(v)) return collection(v, indent);
      throw NOT_COVERED;
    default:
      throw NOT_COVERED;
  }
}

/** stringifyNumber. */
function number(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
  return Object.is(n, -0) ? '-0' : JSON.stringify(n);
}

/** plainString, for a string value (`key`: a mapping key, written on the key's line). */
function scalarString(s: string, indent: string, key: boolean): string {
  if (CONTROL.test(s)) throw NOT_COVERED;
  const multiLine = s.includes('\n');
  if (NOT_PLAIN.test(s)) return multiLine ? blockString(s, indent) : quoted(s);
  if (multiLine) return blockString(s, indent);
  if (key && indent === INDENT_STEP && DOCUMENT_MARKER.test(s)) return quoted(s);
  return readsAsOtherType(s) ? quoted(s) : s;
}

/** quotedString, for a string on one line. */
function quoted(s: string): string {
  if (s.includes('\n')) throw NOT_COVERED;
  const hasDouble = s.includes('"');
  // With no line break and no control character, `yaml`'s double-quoted form is JSON's.
  return hasDouble && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
}

/** blockString in literal style (`|`), as `yaml` chooses it when lines are never folded. */
function blockString(s: string, indent: string): string {
  if (/\n[\t ]+$/.test(s)) throw NOT_COVERED; // `yaml` double-quotes it over several lines
  const { body, end, chomp } = trailing(s, indent);
  const { start, rest, startWithSpace } = leading(body, indent);
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${rest.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/** The chomping indicator from the whitespace at the end, and that whitespace as printed. */
function trailing(s: string, indent: string): { body: string; end: string; chomp: string } {
  let endStart = s.length;
  for (; endStart > 0; --endStart) {
    const ch = s[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = s.substring(endStart);
  const endNlPos = end.indexOf('\n');
  const chomp = endNlPos === -1 ? '-' : s === end || endNlPos !== end.length - 1 ? '+' : '';
  if (!end) return { body: s, end, chomp };
  const body = s.slice(0, -end.length);
  if (end.endsWith('\n')) end = end.slice(0, -1);
  return { body, end: end.replace(BLOCK_END_NEWLINES, `$&${indent}`), chomp };
}

/** Leading spaces and line breaks, which need an indentation indicator. */
function leading(value: string, indent: string): { start: string; rest: string; startWithSpace: boolean } {
  let startWithSpace = false;
  let startEnd = 0;
  let startNlPos = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  const start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (!start) return { start, rest: value, startWithSpace };
  return { start: start.replace(/\n+/g, `$&${indent}`), rest: value.substring(start.length), startWithSpace };
}
