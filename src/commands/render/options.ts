// render's flags as a typed value. Pure.
import type { RenderFlags } from './command.js';
import { validateModeOf, type ValidateMode } from '../../util/validate-mode.js';

/** What `render` was asked to do: read files, print or write per-cluster manifests. */
export interface RenderCommandOptions {
  filename: string[];
  recursive: boolean;
  clusters: string;
  outputDir?: string;
  output: 'yaml' | 'json';
  validate: ValidateMode;
}

export function renderOptions(flags: RenderFlags): RenderCommandOptions {
  return {
    filename: flags.filename,
    recursive: flags.recursive,
    clusters: flags.clusters,
    ...(flags.outputDir !== undefined ? { outputDir: flags.outputDir } : {}),
    output: flags.output,
    validate: validateModeOf(flags.validate),
  };
}
