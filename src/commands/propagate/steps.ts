// What `kubefedctl propagate` does once the inventory is loaded: the pre-flight, the engine and the
// report. run.ts imports this module while its first requests are in flight, so the engine's code
// is not part of the time before the first request (docs/performance.md, "Start-up").
import { ExitError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import type { Inventory } from '../../engine/inventory.js';
import type { PropagateReport } from '../../engine/propagate.js';
import { kindGroup } from '../../api/resources.js';
import type { RunContext } from '../../output/io.js';
import { printReportData, printReportHuman, reportSummaryLine } from '../../output/report.js';
import { publishReport } from './github.js';
import type { PropagateCommandOptions } from './options.js';

export { propagate, startReadingLive } from '../../engine/propagate.js';
export { preflightOnline } from '../../engine/preflight.js';
export { preflightOptions } from '../preflight-options.js';
export { reportSummaryLine };

/** `kind.group` of each type's target, for report lines. */
export function targetRefs(inv: Inventory): Map<string, string> {
  return new Map(
    inv.types.map((t) => [
      t.ftc.metadata.name,
      kindGroup({ kind: t.ftc.spec.targetType.kind, group: t.ftc.spec.targetType.group ?? '' }),
    ]),
  );
}

/** --wait left objects not ready before its deadline. */
export function notReady(report: PropagateReport): boolean {
  return (report.wait?.notReady.length ?? 0) > 0;
}

/** Prints the report (and GitHub's annotations and summary), and sets the exit code. */
export function finish(
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
