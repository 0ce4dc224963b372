// `kubefedctl version`: the declaration. The run step is loaded when it runs.
import { Command, Option } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import type { FlagsOf } from '../shared-flags.js';
import { versionOptions, type VersionOptions } from './options.js';

function declareVersion() {
  return new Command('version')
    .summary('Print the version of kubefedctl')
    .description('Print the version of kubefedctl and of the Node.js runtime it runs on.')
    .addOption(new Option('-o, --output <format>', 'print as yaml or json').choices(['yaml', 'json']))
    .addHelpText(
      'after',
      examples(`
      # Print the version
      kubefedctl version

      # Print it as JSON
      kubefedctl version -o json`),
    );
}

/** version's flags as the declaration types them. */
export type VersionFlags = FlagsOf<ReturnType<typeof declareVersion>>;

/** The run step; tests pass a stub. */
export type VersionRun = { runVersion: (ctx: RunContext, opts: VersionOptions) => Promise<void> };

/** `kubefedctl version`: flags → options → run (loaded on demand). */
export function versionCommand(ctx: CommandContext, load: () => Promise<VersionRun> = () => import('./run.js')) {
  return declareVersion().action(async (flags) => {
    const opts = versionOptions(flags);
    const { runVersion } = await load();
    await runVersion(runContext(ctx), opts);
  });
}
