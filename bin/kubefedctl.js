#!/usr/bin/env node
// Entry point: turn on Node's compile cache (faster start on later runs), then run the CLI.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/src/cli.js');
process.exitCode = await main(process.argv.slice(2));
