// `kubefedctl federate`: the declaration (flags, arguments, help). The run step is loaded when it runs.
import { Command } from '@commander-js/extra-typings';
import type { RunContext } from '../../output/io.js';
import { examples, runContext, type CommandContext } from '../declare.js';
import { addDryRunFlag, addHostFlags, addOutputFlag, collect, type FlagsOf } from '../shared-flags.js';
import { completeFederate, type FederateOptions } from './options.js';

function declareFederate() {
  return addDryRunFlag(
    addOutputFlag(
      addHostFlags(
        new Command('federate')
          .argument(
            '[type]',
            'type of the object: plural, singular, kind, short name or plural.group, as kubectl accepts',
          )
          .argument('[name]', 'name of the object')
          .summary('Create the federated version of an object')
          .description(
            'Build the Federated<Kind> of an existing object and create it in the host cluster. The template is the object ' +
              'without apiVersion, kind, status and metadata (labels excepted), and without fields that belong to one cluster ' +
              "(a Service's cluster IPs and node ports, a ServiceAccount's secrets, a Namespace's finalizers). By default it " +
              'is placed in every member cluster; --placement-clusters and --cluster-selector choose clusters instead (with both, ' +
              'KubeFed uses the cluster list). With --contents, a namespace is federated with the objects of every enabled type in it ' +
              '(controller-owned objects and the ones Kubernetes creates in every namespace are left out).\n\n' +
              'An existing federated object with the same template and placement is reported unchanged; one that differs is an ' +
              'error unless --overwrite is given, which replaces its template and placement and keeps its overrides.\n\n' +
              'With -f, the objects come from manifest files (or - for stdin). With -o and -f no kubeconfig and no cluster is ' +
              'needed: types are read from FederatedTypeConfig or CRD documents in the input, a table of built-in kinds, or ' +
              'guessed; without -o the FederatedTypeConfigs installed in the host decide.',
          ),
      ),
      ['yaml', 'json'],
    ),
    'the federated objects it would create',
  )
    .option(
      '-n, --namespace <namespace>',
      'namespace of the object (default: the host context namespace, else "default"); with -f, for manifests without one',
    )
    .option(
      '-t, --enable-type',
      'enable federation of the type first if it is not enabled (and, with --contents, of every type found)',
      false,
    )
    .option('-c, --contents', 'with a namespace: also federate the objects in it', false)
    .option(
      '-s, --skip-api-resources <list>',
      'with --contents: API groups or types to leave out, comma-separated (repeatable)',
      collect,
    )
    .option(
      '--placement-clusters <names>',
      'place the object in exactly these member clusters, comma-separated (repeatable)',
      collect,
    )
    .option(
      '--cluster-selector <key=value>',
      'place the object in member clusters with these labels, comma-separated (repeatable)',
      collect,
    )
    .option('--overwrite', 'replace the template and placement of an existing federated object that differs', false)
    .option(
      '-f, --filename <file>',
      'federate the objects in this file, folder or - (stdin) instead (repeatable)',
      collect,
    )
    .option('-R, --recursive', 'with -f: also read the folders inside a folder', false)
    .addHelpText(
      'after',
      examples(`
      # Federate the ConfigMap "settings" of namespace "web" to every member cluster
      kubefedctl federate configmaps settings -n web

      # Federate a Deployment to two clusters, enabling Deployments first if needed
      kubefedctl federate deployments.apps api --enable-type --placement-clusters cluster2,cluster3

      # Federate a namespace and everything of an enabled type in it
      kubefedctl federate namespace web --contents --skip-api-resources secrets

      # Convert manifests offline and print the federated objects
      kubefedctl federate -f manifests/ -R -o yaml`),
    );
}

/** federate's flags as the declaration types them. */
export type FederateFlags = FlagsOf<ReturnType<typeof declareFederate>>;

/** The run step; tests pass a stub. */
export type FederateRun = { runFederate: (ctx: RunContext, opts: FederateOptions) => Promise<void> };

/** `kubefedctl federate`: flags → options → run (loaded on demand). */
export function federateCommand(ctx: CommandContext, load: () => Promise<FederateRun> = () => import('./run.js')) {
  return declareFederate().action(async (type, name, flags) => {
    const opts = completeFederate(type, name, flags);
    const { runFederate } = await load();
    await runFederate(runContext(ctx), opts);
  });
}
