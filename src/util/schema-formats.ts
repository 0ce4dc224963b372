// The Kubernetes formats and `x-kubernetes-*` keywords that kubefedctl's JSON Schemas use, shared by
// the ajv instance of the build step (scripts/gen-validators.mjs) and the code it generates, which
// imports KUBE_FORMATS at run time. No imports, nothing runs at import time but these definitions.

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A format as ajv's addFormat takes it: a pattern, a string check, or a number check. */
export type KubeFormat = RegExp | ((value: string) => boolean) | { type: 'number'; validate: (n: number) => boolean };

/** OpenAPI's formats as the Kubernetes API server checks them. */
export const KUBE_FORMATS: Record<string, KubeFormat> = {
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  'date-time': (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
  int64: { type: 'number', validate: (n: number) => Number.isSafeInteger(n) },
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 },
};

/** Keywords that carry meaning for an API server but none for validation here. */
export const KUBE_KEYWORDS: readonly string[] = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];
