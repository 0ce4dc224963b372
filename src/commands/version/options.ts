// version's flags as a typed value. Pure.
import type { VersionFlags } from './command.js';

export interface VersionOptions {
  output?: 'yaml' | 'json';
}

export function versionOptions(flags: VersionFlags): VersionOptions {
  return flags.output !== undefined ? { output: flags.output } : {};
}
