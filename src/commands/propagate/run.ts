// The run step of `kubefedctl propagate`: load (host or files) -> propagate -> report -> exit code.
import { loadInventory, type Inventory } from '../../engine/inventory.js';
import type { PropagateReport } from '../../engine/propagate.js';
import type { FederatedObject } from '../../federation/federated-object.js';
import type { RenderCache } from '../../federation/render.js';
import { requestLogger, warningLogger, type RunContext } from '../../output/io.js';
import { startProgress } from '../../output/progress.js';
import { clientFactory } from '../connect.js';
import type { PropagateCommandOptions } from './options.js';

export async function runPropagate(ctx: RunContext, opts: PropagateCommandOptions): Promise<void> {
  const { dryRun, output } = opts;
  const factory = clientFactory(opts.host, requestLogger(ctx), opts.concurrency);
  const progress = await startProgress(ctx, undefined, { output });
  let report: PropagateReport;
  let inv: Inventory;
  let steps: typeof import('./steps.js');
  try {
    const loading = loadInventory(opts.request, factory, progress.update, warningLogger(ctx));
    // The engine loads while the inventory's first requests are in flight.
    const stepsLoading = import('./steps.js');
    inv = await loading;
    steps = await stepsLoading;
    // File mode checks its input against each member's schemas first; the members' objects are
    // listed meanwhile, so the servers answer while this process checks.
    const live = steps.startReadingLive(inv);
    // The pre-flight renders every object to check it; the plan reuses those renders.
    const renders = new Map<FederatedObject, RenderCache>();
    if (inv.mode === 'file')
      await steps.preflightOnline(inv, { ...steps.preflightOptions(ctx, opts.request.validate), keepRenders: renders });
    report = await steps.propagate(inv, {
      live,
      renders,
      dryRun,
      progress: progress.update,
      tally: progress.track,
      ...(opts.applySet ? { applySet: opts.applySet } : {}),
      ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}),
    });
  } catch (error) {
    progress.stop();
    throw error;
  } finally {
    factory.closeAll();
  }
  (report.failed || steps.notReady(report) ? progress.fail : progress.succeed)(steps.reportSummaryLine(report));
  steps.finish(ctx, opts.output, report, inv);
}
