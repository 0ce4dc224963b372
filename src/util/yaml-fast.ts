// A fast reader for the block YAML that manifests are written in (`helm template`, `kustomize build`,
// `kubectl get -o yaml`, the `yaml` package's own output): block mappings and sequences, plain and
// quoted scalars on one line, literal block scalars (`|`, `|-`), empty flow collections. It builds
// plain values straight from the text, with no document tree, which is where the `yaml` package
// spends most of its time.
//
// It gives up (NOT_READ) on anything else and on anything the strict reader would refuse or report:
// anchors, aliases, tags, flow collections, multi-line plain or quoted scalars, folded scalars,
// duplicate, empty, merge or non-string keys, tabs and carriage returns outside literal text. The
// caller then reads the document the strict way, which gives the same value or says where the
// problem is. So a value from here is always the value the strict reader gives
// (test/unit/yaml-fast.test.ts compares them on generated documents).

/** Returned when the document is not in the subset read here. */
export const NOT_READ: unique symbol = Symbol('not read');

/** Thrown (and caught in readFastYaml) to give up. */
const GIVE_UP = new Error('not in the fast subset');

/** Deeper documents go to the strict reader, which has the depth check and its message. */
const MAX_FAST_DEPTH = 100;

const SPACE = 32;
const DASH = 0x2d;
const COLON = 0x3a;
const HASH = 0x23;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

// The reader's state: one document at a time, never re-entered.
let src = '';
let stop = 0;
/** Start of the next line not yet read. */
let next = 0;
/** The current content line: its start, its first non-space character, that column, its end. */
let lineAt = 0;
let at = 0;
let col = -1;
let eol = 0;

/**
 * Characters whose handling differs between YAML's rules and this reader's shortcuts: tabs (white
 * space to YAML), carriage returns and the other Unicode line breaks.
 */
const UNSURE = /[\t\r\u0085\u2028\u2029]/;
const LINE_BREAKS = /[\r\u0085\u2028\u2029]/;

function giveUp(): never {
  throw GIVE_UP;
}

/**
 * Reads the YAML document whose content starts at s[start] (a line's first non-space character) and
 * ends before s[end]; NOT_READ if it is outside the subset (see the top of this file).
 */
export function readFastYaml(s: string, start: number, end: number): unknown {
  src = s;
  stop = end;
  next = s.lastIndexOf('\n', start - 1) + 1;
  try {
    if (!onlySpaces(next, start)) return NOT_READ; // content on the `---` line
    peek();
    const value = readNode(-1, 1);
    if (col >= 0) giveUp(); // something after the root collection, less indented
    return value;
  } catch (error) {
    if (error === GIVE_UP) return NOT_READ;
    throw error;
  } finally {
    src = '';
  }
}

function onlySpaces(from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (src.charCodeAt(i) !== SPACE) return false;
  return true;
}

function skipSpaces(i: number): number {
  while (src.charCodeAt(i) === SPACE) i++;
  return i;
}

function endOfLine(from: number): number {
  const e = src.indexOf('\n', from);
  return e < 0 || e > stop ? stop : e;
}

/**
 * Moves to the next line with content at or after `next`, skipping blank and comment lines; col is
 * -1 at the end of the document (or at a `...` line).
 */
function peek(): void {
  for (; next < stop; next = eol + 1) {
    lineAt = next;
    eol = endOfLine(next);
    at = skipSpaces(next);
    if (at >= eol || src.charCodeAt(at) === HASH) continue;
    col = at - lineAt;
    if (col === 0 && src.startsWith('...', at)) {
      if (!onlySpaces(at + 3, eol)) giveUp();
      break;
    }
    return;
  }
  col = -1;
  next = stop;
}

/** Past the current line, to the next content line. */
function advance(): void {
  next = eol + 1;
  peek();
}

/** Whether a block sequence entry (`- ` or a lone `-`) starts at s[i]. */
function isEntry(i: number): boolean {
  if (src.charCodeAt(i) !== DASH) return false;
  const c = src.charCodeAt(i + 1);
  return i + 1 >= eol || c === SPACE;
}

/** The collection whose first line is the current one (a sequence or a mapping). */
function readNode(parent: number, depth: number): unknown {
  if (depth > MAX_FAST_DEPTH || col <= parent) giveUp();
  return isEntry(at) ? readSequence(col, depth) : readMapping(col, depth);
}

function readMapping(indent: number, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (;;) {
    const key = readKey();
    if (key === undefined || Object.hasOwn(o, key)) giveUp();
    const value = readValue(indent, depth);
    // As the strict reader does: `__proto__` is a key like any other, never the prototype.
    if (key === '__proto__')
      Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
    else o[key] = value;
    if (col < indent) return o;
    if (col > indent || isEntry(at)) giveUp();
  }
}

function readSequence(indent: number, depth: number): unknown[] {
  const a: unknown[] = [];
  for (;;) {
    at = skipSpaces(at + 1);
    a.push(readEntry(indent, depth));
    if (col < indent || (col === indent && !isEntry(at))) return a;
    if (col > indent) giveUp();
  }
}

/** A sequence entry after its `- `: empty, a nested collection, a compact mapping or a scalar. */
function readEntry(indent: number, depth: number): unknown {
  if (at >= eol || src.charCodeAt(at) === HASH) {
    advance();
    return col > indent ? readNode(indent, depth + 1) : null;
  }
  if (isEntry(at)) giveUp(); // `- - x`: left to the strict reader
  const start = at;
  if (readKey() === undefined) return readValue(indent, depth);
  // `- key: value`: a mapping whose keys line up with this first one.
  at = start;
  col = start - lineAt;
  return readMapping(col, depth + 1);
}

/**
 * The key at `at` (plain or quoted, then `:` and a space or the line's end); moves `at` to what
 * follows. Undefined if the line is not a key; gives up on keys the strict reader refuses or turns
 * into something else (empty, `<<`, numbers, booleans, null, a comment before the colon).
 */
function readKey(): string | undefined {
  const c = src.charCodeAt(at);
  if (c === DQUOTE || c === SQUOTE) return readQuotedKey(c);
  const i = plainStart(at) ? keyColon() : -1;
  if (i < 0) return undefined;
  // A comment, a trailing space or a line break in the key is the strict reader's to read.
  if (plainEnd(at, i) !== i || src.charCodeAt(i - 1) === SPACE) giveUp();
  const key = src.slice(at, i);
  if (key === '<<' || typeof plainValue(key) !== 'string') giveUp();
  at = skipSpaces(i + 1);
  return key;
}

/** Offset of the first `:` on the line that is followed by a space or the line's end, or -1. */
function keyColon(): number {
  for (let i = src.indexOf(':', at); i >= 0 && i < eol; i = src.indexOf(':', i + 1))
    if (i + 1 === eol || src.charCodeAt(i + 1) === SPACE) return i;
  return -1;
}

function readQuotedKey(quote: number): string | undefined {
  const close = closingQuote(quote, at);
  if (close < 0 || src.charCodeAt(close + 1) !== COLON) return undefined;
  const after = close + 2;
  if (after < eol && src.charCodeAt(after) !== SPACE) return undefined;
  const key = quotedText(quote, at, close);
  if (key === '') giveUp();
  at = skipSpaces(after);
  return key;
}

/** The value after a key at column `indent`: on this line, or the collection on the lines below. */
function readValue(indent: number, depth: number): unknown {
  if (at >= eol || src.charCodeAt(at) === HASH) {
    advance();
    if (col > indent) return readNode(indent, depth + 1);
    // A sequence may sit at its key's own column (`kubectl get -o yaml` writes them so).
    return col === indent && isEntry(at) ? readSequence(indent, depth + 1) : null;
  }
  if (src.charCodeAt(at) === 0x7c) return readLiteral(indent); // |
  const value = readInline();
  advance();
  return value;
}

/** A scalar or empty flow collection that ends on this line (a comment may follow). */
function readInline(): unknown {
  const c = src.charCodeAt(at);
  if (c === DQUOTE || c === SQUOTE) {
    const close = closingQuote(c, at);
    if (close < 0) giveUp();
    endsHere(close + 1);
    return quotedText(c, at, close);
  }
  if (c === 0x7b || c === 0x5b) {
    // { or [: only an empty one, `{}` or `[]`
    if (src.charCodeAt(at + 1) !== c + 2) giveUp();
    endsHere(at + 2);
    return c === 0x7b ? {} : [];
  }
  if (!plainStart(at)) giveUp();
  return plainValue(plainText());
}

/** Gives up unless only spaces, and maybe a comment, follow s[from] on the line. */
function endsHere(from: number): void {
  const i = skipSpaces(from);
  if (i < eol && !(src.charCodeAt(i) === HASH && i > from)) giveUp();
}

/** The plain scalar at `at`: up to a comment, without trailing spaces. */
function plainText(): string {
  let end = plainEnd(at, eol);
  while (src.charCodeAt(end - 1) === SPACE) end--;
  const text = src.slice(at, end);
  if (text === '<<') giveUp();
  return text;
}

/**
 * Where a plain scalar starting at s[from] ends before s[to]: at a comment (` #`) or at `to`. Gives
 * up on what the strict reader reads otherwise or refuses: a `: ` or a trailing `:` (a nested
 * mapping on one line), tabs, carriage returns and other line breaks. One pass, no regular
 * expression: it runs for every key and value.
 */
function plainEnd(from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c === HASH && src.charCodeAt(i - 1) === SPACE) return i;
    if (c === COLON && (i + 1 === eol || src.charCodeAt(i + 1) === SPACE)) giveUp();
    if (isUnsure(c)) giveUp();
  }
  return to;
}

/** UNSURE for one character (other control characters are refused before reading). */
function isUnsure(c: number): boolean {
  return c < 0x20 || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/** Characters that may not start a plain scalar (YAML's indicators); `-`, `?` and `:` may before a non-space. */
const INDICATORS = new Set([...',[]{}#&*!|>\'"%@`'].map((ch) => ch.charCodeAt(0)));

function plainStart(i: number): boolean {
  const c = src.charCodeAt(i);
  if (c === DASH || c === 0x3f || c === COLON) {
    const d = src.charCodeAt(i + 1);
    return i + 1 < eol && d !== SPACE;
  }
  return !INDICATORS.has(c) && c !== 9 && c !== 13;
}

/** Offset of the quote closing the one at s[open] on the same line, or -1. */
function closingQuote(quote: number, open: number): number {
  const q = quote === DQUOTE ? '"' : "'";
  for (let j = src.indexOf(q, open + 1); j >= 0 && j < eol; j = src.indexOf(q, j + 1)) {
    if (quote === SQUOTE) {
      if (src.charCodeAt(j + 1) !== SQUOTE) return j;
      j++; // '' stands for '
      continue;
    }
    let b = j;
    while (src.charCodeAt(b - 1) === 0x5c) b--;
    if ((j - b) % 2 === 0) return j;
  }
  return -1;
}

/** Escapes YAML and JSON share; with others the string goes to the strict reader. */
const BAD_ESCAPE = /\\(?!["\\/bfnrt]|u[0-9A-Fa-f]{4})/;

function quotedText(quote: number, open: number, close: number): string {
  const raw = src.slice(open + 1, close);
  if (UNSURE.test(raw)) giveUp();
  if (quote === SQUOTE) return raw.replaceAll("''", "'");
  if (!raw.includes('\\')) return raw;
  if (BAD_ESCAPE.test(raw)) giveUp();
  return JSON.parse(`"${raw}"`) as string;
}

/**
 * A literal block scalar (`|`, `|-`, `|+`) whose header is at `at`, below a key or entry at column
 * `indent`. Its lines go on while they are blank or indented at least as far as its first line.
 */
function readLiteral(indent: number): string {
  const chomp = src.charCodeAt(at + 1);
  endsHere(chomp === DASH || chomp === 0x2b ? at + 2 : at + 1);
  const block = { text: '', breaks: '', content: -1, leading: 0 };
  let p = eol + 1;
  for (; p < stop; p++) {
    const e = src.indexOf('\n', p);
    if (e < 0 || e >= stop) giveUp(); // a last line with no line break: left to the strict reader
    if (!literalLine(block, p, e, indent)) break;
    p = e;
  }
  if (block.content < 0) giveUp(); // no text: left to the strict reader
  next = p;
  peek();
  if (chomp === DASH) return block.text.slice(0, -1);
  return chomp === 0x2b ? block.text + block.breaks : block.text;
}

/** Adds the line s[p, e) to a literal block; false if the line ends it. */
function literalLine(
  block: { text: string; breaks: string; content: number; leading: number },
  p: number,
  e: number,
  indent: number,
): boolean {
  const spaces = skipSpaces(p) - p;
  if (p + spaces === e) {
    // A blank line. One with more spaces than the text's indentation holds text (spaces), and
    // blank lines before the text may not be indented further than it.
    if (block.content < 0) block.leading = Math.max(block.leading, spaces);
    else if (spaces > block.content) giveUp();
    block.breaks += '\n';
    return true;
  }
  if (block.content < 0 ? spaces <= indent : spaces < block.content) return false;
  if (block.content < 0) {
    if (block.leading > spaces) giveUp();
    block.content = spaces;
  }
  const line = src.slice(p + block.content, e);
  if (line.charCodeAt(0) === 9 || LINE_BREAKS.test(line)) giveUp(); // tabs inside are text
  block.text += `${block.breaks}${line}\n`;
  block.breaks = '';
  return true;
}

// YAML 1.2 core schema, in the order the `yaml` package tries its tags.
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** Numbers, with how each is read, tried in order after NULL and BOOL. */
const NUMBERS: [RegExp, (s: string) => number][] = [
  [/^0o[0-7]+$/, (s) => parseInt(s.slice(2), 8)],
  [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.slice(2), 16)],
  [
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    (s) => (/nan$/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity),
  ],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/, parseFloat],
];

/** First characters of the plain scalars that may stand for something other than a string. */
const MAYBE_NOT_STRING = new Set([...'-+.0123456789~nNtTfF'].map((ch) => ch.charCodeAt(0)));

/** Only text that starts so can be a number. */
const NUMBER_START = /^[-+.0-9]/;

/** What a plain scalar stands for under the core schema, as the `yaml` package resolves it. */
export function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  if (!MAYBE_NOT_STRING.has(c)) return s; // most text: no regular expression to run
  if (NUMBER_START.test(s)) {
    for (const [test, read] of NUMBERS) if (test.test(s)) return read(s);
    return s;
  }
  if (NULL.test(s)) return null;
  return BOOL.test(s) ? c === 0x74 || c === 0x54 : s;
}
