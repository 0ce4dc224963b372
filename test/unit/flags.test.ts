// Flags as kubefedctl and kubectl parse them (issue 10, items 2 and 13), through the real program
// with every action replaced by a recorder: booleans take --flag, --flag=true and --flag=false,
// -v is a number from 0 to 10, --context names the host context, `help COMMAND`, "did you mean",
// unknown flags before missing required ones, and one style for every usage error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { buildProgram, didYouMean, runProgram } from '../../src/cli.js';
import { waitMsOf } from '../../src/commands/propagate/options.js';
import { booleanFlags, normaliseDryRunArgs } from '../../src/commands/shared-flags.js';
import { memoryIO } from '../../src/output/io.js';

/** Every command that runs (not a group), with its path ("orphaning-deletion enable"). */
function leaves(cmd: Command, prefix = ''): { path: string; cmd: Command }[] {
  return cmd.commands.flatMap((sub) => {
    const path = `${prefix}${sub.name()}`;
    return sub.commands.length ? leaves(sub, `${path} `) : [{ path, cmd: sub }];
  });
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** The flags the command's action saw, when it ran. */
  flags?: Record<string, unknown>;
  /** The root's flags (-v, --color). */
  root: Record<string, unknown>;
}

/** Runs argv through the program as main does, with every action recording its flags instead of running. */
async function run(argv: string[]): Promise<Outcome> {
  const io = memoryIO();
  const program = buildProgram(io);
  let flags: Record<string, unknown> | undefined;
  for (const { path, cmd } of leaves(program)) if (path !== 'help') cmd.action(() => void (flags = { ...cmd.opts() }));
  const code = await runProgram(program, argv, io, 'kubefedctl');
  return { code, stdout: io.stdout(), stderr: io.stderr(), root: program.opts(), ...(flags ? { flags } : {}) };
}

const argumentsOf = (cmd: Command) => cmd.registeredArguments.filter((a) => a.required).map(() => 'x');

/**
 * The words that make `path` run with nothing else given: its required arguments, then a value for
 * each required option it reports missing (found by running it, so none is listed by hand).
 */
async function minimalArgv(path: string, cmd: Command): Promise<string[]> {
  const argv = [...path.split(' '), ...(path === 'completion' ? ['bash'] : argumentsOf(cmd))];
  for (let i = 0; i < 5; i++) {
    const r = await run(argv);
    if (r.code === 0) return argv;
    // A required option with choices takes its first choice instead of "x".
    const choice = /option '(?:-\w, )?(--[\w-]+) [^']*' argument 'x' is invalid\. Allowed choices are ([\w-]+)/.exec(
      r.stderr,
    );
    if (choice) {
      argv[argv.lastIndexOf(choice[1]!) + 1] = choice[2]!;
      continue;
    }
    const missing = /required option '(?:-\w, )?(--[\w-]+) /.exec(r.stderr)?.[1];
    assert.ok(missing, `${argv.join(' ')}: ${r.stderr}`);
    argv.push(missing, 'x');
  }
  assert.fail(`${path}: no argv runs it`);
}

/** The visible boolean flags of a command as declared: long and short spellings, and the option key. */
function switchesOf(cmd: Command): { spellings: string[]; key: string; negate: boolean }[] {
  return cmd.options
    .filter((o) => !o.hidden && (o.isBoolean() || o.negate))
    .map((o) => ({
      spellings: [o.long, o.short].filter((f): f is string => Boolean(f)),
      key: o.attributeName(),
      negate: o.negate,
    }));
}

const usageStyle = (path: string) =>
  new RegExp(`^error: [^\\n]+\\n(?:[^\\n]*\\n)*See 'kubefedctl${path ? ` ${path}` : ''} --help' for usage\\.\\n$`);

/** Usage errors exit 1, or 2 under diff (1 means "differences found" there, as in kubectl diff). */
const usageCode = (path: string) => (path.split(' ')[0] === 'diff' ? 2 : 1);

describe('boolean flags: --flag, --flag=true, --flag=false', () => {
  const program = buildProgram(memoryIO());
  const commands = leaves(program).filter((c) => c.path !== 'help');
  it('every command has its boolean flags found from the declarations', () => {
    const all = commands.flatMap(({ cmd }) => switchesOf(cmd).map((s) => s.spellings[0]));
    for (const flag of ['--error-on-existing', '--recursive', '--all-namespaces', '--force', '--delete-crd'])
      assert.ok(all.includes(flag), flag);
    assert.deepEqual([...booleanFlags(program).keys()].sort(), ['--color', '--no-color']);
  });
  for (const { path, cmd } of commands) {
    const switches = switchesOf(cmd);
    if (switches.length === 0) continue;
    it(`${path}: ${switches.map((s) => s.spellings.join('/')).join(', ')}`, async () => {
      const base = await minimalArgv(path, cmd);
      const flagsOf = async (extra: string[]) => {
        const r = await run([...base, ...extra]);
        assert.equal(r.code, 0, `${[...base, ...extra].join(' ')}: ${r.stderr}`);
        return r.flags ?? {};
      };
      const unset = await flagsOf([]);
      for (const { spellings, key, negate } of switches) {
        // A --no-x switch sets x to false when given.
        const given = !negate;
        assert.notEqual(unset[key], given, `${path}: ${key} is not ${String(given)} by default`);
        for (const flag of spellings) {
          assert.equal((await flagsOf([flag]))[key], given, `${path} ${flag}`);
          for (const word of ['true', 'True', 't', '1'])
            assert.equal((await flagsOf([`${flag}=${word}`]))[key], given, `${path} ${flag}=${word}`);
          for (const word of ['false', 'FALSE', 'f', '0'])
            assert.equal((await flagsOf([`${flag}=${word}`]))[key], !given, `${path} ${flag}=${word}`);
          assert.equal((await flagsOf([flag, `${flag}=false`]))[key], !given, `${path}: the last ${flag} wins`);
          assert.equal((await flagsOf([`${flag}=false`, flag]))[key], given, `${path}: the last ${flag} wins`);
          const bad = await run([...base, `${flag}=maybe`]);
          assert.equal(bad.code, usageCode(path), `${path} ${flag}=maybe`);
          assert.equal(bad.stdout, '');
          assert.match(
            bad.stderr,
            new RegExp(`^error: option '${flag}' argument 'maybe' is invalid\\. It must be true or false\\.\\n`),
          );
          assert.match(bad.stderr, usageStyle(path));
        }
      }
    });
  }
  it('a value after "=" never swallows the next word: join --error-on-existing=false NAME', async () => {
    const r = await run(['join', '--error-on-existing=false', 'c2']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.flags?.['errorOnExisting'], false);
    const positional = await run(['join', 'c2', '--error-on-existing', '--', '--force=false']);
    assert.equal(positional.code, 1, 'words after -- are arguments, not flags');
    assert.match(positional.stderr, /too many arguments/);
  });
  it('the root switch --no-color takes =true and =false as well', async () => {
    assert.equal((await run(['--no-color', 'version'])).root['color'], false);
    assert.equal((await run(['--no-color=true', 'version'])).root['color'], false);
    assert.equal((await run(['--no-color=false', 'version'])).root['color'], true);
    assert.equal((await run(['version'])).root['color'], true);
  });
  it("--dry-run also takes kubefedctl's boolean spellings", () => {
    assert.deepEqual(normaliseDryRunArgs(['--dry-run=true', '--dry-run=false', '--dry-run=server']), [
      '--dry-run=client',
      '--dry-run=none',
      '--dry-run=server',
    ]);
  });
  it('a short flag takes its value after "=" as in kubectl: -n=web', async () => {
    assert.equal((await run(['status', '-n=web'])).flags?.['namespace'], 'web');
  });
  it('--help is unchanged: no hidden opposites, no [bool] placeholders', async () => {
    const r = await run(['join', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\n {2}--error-on-existing {2,}fail if any object/);
    assert.doesNotMatch(r.stdout, /--no-error-on-existing|\[bool/);
  });
});

describe('propagate --wait[=DURATION]: a flag with an optional value', () => {
  /** Runs the real propagate action, which refuses bad --wait values before it contacts anything. */
  async function runReal(argv: string[]): Promise<{ code: number; stderr: string }> {
    const io = memoryIO();
    const code = await runProgram(buildProgram(io), argv, io, 'kubefedctl');
    return { code, stderr: io.stderr() };
  }

  it('bare --wait, --wait=DURATION and --wait DURATION reach the command', async () => {
    assert.equal((await run(['propagate', '--wait'])).flags?.['wait'], true);
    assert.equal((await run(['propagate', '--wait=90s'])).flags?.['wait'], '90s');
    assert.equal((await run(['propagate', '--wait', '2m'])).flags?.['wait'], '2m');
    assert.equal((await run(['propagate', '--wait=0'])).flags?.['wait'], '0');
    assert.equal((await run(['propagate'])).flags?.['wait'], undefined);
  });

  it('a bare --wait before another flag does not take that flag as its value', async () => {
    const r = await run(['propagate', '--wait', '-f', 'x.yaml']);
    assert.equal(r.flags?.['wait'], true);
    assert.deepEqual(r.flags?.['filename'], ['x.yaml']);
  });

  it('is parsed into milliseconds: bare means 5m, 0 means check once', () => {
    assert.equal(waitMsOf(undefined, 'none'), undefined);
    assert.equal(waitMsOf(true, 'none'), 300_000);
    assert.equal(waitMsOf('1m30s', 'none'), 90_000);
    assert.equal(waitMsOf('45', 'none'), 45_000);
    assert.equal(waitMsOf('0', 'none'), 0);
  });

  it('a value that is not a duration, or --wait with --dry-run, is a usage error naming --wait', async () => {
    const bad = await runReal(['propagate', '--wait=soon']);
    assert.equal(bad.code, usageCode('propagate'));
    assert.match(bad.stderr, /^error: invalid --wait "soon": use a duration such as 30s, 5m or 1h/);
    assert.match(bad.stderr, usageStyle('propagate'));
    const dry = await runReal(['propagate', '--wait', '--dry-run']);
    assert.equal(dry.code, usageCode('propagate'));
    assert.match(dry.stderr, /^error: --wait cannot be used with --dry-run/);
    assert.throws(() => waitMsOf('5m', 'server'), /--wait cannot be used with --dry-run/);
  });

  it('--help shows it with its optional value and default', async () => {
    const r = await run(['propagate', '--help']);
    assert.match(r.stdout, /\n {2}--wait \[duration\] {2,}after writing, wait until every member\n/);
    assert.match(r.stdout, /bare --wait: 5m; 0: check once/);
    assert.match(r.stdout, /\n {2}3 {2}with --wait: every change was applied, but some objects were not ready/);
  });
});

describe('-v / --v', () => {
  for (const argv of [['-v', '4'], ['-v=4'], ['--v=4'], ['--v', '4'], ['-v4']])
    it(`${argv.join(' ')} sets the level`, async () => {
      const r = await run([...argv, 'version']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.root['v'], 4);
    });
  it('0 and 10 are the bounds; after the command works too', async () => {
    assert.equal((await run(['version', '-v', '0'])).root['v'], 0);
    assert.equal((await run(['join', 'c2', '--v=10'])).root['v'], 10);
  });
  for (const value of ['x', '11', '-1', '1.5', '', '3x'])
    it(`-v "${value}" is a usage error`, async () => {
      const r = await run(['join', 'c2', `--v=${value}`]);
      assert.equal(r.code, 1);
      assert.equal(r.flags, undefined, 'the command did not run');
      assert.match(
        r.stderr,
        /^error: option '-v, --v <level>' argument '.*' is invalid\. It must be a whole number from 0 to 10\.\n/,
      );
      assert.match(r.stderr, usageStyle('join'));
    });
  it('under diff it exits 2 like any diff error', async () => {
    const r = await run(['diff', '-v', 'lots']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, usageStyle('diff'));
  });
});

describe('--context', () => {
  const program = buildProgram(memoryIO());
  const hosted = leaves(program).filter(({ cmd }) => cmd.options.some((o) => o.long === '--host-cluster-context'));
  it('every command that takes the host context takes --context', () => {
    assert.ok(hosted.length >= 10);
    for (const { path, cmd } of hosted)
      assert.ok(
        cmd.options.some((o) => o.long === '--context' && !o.hidden),
        path,
      );
  });
  for (const { path, cmd } of hosted)
    it(`${path}: --context is --host-cluster-context`, async () => {
      const base = await minimalArgv(path, cmd);
      const alias = await run([...base, '--context', 'east']);
      assert.equal(alias.code, 0, alias.stderr);
      assert.equal(alias.flags?.['hostClusterContext'], 'east');
      const both = await run([...base, '--context=east', '--host-cluster-context', 'east']);
      assert.equal(both.flags?.['hostClusterContext'], 'east', 'both, agreeing');
      const clash = await run([...base, '--context', 'east', '--host-cluster-context', 'west']);
      assert.equal(clash.code, usageCode(path));
      assert.equal(clash.flags, undefined);
      assert.match(clash.stderr, /^error: --context "east" and --host-cluster-context "west" name different contexts/);
      assert.match(clash.stderr, usageStyle(path));
    });
  it('render, which contacts no cluster, refuses --context and --kubeconfig and says why; its help says so', async () => {
    for (const flag of ['--context', '--kubeconfig']) {
      const r = await run(['render', '-f', 'x', '--clusters', 'y', flag, 'east']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`^error: ${flag} is not accepted here: render contacts no cluster`));
      assert.match(r.stderr, usageStyle('render'));
    }
    assert.match(
      (await run(['help', 'render'])).stdout,
      /--kubeconfig\s+and --context\s+\(which kubectl takes on\s+every command\) are refused/,
    );
  });
});

describe('help, did you mean, order and style of usage errors', () => {
  it("help COMMAND prints that command's help and exits 0", async () => {
    for (const [argv, usage] of [
      [['help', 'join'], 'Usage: kubefedctl join '],
      [['help', 'orphaning-deletion', 'enable'], 'Usage: kubefedctl orphaning-deletion enable '],
      [['help', 'help'], 'Usage: kubefedctl help '],
      [['help'], 'Usage: kubefedctl [options] [command]'],
    ] as const) {
      const r = await run([...argv]);
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.startsWith(usage), `${argv.join(' ')}: ${r.stdout.slice(0, 80)}`);
      assert.equal(r.stderr, '');
    }
    assert.equal((await run(['help', 'join'])).stdout, (await run(['join', '--help'])).stdout);
  });
  it('help of an unknown command is an error, with suggestions', async () => {
    const none = await run(['help', 'nosuch']);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, '');
    assert.equal(
      none.stderr,
      'error: unknown help topic "nosuch" for "kubefedctl"\nSee \'kubefedctl --help\' for usage.\n',
    );
    const close = await run(['help', 'jion']);
    assert.match(close.stderr, /unknown help topic "jion" for "kubefedctl"\n\nDid you mean this\?\n\tjoin\n/);
  });
  it('a mistyped command gets "did you mean", at every level', async () => {
    const r = await run(['joi', 'c2']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: unknown command "joi" for "kubefedctl"\n\nDid you mean this?\n\tjoin\n\nSee \'kubefedctl --help\' for usage.\n',
    );
    const sub = await run(['orphaning-deletion', 'enabel', 'fcm', 'x']);
    assert.match(
      sub.stderr,
      /^error: unknown command "enabel" for "kubefedctl orphaning-deletion"\n\nDid you mean this\?\n\tenable\n/,
    );
    assert.match(sub.stderr, usageStyle('orphaning-deletion'));
    const far = await run(['frobnicate']);
    assert.equal(
      far.stderr,
      'error: unknown command "frobnicate" for "kubefedctl"\nSee \'kubefedctl --help\' for usage.\n',
    );
  });
  it('a mistyped flag gets "did you mean" too', async () => {
    const r = await run(['join', 'c2', '--error-on-exist']);
    assert.match(r.stderr, /^error: unknown option '--error-on-exist'\n\nDid you mean this\?\n\t--error-on-existing\n/);
    const value = await run(['join', 'c2', '--secret-nam=s']);
    assert.match(value.stderr, /Did you mean this\?\n\t--secret-name\n/);
  });
  it('an unknown flag is reported before a missing argument or required option', async () => {
    for (const [argv, path] of [
      [['render', '--bogus'], 'render'],
      [['render', '-f', 'x', '--bogus'], 'render'],
      [['join', '--bogus'], 'join'],
      [['orphaning-deletion', 'enable', '--bogus'], 'orphaning-deletion enable'],
      [['completion', '--bogus'], 'completion'],
    ] as const) {
      const r = await run([...argv]);
      assert.match(r.stderr, /^error: unknown option '--bogus'\n/, argv.join(' '));
      assert.match(r.stderr, usageStyle(path));
    }
    const missing = await run(['render', '-f', 'x']);
    assert.match(missing.stderr, /^error: required option '--clusters <file>' not specified\n/);
    const argument = await run(['join', '--clusters-context=x']);
    assert.match(argument.stderr, /^error: unknown option '--clusters-context=x'/);
  });
  it('every kind of usage error: "error: ...", a pointer to the command\'s --help, no stdout, the usage code', async () => {
    for (const [argv, path] of [
      [['join'], 'join'],
      [['join', 'c2', 'c3'], 'join'],
      [['join', 'c2', '--bogus'], 'join'],
      [['status', '-n'], 'status'],
      [['init', '--scope', 'Galaxy'], 'init'],
      [['init', '--dry-run=maybe'], 'init'],
      [['render', '-f', 'x'], 'render'],
      [['diff', '--bogus'], 'diff'],
      [['diff', '--all-namespaces=maybe'], 'diff'],
      [['--bogus'], ''],
      [['nope'], ''],
      [['orphaning-deletion', 'status'], 'orphaning-deletion status'],
    ] as const) {
      const r = await run([...argv]);
      assert.equal(r.code, usageCode(path), argv.join(' '));
      assert.equal(r.stdout, '', argv.join(' '));
      assert.match(r.stderr, usageStyle(path), argv.join(' '));
      assert.doesNotMatch(r.stderr, /error: error:|add --help/, argv.join(' '));
    }
  });
});

describe('didYouMean', () => {
  it('suggests names at most two edits away or starting with what was typed, as cobra does', () => {
    assert.equal(didYouMean('jion', ['join', 'init']), '\n\nDid you mean this?\n\tjoin\n');
    assert.equal(didYouMean('prop', ['propagate', 'render']), '\n\nDid you mean this?\n\tpropagate\n');
    assert.equal(didYouMean('xyzzy', ['join', 'init']), '');
    assert.equal(didYouMean('', ['join']), '');
  });
});
