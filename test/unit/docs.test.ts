// docs/commands.md is the --help of every command; this test keeps the two the same.
// Regenerate with: UPDATE_DOCS=1 node --test dist/test/unit/docs.test.js
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { buildProgram } from '../../src/cli.js';
import { memoryIO } from '../../src/output/io.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const file = resolve(root, 'docs', 'commands.md');

function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (t) => (text += t) });
  cmd.configureHelp({ ...cmd.configureHelp(), helpWidth: 100 });
  cmd.outputHelp();
  return text.trimEnd();
}

function render(): string {
  const program = buildProgram(memoryIO());
  const sections = [
    `# Command reference\n\nThe \`--help\` of every command, generated from the code (see test/unit/docs.test.ts).\n\n## kubefedctl\n\n\`\`\`\n${helpOf(program)}\n\`\`\``,
  ];
  const walk = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const path = `${prefix} ${sub.name()}`;
      sections.push(`## ${path}\n\n\`\`\`\n${helpOf(sub)}\n\`\`\``);
      walk(sub, path);
    }
  };
  walk(program, 'kubefedctl');
  return `${sections.join('\n\n')}\n`;
}

describe('command reference', () => {
  it("docs/commands.md matches every command's --help", () => {
    const want = render();
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(file, want);
    assert.equal(
      readFileSync(file, 'utf8'),
      want,
      'run UPDATE_DOCS=1 node --test dist/test/unit/docs.test.js to refresh docs/commands.md',
    );
  });
});
