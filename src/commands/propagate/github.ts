// propagate under GitHub Actions: the report's problems as annotations on the input's lines, and a
// Markdown summary appended to $GITHUB_STEP_SUMMARY (output/github.ts).
import type { Inventory } from '../../engine/inventory.js';
import { sourceOf } from '../../engine/inventory.js';
import type { PropagateReport, ResourceResult } from '../../engine/propagate.js';
import { appendStepSummary, inGitHubActions, printAnnotations } from '../../output/github.js';
import { reportAnnotations, reportMarkdown, type Locator } from '../../output/github-report.js';
import { warningLogger, type RunContext } from '../../output/io.js';

const keyOf = (type: string, kind: string, namespace: string | undefined, name: string) =>
  `${type}\n${kind}\n${namespace ?? ''}\n${name}`;

/** Where each federated object of a file-mode inventory was read from (host mode: nowhere). */
export function inputLocator(inv: Inventory): Locator {
  const where = new Map<string, { file: string; line: number }>();
  for (const { ftc, objects } of inv.types)
    for (const o of objects) {
      const source = sourceOf(o);
      if (source && source.file !== '<stdin>')
        where.set(keyOf(ftc.metadata.name, o.kind ?? '', o.metadata.namespace, o.metadata.name ?? ''), {
          file: source.file,
          line: source.line,
        });
    }
  return (r: ResourceResult) => where.get(keyOf(r.type, r.kind, r.namespace, r.name));
}

/** Annotations (with GITHUB_ACTIONS=true) and the step summary (with GITHUB_STEP_SUMMARY) of a report. */
export function publishReport(
  ctx: RunContext,
  report: PropagateReport,
  locate: Locator,
  refs: Map<string, string>,
): void {
  const env = ctx.io.env;
  if (inGitHubActions(env)) printAnnotations(reportAnnotations(report, locate), ctx.io.err, env);
  // The summary is made only when there is a file to append it to.
  const problem = appendStepSummary(() => reportMarkdown(report, 'kubefedctl propagate', refs), env);
  if (problem) warningLogger(ctx)(problem);
}
