// Keeping Secret values and credentials out of what kubefedctl prints. Two tools, used everywhere:
//  - maskSecretValues / maskSecretPair: structural masking of printed objects (Secrets, FederatedSecrets);
//  - registerCredential / redact: a safety net for free text (errors, logs), which replaces the
//    credentials this process has used, and passwords in URLs, with "***".
// See docs/adr/0004-secrets-in-output.md. Pure, apart from the process-wide credential list.

/** What a masked value is replaced by (kubectl diff prints the same). */
export const MASK = '***';

/** kubectl apply keeps the whole object, values included, in this annotation. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** JSON-patch paths whose override values are Secret values. */
const SECRET_OVERRIDE_PATH =
  /^\/(data|stringData)(\/|$)|^\/metadata\/annotations\/kubectl\.kubernetes\.io~1last-applied-configuration$/;

type Path = (string | number)[];

/** Chooses the text that replaces the secret value found at `path` of the object being masked. */
export type Replacement = (path: Path, value: unknown) => unknown;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True for an object whose values are masked: a Secret, or a FederatedSecret (KubeFed's federated form of it). */
export function holdsSecretValues(obj: unknown): boolean {
  return isRecord(obj) && (obj['kind'] === 'Secret' || obj['kind'] === 'FederatedSecret');
}

/** Where secret values sit in an object: `[path, value]` for each, with paths into the object. */
function secretValuePaths(obj: Json): [Path, unknown][] {
  const out: [Path, unknown][] = [];
  const values = (at: Path, map: unknown) => {
    if (isRecord(map))
      for (const [k, v] of Object.entries(map)) if (v !== undefined && v !== null) out.push([[...at, k], v]);
  };
  const lastApplied = (at: Path, meta: unknown) => {
    const annotations = isRecord(meta) ? meta['annotations'] : undefined;
    if (isRecord(annotations) && annotations[LAST_APPLIED] !== undefined)
      out.push([[...at, 'annotations', LAST_APPLIED], annotations[LAST_APPLIED]]);
  };
  lastApplied(['metadata'], obj['metadata']);
  if (obj['kind'] === 'Secret') {
    for (const field of ['data', 'stringData']) values([field], obj[field]);
    return out;
  }
  const spec = isRecord(obj['spec']) ? obj['spec'] : {};
  const template = isRecord(spec['template']) ? spec['template'] : {};
  for (const field of ['data', 'stringData']) values(['spec', 'template', field], template[field]);
  lastApplied(['spec', 'template', 'metadata'], template['metadata']);
  const overrides = Array.isArray(spec['overrides']) ? (spec['overrides'] as unknown[]) : [];
  overrides.forEach((o, i) => {
    const cluster = isRecord(o) && Array.isArray(o['clusterOverrides']) ? (o['clusterOverrides'] as unknown[]) : [];
    cluster.forEach((co, j) => {
      if (
        !isRecord(co) ||
        typeof co['path'] !== 'string' ||
        !SECRET_OVERRIDE_PATH.test(co['path']) ||
        co['value'] === undefined
      )
        return;
      const at: Path = ['spec', 'overrides', i, 'clusterOverrides', j, 'value'];
      // An override of the whole map (path /data) keeps its keys visible, like the template does.
      if (isRecord(co['value']) && /^\/(data|stringData)$/.test(co['path'])) values(at, co['value']);
      else out.push([at, co['value']]);
    });
  });
  return out;
}

function setAt(obj: Json, path: Path, value: unknown): void {
  let node: unknown = obj;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[path.at(-1)!] = value;
}

/** The value at a path, or undefined where the path does not exist. */
export function valueAt(obj: unknown, path: Path): unknown {
  let node = obj;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/**
 * A copy of `obj` in which every Secret value is replaced: `data` and `stringData` of a Secret,
 * `spec.template.data|stringData` of a FederatedSecret and its override values for /data and
 * /stringData, and kubectl's last-applied-configuration annotation, which holds the values too.
 * Keys stay visible. Lists (`items`) are masked item by item; anything else comes back as it is.
 */
export function maskSecretValues<T>(obj: T, replace: Replacement = () => MASK): T {
  if (!isRecord(obj)) return obj;
  if (Array.isArray(obj['items']) && !holdsSecretValues(obj)) {
    const items = obj['items'] as unknown[];
    if (!items.some(holdsSecretValues)) return obj;
    return { ...obj, items: items.map((i) => maskSecretValues(i, replace)) };
  }
  if (!holdsSecretValues(obj)) return obj;
  const copy = structuredClone(obj) as Json;
  for (const [path, value] of secretValuePaths(copy)) setAt(copy, path, replace(path, value));
  return copy as T;
}

/**
 * Masks two versions of an object for a diff, as kubectl diff does: a value that is the same on
 * both sides becomes "***", one that differs "*** (before)" / "*** (after)", so a diff still
 * shows which keys changed but never a value.
 */
export function maskSecretPair<T extends Json | undefined>(before: T, after: T): [T, T] {
  const side = (obj: T, other: T, label: string) =>
    maskSecretValues(obj, (path, value) => (valueAt(other, path) === value ? MASK : `${MASK} (${label})`));
  return [side(before, after, 'before'), side(after, before, 'after')];
}

// --- The safety net for free text -----------------------------------------------------------

/** Credentials this process has loaded or received, longest first. */
let credentials: string[] = [];

/** Shorter strings could be ordinary words; no real credential is this short. */
const MIN_CREDENTIAL_LENGTH = 8;

/**
 * Remembers a credential (a bearer token, a password) so that redact() removes it, together
 * with its base64 form (the way Secrets and basic-auth headers carry it).
 */
export function registerCredential(value: string | undefined): void {
  if (!value || value.length < MIN_CREDENTIAL_LENGTH) return;
  const forms = [value, Buffer.from(value).toString('base64')];
  credentials = [...new Set([...credentials, ...forms])].sort((a, b) => b.length - a.length);
}

/** Forgets every registered credential (tests). */
export function clearCredentials(): void {
  credentials = [];
}

/** user:password@ in a URL. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*):[^\s/@]*@/gi;

/** Text with every registered credential, and any password in a URL, replaced by "***". */
export function redact(text: string): string {
  let out = text.includes('@') ? text.replace(URL_PASSWORD, `$1:${MASK}@`) : text;
  for (const c of credentials) if (out.includes(c)) out = out.split(c).join(MASK);
  return out;
}
