// `kubefedctl render`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command, Option } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { collect, refuseClusterFlags, validateOption, type FlagsOf } from '../shared-flags.js';
import { renderOptions, type RenderCommandOptions } from './options.js';

function declareRender() {
  return refuseClusterFlags(
    new Command('render'),
    'render contacts no cluster; the member clusters are the KubeFedCluster documents in --clusters',
  )
    .summary('Print the objects each member cluster would get, offline')
    .description(
      'Render per-cluster manifests from federated resources in files and a clusters file, without contacting any ' +
        'cluster and without a kubeconfig: the same objects propagate would create. With --output-dir, writes one folder ' +
        'per cluster with one file per object, for GitOps tools. As it reads no kubeconfig, --kubeconfig and --context ' +
        '(which kubectl takes on every command) are refused here rather than ignored.',
    )
    .requiredOption('-f, --filename <path>', 'file, folder or - (stdin) with federated resources (repeatable)', collect)
    .option('-R, --recursive', 'read folders given to -f recursively', false)
    .requiredOption('--clusters <file>', 'KubeFedCluster documents naming the member clusters and their labels')
    .option('--output-dir <dir>', 'write <dir>/<cluster>/<object>.yaml instead of printing')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addOption(validateOption())
    .addHelpText(
      'after',
      examples(
        `
      # Print what each cluster would get
      kubefedctl render -f examples/federated --clusters examples/clusters.yaml

      # Write per-cluster folders for a GitOps repository
      kubefedctl render -f examples/federated --clusters examples/clusters.yaml --output-dir out/`,
        'render',
      ),
    );
}

/** render's flags as the declaration types them. */
export type RenderFlags = FlagsOf<ReturnType<typeof declareRender>>;

/** The run step; tests pass a stub. */
export type RenderRun = { runRender: (ctx: RunContext, opts: RenderCommandOptions) => Promise<void> };

/** `kubefedctl render`: flags → options → run (loaded on demand). */
export function renderCommand(ctx: CommandContext, load: () => Promise<RenderRun> = () => import('./run.js')) {
  return declareRender().action(async (flags) => {
    const opts = renderOptions(flags);
    const { runRender } = await load();
    await runRender(runContext(ctx), opts);
  });
}
