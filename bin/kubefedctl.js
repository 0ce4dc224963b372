#!/usr/bin/env node
// Entry point: `kubefedctl ...` (bin/start.js loads the bundle).
import { start } from './start.js';

await start(undefined);
