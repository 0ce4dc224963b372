// GitHub Actions: workflow commands (annotations) and the step summary file. Annotations go to
// stderr: the runner reads workflow commands from a step's stdout and stderr alike (docs/ci.md),
// and stdout carries data (`-o json` must stay one JSON document). What a propagation report
// turns into is in github-report.ts. No package is imported: io.ts loads this at start-up.
import { appendFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { messageOf } from '../errors.js';
import { redact } from '../util/secrets.js';

type Env = Readonly<Record<string, string | undefined>> | undefined;

/** True when the run is a step of a GitHub Actions job (the runner sets GITHUB_ACTIONS=true). */
export function inGitHubActions(env: Env): boolean {
  return env?.['GITHUB_ACTIONS'] === 'true';
}

/** A workflow command's message: `%`, CR and LF are written as %25, %0D and %0A. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as escapeData, and `:` and `,` as %3A and %2C. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation: what GitHub shows on the run's page, and on the file's line in a pull request. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
  col?: number;
}

/** `::error file=F,line=N,col=C,title=T::message` and a line break; properties and message escaped. */
export function workflowCommand(a: Annotation): string {
  const props = [
    a.file !== undefined ? `file=${escapeProperty(a.file)}` : '',
    a.line !== undefined ? `line=${a.line}` : '',
    a.col !== undefined ? `col=${a.col}` : '',
    a.title !== undefined ? `title=${escapeProperty(a.title)}` : '',
  ].filter(Boolean);
  return `::${a.level}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(a.message)}\n`;
}

/**
 * Where an issue line points, as the readers write it: `FILE:LINE:COL (document N): message`
 * (documents.ts) or `FILE:LINE (document N): message` (describeSource). Undefined for an issue that
 * names no line, and for stdin, which has no file to annotate.
 */
export function locateIssue(issue: string): { file: string; line: number; col?: number; message: string } | undefined {
  const m = /^(.+?):(\d+)(?::(\d+))?(?: \(document \d+\))?: ([\s\S]*)$/.exec(issue);
  if (!m || m[1] === '<stdin>') return undefined;
  return { file: m[1]!, line: Number(m[2]), ...(m[3] ? { col: Number(m[3]) } : {}), message: m[4]! };
}

/** An issue line as an annotation: on its file and line when it names them, else on the run. */
export function issueAnnotation(level: Annotation['level'], issue: string, title?: string): Annotation {
  const at = locateIssue(issue);
  return {
    level,
    message: at?.message ?? issue,
    ...(title ? { title } : {}),
    ...(at ? { file: at.file, line: at.line, ...(at.col ? { col: at.col } : {}) } : {}),
  };
}

/** The annotations of an error the reporter printed: one per issue of a ValidationError, else one. */
export function errorAnnotations(error: unknown, title: string): Annotation[] {
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0)
    return issues.map((issue) => issueAnnotation('error', String(issue), `${title}: ${messageOf(error)}`));
  return [{ level: 'error', title, message: messageOf(error) }];
}

/** GitHub shows at most 10 annotations of a kind per step; past this many, one line says how many more. */
export const MAX_ANNOTATIONS = 50;

/**
 * Prints annotations on stderr (redacted, as all of stderr is), at most MAX_ANNOTATIONS of each
 * level. Files are made relative to GITHUB_WORKSPACE, which is how GitHub names them.
 */
export function printAnnotations(annotations: readonly Annotation[], err: (text: string) => void, env: Env): void {
  const shown = new Map<string, number>();
  for (const a of annotations) {
    const n = (shown.get(a.level) ?? 0) + 1;
    shown.set(a.level, n);
    if (n <= MAX_ANNOTATIONS) err(workflowCommand(a.file ? { ...a, file: workspacePath(a.file, env) } : a));
  }
  for (const [level, n] of shown)
    if (n > MAX_ANNOTATIONS)
      err(
        workflowCommand({
          level: level as Annotation['level'],
          message: `and ${n - MAX_ANNOTATIONS} more; see the log`,
        }),
      );
}

/** A file as GitHub names it: relative to the workspace when it is inside it, else as given. */
function workspacePath(file: string, env: Env): string {
  const workspace = env?.['GITHUB_WORKSPACE'];
  if (!workspace) return file;
  const rel = relative(workspace, resolve(file));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : file;
}

/**
 * Appends Markdown to the file GITHUB_STEP_SUMMARY names (GitHub's contract: append, never
 * truncate). Returns a warning to print when it cannot, else undefined; nothing without the variable.
 */
export function appendStepSummary(markdown: () => string, env: Env): string | undefined {
  const file = env?.['GITHUB_STEP_SUMMARY'];
  if (!file) return undefined;
  try {
    appendFileSync(file, redact(markdown()));
    return undefined;
  } catch (error) {
    return `cannot append the step summary to ${file}: ${messageOf(error)}`;
  }
}
