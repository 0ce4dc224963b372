// Unified diffs of YAML renderings, as `kubectl diff` shows them. Pure.
import { maskSecretPair } from '../util/secrets.js';
import { yamlPackage } from '../util/yaml-package.js';

/** Longest-common-subsequence line diff; fine for objects of a few hundred lines. */
function diffLines(a: string[], b: string[]): { op: ' ' | '-' | '+'; line: string }[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', line: a[i++]! });
    else out.push({ op: '+', line: b[j++]! });
  }
  while (i < n) out.push({ op: '-', line: a[i++]! });
  while (j < m) out.push({ op: '+', line: b[j++]! });
  return out;
}

/** A unified diff with 3 lines of context; empty when both sides are equal. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  if (before === after) return '';
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const lines = diffLines(a, b);
  const changed = lines.map((l, k) => (l.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const last = hunks.at(-1);
    if (last && k - context <= last[1] + context) last[1] = k;
    else hunks.push([k, k]);
  }
  let text = `--- ${fromLabel}\n+++ ${toLabel}\n`;
  for (const [first, last] of hunks) {
    const start = Math.max(0, first - context);
    const end = Math.min(lines.length - 1, last + context);
    const slice = lines.slice(start, end + 1);
    const aStart = lines.slice(0, start).filter((l) => l.op !== '+').length;
    const bStart = lines.slice(0, start).filter((l) => l.op !== '-').length;
    const aCount = slice.filter((l) => l.op !== '+').length;
    const bCount = slice.filter((l) => l.op !== '-').length;
    text += `@@ -${aCount ? aStart + 1 : aStart},${aCount} +${bCount ? bStart + 1 : bStart},${bCount} @@\n`;
    for (const l of slice) text += `${l.op}${l.line}\n`;
  }
  return text;
}

/** YAML for a diff side; undefined renders as nothing. */
export function yamlOf(obj: unknown): string {
  return obj === undefined ? '' : yamlPackage().stringify(obj, { lineWidth: 0, sortMapEntries: true });
}

/** The live values of exactly the fields `desired` sets: what an apply would change, without server-added noise. */
export function projectOnto(live: unknown, desired: unknown): unknown {
  if (Array.isArray(desired))
    return Array.isArray(live)
      ? desired.map((d, i) => projectOnto(live[i], d)).filter((_, i) => i < live.length)
      : live;
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return live;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(desired))
      if ((live as Record<string, unknown>)[k] !== undefined)
        out[k] = projectOnto((live as Record<string, unknown>)[k], (desired as Record<string, unknown>)[k]);
    return out;
  }
  return live;
}

/** Hides Secret values (kubectl diff does the same), showing only whether each key changed. */
export function maskSecrets(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): [Record<string, unknown> | undefined, Record<string, unknown> | undefined] {
  return maskSecretPair(before, after);
}
