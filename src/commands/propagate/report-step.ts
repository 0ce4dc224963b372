// How `kubefedctl propagate` shows its report: printed (-o or for people), GitHub's annotations
// and summary, and the exit code. Apart from steps.ts, so that replaying a run record (ADR 0007)
// does not load the engine.
import { ExitError } from '../../errors.js';
import { EXIT } from '../../exit-codes.js';
import type { Inventory } from '../../engine/inventory.js';
import type { PropagateReport } from '../../engine/propagate.js';
import { kindGroup } from '../../api/resources.js';
import type { RunContext } from '../../output/io.js';
import { printReportData, printReportHuman, reportSummaryLine } from '../../output/report.js';
import { inputLocator, publishReport } from './github.js';
import type { Locator } from '../../output/github-report.js';
import type { PropagateCommandOptions } from './options.js';

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

/** How a report's lines name types (`kind.group`) and find their input lines (GitHub annotations). */
export interface ReportContext {
  refs: Map<string, string>;
  locate: Locator;
}

export function reportContext(inv: Inventory): ReportContext {
  return { refs: targetRefs(inv), locate: inputLocator(inv) };
}

/** Prints the report (and GitHub's annotations and summary), and sets the exit code. */
export function finish(
  ctx: RunContext,
  output: PropagateCommandOptions['output'],
  report: PropagateReport,
  { refs, locate }: ReportContext,
): void {
  if (output) printReportData(report, output, ctx.io.out);
  else printReportHuman(report, ctx.io, refs, { verbose: ctx.verbosity >= 2 });
  publishReport(ctx, report, locate, refs);
  if (report.failed) throw new ExitError(EXIT.partial);
  if (notReady(report)) throw new ExitError(EXIT.notReady);
}
