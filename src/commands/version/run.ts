// The run step of `kubefedctl version`.
import type { RunContext } from '../../output/io.js';
import { VERSION } from '../../version.js';
import type { VersionOptions } from './options.js';

export function runVersion(ctx: RunContext, opts: VersionOptions): Promise<void> {
  const { io } = ctx;
  const info = {
    gitVersion: `v${VERSION}`,
    nodeVersion: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
  if (opts.output === 'json') io.out(`${JSON.stringify(info, null, 2)}\n`);
  else if (opts.output === 'yaml')
    io.out(
      Object.entries(info)
        .map(([k, v]) => `${k}: ${v}\n`)
        .join(''),
    );
  else io.out(`kubefedctl version: ${info.gitVersion} (node ${info.nodeVersion}, ${info.platform})\n`);
  return Promise.resolve();
}
