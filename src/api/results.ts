// Results of writes, in kubectl's words: what commands report about each object.
import type { HasMetadata } from './objects.js';

/** What happened to one object, in kubectl's words. */
export type ActionVerb = 'created' | 'configured' | 'unchanged' | 'deleted' | 'not found' | 'kept';

export interface ObjectResult {
  /** `kind.group/name`, e.g. `serviceaccount/c2-c1`. */
  ref: string;
  verb: ActionVerb;
  /** Which cluster it happened in, shown when more than one cluster is involved. */
  cluster?: string;
  note?: string;
}

/** `kind.group/name` of an object, as kubectl prints it. */
export function objectRef(obj: HasMetadata): string {
  const apiVersion = obj.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const kind = (obj.kind ?? 'object').toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${obj.metadata.name ?? obj.metadata.generateName ?? ''}`;
}
