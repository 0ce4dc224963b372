// What `kubefedctl propagate` does once the inventory is loaded: the pre-flight, the engine and the
// report. run.ts imports this module while its first requests are in flight, so the engine's code
// is not part of the time before the first request (docs/performance.md, "Start-up").
export { listsRead, propagate, startReadingLive } from '../../engine/propagate.js';
export { preflightOnline } from '../../engine/preflight.js';
export { preflightOptions } from '../preflight-options.js';
export * from './report-step.js';
