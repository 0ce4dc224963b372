// deploy/cronjob/kubefedctl-propagate.yaml holds together: one service account that every binding
// and the CronJob name, KubeFed's namespace, the run settings docs/ci.md promises, and the image
// tag of this version. test/integration/in-cluster.test.ts shows its RBAC is enough for propagate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_KUBEFED_NAMESPACE } from '../../src/api/kubefed.js';
import { VERSION } from '../../src/version.js';
import { repoRoot } from '../cli.js';

type Doc = {
  kind: string;
  metadata: { name: string; namespace?: string };
  subjects?: { kind: string; name: string; namespace: string }[];
  roleRef?: { kind: string; name: string };
  spec?: Record<string, unknown>;
};

const docs = parseAllDocuments(
  readFileSync(join(repoRoot, 'deploy', 'cronjob', 'kubefedctl-propagate.yaml'), 'utf8'),
).map((d) => d.toJS() as Doc);
const SA = 'kubefedctl-propagate';
const byKind = (kind: string) => docs.find((d) => d.kind === kind)!;

describe('the CronJob manifest', () => {
  it('binds one service account in the KubeFed namespace to its own roles', () => {
    assert.equal(byKind('ServiceAccount').metadata.name, SA);
    for (const d of docs)
      if (d.kind !== 'ClusterRole' && d.kind !== 'ClusterRoleBinding')
        assert.equal(d.metadata.namespace, DEFAULT_KUBEFED_NAMESPACE, `${d.kind} namespace`);
    for (const [binding, role] of [
      ['RoleBinding', 'Role'],
      ['ClusterRoleBinding', 'ClusterRole'],
    ] as const) {
      const b = byKind(binding);
      assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: SA, namespace: DEFAULT_KUBEFED_NAMESPACE }]);
      assert.deepEqual(b.roleRef && { kind: b.roleRef.kind, name: b.roleRef.name }, {
        kind: role,
        name: byKind(role).metadata.name,
      });
    }
  });

  it('runs propagate one at a time, as a non-root user on a read-only filesystem, with the image of this version', () => {
    const cron = byKind('CronJob').spec as {
      concurrencyPolicy: string;
      successfulJobsHistoryLimit: number;
      failedJobsHistoryLimit: number;
      jobTemplate: { spec: { backoffLimit: number; template: { spec: Record<string, unknown> } } };
    };
    assert.equal(cron.concurrencyPolicy, 'Forbid');
    assert.ok(cron.successfulJobsHistoryLimit > 0 && cron.failedJobsHistoryLimit > 0);
    assert.equal(typeof cron.jobTemplate.spec.backoffLimit, 'number');
    const pod = cron.jobTemplate.spec.template.spec as {
      serviceAccountName: string;
      securityContext: { runAsNonRoot: boolean; runAsUser: number };
      containers: {
        image: string;
        args: string[];
        resources: { requests: object; limits: object };
        securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
      }[];
    };
    assert.equal(pod.serviceAccountName, SA);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    // The Dockerfile's USER is "node"; runAsNonRoot can only check a numeric uid.
    assert.equal(pod.securityContext.runAsUser, 1000);
    const [container] = pod.containers;
    assert.deepEqual(container?.args, ['propagate']);
    assert.match(container?.image ?? '', new RegExp(`/kubefedctl:${VERSION.replaceAll('.', '\\.')}$`));
    assert.equal(container?.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container?.securityContext.allowPrivilegeEscalation, false);
    assert.ok(container?.resources.requests && container.resources.limits);
  });
});
