// The run step of `kubefedctl propagate`: load (host or files) -> propagate -> report -> exit code.
// In file mode, a run record of the same input that still holds (ADR 0007) is the answer, and
// nothing else is done; a clean full run leaves such a record for the next.
import {
  fileInventory,
  loadFileContext,
  loadInventory,
  type FileContext,
  type Inventory,
} from '../../engine/inventory.js';
import type { PropagateReport } from '../../engine/propagate.js';
import { buildId, readRecord, recordFile, removeRecord, whyRecordStale, writeRecord } from '../../engine/run-cache.js';
import {
  inputDigest,
  RECORD_FORMAT,
  recordedLists,
  replayReport,
  whyNotRecordable,
  type RecordedList,
  type RunRecord,
} from '../../engine/run-record.js';
import type { FederatedObject } from '../../federation/federated-object.js';
import type { RenderCache } from '../../federation/render.js';
import { requestLogger, warningLogger, type RunContext } from '../../output/io.js';
import { startProgress, type Progress } from '../../output/progress.js';
import type { ClientFactory } from '../../kube/factory.js';
import { writerFor } from '../../kube/writer.js';
import { clientFactory } from '../connect.js';
import type { PropagateCommandOptions } from './options.js';

type Steps = typeof import('./steps.js');

/** What a full run leaves: its report and inventory, and (with records on) its lists' digests. */
interface Outcome {
  report: PropagateReport;
  inv: Inventory;
  lists: Promise<RecordedList[] | undefined>;
}

/** What a file-mode run with records on knows of its record before the pass. */
interface Recording {
  file: string;
  /** The input's digest (inputDigest). */
  input: string;
  /** Filled by the pre-flight: the OpenAPI documents each member's checks used. */
  schemaUrls: Map<string, Record<string, string>>;
}

/** What the steps of one run share. */
interface Run {
  ctx: RunContext;
  opts: PropagateCommandOptions;
  progress: Progress;
  /** Warnings printed so far; a run that printed any is not recorded (its replay would not print them). */
  warnings: number;
  warn: (line: string) => void;
}

export async function runPropagate(ctx: RunContext, opts: PropagateCommandOptions): Promise<void> {
  const factory = clientFactory(opts.host, requestLogger(ctx), opts.concurrency);
  const printWarning = warningLogger(ctx);
  const run: Run = {
    ctx,
    opts,
    progress: await startProgress(ctx, undefined, { output: opts.output }),
    warnings: 0,
    warn: (line) => {
      run.warnings++;
      printWarning(line);
    },
  };
  let outcome: Outcome;
  let recording: Recording | undefined;
  let steps: Steps;
  try {
    let inv: Inventory;
    let stepsLoading: Promise<Steps>;
    if (opts.recordDir && opts.request.filenames.length > 0) {
      const loaded = await loadOrReplay(run, opts.recordDir, factory);
      if (!loaded) return;
      ({ inv, recording, stepsLoading } = loaded);
    } else {
      // The engine loads while the first requests are in flight.
      stepsLoading = import('./steps.js');
      inv = await loadInventory(opts.request, factory, run.progress.update, run.warn);
    }
    steps = await stepsLoading;
    outcome = await pass(run, inv, steps, recording?.schemaUrls);
  } catch (error) {
    run.progress.stop();
    throw error;
  } finally {
    factory.closeAll();
  }
  const { report, inv, lists } = outcome;
  if (recording && writerFor(opts.dryRun).persists)
    keepRecord(run, recording, { report, inv, lists: await lists, steps });
  (report.failed || steps.notReady(report) ? run.progress.fail : run.progress.succeed)(steps.reportSummaryLine(report));
  steps.finish(ctx, opts.output, report, steps.reportContext(inv));
}

/**
 * File mode with records on: the inventory and what is known of its record, or undefined when the
 * record still held and was replayed.
 */
async function loadOrReplay(
  run: Run,
  recordDir: string,
  factory: ClientFactory,
): Promise<{ inv: Inventory; recording: Recording; stepsLoading: Promise<Steps> } | undefined> {
  const file = recordFile(recordDir, invocationOf(run));
  const record = readRecord(file);
  // Without a record to check, the engine loads while the first requests are in flight; with one,
  // only if the record no longer holds.
  const loading = record ? undefined : import('./steps.js');
  const context = await loadFileContext(run.opts.request, factory, run.warn, { parseLater: record !== undefined });
  const recording = { file, input: inputDigestOf(context), schemaUrls: new Map<string, Record<string, string>>() };
  if (record && (await recordHolds(run, record, recording, context))) {
    replay(run, record, context, await import('./report-step.js'));
    return undefined;
  }
  return { inv: await fileInventory(context), recording, stepsLoading: loading ?? import('./steps.js') };
}

/** The pre-flight (file mode) and the pass. */
async function pass(
  run: Run,
  inv: Inventory,
  steps: Steps,
  schemaUrls: Map<string, Record<string, string>> | undefined,
): Promise<Outcome> {
  const { ctx, opts, progress } = run;
  // File mode checks its input against each member's schemas first; the members' objects are
  // listed meanwhile, so the servers answer while this process checks.
  const live = steps.startReadingLive(inv);
  // What a record needs of the lists is taken as they arrive, so the pass's writes do not hold them.
  const lists = schemaUrls ? live.then((l) => steps.listsRead(l)).then((l) => l && recordedLists(l)) : undefined;
  // The pre-flight renders every object to check it; the plan reuses those renders.
  const renders = new Map<FederatedObject, RenderCache>();
  if (inv.mode === 'file')
    await steps.preflightOnline(inv, {
      ...steps.preflightOptions(ctx, opts.request.validate),
      warn: run.warn,
      keepRenders: renders,
      ...(schemaUrls ? { schemaUrls } : {}),
    });
  const report = await steps.propagate(inv, {
    live,
    renders,
    dryRun: opts.dryRun,
    progress: progress.update,
    tally: progress.track,
    ...(opts.applySet ? { applySet: opts.applySet } : {}),
    ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}),
  });
  return { report, inv, lists: lists ?? Promise.resolve(undefined) };
}

/** What makes one way of running propagate differ from another, for its record's file name. */
function invocationOf({ opts, ctx }: Run): unknown {
  return {
    cwd: process.cwd(),
    request: { ...opts.request, dryRun: undefined },
    host: opts.host,
    kubeconfig: ctx.io.env?.['KUBECONFIG'],
  };
}

function inputDigestOf(context: FileContext): string {
  return inputDigest({
    build: buildId(),
    options: { ...context.request, dryRun: undefined },
    inputs: context.inputs,
    clusterDocs: context.clusterDocs.map((d) => d.doc),
    known: context.known,
    hostSettings: context.hostSettings,
  });
}

/** -v: why the run did what it did with its record. */
function note(ctx: RunContext, line: string): void {
  if (ctx.verbosity >= 1) ctx.io.err(`${ctx.io.style.dim(line)}\n`);
}

/** Whether `record` is of this input and the members still hold what it saw. */
async function recordHolds(run: Run, record: RunRecord, recording: Recording, context: FileContext): Promise<boolean> {
  if (record.input !== recording.input) return false;
  const stale = await whyRecordStale(record, await context.probing);
  if (stale === undefined) return true;
  note(run.ctx, `the record of the last clean run of this input no longer holds (${stale}): running in full`);
  return false;
}

/** What a finished full run leaves for its record. */
interface Done {
  report: PropagateReport;
  inv: Inventory;
  /** The record's lists, or undefined when a list failed. */
  lists: RecordedList[] | undefined;
  steps: Steps;
}

/** Records a clean run, or removes the record a run that was not clean left stale. */
function keepRecord(run: Run, recording: Recording, done: Done): void {
  const record = recordOf(run, recording, done);
  if (typeof record === 'string') {
    note(run.ctx, `this run is not recorded: ${record}`);
    removeRecord(recording.file);
    return;
  }
  const problem = writeRecord(recording.file, record);
  if (problem) note(run.ctx, `this run is not recorded: ${problem}`);
}

/** The record of a finished run, or why it gets none. */
function recordOf(
  { opts, warnings }: Run,
  recording: Recording,
  { report, inv, lists, steps }: Done,
): RunRecord | string {
  const why = whyNotRecordable(report, {
    persists: writerFor(opts.dryRun).persists,
    ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}),
    ...(opts.applySet ? { applySet: opts.applySet } : {}),
    collectStatus: opts.request.collectStatus,
    warnings,
  });
  if (why) return why;
  if (!lists) return 'a list failed';
  const clusters = inv.clusters.map((c) => c.name);
  const checked = (opts.request.validate ?? 'strict') !== 'ignore';
  if (checked && clusters.some((c) => !recording.schemaUrls.has(c))) return 'a member did not serve its OpenAPI index';
  return {
    format: RECORD_FORMAT,
    input: recording.input,
    clusters,
    openapi: Object.fromEntries(recording.schemaUrls),
    lists,
    refs: Object.fromEntries(steps.targetRefs(inv)),
    report,
  };
}

/** Prints the recorded report as this run's. */
function replay(
  { ctx, opts, progress }: Run,
  record: RunRecord,
  context: FileContext,
  show: typeof import('./report-step.js'),
): void {
  note(ctx, 'the input and the members are as the last clean run left them: nothing to do');
  const requests = new Map(context.clusters.map((c) => [c.name, c.client?.requestCounts ?? {}]));
  const report = replayReport(record, { dryRun: opts.dryRun, requests });
  progress.succeed(show.reportSummaryLine(report));
  show.finish(ctx, opts.output, report, { refs: new Map(Object.entries(record.refs)), locate: () => undefined });
}
