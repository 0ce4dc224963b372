// Does a live object already hold everything we would apply? Pure.
// The API server fills in defaults and normalises some values, so "equal" is deliberately loose:
// fields the server added are fine, empty values match absent ones, and quantities compare by value.

/** True when every field of `want` is present in `have` with an equivalent value. */
export function holds(want: unknown, have: unknown): boolean {
  if (isEmpty(want) && (have === undefined || isEmpty(have))) return true;
  if (Array.isArray(want))
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => holds(w, have[i]));
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    const h = have as Record<string, unknown>;
    return Object.entries(want as Record<string, unknown>).every(([k, w]) => holds(w, h[k]));
  }
  if (want === have) return true;
  return sameQuantity(want, have);
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Kubernetes resource quantities: "1000m" == "1" == 1, "1Gi" == "1073741824". */
export function quantityValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = v.match(/^([+-]?\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/);
  if (!m) return undefined;
  return Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? 1);
}

function sameQuantity(a: unknown, b: unknown): boolean {
  const x = quantityValue(a);
  const y = quantityValue(b);
  return x !== undefined && y !== undefined && Math.abs(x - y) <= Math.abs(x) * 1e-12;
}

/** Stable JSON (sorted keys), for hashing. Written as loops: it runs for every rendered object. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  return Array.isArray(v) ? stableArray(v) : stableObject(v as Record<string, unknown>);
}

function stableArray(v: unknown[]): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += `${i === 0 ? '' : ','}${i in v ? stableStringify(v[i]) : ''}`;
  return `${s}]`;
}

function stableObject(o: Record<string, unknown>): string {
  let s = '';
  for (const k of Object.keys(o).sort()) {
    const x = o[k];
    if (x !== undefined) s += `${s === '' ? '' : ','}${JSON.stringify(k)}:${stableStringify(x)}`;
  }
  return `{${s}}`;
}
