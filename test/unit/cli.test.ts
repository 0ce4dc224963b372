// CLI conventions (like kubectl's cmd_sanity checks) and error handling at the top level.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { buildProgram, commandsToDeclare, main } from '../../src/cli.js';
import { memoryIO } from '../../src/output/io.js';
import { normaliseDryRunArgs, parseLabels } from '../../src/commands/shared-flags.js';

const root = resolve(import.meta.dirname, '..', '..', '..');

function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (t) => (text += t) });
  cmd.outputHelp();
  return text;
}

/** Every command below the root, subcommands included, with its path ("orphaning-deletion enable"). */
function allCommands(cmd: Command, prefix = ''): { path: string; cmd: Command }[] {
  return cmd.commands.flatMap((sub) => {
    const path = `${prefix}${sub.name()}`;
    return [{ path, cmd: sub }, ...allCommands(sub, `${path} `)];
  });
}

describe('CLI conventions', () => {
  const program = buildProgram(memoryIO());
  const commands = allCommands(program);
  it('the walk reaches subcommands', () => assert.ok(commands.some((c) => c.path === 'orphaning-deletion enable')));
  for (const { path, cmd } of commands) {
    it(`${path}: summary, description, examples and exit codes in --help`, () => {
      assert.match(cmd.summary(), /^[A-Z][^.]*[^.]$/, 'summary starts with a capital and has no trailing period');
      assert.ok(cmd.description().length > cmd.summary().length);
      const help = helpOf(cmd);
      assert.match(help, /\nExamples:\n  # /, 'examples commented with #');
      assert.doesNotMatch(help, /^\s*\$ /m, 'no $ prompts in examples');
      assert.match(help, /Exit codes:\n  0  [a-z].*\n  1  [a-z].*/);
    });
    it(`${path}: long flags are kebab-case`, () => {
      for (const opt of cmd.options) if (opt.long) assert.match(opt.long, /^--[a-z0-9]+(-[a-z0-9]+)*$/, opt.long);
    });
  }

  it('a bare --dry-run means client, and --dry-run never swallows the next word', () => {
    assert.deepEqual(normaliseDryRunArgs(['join', '--dry-run', 'c2']), ['join', '--dry-run=client', 'c2']);
    assert.deepEqual(normaliseDryRunArgs(['--dry-run=server']), ['--dry-run=server']);
    assert.deepEqual(normaliseDryRunArgs(['x', '--', '--dry-run']), ['x', '--', '--dry-run']);
  });

  it('labels are key=value with valid keys and values', () => {
    assert.deepEqual(parseLabels(['a=b', 'example.com/tier=gold', 'empty=']), {
      a: 'b',
      'example.com/tier': 'gold',
      empty: '',
    });
    assert.throws(() => parseLabels(['novalue']), /invalid --label "novalue"/);
    assert.throws(() => parseLabels(['bad key=x']), /invalid --label/);
    assert.throws(() => parseLabels(['k=has space']), /invalid --label/);
  });
});

describe('top-level behaviour', () => {
  it('no command prints help and exits 0', async () => {
    const io = memoryIO();
    assert.equal(await main([], 'kubefedctl', io), 0);
    assert.match(io.stdout(), /Usage: kubefedctl/);
  });
  it('an unknown command exits 1 with a pointer to --help', async () => {
    const io = memoryIO();
    assert.equal(await main(['frobnicate'], 'kubefedctl', io), 1);
    assert.match(io.stderr(), /unknown command "frobnicate"/);
  });
  it('exit codes come from the one table: diff exits 2 on an error, 1 only for differences', async () => {
    const io = memoryIO();
    assert.equal(await main(['diff', '-n', 'a', '-A'], 'kubefedctl', io), 2);
    assert.match(
      io.stderr(),
      /^error: use either -n\/--namespace or -A\/--all-namespaces, not both\nSee 'kubefedctl diff --help' for usage\.\n$/,
    );
    assert.equal(await main(['propagate', '-n', 'a', '-A'], 'kubefedctl', memoryIO()), 1);
    assert.equal(await main(['diff', '--concurrency', '0'], 'kubefedctl', memoryIO()), 2);
  });
  it('version prints the package version', async () => {
    const io = memoryIO();
    assert.equal(await main(['version', '-o', 'json'], 'kubefedctl', io), 0);
    assert.match(JSON.parse(io.stdout()).gitVersion, /^v\d+\.\d+\.\d+/);
  });
  it('init -o yaml needs no cluster and no kubeconfig', async () => {
    const io = memoryIO();
    const saved = process.env['KUBECONFIG'];
    process.env['KUBECONFIG'] = '/nonexistent/kubeconfig';
    try {
      assert.equal(await main(['init', '-o', 'json'], 'kubefedctl', io), 0);
    } finally {
      if (saved === undefined) delete process.env['KUBECONFIG'];
      else process.env['KUBECONFIG'] = saved;
    }
    const list = JSON.parse(io.stdout()) as { kind: string; items: { kind: string }[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.filter((i) => i.kind === 'CustomResourceDefinition').length, 13);
    assert.equal(list.items.at(-1)?.kind, 'KubeFedConfig');
  });
  it('the kubectl plugin binary runs the same program under its own name', () => {
    const r = spawnSync(process.execPath, [resolve(root, 'bin', 'kubectl-fed.js'), '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: kubectl fed /);
  });
  it('colour is off when stderr is not a terminal or NO_COLOR is set', () => {
    const r = spawnSync(process.execPath, [resolve(root, 'bin', 'kubefedctl.js'), 'nope'], {
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: '1' },
    });
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stderr, /\u001b\[/);
  });
});

describe('start-up cost', () => {
  // @commander-js/extra-typings is commander's own typings package: at run time a few lines that re-export commander's classes.
  it('--help loads no package but commander (no HTTP layer, no YAML, no schemas)', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      `const { main } = await import(${JSON.stringify(resolve(root, 'dist', 'src', 'cli.js'))});`,
      'const io = { out: () => {}, err: () => {}, style: { red: (s) => s, yellow: (s) => s, dim: (s) => s }, interactive: false };',
      "for (const args of [['--help'], ['propagate', '--help'], ['join', '--help'], ['help', 'render']]) await main(args, 'kubefedctl', io);",
      'const cache = Object.keys(createRequire(import.meta.url).cache);',
      "const packageOf = (k) => { const p = k.split('node_modules/')[1]; return p?.split('/').slice(0, p.startsWith('@') ? 2 : 1).join('/'); };",
      'console.log(JSON.stringify([...new Set(cache.map(packageOf).filter(Boolean))].sort()));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ['@commander-js/extra-typings', 'commander']);
  });
});

describe('commands declared only when they run', () => {
  it('the root help lists the same terms and summaries as when every command is declared', () => {
    const full = buildProgram(memoryIO());
    for (const argv of [['--help'], ['version'], ['-v', '2', 'propagate', '--help'], ['help', 'join']]) {
      const partial = buildProgram(memoryIO(), 'kubefedctl', argv);
      assert.equal(helpOf(partial), helpOf(full), `root help with ${argv.join(' ')}`);
    }
  });
  it('the command that runs, and the one help names, are declared in full', () => {
    const io = memoryIO();
    const program = buildProgram(io, 'kubefedctl', ['help', 'join']);
    const join = program.commands.find((c) => c.name() === 'join')!;
    const full = buildProgram(memoryIO()).commands.find((c) => c.name() === 'join')!;
    assert.equal(helpOf(join), helpOf(full));
    assert.equal(program.commands.find((c) => c.name() === 'render')!.options.length, 0);
  });
  it('commandsToDeclare reads the command word past root flags; completion needs every command', () => {
    assert.deepEqual([...commandsToDeclare(['--v', '4', 'diff', '-f', 'x'])!], ['diff']);
    assert.deepEqual([...commandsToDeclare(['-v=2', '--no-color', 'help', 'status'])!], ['status']);
    assert.deepEqual([...commandsToDeclare(['--help'])!], []);
    assert.deepEqual([...commandsToDeclare(['--', 'render'])!], []);
    assert.equal(commandsToDeclare(['completion', 'bash']), undefined);
    assert.equal(commandsToDeclare(undefined), undefined);
  });
  it('the root help through bin/ (the bundle) is the same text as from every command declared', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'kubefedctl.js'), '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, helpOf(buildProgram(memoryIO())));
  });
});

describe('--help and version answered by bin/ without loading the CLI', () => {
  const bin = (file: string, args: string[]) =>
    spawnSync(process.execPath, [join(root, 'bin', file), ...args], { encoding: 'utf8' });
  const printed = async (args: string[], name?: string) => {
    const io = memoryIO();
    const code = await main(args, name, io);
    return { code, stdout: io.stdout() };
  };
  it('prints what the CLI prints, under either name', async () => {
    for (const [file, name] of [
      ['kubefedctl.js', 'kubefedctl'],
      ['kubectl-fed.js', 'kubectl fed'],
    ] as const)
      for (const args of [['--help'], ['-h'], ['version']]) {
        const quick = bin(file, args);
        const cli = await printed(args, name);
        assert.equal(quick.status, cli.code, `${file} ${args.join(' ')}`);
        assert.equal(quick.stdout, cli.stdout, `${file} ${args.join(' ')}`);
      }
  });
  it('leaves anything more to the CLI', async () => {
    const json = bin('kubefedctl.js', ['version', '-o', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).nodeVersion, process.version);
    const more = bin('kubefedctl.js', ['--help', '--no-color']);
    assert.equal(more.stdout, (await printed(['--help', '--no-color'])).stdout);
  });
});

describe('completion', () => {
  it('bash completion is valid bash and completes commands and their flags', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kf-completion-')), 'kubefedctl.bash');
    writeFileSync(
      file,
      spawnSync(process.execPath, [resolve(root, 'bin', 'kubefedctl.js'), 'completion', 'bash'], { encoding: 'utf8' })
        .stdout,
    );
    const probe = (words: string[]) =>
      spawnSync(
        'bash',
        [
          '-c',
          `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _kubefedctl_complete; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      ).stdout.trim();
    assert.equal(probe(['kubefedctl', 'prop']), 'propagate');
    assert.equal(probe(['kubefedctl', 'join', '--error']), '--error-on-existing');
    assert.match(probe(['kubefedctl', 'orphaning-deletion', '']), /\benable\b.*\bdisable\b.*\bstatus\b/);
  });
  it('zsh and fish scripts name every command', () => {
    for (const shell of ['zsh', 'fish']) {
      const out = spawnSync(process.execPath, [resolve(root, 'bin', 'kubefedctl.js'), 'completion', shell], {
        encoding: 'utf8',
      }).stdout;
      for (const cmd of ['init', 'join', 'propagate', 'render', 'status'])
        assert.match(out, new RegExp(`\\b${cmd}\\b`), `${shell}: ${cmd}`);
    }
  });
});
