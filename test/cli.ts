// Runs the built CLI as a user would: a child process of this Node, from the repository root, with
// colour off. Unit tests use it offline; the integration harness adds the test clusters' kubeconfig.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let cacheDir: string | undefined;

/** A cache folder for this test process's runs, removed when it exits. */
export function testCacheDir(): string {
  if (!cacheDir) {
    const dir = mkdtempSync(join(tmpdir(), 'kubefedctl-test-cache-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    cacheDir = dir;
  }
  return cacheDir;
}

/** Runs bin/kubefedctl.js with `args`; `env` entries set to undefined are removed. */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<CliResult> {
  // Run records (ADR 0007) go to a folder of this test process, not the user's ~/.kube/cache.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', KUBECACHEDIR: testCacheDir() };
  // Tests run inside a pod must not fall back to that pod's service account (docs/kubeconfig.md).
  delete env['KUBERNETES_SERVICE_HOST'];
  delete env['KUBERNETES_SERVICE_PORT'];
  Object.assign(env, opts.env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'kubefedctl.js'), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', rej);
    child.once('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}
