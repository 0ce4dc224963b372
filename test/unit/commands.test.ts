// Wiring: each command parses argv with commander and hands its run step the typed options the flags
// stand for. The run step is a stub, so nothing here touches a cluster or a kubeconfig.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import type { CommandContext } from '../../src/commands/declare.js';
import { normaliseDryRunArgs } from '../../src/commands/shared-flags.js';
import { memoryIO, type RunContext } from '../../src/output/io.js';
import { initCommand, type InitFlags } from '../../src/commands/init/command.js';
import type { InitCommandOptions } from '../../src/commands/init/options.js';
import { joinCommand, type JoinFlags } from '../../src/commands/join/command.js';
import { joinOptions, type JoinCommandOptions } from '../../src/commands/join/options.js';
import { unjoinCommand } from '../../src/commands/unjoin/command.js';
import type { UnjoinCommandOptions } from '../../src/commands/unjoin/options.js';
import { enableCommand, type EnableFlags } from '../../src/commands/enable/command.js';
import { enableOptions, type EnableCommandOptions } from '../../src/commands/enable/options.js';
import { disableCommand } from '../../src/commands/disable/command.js';
import type { DisableCommandOptions } from '../../src/commands/disable/options.js';
import { federateCommand } from '../../src/commands/federate/command.js';
import type { FederateOptions } from '../../src/commands/federate/options.js';
import { orphaningDeletionCommand } from '../../src/commands/orphaning-deletion/command.js';
import type { OrphaningOptions } from '../../src/commands/orphaning-deletion/options.js';
import { statusCommand } from '../../src/commands/status/command.js';
import type { StatusCommandOptions } from '../../src/commands/status/options.js';
import { completionCommand } from '../../src/commands/completion/command.js';
import type { CompletionOptions } from '../../src/commands/completion/options.js';
import { versionCommand } from '../../src/commands/version/command.js';
import type { VersionOptions } from '../../src/commands/version/options.js';
import { propagateCommand } from '../../src/commands/propagate/command.js';
import type { PropagateCommandOptions } from '../../src/commands/propagate/options.js';
import { diffCommand } from '../../src/commands/diff/command.js';
import type { DiffCommandOptions } from '../../src/commands/diff/options.js';
import { renderCommand } from '../../src/commands/render/command.js';
import type { RenderCommandOptions } from '../../src/commands/render/options.js';
import { convertCommand } from '../../src/commands/convert/command.js';
import type { ConvertCommandOptions } from '../../src/commands/convert/options.js';
import { ExitError, UsageError } from '../../src/errors.js';

const HOST_DEFAULTS = { kubefedNamespace: 'kube-federation-system', requestTimeout: '30s' };

function context(): CommandContext & { io: ReturnType<typeof memoryIO> } {
  return { io: memoryIO(), verbosity: () => 3 };
}

/** Parses argv as the root does (a bare --dry-run means client), with commander's errors thrown, not printed. */
async function parse(cmd: CommandUnknownOpts, argv: string[]): Promise<void> {
  const quiet = (c: CommandUnknownOpts): void => {
    c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    c.commands.forEach(quiet);
  };
  quiet(cmd);
  await cmd.parseAsync(normaliseDryRunArgs(argv), { from: 'user' });
}

/** A stub run step that records what it was given. */
function recorder<O>(): { calls: { ctx: RunContext; opts: O }[]; run: (ctx: RunContext, opts: O) => Promise<void> } {
  const calls: { ctx: RunContext; opts: O }[] = [];
  return { calls, run: async (ctx, opts) => void calls.push({ ctx, opts }) };
}

describe('init wiring', () => {
  it('defaults', async () => {
    const r = recorder<InitCommandOptions>();
    await parse(
      initCommand(context(), async () => ({ runInit: r.run })),
      [],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      scope: 'Cluster',
      enableDefaultTypes: false,
      dryRun: 'none',
      host: HOST_DEFAULTS,
    });
    assert.equal(r.calls[0]?.ctx.verbosity, 3);
  });
  it('every flag', async () => {
    const r = recorder<InitCommandOptions>();
    await parse(
      initCommand(context(), async () => ({ runInit: r.run })),
      [
        '--kubeconfig',
        'kc',
        '--host-cluster-context',
        'h',
        '--kubefed-namespace',
        'fed',
        '--request-timeout',
        '5s',
        '--scope',
        'Namespaced',
        '--enable-default-types',
        '-o',
        'name',
        '--dry-run',
      ],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      scope: 'Namespaced',
      enableDefaultTypes: true,
      dryRun: 'client',
      output: 'name',
      host: { kubeconfig: 'kc', hostClusterContext: 'h', kubefedNamespace: 'fed', requestTimeout: '5s' },
    });
  });
  it('commander refuses a value outside the choices before the run step', async () => {
    const r = recorder<InitCommandOptions>();
    await assert.rejects(
      parse(
        initCommand(context(), async () => ({ runInit: r.run })),
        ['--scope', 'Galaxy'],
      ),
      /argument 'Galaxy' is invalid/,
    );
    assert.equal(r.calls.length, 0);
  });
  it('option types come from the declaration', () => {
    const flags = {} as InitFlags;
    // @ts-expect-error a flag init does not declare
    void flags.scopes;
    const scope: 'Cluster' | 'Namespaced' = flags.scope;
    void scope;
  });
});

describe('join wiring', () => {
  it('the argument and every flag', async () => {
    const r = recorder<JoinCommandOptions>();
    await parse(
      joinCommand(context(), async () => ({ runJoin: r.run })),
      [
        'cluster2',
        '--cluster-context',
        'ctx2',
        '--host-cluster-name',
        'hub',
        '--secret-name',
        's1',
        '--error-on-existing',
        '--label',
        'region=eu',
        '--label',
        'tier=gold',
        '--region',
        'eu-west',
        '--zone',
        'a',
        '--zone',
        'b',
        '--dry-run=server',
        '-o',
        'json',
        '--host-cluster-context',
        'h',
      ],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      clusterName: 'cluster2',
      clusterContext: 'ctx2',
      hostClusterName: 'hub',
      secretName: 's1',
      errorOnExisting: true,
      labels: { region: 'eu', tier: 'gold' },
      region: 'eu-west',
      zones: ['a', 'b'],
      dryRun: 'server',
      output: 'json',
      host: { hostClusterContext: 'h', ...HOST_DEFAULTS },
    });
  });
  it('defaults', async () => {
    const r = recorder<JoinCommandOptions>();
    await parse(
      joinCommand(context(), async () => ({ runJoin: r.run })),
      ['c2'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      clusterName: 'c2',
      errorOnExisting: false,
      labels: {},
      dryRun: 'none',
      host: HOST_DEFAULTS,
    });
  });
  it('bad input is refused before the run step is loaded', async () => {
    let loaded = false;
    const cmd = joinCommand(context(), async () => ((loaded = true), { runJoin: async () => {} }));
    await assert.rejects(parse(cmd, ['Bad_Name']), /invalid cluster name "Bad_Name"/);
    assert.equal(loaded, false);
  });
  it('options: names, labels, region and zones are checked in order', () => {
    const flags: JoinFlags = { ...HOST_DEFAULTS, errorOnExisting: false, dryRun: 'none' };
    assert.throws(() => joinOptions('c2', { ...flags, secretName: 'Bad' }), /invalid --secret-name "Bad"/);
    assert.throws(() => joinOptions('c2', { ...flags, label: ['novalue'] }), /invalid --label "novalue"/);
    assert.throws(() => joinOptions('c2', { ...flags, region: 'eu west' }), /invalid region or zone "eu west"/);
    assert.throws(() => joinOptions('c2', { ...flags, zone: ['ok', 'not ok'] }), /invalid region or zone "not ok"/);
  });
});

describe('unjoin wiring', () => {
  it('the argument and every flag', async () => {
    const r = recorder<UnjoinCommandOptions>();
    await parse(
      unjoinCommand(context(), async () => ({ runUnjoin: r.run })),
      ['c2', '--cluster-context', 'ctx2', '--host-cluster-name', 'hub', '--force', '--dry-run', '--kubeconfig', 'kc'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      clusterName: 'c2',
      clusterContext: 'ctx2',
      hostClusterName: 'hub',
      force: true,
      dryRun: 'client',
      host: { kubeconfig: 'kc', ...HOST_DEFAULTS },
    });
  });
  it('defaults, and a bad cluster name', async () => {
    const r = recorder<UnjoinCommandOptions>();
    await parse(
      unjoinCommand(context(), async () => ({ runUnjoin: r.run })),
      ['c2'],
    );
    assert.deepEqual(r.calls[0]?.opts, { clusterName: 'c2', force: false, dryRun: 'none', host: HOST_DEFAULTS });
    await assert.rejects(
      parse(
        unjoinCommand(context(), async () => ({ runUnjoin: r.run })),
        ['c_2'],
      ),
      /invalid cluster name "c_2"/,
    );
  });
});

describe('enable wiring', () => {
  it('a type and every flag', async () => {
    const r = recorder<EnableCommandOptions>();
    await parse(
      enableCommand(context(), async () => ({ runEnable: r.run })),
      [
        'deployments.apps',
        '--version',
        'v1',
        '--federated-group',
        'fed.example.com',
        '--federated-version',
        'v2',
        '-o',
        'json',
        '--dry-run=server',
      ],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      source: { kind: 'type', type: 'deployments.apps' },
      version: 'v1',
      options: { federatedGroup: 'fed.example.com', federatedVersion: 'v2' },
      dryRun: 'server',
      output: 'json',
      host: HOST_DEFAULTS,
    });
  });
  it('a file, with the default federated group', async () => {
    const r = recorder<EnableCommandOptions>();
    await parse(
      enableCommand(context(), async () => ({ runEnable: r.run })),
      ['-f', 'crd.yaml'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      source: { kind: 'file', path: 'crd.yaml' },
      options: { federatedGroup: 'types.kubefed.io', federatedVersion: 'v1beta1' },
      dryRun: 'none',
      host: HOST_DEFAULTS,
    });
  });
  it('options: a group without a dot, then TYPE and -f together or neither', () => {
    const flags: EnableFlags = {
      ...HOST_DEFAULTS,
      federatedGroup: 'types.kubefed.io',
      federatedVersion: 'v1beta1',
      dryRun: 'none',
    };
    assert.throws(
      () => enableOptions('x', { ...flags, federatedGroup: 'nodot', filename: 'f' }),
      /--federated-group "nodot" must contain a dot/,
    );
    assert.throws(() => enableOptions('x', { ...flags, filename: 'f' }), /either a TYPE or -f FILE/);
    assert.throws(() => enableOptions(undefined, flags), /TYPE is required/);
  });
});

describe('disable wiring', () => {
  it('the argument and every flag', async () => {
    const r = recorder<DisableCommandOptions>();
    await parse(
      disableCommand(context(), async () => ({ runDisable: r.run })),
      [
        'configmaps',
        '--delete-crd',
        '--force',
        '--version',
        'v1',
        '--federated-group',
        'g.io',
        '--federated-version',
        'v9',
        '--dry-run',
      ],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      type: 'configmaps',
      version: 'v1',
      deleteCrd: true,
      force: true,
      federatedGroup: 'g.io',
      federatedVersion: 'v9',
      dryRun: 'client',
      host: HOST_DEFAULTS,
    });
  });
  it('defaults; TYPE is required', async () => {
    const r = recorder<DisableCommandOptions>();
    await parse(
      disableCommand(context(), async () => ({ runDisable: r.run })),
      ['configmaps'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      type: 'configmaps',
      deleteCrd: false,
      force: false,
      federatedGroup: 'types.kubefed.io',
      federatedVersion: 'v1beta1',
      dryRun: 'none',
      host: HOST_DEFAULTS,
    });
    await assert.rejects(
      parse(
        disableCommand(context(), async () => ({ runDisable: r.run })),
        [],
      ),
      /missing required argument 'type'/,
    );
  });
});

describe('federate wiring', () => {
  it('TYPE NAME and every flag', async () => {
    const r = recorder<FederateOptions>();
    await parse(
      federateCommand(context(), async () => ({ runFederate: r.run })),
      [
        'namespaces',
        'web',
        '-n',
        'web',
        '--enable-type',
        '--contents',
        '-s',
        'secrets,apps',
        '-s',
        'roles',
        '--placement-clusters',
        'c1,c2',
        '--placement-clusters',
        'c3',
        '--cluster-selector',
        'region=eu',
        '--overwrite',
        '--dry-run=server',
        '-o',
        'yaml',
      ],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      source: { kind: 'live', type: 'namespaces', name: 'web' },
      namespace: 'web',
      enableType: true,
      contents: true,
      skip: ['secrets', 'apps', 'roles'],
      placement: {
        clusters: [{ name: 'c1' }, { name: 'c2' }, { name: 'c3' }],
        clusterSelector: { matchLabels: { region: 'eu' } },
      },
      overwrite: true,
      dryRun: 'server',
      output: 'yaml',
      kubefedNamespace: 'kube-federation-system',
      host: HOST_DEFAULTS,
    });
  });
  it('files, with the default placement (every cluster)', async () => {
    const r = recorder<FederateOptions>();
    await parse(
      federateCommand(context(), async () => ({ runFederate: r.run })),
      ['-f', 'a.yaml', '-f', 'dir', '-R', '--kubefed-namespace', 'fed'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      source: { kind: 'files', paths: ['a.yaml', 'dir'], recursive: true },
      enableType: false,
      contents: false,
      skip: [],
      placement: { clusterSelector: { matchLabels: {} } },
      overwrite: false,
      dryRun: 'none',
      output: undefined,
      kubefedNamespace: 'fed',
      host: { ...HOST_DEFAULTS, kubefedNamespace: 'fed' },
    });
  });
  it('bad combinations are refused before the run step', async () => {
    await assert.rejects(
      parse(
        federateCommand(context(), async () => assert.fail('loaded')),
        ['configmaps'],
      ),
      /NAME is required/,
    );
  });
});

describe('orphaning-deletion wiring', () => {
  const run = async (argv: string[]) => {
    const r = recorder<OrphaningOptions>();
    await parse(
      orphaningDeletionCommand(context(), async () => ({ runOrphaning: r.run })),
      argv,
    );
    return r.calls[0]?.opts;
  };
  it('enable and disable take --dry-run; status writes nothing', async () => {
    assert.deepEqual(await run(['enable', 'federatedconfigmaps', 'settings', '-n', 'web', '--dry-run']), {
      verb: 'enable',
      type: 'federatedconfigmaps',
      name: 'settings',
      namespace: 'web',
      dryRun: 'client',
      host: HOST_DEFAULTS,
    });
    assert.deepEqual(await run(['disable', 'fcm', 'settings', '--host-cluster-context', 'h']), {
      verb: 'disable',
      type: 'fcm',
      name: 'settings',
      dryRun: 'none',
      host: { hostClusterContext: 'h', ...HOST_DEFAULTS },
    });
    assert.deepEqual(await run(['status', 'fcm', 'settings']), {
      verb: 'status',
      type: 'fcm',
      name: 'settings',
      dryRun: 'none',
      host: HOST_DEFAULTS,
    });
  });
  it('status has no --dry-run', async () => {
    await assert.rejects(run(['status', 'fcm', 'settings', '--dry-run=server']), /unknown option '--dry-run=server'/);
  });
});

describe('status wiring', () => {
  it('TYPE NAME and every flag', async () => {
    const r = recorder<StatusCommandOptions>();
    await parse(
      statusCommand(context(), async () => ({ runStatus: r.run })),
      ['deployments.apps', 'web', '-n', 'shop', '-o', 'wide'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      type: 'deployments.apps',
      name: 'web',
      namespace: 'shop',
      allNamespaces: false,
      output: 'wide',
      host: HOST_DEFAULTS,
    });
  });
  it('defaults; -n with -A is refused', async () => {
    const r = recorder<StatusCommandOptions>();
    await parse(
      statusCommand(context(), async () => ({ runStatus: r.run })),
      ['-A'],
    );
    assert.deepEqual(r.calls[0]?.opts, { allNamespaces: true, host: HOST_DEFAULTS });
    await assert.rejects(
      parse(
        statusCommand(context(), async () => ({ runStatus: r.run })),
        ['-n', 'x', '-A'],
      ),
      /either -n\/--namespace or -A/,
    );
  });
});

describe('completion wiring', () => {
  it('the shell and the tree of the root it belongs to', async () => {
    const r = recorder<CompletionOptions>();
    const root = new Command('kubectl fed').option('--no-color', 'x');
    root.addCommand(new Command('join').option('--label <l>', 'x'));
    root.addCommand(new Command('orphaning-deletion').addCommand(new Command('status')));
    root.addCommand(completionCommand(context(), async () => ({ runCompletion: r.run })));
    await parse(root, ['completion', 'fish']);
    assert.deepEqual(r.calls[0]?.opts, {
      shell: 'fish',
      program: 'kubectl-fed',
      globalFlags: ['--no-color', '--help'],
      commands: [
        { name: 'join', flags: ['--label'], subcommands: [] },
        { name: 'orphaning-deletion', flags: [], subcommands: ['status'] },
        { name: 'completion', flags: [], subcommands: [] },
      ],
    });
  });
  it('an unknown shell is refused', async () => {
    await assert.rejects(
      parse(
        completionCommand(context(), async () => assert.fail('loaded')),
        ['powershell'],
      ),
      /unsupported shell "powershell"/,
    );
    await assert.rejects(
      parse(
        completionCommand(context(), async () => assert.fail('loaded')),
        ['toString'],
      ),
      /unsupported shell "toString"/,
    );
  });
});

describe('version wiring', () => {
  it('-o', async () => {
    const r = recorder<VersionOptions>();
    await parse(
      versionCommand(context(), async () => ({ runVersion: r.run })),
      ['-o', 'yaml'],
    );
    await parse(
      versionCommand(context(), async () => ({ runVersion: r.run })),
      [],
    );
    assert.deepEqual(
      r.calls.map((c) => c.opts),
      [{ output: 'yaml' }, {}],
    );
  });
});

describe('propagate wiring', () => {
  it('file mode and every flag', async () => {
    const r = recorder<PropagateCommandOptions>();
    await parse(
      propagateCommand(context(), async () => ({ runPropagate: r.run })),
      [
        '-f',
        'a.yaml',
        '-f',
        'dir',
        '-R',
        '--clusters',
        'clusters.yaml',
        '--type',
        'deployments.apps,configmaps',
        '--type',
        ' secrets ',
        '-n',
        'shop',
        '--adopt',
        '--concurrency',
        '4',
        '--collect-status',
        '--dry-run=server',
        '-o',
        'json',
        '--host-cluster-context',
        'h',
        '--request-timeout',
        '0',
        '--validate=warn',
        '--cache-dir',
        '/tmp/cache',
      ],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      request: {
        filenames: ['a.yaml', 'dir'],
        recursive: true,
        clusters: 'clusters.yaml',
        types: ['deployments.apps', 'configmaps', 'secrets'],
        namespace: 'shop',
        adopt: true,
        collectStatus: true,
        kubefedNamespace: 'kube-federation-system',
        hostClusterContext: 'h',
        dryRun: 'server',
        validate: 'warn',
      },
      concurrency: 4,
      dryRun: 'server',
      output: 'json',
      host: { hostClusterContext: 'h', kubefedNamespace: 'kube-federation-system', requestTimeout: '0' },
      recordDir: '/tmp/cache/kubefedctl',
    });
  });
  it("run records: --cache-dir, else $KUBECACHEDIR, else ~/.kube/cache; '' keeps none; host mode none", async () => {
    const recordDir = async (argv: string[], env: Record<string, string> = {}) => {
      const r = recorder<PropagateCommandOptions>();
      const ctx = context();
      ctx.io.env = env;
      await parse(
        propagateCommand(ctx, async () => ({ runPropagate: r.run })),
        argv,
      );
      return r.calls[0]?.opts.recordDir;
    };
    assert.equal(await recordDir(['-f', 'a.yaml']), join(homedir(), '.kube', 'cache', 'kubefedctl'));
    assert.equal(await recordDir(['-f', 'a.yaml'], { KUBECACHEDIR: '/c' }), '/c/kubefedctl');
    assert.equal(await recordDir(['-f', 'a.yaml', '--cache-dir', '/d'], { KUBECACHEDIR: '/c' }), '/d/kubefedctl');
    assert.equal(await recordDir(['-f', 'a.yaml', '--cache-dir', ''], { KUBECACHEDIR: '/c' }), undefined);
    assert.equal(await recordDir(['-f', 'a.yaml'], { KUBECACHEDIR: '' }), undefined);
    assert.equal(await recordDir([]), undefined);
  });
  it('host mode defaults', async () => {
    const r = recorder<PropagateCommandOptions>();
    await parse(
      propagateCommand(context(), async () => ({ runPropagate: r.run })),
      ['-l', 'app=web', '--dry-run'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      request: {
        filenames: [],
        recursive: false,
        types: [],
        selector: 'app=web',
        adopt: false,
        collectStatus: false,
        kubefedNamespace: 'kube-federation-system',
        dryRun: 'client',
        validate: 'strict',
      },
      concurrency: 16,
      dryRun: 'client',
      host: HOST_DEFAULTS,
    });
  });
  it('refusals come in order: --concurrency, --request-timeout, then the inventory flags', async () => {
    const cmd = () => propagateCommand(context(), async () => assert.fail('loaded'));
    await assert.rejects(
      parse(cmd(), ['--concurrency', '0', '--request-timeout', 'x', '-n', 'a', '-A']),
      /invalid --concurrency "0"/,
    );
    await assert.rejects(parse(cmd(), ['--request-timeout', 'x', '-n', 'a', '-A']), /invalid --request-timeout "x"/);
    await assert.rejects(
      parse(cmd(), ['-n', 'a', '-A']),
      (e) => e instanceof UsageError && /either -n\/--namespace or -A/.test(e.message),
    );
    await assert.rejects(parse(cmd(), ['--clusters', 'c.yaml']), /--clusters goes with -f/);
    await assert.rejects(parse(cmd(), ['-f', 'a.yaml', '-l', 'x=y']), /-l\/--selector selects objects in the host/);
  });
});

describe('diff wiring', () => {
  it('the same inputs as propagate, without --dry-run and -o', async () => {
    const r = recorder<DiffCommandOptions>();
    await parse(
      diffCommand(context(), async () => ({ runDiff: r.run })),
      ['-f', 'f/', '--clusters', 'c.yaml', '--concurrency', '2'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      request: {
        filenames: ['f/'],
        recursive: false,
        clusters: 'c.yaml',
        types: [],
        adopt: false,
        collectStatus: false,
        kubefedNamespace: 'kube-federation-system',
        dryRun: 'none',
        validate: 'strict',
      },
      concurrency: 2,
      host: HOST_DEFAULTS,
    });
    await assert.rejects(
      parse(
        diffCommand(context(), async () => ({ runDiff: r.run })),
        ['--dry-run'],
      ),
      /unknown option '--dry-run=client'/,
    );
  });
  it('a refused flag or flag combination exits 2, as any diff error (1 means differences)', async () => {
    const cmd = () => diffCommand(context(), async () => assert.fail('loaded'));
    await assert.rejects(
      parse(cmd(), ['-n', 'a', '-A']),
      (e) => e instanceof ExitError && e.code === 2 && e.cause instanceof UsageError,
    );
    await assert.rejects(
      parse(cmd(), ['--concurrency', '0']),
      (e) => e instanceof ExitError && e.code === 2 && e.cause instanceof UsageError,
    );
    await assert.rejects(parse(cmd(), ['--request-timeout', 'x']), (e) => e instanceof ExitError && e.code === 2);
  });
});

describe('render wiring', () => {
  it('every flag', async () => {
    const r = recorder<RenderCommandOptions>();
    await parse(
      renderCommand(context(), async () => ({ runRender: r.run })),
      ['-f', 'a', '-f', 'b', '-R', '--clusters', 'c.yaml', '--output-dir', 'out', '-o', 'json', '--validate=false'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      filename: ['a', 'b'],
      recursive: true,
      clusters: 'c.yaml',
      outputDir: 'out',
      output: 'json',
      validate: 'ignore',
    });
  });
  it('defaults; -f and --clusters are required', async () => {
    const r = recorder<RenderCommandOptions>();
    await parse(
      renderCommand(context(), async () => ({ runRender: r.run })),
      ['-f', 'a', '--clusters', 'c.yaml'],
    );
    assert.deepEqual(r.calls[0]?.opts, {
      filename: ['a'],
      recursive: false,
      clusters: 'c.yaml',
      output: 'yaml',
      validate: 'strict',
    });
    await assert.rejects(
      parse(
        renderCommand(context(), async () => ({ runRender: r.run })),
        ['-f', 'a'],
      ),
      /required option '--clusters <file>' not specified/,
    );
  });
});

describe('convert wiring', () => {
  const cmd = (r: ReturnType<typeof recorder<ConvertCommandOptions>>) =>
    convertCommand(context(), async () => ({ runConvert: r.run }));
  it('every flag', async () => {
    const r = recorder<ConvertCommandOptions>();
    await parse(cmd(r), [
      '-f',
      'a',
      '-R',
      '--to',
      'federated',
      '--clusters',
      'c.yaml',
      '-o',
      'json',
      '--validate=warn',
    ]);
    assert.deepEqual(r.calls[0]?.opts, {
      filename: ['a'],
      recursive: true,
      to: 'federated',
      clusters: 'c.yaml',
      output: 'json',
      validate: 'warn',
    });
  });
  it('--to is required and takes policy or federated', async () => {
    const r = recorder<ConvertCommandOptions>();
    await parse(cmd(r), ['-f', 'a', '--to', 'policy']);
    assert.deepEqual(r.calls[0]?.opts, {
      filename: ['a'],
      recursive: false,
      to: 'policy',
      output: 'yaml',
      validate: 'strict',
    });
    await assert.rejects(parse(cmd(r), ['-f', 'a']), /required option '--to <form>' not specified/);
    await assert.rejects(parse(cmd(r), ['-f', 'a', '--to', 'karmada']), /argument 'karmada' is invalid/);
  });
});
