#!/usr/bin/env node
// kubectl plugin entry: `kubectl fed join ...` runs `kubefedctl join ...`.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/src/cli.js');
process.exitCode = await main(process.argv.slice(2), 'kubectl fed');
