// Reading YAML/JSON documents from files, folders (-R) and stdin, with errors that say where.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseDocument } from 'yaml';
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

/**
 * Parses a YAML stream; empty documents are skipped. Syntax errors name the file and line.
 * Documents that are JSON (as `kubectl` and generators often write) take a fast path.
 */
export function parseDocuments(text: string, file: string): SourcedDocument[] {
  const out: SourcedDocument[] = [];
  const issues: string[] = [];
  let line = 1;
  let index = 0;
  // Split on document markers ourselves, so each document's starting line is known cheaply.
  for (const chunk of text.split(/^---[ \t]*(?:#.*)?$/m)) {
    const startLine = line;
    line += countLines(chunk);
    const trimmed = chunk.trim();
    if (trimmed === '' || /^(#[^\n]*\s*)*$/.test(trimmed)) continue;
    index++;
    const firstLine = startLine + leadingBlankLines(chunk);
    if (trimmed.startsWith('{')) {
      try {
        out.push({ file, index, line: firstLine, doc: JSON.parse(trimmed) as unknown });
        continue;
      } catch {
        // not plain JSON after all: let the YAML parser read it and report errors precisely
      }
    }
    const d = parseDocument(chunk);
    for (const e of d.errors)
      issues.push(
        `${file}:${startLine + countLines(chunk.slice(0, e.pos[0]))}: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      );
    const doc: unknown = d.toJS();
    if (doc === null || doc === undefined) continue;
    out.push({ file, index, line: firstLine, doc });
  }
  if (issues.length > 0) throw new ValidationError(`${file} is not valid YAML`, issues);
  // A v1 List is read as its items, as kubectl does.
  return out.flatMap((d) => {
    const o = d.doc as { kind?: unknown; items?: unknown };
    return o && typeof o === 'object' && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)
      ? o.items.map((item: unknown) => ({ ...d, doc: item }))
      : [d];
  });
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function leadingBlankLines(s: string): number {
  const m = s.match(/^(\s*\n)*/);
  return m ? countLines(m[0]) : 0;
}

/** Reads `-f` arguments: files, folders (their .yaml/.yml/.json files; subfolders with -R) and "-" for stdin. */
export function readDocuments(
  paths: string[],
  opts: { recursive?: boolean; stdin?: () => string } = {},
): SourcedDocument[] {
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
