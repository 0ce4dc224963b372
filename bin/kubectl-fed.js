#!/usr/bin/env node
// kubectl plugin entry: `kubectl fed join ...` runs `kubefedctl join ...`.
import { start } from './start.js';

await start('kubectl fed');
