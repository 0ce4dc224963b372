// The tool's version, read from package.json so there is one place to bump it, and where the package
// is installed (for schemas/).
import { readFileSync } from 'node:fs';

/**
 * The package's root folder. This module runs from dist/src/version.js (tsc's output, which the tests
 * import) or from a file of dist/bundle/ (what bin/ loads): both are two folders below the root.
 */
export const PACKAGE_ROOT: URL = new URL('../../', import.meta.url);

const pkg = JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string };

export const VERSION: string = pkg.version;
