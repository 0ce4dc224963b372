// `kubefedctl diff`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addHostFlags, addPropagationInputs, type FlagsOf } from '../shared-flags.js';
import { diffOptions, type DiffCommandOptions } from './options.js';

function declareDiff() {
  return addPropagationInputs(
    addHostFlags(
      new Command('diff')
        .summary('Show what propagate would change, per cluster')
        .description(
          'Show, as unified diffs per member cluster, what propagate would create, change, delete or stop managing, ' +
            'with the same inputs (host mode, or -f files with --clusters). Only the fields kubefedctl applies are compared, ' +
            'so values the clusters add themselves are not shown. Secret values are masked. Writes nothing.',
        ),
    ),
  ).addHelpText(
    'after',
    examples(
      `
      # What would change in every cluster
      kubefedctl diff

      # In CI: fail the step when the files and the clusters differ
      kubefedctl diff -f federated/ --clusters clusters.yaml`,
      'diff',
    ),
  );
}

/** diff's flags as the declaration types them. */
export type DiffFlags = FlagsOf<ReturnType<typeof declareDiff>>;

/** The run step; tests pass a stub. */
export type DiffRun = { runDiff: (ctx: RunContext, opts: DiffCommandOptions) => Promise<void> };

/** `kubefedctl diff`: flags → options → run (loaded on demand). */
export function diffCommand(ctx: CommandContext, load: () => Promise<DiffRun> = () => import('./run.js')) {
  return declareDiff().action(async (flags) => {
    const opts = diffOptions(flags, ctx.io.env ?? {});
    const { runDiff } = await load();
    await runDiff(runContext(ctx), opts);
  });
}
