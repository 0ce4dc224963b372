// The document reader (issue 10): one set of rules for JSON and YAML, positions in every issue,
// file-system errors as input errors naming the path.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UserError, ValidationError } from '../../src/errors.js';
import { parseDocuments, readDocuments } from '../../src/util/documents.js';

/** The issues parseDocuments reports for a text. */
function issuesOf(text: string, file = 'in.yaml'): string[] {
  try {
    parseDocuments(text, file);
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.issues;
  }
  assert.fail('expected a ValidationError');
}

describe('parseDocuments: one set of rules for YAML and JSON', () => {
  it('reads YAML and JSON documents, with the line where each starts', () => {
    const docs = parseDocuments('# a comment\na: 1\n---\n\n# json\n{"b": [1, "x", null, true]}\n---\n---\nc: 3\n', 'f');
    assert.deepEqual(
      docs.map((d) => [d.index, d.line, d.doc]),
      [
        [1, 2, { a: 1 }],
        [2, 6, { b: [1, 'x', null, true] }],
        [3, 9, { c: 3 }],
      ],
    );
  });

  it('refuses a duplicate key in YAML and in JSON alike, naming both lines', () => {
    assert.deepEqual(issuesOf('a: 1\nb: 2\na: 3\n'), ['in.yaml:3:1 (document 1): duplicate key "a" (first at line 1)']);
    assert.deepEqual(issuesOf('x: 1\n---\n{"a": 1,\n "a": 2}\n'), [
      'in.yaml:4:2 (document 2): duplicate key "a" (first at line 3)',
    ]);
    // 1 and "1" are two keys to YAML, one property once read.
    assert.deepEqual(issuesOf('1: a\n"1": b\n'), ['in.yaml:2:1 (document 1): duplicate key "1" (first at line 1)']);
  });

  it('refuses empty keys in both', () => {
    assert.deepEqual(issuesOf('"": 1\n'), ['in.yaml:1:1 (document 1): a key is empty']);
    assert.deepEqual(issuesOf('{"": 1}'), ['in.yaml:1:2 (document 1): a key is empty']);
  });

  it('the JSON fast path gives what the strict reader gives: escapes, __proto__, numbers', () => {
    const [d] = parseDocuments('{"a": "x\\"y\\\\", "b\\"": "\\u00e9", "__proto__": {"p": 1}, "n": [-0.5e2, 10]}', 'f');
    assert.deepEqual(Object.keys(d!.doc as object), ['a', 'b"', '__proto__', 'n']);
    assert.equal((d!.doc as Record<string, unknown>)['b"'], 'é');
    assert.deepEqual((d!.doc as Record<string, unknown>)['n'], [-50, 10]);
    assert.equal(Object.getPrototypeOf(d!.doc), Object.prototype);
  });

  it('JSON syntax errors say where, with no fallback to YAML', () => {
    assert.deepEqual(issuesOf('{a: 1}\n'), [
      'in.yaml:1:2 (document 1): expected a key in double quotes, found character "a"',
    ]);
    assert.deepEqual(issuesOf('{"a": 1,}'), [
      'in.yaml:1:9 (document 1): a comma before } (JSON does not allow trailing commas)',
    ]);
    assert.deepEqual(issuesOf('{"a": "x\\q"}'), ['in.yaml:1:9 (document 1): an invalid escape \\q in a string']);
  });

  it('refuses control characters and stray byte-order marks, and accepts a leading BOM', () => {
    assert.deepEqual(issuesOf('a: 1\nb: "x\u0007"\n'), ['in.yaml:2:6: a control character (U+0007)']);
    assert.deepEqual(issuesOf('{"a": "\u0000"}'), ['in.yaml:1:8: a NUL character (U+0000): is this a binary file?']);
    assert.deepEqual(issuesOf('a: 1\n---\n\ufeffb: 1\n').length, 1);
    assert.deepEqual(parseDocuments('\ufeffa: 1\n', 'f')[0]!.doc, { a: 1 });
    assert.deepEqual(parseDocuments('\ufeff{"a": 1}', 'f')[0]!.doc, { a: 1 });
  });

  it('reads CRLF line endings, with the same lines', () => {
    const docs = parseDocuments('a: 1\r\n---\r\n{"b": 2}\r\n---\r\nc:\r\n  d: 3\r\n', 'f');
    assert.deepEqual(
      docs.map((d) => [d.line, d.doc]),
      [
        [1, { a: 1 }],
        [3, { b: 2 }],
        [5, { c: { d: 3 } }],
      ],
    );
  });

  it('refuses alias bombs, aliases before their anchors, and deep nesting', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const n of ['b', 'c', 'd'])
      bomb.push(
        `${n}: &${n} [${Array(10)
          .fill(`*${String.fromCharCode(n.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    assert.match(issuesOf(bomb.join('\n'))[0]!, /^in\.yaml:1:1 \(document 1\): aliases expand to too much data/);
    assert.deepEqual(issuesOf('a: *x\nb: &x 1\n'), [
      'in.yaml:1:4 (document 1): the alias *x has no anchor &x before it in its document',
    ]);
    assert.match(
      issuesOf(`a: ${'['.repeat(501)}${']'.repeat(501)}\n`)[0]!,
      /^in\.yaml:1:503 \(document 1\): nested more than 500/,
    );
    assert.match(
      issuesOf(`{"a": ${'['.repeat(501)}${']'.repeat(501)}}`)[0]!,
      /^in\.yaml:1:506 \(document 1\): nested more than 500/,
    );
    // Far deeper than the YAML parser's stack: still an issue, not a crash.
    assert.match(
      issuesOf(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)[0]!,
      /^in\.yaml:1:\d+ \(document 1\): nested too deeply/,
    );
  });

  it('refuses tabs for indentation, and only the first YAML error of a document is reported', () => {
    assert.deepEqual(issuesOf('a:\n\tb: 1\n'), ['in.yaml:2:1 (document 1): a tab is used for indentation']);
  });

  it('every document must be an object; a v1 List stands for its items; empty documents are skipped', () => {
    assert.deepEqual(issuesOf('a: 1\n---\n- x\n---\njust text\n'), [
      'in.yaml:3:1 (document 2): is a list, not an object',
      'in.yaml:5:1 (document 3): is a string ("just text"), not an object',
    ]);
    const docs = parseDocuments(
      '---\n# nothing\n---\n~\n---\napiVersion: v1\nkind: List\nitems: [{kind: A}, {kind: B}]\n',
      'f',
    );
    assert.deepEqual(
      docs.map((d) => [d.index, d.line, d.doc]),
      [
        [2, 6, { kind: 'A' }],
        [2, 6, { kind: 'B' }],
      ],
    );
  });

  it('YAML 1.2 core schema: yes, no, on and off stay strings; << merges', () => {
    assert.deepEqual(parseDocuments('on: yes\noff: no\n', 'f')[0]!.doc, { on: 'yes', off: 'no' });
    assert.deepEqual(parseDocuments('a: &d {x: 1, y: 2}\nb:\n  <<: *d\n  y: 3\n', 'f')[0]!.doc, {
      a: { x: 1, y: 2 },
      b: { x: 1, y: 3 },
    });
  });

  it('a %YAML directive and ... document-end markers', () => {
    const docs = parseDocuments('%YAML 1.2\n---\na: 1\n...\n---\nb: 2\n...\n', 'f');
    assert.deepEqual(
      docs.map((d) => d.doc),
      [{ a: 1 }, { b: 2 }],
    );
  });
});

describe('readDocuments: files, folders and stdin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-docs-'));

  it('a missing file, an empty folder and a folder of folders without -R are UserErrors naming the path', () => {
    assert.throws(
      () => readDocuments([join(dir, 'nope.yaml')]),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.equal(e.message, `${join(dir, 'nope.yaml')}: no such file or directory`);
        return true;
      },
    );
    mkdirSync(join(dir, 'empty'));
    assert.throws(() => readDocuments([join(dir, 'empty')]), UserError);
    mkdirSync(join(dir, 'nested', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'nested', 'sub', 'a.yaml'), 'a: 1\n');
    assert.throws(
      () => readDocuments([join(dir, 'nested')]),
      (e: unknown) => e instanceof UserError && /read with -R/.test(e.message) && /--recursive/.test(e.hint ?? ''),
    );
    assert.deepEqual(
      readDocuments([join(dir, 'nested')], { recursive: true }).map((d) => d.doc),
      [{ a: 1 }],
    );
  });

  it('stdin that cannot be read is a UserError naming <stdin>', () => {
    for (const [code, reason] of [
      ['EISDIR', 'is a directory'],
      ['EACCES', 'permission denied'],
      ['EAGAIN', 'no input is ready'],
      ['EIO', 'cannot be read (EIO)'],
    ]) {
      const stdin = () => {
        throw Object.assign(new Error(code), { code });
      };
      assert.throws(
        () => readDocuments(['-'], { stdin }),
        (e: unknown) => e instanceof UserError && e.message.startsWith(`<stdin>: ${reason}`),
      );
    }
  });

  it('bytes that are not UTF-8 are refused with their line and column', () => {
    const latin1 = join(dir, 'latin1.yaml');
    writeFileSync(latin1, Buffer.from('a: 1\nb: Z\xe9rich\n', 'latin1'));
    const utf16 = join(dir, 'utf16.yaml');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1\n', 'utf16le')]));
    assert.throws(
      () => readDocuments([latin1, utf16]),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /^2 input files are not valid YAML or JSON/);
        assert.deepEqual(e.issues, [
          `${latin1}:2:5: not valid UTF-8 (byte 0xe9)`,
          `${utf16}:1:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark), and only UTF-8 is read`,
        ]);
        assert.equal(e.hint, 'save the file as UTF-8');
        return true;
      },
    );
    assert.deepEqual(readDocuments(['-'], { stdin: () => Buffer.from('a: é\n') })[0]!.doc, { a: 'é' });
  });
});
