// The human propagation report: one line per change, one line per lost cluster, taken fields named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterResult, PropagateReport } from '../../src/engine/propagate.js';
import { memoryIO } from '../../src/output/io.js';
import { keepFieldHint, printReportHuman } from '../../src/output/report.js';
import { interruptionLine } from '../../src/cli.js';

function report(results: ClusterResult[][], clusters: PropagateReport['clusters']): PropagateReport {
  return {
    mode: 'file',
    dryRun: 'none',
    clusters,
    resources: results.map((r, i) => ({
      type: 'configmaps',
      kind: 'FederatedConfigMap',
      namespace: 'ns',
      name: `cm${i}`,
      target: `ns/cm${i}`,
      reason: '',
      clusters: r,
      warnings: [],
    })),
    strays: [],
    summary: {
      created: 0,
      updated: 0,
      adopted: 0,
      deleted: 0,
      unlabelled: 0,
      unchanged: 0,
      conflict: 0,
      failed: 0,
      skipped: 0,
      waiting: 0,
    },
    hostWrites: 0,
    scheduling: [],
    dns: [],
    failed: true,
  };
}

const refs = new Map([['configmaps', 'configmap']]);

describe('printReportHuman', () => {
  const lost = (i: number): ClusterResult[] => [
    { cluster: 'c1', action: 'create', outcome: 'created', status: '' },
    {
      cluster: 'c2',
      action: 'create',
      outcome: 'failed',
      status: 'CreationFailed',
      unreachable: true,
      message: `c2: cannot reach https://127.0.0.1:1 to create configmaps "cm${i}": connect ECONNREFUSED`,
    },
  ];
  const clusters: PropagateReport['clusters'] = [
    { name: 'c1', ready: true, unreachable: false, notPropagated: 0, requests: { GET: 1, POST: 50 } },
    {
      name: 'c2',
      ready: true,
      unreachable: true,
      notPropagated: 50,
      reason: 'became unreachable during the run (connect ECONNREFUSED)',
      requests: { GET: 1, POST: 3 },
    },
  ];

  it('names a cluster lost during the run once, with the count of changes not made', () => {
    const io = memoryIO();
    printReportHuman(
      report(
        Array.from({ length: 50 }, (_, i) => lost(i)),
        clusters,
      ),
      io,
      refs,
    );
    const all = io.stdout() + io.stderr();
    assert.equal(all.split('\n').filter((l) => l.includes('c2')).length, 1, all);
    assert.match(
      io.stderr(),
      /cluster c2 became unreachable during the run \(connect ECONNREFUSED\); 50 change\(s\) not made there/,
    );
    assert.equal(
      io
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('c1: ')).length,
      50,
    );
  });

  it('lists the objects a lost cluster did not get with -v=2', () => {
    const io = memoryIO();
    printReportHuman(
      report(
        Array.from({ length: 5 }, (_, i) => lost(i)),
        clusters,
      ),
      io,
      refs,
      { verbose: true },
    );
    assert.equal(
      io
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('c2: configmap/ns/cm')).length,
      5,
    );
  });

  it('says which field was taken from which manager, and how to keep it', () => {
    const io = memoryIO();
    const taken: ClusterResult = {
      cluster: 'c1',
      action: 'update',
      outcome: 'updated',
      status: '',
      takenFields: [{ field: '.spec.replicas', manager: 'kubectl' }],
    };
    printReportHuman(report([[taken]], [clusters[0]!]), io, refs);
    assert.match(
      io.stderr(),
      /c1: configmap\/ns\/cm0: took \.spec\.replicas from field manager "kubectl"; set spec\.retainReplicas: true in the FederatedConfigMap/,
    );
  });
});

describe('printReportHuman with --wait', () => {
  it('gives the totals, then each object that is not ready with its own conditions', () => {
    const io = memoryIO();
    const r = report([[{ cluster: 'c1', action: 'create', outcome: 'created', status: '' }]], []);
    r.failed = false;
    r.wait = {
      timeoutMs: 5000,
      elapsedMs: 5012,
      objects: 3,
      ready: 1,
      notReady: [
        {
          cluster: 'c1',
          type: 'deployments.apps',
          kind: 'Deployment',
          namespace: 'ns',
          name: 'web',
          state: 'pending',
          reason: 'RolloutInProgress',
          message: '0 of 2 updated replicas available',
          conditions: [
            {
              type: 'Available',
              status: 'False',
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
            },
          ],
        },
        {
          cluster: 'c2',
          type: 'jobs.batch',
          kind: 'Job',
          namespace: 'ns',
          name: 'migrate',
          state: 'failed',
          reason: 'JobFailed',
          message: 'backoff limit reached',
          conditions: [{ type: 'Failed', status: 'True' }],
        },
      ],
    };
    printReportHuman(r, io, new Map([['deployments.apps', 'deployment.apps']]));
    assert.equal(
      io.stdout().split('\n').slice(-6).join('\n'),
      [
        'waited 5.0s: 1 of 3 member object(s) ready',
        'c1: deployment.apps/ns/web not ready: RolloutInProgress (0 of 2 updated replicas available)',
        '    Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.',
        'c2: jobs.batch/ns/migrate failed: JobFailed (backoff limit reached)',
        '    Failed=True',
        '',
      ].join('\n'),
    );
  });

  it('says "checked once" for --wait=0', () => {
    const io = memoryIO();
    const r = report([], []);
    r.wait = { timeoutMs: 0, elapsedMs: 40, objects: 2, ready: 2, notReady: [] };
    printReportHuman(r, io, refs);
    assert.match(io.stdout(), /\nchecked once: 2 of 2 member object\(s\) ready\n$/);
  });
});

describe('keepFieldHint', () => {
  it('points at retainReplicas for replicas, and at the template otherwise', () => {
    assert.match(
      keepFieldHint('.spec.replicas', 'FederatedDeployment'),
      /retainReplicas: true in the FederatedDeployment/,
    );
    assert.match(
      keepFieldHint('.data.color', 'FederatedConfigMap'),
      /take the field out of the template and overrides/,
    );
  });
});

describe('interruptionLine', () => {
  it('says what was written and that a re-run converges', () => {
    assert.equal(
      interruptionLine(
        'SIGINT',
        new Map([
          ['c1', 3],
          ['c2', 4],
        ]),
      ),
      'interrupted (SIGINT) after 7 confirmed write(s) (c1: 3, c2: 4), plus any in flight; they stay in place. Running the same command again converges.',
    );
    assert.match(
      interruptionLine('SIGTERM', new Map()),
      /^interrupted \(SIGTERM\) before any write was confirmed.*converges\.$/,
    );
  });
});
