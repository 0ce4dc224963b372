// Kubernetes name and label syntax, one implementation for the whole tool (apimachinery's
// validation.IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label, IsQualifiedName and
// IsValidLabelValue). Each check returns the problem in words, or undefined when the value is fine. Pure.

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export const DNS1123_SUBDOMAIN_MAX = 253;
export const DNS1123_LABEL_MAX = 63;
export const LABEL_VALUE_MAX = 63;

const SUBDOMAIN_RULE = `letters, digits, '-' and '.', starting and ending with a letter or digit, at most ${DNS1123_SUBDOMAIN_MAX} characters`;
const LABEL_RULE = `letters, digits and '-', starting and ending with a letter or digit, at most ${DNS1123_LABEL_MAX} characters`;
const NAME_PART_RULE = `letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most ${DNS1123_LABEL_MAX} characters`;

/** An RFC 1123 subdomain (names of most objects): undefined when valid, else what is wrong. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > DNS1123_SUBDOMAIN_MAX || !DNS1123_SUBDOMAIN.test(value))
    return `must be a lower-case RFC 1123 subdomain (${SUBDOMAIN_RULE})`;
  return undefined;
}

/** An RFC 1123 label (namespace names, Service names). */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > DNS1123_LABEL_MAX || !DNS1123_LABEL.test(value))
    return `must be a lower-case RFC 1123 label (${LABEL_RULE})`;
  return undefined;
}

/** An RFC 1035 label (resource plural names, API versions). */
export function dns1035LabelProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > DNS1123_LABEL_MAX || !DNS1035_LABEL.test(value))
    return `must be an RFC 1035 label (lower-case letters, digits and '-', starting with a letter and ending with a letter or digit, at most ${DNS1123_LABEL_MAX} characters)`;
  return undefined;
}

export const isDns1123Subdomain = (value: string): boolean => dns1123SubdomainProblem(value) === undefined;
export const isDns1123Label = (value: string): boolean => dns1123LabelProblem(value) === undefined;

/**
 * A qualified name (label and annotation keys): an optional prefix that is a DNS subdomain and a
 * '/', then a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.
 */
export function qualifiedNameProblem(key: string): string | undefined {
  if (key === '') return 'must not be empty';
  const parts = key.split('/');
  if (parts.length > 2)
    return "must be a name with an optional prefix and '/' (e.g. example.com/tier), with at most one '/'";
  const [prefix, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  if (prefix !== undefined) {
    if (prefix === '') return "has an empty prefix before '/'";
    const p = dns1123SubdomainProblem(prefix);
    if (p) return `has a prefix "${prefix}" that ${p}`;
  }
  if (name === '') return "has an empty name after '/'";
  if (name.length > DNS1123_LABEL_MAX || !QUALIFIED_NAME_PART.test(name))
    return `must be a name of ${NAME_PART_RULE}, with an optional DNS subdomain prefix and '/'`;
  return undefined;
}

/** A label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > LABEL_VALUE_MAX || !QUALIFIED_NAME_PART.test(value)) return `must be empty or ${NAME_PART_RULE}`;
  return undefined;
}

export const isLabelKey = (key: string): boolean => qualifiedNameProblem(key) === undefined;
export const isLabelValue = (value: string): boolean => labelValueProblem(value) === undefined;

/**
 * Problems of a label map, as "field: problem" lines (`field` is e.g. "metadata.labels"). Keys and
 * values must be label syntax; values must be strings.
 */
export function labelMapProblems(labels: unknown, field: string): string[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [`${field}: must map label keys to string values`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) out.push(`${field}: key "${k}" ${keyProblem}`);
    if (typeof v !== 'string') out.push(`${field}.${k}: must be a string (quote it: "${String(v)}")`);
    else {
      const valueProblem = labelValueProblem(v);
      if (valueProblem) out.push(`${field}.${k}: value "${v}" ${valueProblem}`);
    }
  }
  return out;
}
