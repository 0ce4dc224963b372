// The syntax corpus (issue 10): every file in test/fixtures/invalid/syntax/ has one defect, and the
// built CLI must refuse it with exit 1, nothing on stdout and the file and line on stderr; every file
// in test/fixtures/odd-valid/syntax/ looks odd but is valid, and must render with exit 0. The
// corpus runner (fixtures.test.ts) checks each file against its folder's cases.json; this file adds
// the syntax rules' own checks: exactly one issue at the right line and column, a hint, nothing
// written with --output-dir, and odd-valid files rendering the same objects.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '..', '..', '..');
const INVALID = join('test', 'fixtures', 'invalid', 'syntax');
const ODD_VALID = join('test', 'fixtures', 'odd-valid', 'syntax');
const CLUSTERS = join('examples', 'clusters.yaml');

/** Runs `kubefedctl render … --clusters examples/clusters.yaml` from the repository's root. */
async function render(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const argv = [join(root, 'bin', 'kubefedctl.js'), 'render', ...args, '--clusters', CLUSTERS];
  const options = { cwd: root, encoding: 'utf8' as const, env: { ...process.env, NO_COLOR: '1' } };
  try {
    return { status: 0, ...(await promisify(execFile)(process.execPath, argv, options)) };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { status: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Each invalid fixture: the place of its defect (line:column and document, as printed) and the message. */
const INVALID_FIXTURES: Record<string, [where: string, message: RegExp]> = {
  'alias-bomb.yaml': ['11:1 (document 2)', /aliases expand to too much data/],
  'bad-indentation.yaml': ['14:9 (document 2)', /Nested mappings are not allowed/],
  'byte-order-mark-inside.yaml': ['11:1', /a byte-order mark \(U\+FEFF\) inside the text/],
  'control-character.yaml': ['19:20', /a control character \(U\+0007\)/],
  'document-marker-with-content.yaml': ['10:5 (document 2)', /same line with directives-end marker/],
  'duplicate-key-number-and-string.yaml': ['21:7 (document 2)', /duplicate key "80" \(first at line 20\)/],
  'duplicate-key.json': ['24:9 (document 1)', /duplicate key "namespace" \(first at line 23\)/],
  'duplicate-key.yaml': ['16:3 (document 2)', /duplicate key "name" \(first at line 14\)/],
  'empty-key.yaml': ['20:7 (document 2)', /a key is empty/],
  'invalid-utf8.yaml': ['20:14', /not valid UTF-8 \(byte 0xe9\)/],
  'list-document.yaml': ['2:1 (document 1)', /is a list, not an object/],
  'list-item-not-an-object.yaml': ['2:1 (document 1)', /items\[1\] is a string \("settings"\), not an object/],
  'mapping-as-key.yaml': ['20:9 (document 2)', /a key must be a string, not a mapping/],
  'nul-byte.yaml': ['19:20', /a NUL character \(U\+0000\)/],
  'scalar-document.yaml': ['23:1 (document 3)', /is a string \("settings for the shop"\), not an object/],
  'single-quotes.json': [
    '28:13 (document 1)',
    /expected a key in double quotes, found ' \(JSON strings use double quotes\)/,
  ],
  'tab-indentation.yaml': ['19:1 (document 2)', /a tab is used for indentation/],
  'too-deep.json': ['29:517 (document 1)', /nested more than 500 levels deep/],
  'trailing-comma.json': ['29:11 (document 1)', /a comma before \} \(JSON does not allow trailing commas\)/],
  'two-json-values-without-separator.json': ['14:1 (document 1)', /more text after the end of the JSON document/],
  'unclosed-quote.yaml': ['23:1 (document 2)', /Missing closing "quote/],
  'undefined-alias.yaml': ['19:17 (document 2)', /the alias \*currency has no anchor &currency before it/],
  'unterminated.json': [
    '36:3 (document 1)',
    /ends here, before the \} that closes its object \(the object opens at line 1\)/,
  ],
  'utf16.yaml': ['1:1', /the file is UTF-16/],
};

describe('fixtures: invalid/syntax', { concurrency: 4 }, () => {
  const files = readdirSync(join(root, INVALID))
    .filter((f) => f !== 'cases.json')
    .sort();

  it('has a row below for every file, and at least 15 files', () => {
    assert.deepEqual(files, Object.keys(INVALID_FIXTURES).sort());
    assert.ok(files.length >= 15);
  });

  for (const [name, [where, message]] of Object.entries(INVALID_FIXTURES))
    it(`${name}: exit 1, no stdout, one issue naming ${where}`, async () => {
      const file = join(INVALID, name);
      const r = await render('-f', file);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '');
      const issues = r.stderr.split('\n').filter((l) => l.startsWith('  - '));
      assert.deepEqual(
        issues.map((l) => l.slice(4, 4 + file.length + 1 + where.length + 2)),
        [`${file}:${where}: `],
        r.stderr,
      );
      assert.match(issues[0]!, message);
      assert.match(r.stderr, /^error: .*\n(?: {2}- .*\n)+hint: \S/);
      assert.doesNotMatch(r.stderr, /looks like a bug/);
    });

  it('all of them at once: every file is named, and --output-dir is not created', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kf-fixtures-')), 'out');
    const r = await render(...files.flatMap((f) => ['-f', join(INVALID, f)]), '--output-dir', out);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(existsSync(out), false);
    for (const f of files)
      assert.match(r.stderr, new RegExp(`  - ${join(INVALID, f).replace(/[.]/g, '\\.')}:\\d+:\\d+`));
  });
});

describe('fixtures: odd-valid/syntax', { concurrency: 4 }, () => {
  const files = readdirSync(join(root, ODD_VALID))
    .filter((f) => f !== 'cases.json')
    .sort();
  const expected = render('-f', join(ODD_VALID, 'crlf.yaml')).then((r) => r.stdout);

  it('has at least 5 files', () => assert.ok(files.length >= 5));

  for (const name of files)
    it(`${name}: exit 0, the namespace and the ConfigMap in every cluster`, async () => {
      const r = await render('-f', join(ODD_VALID, name));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      for (const cluster of ['cluster1', 'cluster2', 'cluster3'])
        for (const kind of ['Namespace', 'ConfigMap'])
          assert.match(r.stdout, new RegExp(`# cluster: ${cluster}\\napiVersion: v1\\nkind: ${kind}\\n`));
      // The plain ones render exactly as the CRLF one does.
      if (!/merge|1\.1/.test(name)) assert.equal(r.stdout, await expected);
    });
});
