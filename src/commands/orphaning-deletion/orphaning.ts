// The kubefed.io/orphan annotation: reading it and the merge patch that turns it on or off. Pure.
import { ORPHAN_ANNOTATION } from '../../api/kubefed.js';
import type { HasMetadata } from '../../api/objects.js';

export type OrphaningChange = 'enable' | 'disable';

/** True when deleting the federated object leaves its member copies in place. */
export function orphaningEnabled(obj: HasMetadata): boolean {
  return obj.metadata.annotations?.[ORPHAN_ANNOTATION] === 'true';
}

/**
 * The JSON merge patch for a change, or undefined when the object is already as asked. Enabling
 * writes "true" (replacing any other value); disabling removes the annotation whatever its value,
 * so that no stray value is left behind.
 */
export function orphaningPatch(obj: HasMetadata, change: OrphaningChange): object | undefined {
  const present = obj.metadata.annotations?.[ORPHAN_ANNOTATION] !== undefined;
  if (change === 'enable')
    return orphaningEnabled(obj) ? undefined : { metadata: { annotations: { [ORPHAN_ANNOTATION]: 'true' } } };
  return present ? { metadata: { annotations: { [ORPHAN_ANNOTATION]: null } } } : undefined;
}
