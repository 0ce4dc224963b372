// schemas/report/propagation-report.json: a valid JSON Schema (draft-07), and what printReportData
// prints matches it. The integration harness checks every real report against it too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PropagateReport } from '../../src/engine/propagate.js';
import { printReportData } from '../../src/output/report.js';
import { kubeAjv } from '../../src/util/schema-compile.js';
import { schemaIssues } from '../../src/util/schema.js';
import { repoRoot } from '../cli.js';

const schema = JSON.parse(
  readFileSync(join(repoRoot, 'schemas', 'report', 'propagation-report.json'), 'utf8'),
) as object;
const validate = kubeAjv({ checkSchema: true }).compile(schema);
const issues = (doc: unknown) => (validate(doc) ? [] : schemaIssues(validate.errors));

const OUTCOMES = [
  'created',
  'updated',
  'adopted',
  'deleted',
  'unlabelled',
  'unchanged',
  'conflict',
  'failed',
  'skipped',
  'waiting',
] as const;

function report(): PropagateReport {
  return {
    mode: 'file',
    dryRun: 'none',
    clusters: [
      { name: 'cluster1', ready: true, unreachable: false, notPropagated: 0, requests: { GET: 2, PATCH: 1 } },
      {
        name: 'cluster3',
        ready: false,
        reason: 'connection refused',
        unreachable: true,
        notPropagated: 1,
        requests: {},
      },
    ],
    resources: [
      {
        type: 'secrets',
        kind: 'FederatedSecret',
        namespace: 'shop',
        name: 'keys',
        target: 'shop/keys',
        reason: '',
        clusters: [
          {
            cluster: 'cluster1',
            action: 'update',
            outcome: 'updated',
            status: '',
            takenFields: [{ field: '.data', manager: 'kubectl' }],
          },
          {
            cluster: 'cluster3',
            action: 'delete',
            outcome: 'deleted',
            status: 'NotAllowedByPolicy',
            policy: 'PlacementPolicy eu-only',
            message: 'PlacementPolicy eu-only does not allow cluster cluster3; its managed copy is deleted',
          },
        ],
        warnings: [],
        policies: {
          placedBy: 'ClusterPropagationPolicy web',
          overriddenBy: 'ClusterPropagationPolicy web',
          restrictedBy: [{ cluster: 'cluster3', policy: 'PlacementPolicy eu-only', enforcement: 'Enforce' }],
        },
      },
    ],
    strays: [{ type: 'configmaps', cluster: 'cluster1', name: 'shop/old', outcome: 'unlabelled' }],
    summary: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as PropagateReport['summary'],
    hostWrites: 0,
    scheduling: [{ rsp: 'shop/web', outcome: 'scheduled', replicas: { cluster1: 3 } }],
    dns: [],
    failed: false,
    wait: {
      timeoutMs: 300_000,
      elapsedMs: 1200,
      objects: 2,
      ready: 1,
      notReady: [
        {
          cluster: 'cluster1',
          type: 'deployments.apps',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          state: 'pending',
          reason: 'RolloutInProgress',
          message: '0 of 2 updated replicas available',
          conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'm' }],
        },
      ],
    },
  };
}

describe('the -o json report schema', () => {
  it('what printReportData prints matches it', () => {
    let json = '';
    printReportData(report(), 'json', (t) => (json += t));
    assert.deepEqual(issues(JSON.parse(json)), []);
  });

  it('refuses fields it does not describe and words it does not know', () => {
    let json = '';
    printReportData(report(), 'json', (t) => (json += t));
    const doc = JSON.parse(json) as Record<string, unknown> & { resources: { clusters: { outcome: string }[] }[] };
    assert.match(issues({ ...doc, extra: 1 }).join('\n'), /must NOT have additional properties/);
    doc.resources[0]!.clusters[0]!.outcome = 'maybe';
    assert.match(issues(doc).join('\n'), /resources\[0\]\.clusters\[0\]\.outcome/);
    const waited = JSON.parse(json) as { wait: { notReady: { state: string; conditions: object[] }[] } };
    waited.wait.notReady[0]!.state = 'sleepy';
    waited.wait.notReady[0]!.conditions.push({ type: 'Ready' });
    const problems = issues(waited).join('\n');
    assert.match(problems, /wait\.notReady\[0\]\.state/);
    assert.match(problems, /wait\.notReady\[0\]\.conditions\[1\]/);
  });
});
