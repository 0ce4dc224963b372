// The -o formats of commands that print objects, and the dry-run suffix of printed lines. No
// dependencies, so --help stays light.
import type { DryRun } from '../api/objects.js';

export type OutputFormat = 'yaml' | 'json' | 'name';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['yaml', 'json', 'name'];

/** What every printed write line ends with in a dry run, as kubectl words it. */
export function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
}
