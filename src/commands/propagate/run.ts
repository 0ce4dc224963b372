// The run step of `kubefedctl propagate`: load (host or files) -> propagate -> report -> exit code.
import { ExitError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import { loadInventory, type Inventory } from '../../engine/inventory.js';
import { propagate, type PropagateReport } from '../../engine/propagate.js';
import { preflightOnline } from '../../engine/preflight.js';
import { kindGroup } from '../../api/resources.js';
import { requestLogger, warningLogger, type RunContext } from '../../output/io.js';
import { startProgress } from '../../output/progress.js';
import { printReportData, printReportHuman, reportSummaryLine } from '../../output/report.js';
import { publishReport } from './github.js';
import { clientFactory } from '../connect.js';
import { preflightOptions } from '../preflight-options.js';
import type { PropagateCommandOptions } from './options.js';

/** `kind.group` of each type's target, for report lines. */
export function targetRefs(inv: Inventory): Map<string, string> {
  return new Map(
    inv.types.map((t) => [
      t.ftc.metadata.name,
      kindGroup({ kind: t.ftc.spec.targetType.kind, group: t.ftc.spec.targetType.group ?? '' }),
    ]),
  );
}

export async function runPropagate(ctx: RunContext, opts: PropagateCommandOptions): Promise<void> {
  const { dryRun, output } = opts;
  const factory = clientFactory(opts.host, requestLogger(ctx), opts.concurrency);
  const progress = startProgress(ctx, undefined, { output });
  let report: PropagateReport;
  let inv: Inventory;
  try {
    inv = await loadInventory(opts.request, factory, progress.update, warningLogger(ctx));
    if (inv.mode === 'file') await preflightOnline(inv, preflightOptions(ctx, opts.request.validate));
    report = await propagate(inv, {
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
  (report.failed || notReady(report) ? progress.fail : progress.succeed)(reportSummaryLine(report));
  finish(ctx, opts.output, report, inv);
}

/** --wait left objects not ready before its deadline. */
function notReady(report: PropagateReport): boolean {
  return (report.wait?.notReady.length ?? 0) > 0;
}

/** Prints the report (and GitHub's annotations and summary), and sets the exit code. */
function finish(
  ctx: RunContext,
  output: PropagateCommandOptions['output'],
  report: PropagateReport,
  inv: Inventory,
): void {
  const refs = targetRefs(inv);
  if (output) printReportData(report, output, ctx.io.out);
  else printReportHuman(report, ctx.io, refs, { verbose: ctx.verbosity >= 2 });
  publishReport(ctx, report, inv, refs);
  if (report.failed) throw new ExitError(EXIT.partial);
  if (notReady(report)) throw new ExitError(EXIT.notReady);
}
