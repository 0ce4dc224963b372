// Reading YAML/JSON documents from files, folders (-R) and stdin, with errors that say where.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError, ValidationError } from '../errors.js';

/** One document and where it came from. */
export interface SourcedDocument {
  /** File path, or "<stdin>". */
  file: string;
  /** 1-based position of the document in its file. */
  index: number;
  /** 1-based line where the document starts. */
  line: number;
  doc: unknown;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** "file (document N, line L)" for messages. */
export function describeSource(d: Pick<SourcedDocument, 'file' | 'index' | 'line'>): string {
  return `${d.file}:${d.line} (document ${d.index})`;
}

/** Parses a YAML stream; empty documents are skipped. Syntax errors name the file and line. */
export function parseDocuments(text: string, file: string): SourcedDocument[] {
  const out: SourcedDocument[] = [];
  const issues: string[] = [];
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  parseAllDocuments(text).forEach((d, i) => {
    for (const e of d.errors) issues.push(`${file}:${e.linePos?.[0].line ?? lineOf(e.pos[0])}: ${e.message.split('\n')[0]}`);
    const doc: unknown = d.toJS();
    if (doc === null || doc === undefined) return;
    const start = d.contents?.range[0] ?? 0;
    out.push({ file, index: i + 1, line: lineOf(start), doc });
  });
  if (issues.length > 0) throw new ValidationError(`${file} is not valid YAML`, issues);
  // A v1 List is read as its items, as kubectl does.
  return out.flatMap((d) => {
    const o = d.doc as { kind?: unknown; items?: unknown };
    return o && typeof o === 'object' && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items) ? o.items.map((item) => ({ ...d, doc: item })) : [d];
  });
}

/** Reads `-f` arguments: files, folders (their .yaml/.yml/.json files; subfolders with -R) and "-" for stdin. */
export function readDocuments(paths: string[], opts: { recursive?: boolean; stdin?: () => string } = {}): SourcedDocument[] {
  const out: SourcedDocument[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseDocuments((opts.stdin ?? (() => readFileSync(0, 'utf8')))(), '<stdin>'));
      continue;
    }
    let stats;
    try {
      stats = statSync(p);
    } catch {
      throw new UserError(`${p}: no such file or directory`);
    }
    if (stats.isDirectory()) out.push(...readDocuments(listManifests(p, opts.recursive ?? false), opts));
    else out.push(...parseDocuments(readFileSync(p, 'utf8'), p));
  }
  return out;
}

function listManifests(dir: string, recursive: boolean): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (recursive) files.push(...listManifests(path, true));
    } else if (MANIFEST_EXTENSIONS.has(extname(entry))) files.push(path);
  }
  return files;
}
