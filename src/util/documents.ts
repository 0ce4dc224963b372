// Reading YAML/JSON documents from files, folders (-R) and stdin. JSON and YAML follow one set of
// rules (UTF-8, no control characters, no duplicate or empty keys, bounded nesting and aliases,
// every document an object), and every refusal names the file, line, column and document.
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Document, YAMLError } from 'yaml';
import { UserError, ValidationError } from '../errors.js';
import { NOT_READ, readFastYaml } from './yaml-fast.js';
import { yamlPackage } from './yaml-package.js';

/** One document and where it came from. */
export interface SourcedDocument {
  /** File path, or "<stdin>". */
  file: string;
  /** 1-based position of the document in its file. */
  index: number;
  /** 1-based line where the document's content starts (after `---`, comments and blank lines). */
  line: number;
  doc: unknown;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Deeper nesting is refused, in JSON and YAML alike (the YAML parser itself runs out of stack near 800). */
export const MAX_DEPTH = 500;
/** Aliases a YAML document may expand; more is refused as a resource-exhaustion attack (the `yaml` default). */
export const MAX_ALIAS_COUNT = 100;
/** Issues reported per file; the rest are counted. */
const MAX_ISSUES = 20;

/** "file (document N, line L)" for messages. */
export function describeSource(d: Pick<SourcedDocument, 'file' | 'index' | 'line'>): string {
  return `${d.file}:${d.line} (document ${d.index})`;
}

/** A problem at an offset of a file's text. */
interface Issue {
  at: number;
  doc?: number;
  message: string;
  hint?: string;
  /** Another place the message refers to: where a repeated key first appeared, where an object opened. */
  related?: { at: number; what: string };
}

/** The outcome of reading one file: its documents, or its issues formatted as `file:line:col (document N): …`. */
interface FileResult {
  file: string;
  docs: SourcedDocument[];
  issues: string[];
  hints: string[];
  /** Whether some issue is about the syntax (rather than documents that are not objects). */
  syntax: boolean;
}

const HINTS = {
  duplicate: 'a key may appear once in each mapping: remove one of them or merge them',
  key: 'every key must be a non-empty string',
  control:
    'remove the character, or write it as an escape in a double-quoted string (for example "\\u0007"); only tab, line feed and carriage return may appear as they are',
  encoding: 'save the file as UTF-8',
  notObject:
    'each document (documents are separated by a line "---") must be one object with apiVersion and kind; several objects go in several documents or in the items of a kind: List',
  json: 'a document that starts with { or [ is read as JSON, as kubectl does: fix the JSON, or write the document as YAML',
  tab: 'indent with spaces: YAML does not allow tabs for indentation',
  aliases: `an alias (*name) repeats what its anchor holds, and a document may expand at most ${MAX_ALIAS_COUNT} of them: write the repeated parts out, or use fewer aliases`,
  depth: `documents may be nested at most ${MAX_DEPTH} levels deep`,
  yaml: 'YAML is read with its 1.2 core schema; check the syntax at that place',
} as const;

/** Hints for the errors of the `yaml` parser, by code. */
const YAML_HINTS: Partial<Record<YAMLError['code'], string>> = {
  MISSING_CHAR: 'a closing quote or bracket, a ": " or a line break is missing there or before',
  BAD_INDENT: 'the keys of one mapping line up, and what belongs to a key is indented further',
  BLOCK_AS_IMPLICIT_KEY: 'the keys of one mapping line up, and what belongs to a key is indented further',
  MULTILINE_IMPLICIT_KEY: 'a key must be on one line: is a ": " or an indentation step missing on the line before?',
  DUPLICATE_KEY: 'a key may appear once in each mapping: remove one of them or merge them',
};

/**
 * Whether documents may be read by the fast paths (JSON.parse, readFastYaml), which give the strict
 * readers' values and leave every issue to them. Off only in tests that compare the two.
 */
let fastPaths = true;

/**
 * Parses a stream of YAML or JSON documents; empty documents are skipped, and a v1 List stands for
 * its items. Throws a ValidationError whose issues name the file, line, column and document.
 * `strictOnly` reads every document with the strict readers (for tests: the results are the same).
 */
export function parseDocuments(text: string, file: string, opts: { strictOnly?: boolean } = {}): SourcedDocument[] {
  fastPaths = !opts.strictOnly;
  try {
    const result = parseText(text, file);
    if (result.issues.length > 0) throw invalidInput([result]);
    return result.docs;
  } finally {
    fastPaths = true;
  }
}

/**
 * Reads `-f` arguments: files, folders (their .yaml/.yml/.json files; subfolders with -R) and "-" for
 * stdin. A file-system error is a UserError naming the path; the issues of every file are reported
 * together in one ValidationError. Nothing is returned unless every file is valid.
 */
export function readDocuments(
  paths: string[],
  opts: { recursive?: boolean; stdin?: () => string | Buffer } = {},
): SourcedDocument[] {
  return parseInputs(readInputs(paths, opts));
}

/** One input file's bytes as read, before parsing. */
export interface InputFile {
  file: string;
  content: string | Buffer;
}

/** The bytes readDocuments parses, file by file (stdin once); file-system errors as readDocuments throws them. */
export function readInputs(
  paths: string[],
  opts: { recursive?: boolean; stdin?: () => string | Buffer } = {},
): InputFile[] {
  const inputs: InputFile[] = [];
  for (const p of paths) {
    if (p === '-') inputs.push({ file: '<stdin>', content: readStdin(opts.stdin) });
    else for (const file of manifestFiles(p, opts.recursive ?? false)) inputs.push({ file, content: readFile(file) });
  }
  return inputs;
}

/** Parses what readInputs read; nothing is returned unless every file is valid. */
export function parseInputs(inputs: readonly InputFile[]): SourcedDocument[] {
  const results = inputs.map((i) => parseInput(i.content, i.file));
  const bad = results.filter((r) => r.issues.length > 0);
  if (bad.length > 0) throw invalidInput(bad);
  return results.flatMap((r) => r.docs);
}

function invalidInput(bad: FileResult[]): ValidationError {
  const what = bad.some((r) => r.syntax) ? 'not valid YAML or JSON' : 'not made of objects';
  const message =
    bad.length === 1
      ? `${bad[0]!.file} is ${what}`
      : `${bad.length} input files are ${what}: ${bad.map((r) => r.file).join(', ')}`;
  const hints = [...new Set(bad.flatMap((r) => r.hints))].slice(0, 3);
  return new ValidationError(
    message,
    bad.flatMap((r) => r.issues),
    hints.length > 0 ? hints.join('; ') : undefined,
  );
}

// ---- files, folders and stdin ----

/** node:fs error codes in words. */
const FS_REASONS: Record<string, { reason: string; hint?: string }> = {
  ENOENT: { reason: 'no such file or directory', hint: '-f takes files, folders, or - for stdin' },
  EACCES: { reason: 'permission denied', hint: 'check the permissions of the file and of its folders' },
  EPERM: { reason: 'permission denied', hint: 'check the permissions of the file and of its folders' },
  EISDIR: { reason: 'is a directory, not a file' },
  ENOTDIR: { reason: 'a part of the path is not a directory' },
  ELOOP: { reason: 'too many levels of symbolic links' },
  EAGAIN: { reason: 'no input is ready (stdin is non-blocking)', hint: 'pipe or redirect the input into the command' },
  ERR_FS_FILE_TOO_LARGE: { reason: 'the file is too large to read (over 2 GiB)' },
};

function fsError(path: string, error: unknown): UserError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const known = typeof code === 'string' ? FS_REASONS[code] : undefined;
  if (known) return new UserError(`${path}: ${known.reason}`, known.hint);
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : 'unknown error';
  return new UserError(`${path}: cannot be read (${detail})`);
}

function readFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw fsError(file, error);
  }
}

function readStdin(stdin: (() => string | Buffer) | undefined): string | Buffer {
  try {
    return stdin ? stdin() : readFileSync(0);
  } catch (error) {
    throw fsError('<stdin>', error);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    throw fsError(path, error);
  }
}

function entriesOf(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    throw fsError(dir, error);
  }
}

/** The files an -f argument stands for: itself, or a folder's manifests (sorted; subfolders with -R). */
function manifestFiles(path: string, recursive: boolean): string[] {
  if (!isDirectory(path)) return [path];
  const files: string[] = [];
  let skipped = 0;
  const walk = (dir: string): void => {
    for (const entry of entriesOf(dir)) {
      const child = join(dir, entry);
      if (!isDirectory(child)) {
        if (MANIFEST_EXTENSIONS.has(extname(entry))) files.push(child);
      } else if (recursive) walk(child);
      else skipped++;
    }
  };
  walk(path);
  if (files.length > 0) return files;
  if (skipped === 0) throw new UserError(`${path}: the folder holds no .yaml, .yml or .json file`);
  throw new UserError(
    `${path}: the folder holds no .yaml, .yml or .json file, only ${skipped} folder(s), which are read with -R`,
    '-R (--recursive) also reads the folders inside a folder',
  );
}

// ---- bytes to text ----

function parseInput(input: string | Buffer, file: string): FileResult {
  if (typeof input === 'string') return parseText(input, file);
  const issue = encodingIssue(input);
  if (issue) return { file, docs: [], issues: [`${file}:${issue}`], hints: [HINTS.encoding], syntax: true };
  return parseText(input.toString('utf8'), file);
}

/** "line:col: message" for input that is not UTF-8, or undefined. */
function encodingIssue(bytes: Buffer): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return '1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark), and only UTF-8 is read';
  if (isUtf8(bytes)) return undefined;
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `${line}:${at - lineStart + 1}: not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')})`;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (the end if all do). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  for (let n = sequenceLength(b, i); n > 0; n = sequenceLength(b, i)) i += n;
  return i;
}

/** Bytes in the well-formed UTF-8 sequence at b[i], or 0. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] ?? -1;
  if (c < 0x80) return c < 0 ? 0 : 1;
  const extra = continuationBytes(c);
  let cp = c & (0x3f >> extra);
  for (let k = 1; k <= extra; k++) {
    const d = b[i + k] ?? 0;
    if ((d & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  return extra > 0 && inRange(cp, extra) ? extra + 1 : 0;
}

/** Whether a code point decoded from 1 + `extra` bytes is a character and needed that many bytes. */
function inRange(cp: number, extra: number): boolean {
  return cp >= [0, 0x80, 0x800, 0x10000][extra]! && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
}

/** How many continuation bytes a UTF-8 lead byte (0x80 and above) announces; 0 if it is not one. */
function continuationBytes(c: number): number {
  if (c < 0xc2) return 0;
  if (c < 0xe0) return 1;
  if (c < 0xf0) return 2;
  return c < 0xf5 ? 3 : 0;
}

// ---- text to documents ----

/**
 * Characters YAML 1.2 does not allow in a stream (C0 controls but tab, LF and CR; DEL; C1 controls
 * but NEL; U+FFFE and U+FFFF), and byte-order marks after the start. JSON input follows the same rule.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFEFF\uFFFE\uFFFF]/g;
/** Lines that start (`---`) or end (`...`) a document. */
const MARKERS = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

function parseText(input: string, file: string): FileResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const issues = forbiddenCharacters(text);
  const docs = issues.length === 0 ? readStream(text, file, issues) : [];
  if (issues.length === 0) return { file, docs, issues: [], hints: [], syntax: false };
  return {
    file,
    docs: [],
    issues: formatIssues(text, file, issues),
    hints: [...new Set(issues.flatMap((i) => (i.hint ? [i.hint] : [])))],
    syntax: issues.some((i) => i.hint !== HINTS.notObject),
  };
}

function forbiddenCharacters(text: string): Issue[] {
  const issues: Issue[] = [];
  FORBIDDEN.lastIndex = 0;
  for (let m = FORBIDDEN.exec(text); m; m = FORBIDDEN.exec(text)) {
    const code = m[0].charCodeAt(0);
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (code === 0)
      issues.push({ at: m.index, message: `a NUL character (${name}): is this a binary file?`, hint: HINTS.encoding });
    else if (code === 0xfeff)
      issues.push({
        at: m.index,
        message: `a byte-order mark (${name}) inside the text: only the start of a file may have one`,
        hint: HINTS.control,
      });
    else issues.push({ at: m.index, message: `a control character (${name})`, hint: HINTS.control });
  }
  return issues;
}

/** Reads every document of a text; problems go to `issues`. */
function readStream(text: string, file: string, issues: Issue[]): SourcedDocument[] {
  const docs: SourcedDocument[] = [];
  let index = 0;
  let line = 1;
  let lineAt = 0;
  for (const [start, end] of documentRanges(text)) {
    const at = contentStart(text, start, end);
    if (at >= end || isMarker(text, at, '...')) continue; // an empty document
    index++;
    line += countLines(text, lineAt, at);
    lineAt = at;
    const before = issues.length;
    const c = text.charCodeAt(at);
    const doc = c === 0x7b || c === 0x5b ? readJson(text, at, end, issues) : readYaml(text, [start, at, end], issues);
    for (let i = before; i < issues.length; i++) issues[i]!.doc = index;
    if (issues.length === before) addDocument(docs, { file, index, line, doc }, at, issues);
  }
  return docs;
}

/** Adds a parsed document, or its items if it is a v1 List (as kubectl reads them); it must be an object. */
function addDocument(docs: SourcedDocument[], d: SourcedDocument, at: number, issues: Issue[]): void {
  const notObject = (v: unknown) => v === null || typeof v !== 'object' || Array.isArray(v);
  if (d.doc === null || d.doc === undefined) return; // `~` or `null`: an empty document
  if (notObject(d.doc)) {
    issues.push({ at, doc: d.index, message: `is ${typeName(d.doc)}, not an object`, hint: HINTS.notObject });
    return;
  }
  const o = d.doc as { kind?: unknown; items?: unknown };
  if (!(typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items))) {
    docs.push(d);
    return;
  }
  o.items.forEach((item: unknown, i) => {
    if (!notObject(item)) docs.push({ ...d, doc: item });
    else
      issues.push({
        at,
        doc: d.index,
        message: `items[${i}] is ${typeName(item)}, not an object`,
        hint: HINTS.notObject,
      });
  });
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'empty';
  return `a ${typeof v} (${JSON.stringify(v).slice(0, 40)})`;
}

function formatIssues(text: string, file: string, issues: Issue[]): string[] {
  issues.sort((a, b) => a.at - b.at);
  const out: string[] = [];
  let line = 1;
  let lineStart = 0;
  for (const issue of issues.slice(0, MAX_ISSUES)) {
    for (let i = text.indexOf('\n', lineStart); i >= 0 && i < issue.at; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const where = `${file}:${line}:${issue.at - lineStart + 1}${issue.doc ? ` (document ${issue.doc})` : ''}`;
    const { related } = issue;
    const also = related ? ` (${related.what} line ${countLines(text, 0, related.at) + 1})` : '';
    out.push(`${where}: ${issue.message}${also}`);
  }
  if (issues.length > MAX_ISSUES) out.push(`${file}: and ${issues.length - MAX_ISSUES} more issue(s)`);
  return out;
}

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Whether a `---` or `...` marker line starts at s[at]. */
function isMarker(s: string, at: number, marker: '---' | '...'): boolean {
  if ((at > 0 && s.charCodeAt(at - 1) !== 10) || !s.startsWith(marker, at)) return false;
  const next = s.charCodeAt(at + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/**
 * [start, end) of each document: a document starts at a `---` line and ends before the next one or
 * after a `...` line. A range that holds only directives (`%YAML`) is joined to the next one.
 */
function documentRanges(text: string): [number, number][] {
  const cuts = [0];
  MARKERS.lastIndex = 0;
  for (let m = MARKERS.exec(text); m; m = MARKERS.exec(text))
    cuts.push(m[0] === '---' ? m.index : lineEnd(text, m.index, text.length));
  cuts.push(text.length);
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = 1; i < cuts.length; i++) {
    const end = cuts[i]!;
    const directive = text.charCodeAt(contentStart(text, cuts[i - 1]!, end)) === 0x25; // %
    if (end <= start || (directive && i < cuts.length - 1)) continue;
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** Offset of a document's content: after blank lines, comments and its `---` marker. */
function contentStart(s: string, at: number, end: number): number {
  let marker = false;
  while (at < end) {
    const c = s.charCodeAt(at);
    if (c === 32 || c === 9 || c === 10 || c === 13) at++;
    else if (c === 0x23)
      at = lineEnd(s, at, end); // # a comment
    else if (marker || !isMarker(s, at, '---')) return at;
    else {
      marker = true;
      at += 3;
    }
  }
  return end;
}

/** Offset after the line break that ends the line at s[at], or `end`. */
function lineEnd(s: string, at: number, end: number): number {
  const eol = s.indexOf('\n', at);
  return eol < 0 || eol >= end ? end : eol + 1;
}

// ---- YAML ----

/**
 * Reads s[start, end) as one YAML document (1.2 core schema), whose content starts at s[at]; issues
 * are pushed with offsets into s. The fast reader takes the plain block YAML manifests are made of;
 * it gives up on anything else, and on anything that would be an issue, so that the `yaml` package
 * reads it and says where the problem is.
 */
function readYaml(s: string, [start, at, end]: [number, number, number], issues: Issue[]): unknown {
  const fast = fastPaths ? readFastYaml(s, at, end) : NOT_READ;
  return fast !== NOT_READ ? fast : strictYaml(s, start, end, issues);
}

/** Parses s[start, end) with the `yaml` package and checks it. */
function strictYaml(s: string, start: number, end: number, issues: Issue[]): unknown {
  const d = yamlPackage().parseDocument(s.slice(start, end), {
    prettyErrors: false, // its excerpts cost time, and a regular expression out of memory on a very long line
    uniqueKeys: false, // checked by checkNode, which also catches keys YAML tells apart and JSON does not (1 and "1")
    merge: true, // `<<: *defaults` merges, as in kubectl's YAML reader
  });
  // Only the first error: the others tend to follow from it.
  if (d.errors[0]) {
    issues.push(yamlIssue(d.errors[0], start));
    return undefined;
  }
  const before = issues.length;
  checkNode(d.contents, 1, { base: start, issues, anchors: new Set() });
  return issues.length > before ? undefined : toJs(d, start, issues);
}

/** The document's value; an alias bomb, or an alias before its anchor, is an issue. */
function toJs(d: Document.Parsed, start: number, issues: Issue[]): unknown {
  try {
    return d.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = start + (d.contents?.range[0] ?? 0);
    if (!/resource exhaustion/i.test(message)) issues.push({ at, message });
    else
      issues.push({
        at,
        message: `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions)`,
        hint: HINTS.aliases,
      });
    return undefined;
  }
}

function yamlIssue(e: YAMLError, start: number): Issue {
  const at = start + e.pos[0];
  if (e.code === 'TAB_AS_INDENT') return { at, message: 'a tab is used for indentation', hint: HINTS.tab };
  if (e.code === 'RESOURCE_EXHAUSTION')
    return { at, message: `nested too deeply to read (${e.message})`, hint: HINTS.depth };
  return { at, message: e.message, hint: YAML_HINTS[e.code] ?? HINTS.yaml };
}

/** What checkNode carries: the document's offset in the text, the issues, the anchors defined so far. */
interface YamlCheck {
  base: number;
  issues: Issue[];
  anchors: Set<string>;
}

/**
 * The rules the YAML parser leaves to us: unique, non-empty scalar keys; nesting at most MAX_DEPTH
 * deep; aliases after their anchors.
 */
function checkNode(node: unknown, depth: number, ctx: YamlCheck): void {
  const { isMap, isSeq, isPair } = yamlPackage();
  if (!checkAnchor(node, ctx) || (!isMap(node) && !isSeq(node))) return;
  const at = ctx.base + (node.range?.[0] ?? 0);
  if (depth > MAX_DEPTH) {
    ctx.issues.push({ at, message: `nested more than ${MAX_DEPTH} levels deep`, hint: HINTS.depth });
    return;
  }
  let keys: (YamlCheck & { at: number; seen: Map<string, number> }) | undefined; // one per collection
  for (const item of node.items) {
    if (!isPair(item)) checkNode(item, depth + 1, ctx);
    else {
      checkKey(item.key, (keys ??= { ...ctx, at, seen: new Map<string, number>() }));
      checkNode(item.value, depth + 1, ctx);
    }
  }
}

/** Records a node's anchor; false for an alias (an issue if no anchor of its name came before). */
function checkAnchor(node: unknown, ctx: YamlCheck): boolean {
  const { isAlias, isNode } = yamlPackage();
  if (!isAlias(node)) {
    if (isNode(node) && node.anchor) ctx.anchors.add(node.anchor);
    return true;
  }
  if (!ctx.anchors.has(node.source))
    ctx.issues.push({
      at: ctx.base + (node.range?.[0] ?? 0),
      message: `the alias *${node.source} has no anchor &${node.source} before it in its document`,
      hint: 'anchors (&name) belong to one document, and an alias (*name) may only follow its anchor',
    });
  return false;
}

/** Checks a key of the mapping at `at`; `seen` holds the keys before it. */
function checkKey(key: unknown, map: YamlCheck & { at: number; seen: Map<string, number> }): void {
  const { isNode, isCollection, isAlias } = yamlPackage();
  const { base, seen, issues } = map;
  const at = isNode(key) ? base + (key.range?.[0] ?? 0) : map.at;
  if (isCollection(key) || isAlias(key)) {
    issues.push({ at, message: `a key must be a string, not ${kindOf(key)}`, hint: HINTS.key });
    return;
  }
  const name = keyName(key);
  const first = seen.get(name);
  if (name === '') issues.push({ at, message: 'a key is empty', hint: HINTS.key });
  else if (name === '<<')
    return; // a merge key
  else if (first !== undefined)
    issues.push({ at, message: duplicateKey(name), hint: HINTS.duplicate, related: { at: first, what: 'first at' } });
  else seen.set(name, at);
}

function kindOf(node: unknown): string {
  const { isAlias, isMap } = yamlPackage();
  if (isAlias(node)) return 'an alias';
  return isMap(node) ? 'a mapping' : 'a list';
}

/** A scalar key as it becomes a property name ('' for none or null). */
function keyName(key: unknown): string {
  const value: unknown = yamlPackage().isScalar(key) ? key.value : key;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value === 'symbol' ? (value.description ?? '') : ''; // `<<` is a symbol with merge keys on
}

function duplicateKey(name: string): string {
  return `duplicate key ${JSON.stringify(name)}`;
}

// ---- JSON ----

/**
 * Reads the JSON document at s[at, end). The rules are those of `strictJson`, and `JSON.parse` is only
 * a faster way to the same value: its result is used when it parses, has as many keys as the text (so
 * no key is repeated), no empty key and no deeper nesting than MAX_DEPTH. Anything else goes to
 * `strictJson`, which says where the problem is.
 */
function readJson(s: string, at: number, end: number, issues: Issue[]): unknown {
  const text = s.slice(at, end);
  if (fastPaths)
    try {
      const value: unknown = JSON.parse(text);
      if (keysInValue(value, 1) === keysInText(text)) return value;
    } catch {
      // strictJson says what is wrong
    }
  return strictJson(s, at, end, issues);
}

/** The keys of all objects in a parsed JSON value; -1 if one is empty or the value nests too deep. */
function keysInValue(v: unknown, depth: number): number {
  if (v === null || typeof v !== 'object') return 0;
  if (depth > MAX_DEPTH) return -1;
  // Loops rather than callbacks: this walks every value of every JSON document.
  let n = 0;
  if (Array.isArray(v)) {
    for (const item of v as unknown[]) {
      const k = keysInValue(item, depth + 1);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  for (const key in v) {
    const k = key === '' ? -1 : keysInValue((v as Record<string, unknown>)[key], depth + 1);
    if (k < 0) return -1;
    n += k + 1;
  }
  return n;
}

/** The keys in a valid JSON text: strings followed by a colon. */
function keysInText(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0;) {
    let k = closingQuote(s, i) + 1;
    let c = s.charCodeAt(k);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++k);
    if (c === 0x3a) n++;
    i = s.indexOf('"', k);
  }
  return n;
}

/** The quote that closes the string opening at s[open], in valid JSON. */
function closingQuote(s: string, open: number): number {
  for (let j = s.indexOf('"', open + 1); ; j = s.indexOf('"', j + 1)) {
    let b = j;
    while (s.charCodeAt(b - 1) === 0x5c) b--;
    if ((j - b) % 2 === 0) return j; // not escaped by an odd number of backslashes
  }
}

/** A JSON syntax error at an offset. */
class JsonError extends Error {
  constructor(
    readonly at: number,
    message: string,
    readonly hint: string = HINTS.json,
    readonly related?: { at: number; what: string },
  ) {
    super(message);
  }
}

/** The strict JSON reader's state: one document at a time, never re-entered. */
let src = '';
let pos = 0;
let stop = 0;

const PLAIN_STRING = /"([^"\\\u0000-\u001F]*)"/y;
const STRING = /"(?:[^"\\\u0000-\u001F]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const;

/**
 * Parses the JSON document at s[at, end) by JSON's grammar, with the rules YAML input follows: no
 * duplicate or empty keys, at most MAX_DEPTH levels. Only blank lines, comments and a `...` line may
 * follow the value.
 */
function strictJson(s: string, at: number, end: number, issues: Issue[]): unknown {
  src = s;
  pos = at;
  stop = end;
  try {
    const value = jsonValue(0);
    jsonEnd();
    return value;
  } catch (error) {
    if (!(error instanceof JsonError)) throw error;
    const { related } = error;
    issues.push({ at: error.at, message: error.message, hint: error.hint, ...(related ? { related } : {}) });
    return undefined;
  } finally {
    src = '';
  }
}

/** Checks that only blank lines, comments and a `...` line follow the value. */
function jsonEnd(): void {
  for (skipSpace(); pos < stop; skipSpace()) {
    const comment = src.charCodeAt(pos) === 0x23 && isSpace(src.charCodeAt(pos - 1));
    if (!comment && !isMarker(src, pos, '...'))
      throw new JsonError(
        pos,
        'more text after the end of the JSON document (documents are separated by a line "---")',
      );
    pos = lineEnd(src, pos, stop);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(): void {
  while (pos < stop && isSpace(src.charCodeAt(pos))) pos++;
}

function jsonValue(depth: number): unknown {
  skipSpace();
  if (pos >= stop) throw new JsonError(pos, 'the JSON document ends where a value is expected');
  const c = src.charCodeAt(pos);
  if (c === 0x7b) return jsonObject(depth + 1);
  if (c === 0x5b) return jsonArray(depth + 1);
  if (c === 0x22) return jsonString();
  return c === 0x2d || (c >= 0x30 && c <= 0x39) ? jsonNumber() : jsonLiteral(c);
}

function jsonLiteral(c: number): boolean | null {
  for (const [word, value] of LITERALS)
    if (src.startsWith(word, pos) && pos + word.length <= stop) {
      pos += word.length;
      return value;
    }
  throw new JsonError(pos, `unexpected ${describeChar(c)} where a JSON value is expected`);
}

function jsonNumber(): number {
  NUMBER.lastIndex = pos;
  const m = NUMBER.exec(src);
  if (!m || NUMBER.lastIndex > stop) throw new JsonError(pos, 'not a valid JSON number');
  pos = NUMBER.lastIndex;
  return Number(m[0]);
}

function describeChar(c: number): string {
  return c === 0x27 ? "' (JSON strings use double quotes)" : `character ${JSON.stringify(String.fromCharCode(c))}`;
}

/** The character at pos, or NaN at the end of the document. */
function peek(): number {
  return pos < stop ? src.charCodeAt(pos) : NaN;
}

function jsonObject(depth: number): Record<string, unknown> {
  const open = pos;
  if (depth > MAX_DEPTH) throw new JsonError(open, `nested more than ${MAX_DEPTH} levels deep`, HINTS.depth);
  pos++;
  const o: Record<string, unknown> = {};
  skipSpace();
  if (peek() === 0x7d) {
    pos++;
    return o;
  }
  for (;;) {
    const key = jsonKey(open, o);
    const value = jsonValue(depth);
    if (key === '__proto__')
      Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
    else o[key] = value;
    if (afterItem(open, '}', `the value of ${JSON.stringify(key)}`)) return o;
  }
}

/** Reads `"key":` in the object opened at `open`, and checks the key. */
function jsonKey(open: number, o: Record<string, unknown>): string {
  skipSpace();
  const c = peek();
  if (Number.isNaN(c)) throw unclosed(open, '}');
  if (c === 0x7d) throw new JsonError(pos, 'a comma before } (JSON does not allow trailing commas)');
  if (c !== 0x22) throw new JsonError(pos, `expected a key in double quotes, found ${describeChar(c)}`);
  const keyAt = pos;
  const key = jsonString();
  if (key === '') throw new JsonError(keyAt, 'a key is empty', HINTS.key);
  if (Object.hasOwn(o, key))
    throw new JsonError(keyAt, duplicateKey(key), HINTS.duplicate, { at: firstKey(open, key), what: 'first at' });
  skipSpace();
  if (Number.isNaN(peek())) throw unclosed(open, '}');
  if (peek() !== 0x3a) throw new JsonError(pos, `expected : after the key ${JSON.stringify(key)}`);
  pos++;
  return key;
}

/** After an item: true at the closing bracket, false after a comma (both are consumed). */
function afterItem(open: number, close: '}' | ']', what: string): boolean {
  skipSpace();
  const c = peek();
  if (Number.isNaN(c)) throw unclosed(open, close);
  pos++;
  if (c === close.charCodeAt(0)) return true;
  if (c !== 0x2c) throw new JsonError(pos - 1, `expected , or ${close} after ${what}, found ${describeChar(c)}`);
  return false;
}

/** Offset of the first `key` in the object at `open`, which parsed well up to its duplicate. */
function firstKey(open: number, key: string): number {
  pos = open + 1;
  for (;;) {
    skipSpace();
    const at = pos;
    if (jsonString() === key) return at;
    skipSpace();
    pos++; // :
    jsonValue(0);
    skipSpace();
    pos++; // ,
  }
}

function jsonArray(depth: number): unknown[] {
  const open = pos;
  if (depth > MAX_DEPTH) throw new JsonError(open, `nested more than ${MAX_DEPTH} levels deep`, HINTS.depth);
  pos++;
  const a: unknown[] = [];
  skipSpace();
  if (peek() === 0x5d) {
    pos++;
    return a;
  }
  for (;;) {
    skipSpace();
    if (peek() === 0x5d) throw new JsonError(pos, 'a comma before ] (JSON does not allow trailing commas)');
    a.push(jsonValue(depth));
    if (afterItem(open, ']', 'a list item')) return a;
  }
}

function unclosed(open: number, close: string): JsonError {
  let last = stop;
  while (last > open + 1 && isSpace(src.charCodeAt(last - 1))) last--;
  const what = close === '}' ? 'object' : 'list';
  return new JsonError(
    last - 1,
    `the JSON document ends here, before the ${close} that closes its ${what}`,
    HINTS.json,
    {
      at: open,
      what: `the ${what} opens at`,
    },
  );
}

function jsonString(): string {
  PLAIN_STRING.lastIndex = pos;
  const plain = PLAIN_STRING.exec(src);
  if (plain && PLAIN_STRING.lastIndex <= stop) {
    pos = PLAIN_STRING.lastIndex;
    return plain[1]!;
  }
  STRING.lastIndex = pos;
  const escaped = STRING.exec(src);
  if (escaped && STRING.lastIndex <= stop) {
    pos = STRING.lastIndex;
    return JSON.parse(escaped[0]) as string;
  }
  throw stringError();
}

/** What is wrong with the string at pos. */
function stringError(): JsonError {
  for (let i = pos + 1; i < stop && src.charCodeAt(i) !== 0x22; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x20) {
      const what = c === 9 ? 'holds a tab' : 'is not closed on its line';
      return new JsonError(pos, `a string that ${what} (JSON strings are one line; write \\n or \\t)`);
    }
    if (c !== 0x5c) continue;
    const escape = src.slice(i + 1, i + 6);
    if (!/^(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/.test(escape))
      return new JsonError(i, `an invalid escape \\${escape.charAt(0)} in a string`);
    i++;
  }
  return new JsonError(pos, 'a string that is not closed');
}
