// Placement (sync-semantics §1.2, kubefed placement_test.go): which clusters a federated object goes to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelSelector, Placement } from '../../src/federation/federated-object.js';
import { parseLabelSelector, PlacementError, selectClusters, selectorMatches } from '../../src/federation/placement.js';

function cluster(name: string, labels: Record<string, string> = {}): { name: string; labels: Record<string, string> } {
  return { name, labels };
}

/** The clusters of placement_test.go: cluster1 without labels, cluster2 with foo=bar. */
const TEST_CLUSTERS = [cluster('cluster1'), cluster('cluster2', { foo: 'bar' })];

describe('selectClusters: the placement_test.go table (spec §1.2)', () => {
  const rows: { rule: string; placement: Placement | undefined; want: string[] }[] = [
    {
      rule: 'cluster names win over the selector: [cluster1] with selector {} selects only cluster1',
      placement: { clusters: [{ name: 'cluster1' }], clusterSelector: {} },
      want: ['cluster1'],
    },
    { rule: 'no cluster names and no selector select no clusters', placement: {}, want: [] },
    {
      rule: 'an empty cluster list selects no clusters even with a matching selector',
      placement: { clusters: [], clusterSelector: { matchLabels: { foo: 'bar' } } },
      want: [],
    },
    {
      rule: 'no cluster names and an empty selector {} select every cluster',
      placement: { clusterSelector: {} },
      want: ['cluster1', 'cluster2'],
    },
    {
      rule: 'no cluster names and a matchLabels selector select the clusters with those labels',
      placement: { clusterSelector: { matchLabels: { foo: 'bar' } } },
      want: ['cluster2'],
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      assert.deepEqual(selectClusters(row.placement, TEST_CLUSTERS), row.want);
    });
  }
});

describe('selectClusters: further placement rules', () => {
  it('an absent placement selects no clusters', () => {
    assert.deepEqual(selectClusters(undefined, TEST_CLUSTERS), []);
  });

  it('a null cluster list counts as absent, so the selector decides', () => {
    assert.deepEqual(
      selectClusters({ clusters: null, clusterSelector: { matchLabels: { foo: 'bar' } } }, TEST_CLUSTERS),
      ['cluster2'],
    );
  });

  it('a null selector selects no clusters', () => {
    assert.deepEqual(selectClusters({ clusterSelector: null }, TEST_CLUSTERS), []);
  });

  it('a selector with empty matchLabels selects every cluster', () => {
    assert.deepEqual(selectClusters({ clusterSelector: { matchLabels: {} } }, TEST_CLUSTERS), ['cluster1', 'cluster2']);
  });

  it('a cluster list ignores the cluster labels entirely', () => {
    assert.deepEqual(
      selectClusters(
        { clusters: [{ name: 'cluster1' }], clusterSelector: { matchLabels: { foo: 'bar' } } },
        TEST_CLUSTERS,
      ),
      ['cluster1'],
    );
  });

  it('cluster names that are not known clusters are dropped silently', () => {
    assert.deepEqual(selectClusters({ clusters: [{ name: 'ghost' }, { name: 'cluster2' }] }, TEST_CLUSTERS), [
      'cluster2',
    ]);
  });

  it('a list of only unknown cluster names selects nothing', () => {
    assert.deepEqual(selectClusters({ clusters: [{ name: 'ghost' }] }, TEST_CLUSTERS), []);
  });

  it('the result follows the order of the cluster pool, not of the list', () => {
    assert.deepEqual(selectClusters({ clusters: [{ name: 'cluster2' }, { name: 'cluster1' }] }, TEST_CLUSTERS), [
      'cluster1',
      'cluster2',
    ]);
  });

  it('a matchLabels value must be equal, not just present', () => {
    assert.deepEqual(selectClusters({ clusterSelector: { matchLabels: { foo: 'baz' } } }, TEST_CLUSTERS), []);
  });

  it('every matchLabels entry must hold', () => {
    const clusters = [cluster('a', { foo: 'bar' }), cluster('b', { foo: 'bar', zone: 'z1' })];
    assert.deepEqual(selectClusters({ clusterSelector: { matchLabels: { foo: 'bar', zone: 'z1' } } }, clusters), ['b']);
  });
});

describe('selectClusters: matchExpressions', () => {
  const clusters = [cluster('prod', { env: 'prod', tier: 'web' }), cluster('dev', { env: 'dev' }), cluster('bare')];
  const rows: { rule: string; selector: LabelSelector; want: string[] }[] = [
    {
      rule: 'In selects clusters whose label value is listed',
      selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
      want: ['prod'],
    },
    {
      rule: 'In with several values selects any of them',
      selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] },
      want: ['prod', 'dev'],
    },
    {
      rule: 'In never selects a cluster without the label',
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] },
      want: ['prod'],
    },
    {
      rule: 'NotIn selects clusters whose value is not listed, including those without the label',
      selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      want: ['dev', 'bare'],
    },
    {
      rule: 'Exists selects clusters that have the label with any value',
      selector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] },
      want: ['prod', 'dev'],
    },
    {
      rule: 'DoesNotExist selects clusters without the label',
      selector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
      want: ['dev', 'bare'],
    },
    {
      rule: 'all expressions must hold (AND)',
      selector: {
        matchExpressions: [
          { key: 'env', operator: 'Exists' },
          { key: 'tier', operator: 'DoesNotExist' },
        ],
      },
      want: ['dev'],
    },
    {
      rule: 'matchLabels and matchExpressions are ANDed',
      selector: { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
      want: [],
    },
    {
      rule: 'matchLabels and matchExpressions together can select',
      selector: { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] },
      want: ['prod'],
    },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      assert.deepEqual(selectClusters({ clusterSelector: row.selector }, clusters), row.want);
    });
  }

  it('an unknown operator is a PlacementError', () => {
    assert.throws(
      () =>
        selectClusters(
          { clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Matches', values: ['x'] }] } },
          clusters,
        ),
      PlacementError,
    );
  });

  it('an unknown operator is an error even when matchLabels already rules every cluster out', () => {
    const selector = {
      matchLabels: { nothing: 'matches' },
      matchExpressions: [{ key: 'env', operator: 'in', values: ['prod'] }],
    };
    assert.throws(() => selectClusters({ clusterSelector: selector }, clusters), PlacementError);
    assert.throws(() => selectorMatches(selector, {}), PlacementError);
  });

  it('an unknown operator is an error even with no clusters at all', () => {
    assert.throws(
      () => selectClusters({ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Bogus' }] } }, []),
      PlacementError,
    );
  });

  it('In and NotIn without values are errors, as in Kubernetes', () => {
    assert.throws(
      () => selectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: [] }] }, { env: 'x' }),
      PlacementError,
    );
    assert.throws(
      () => selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn' }] }, { env: 'x' }),
      PlacementError,
    );
  });

  it('Exists and DoesNotExist with values are errors, as in Kubernetes', () => {
    assert.throws(
      () => selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists', values: ['x'] }] }, { env: 'x' }),
      PlacementError,
    );
    assert.throws(
      () => selectorMatches({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist', values: ['x'] }] }, {}),
      PlacementError,
    );
  });

  it('cluster names win over a selector with an unknown operator', () => {
    assert.deepEqual(
      selectClusters(
        { clusters: [{ name: 'dev' }], clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Bogus' }] } },
        clusters,
      ),
      ['dev'],
    );
  });
});

describe('parseLabelSelector: kubectl -l forms', () => {
  const rows: { rule: string; text: string; want: LabelSelector }[] = [
    { rule: 'a=b is an equality', text: 'a=b', want: { matchLabels: { a: 'b' }, matchExpressions: [] } },
    { rule: 'a==b is an equality', text: 'a==b', want: { matchLabels: { a: 'b' }, matchExpressions: [] } },
    {
      rule: 'a!=b is NotIn (b)',
      text: 'a!=b',
      want: { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['b'] }] },
    },
    {
      rule: 'a in (x,y) is In (x, y)',
      text: 'a in (x,y)',
      want: { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] },
    },
    {
      rule: 'a notin (x) is NotIn (x)',
      text: 'a notin (x)',
      want: { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] },
    },
    {
      rule: 'a bare key is Exists',
      text: 'a',
      want: { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'Exists' }] },
    },
    {
      rule: '!a is DoesNotExist',
      text: '!a',
      want: { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
    },
    {
      rule: 'prefixed keys are allowed',
      text: 'kubefed.io/region=eu-1',
      want: { matchLabels: { 'kubefed.io/region': 'eu-1' }, matchExpressions: [] },
    },
    {
      rule: 'blanks around operators and values are ignored',
      text: ' a = b , c in ( x , y ) ',
      want: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['x', 'y'] }] },
    },
    {
      rule: 'combinations are ANDed, and commas inside parentheses do not split',
      text: 'env=prod,tier in (web,api),zone notin (z1),!legacy,team,region!=us',
      want: {
        matchLabels: { env: 'prod' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'api'] },
          { key: 'zone', operator: 'NotIn', values: ['z1'] },
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'team', operator: 'Exists' },
          { key: 'region', operator: 'NotIn', values: ['us'] },
        ],
      },
    },
    { rule: 'an empty text is the empty selector', text: '', want: { matchLabels: {}, matchExpressions: [] } },
  ];
  for (const row of rows) {
    it(row.rule, () => {
      assert.deepEqual(parseLabelSelector(row.text), row.want);
    });
  }

  for (const garbage of [
    'a=b=c',
    'a b',
    '=b',
    'a in (x',
    'a in x',
    'a=b(',
    '(((',
    'a=b,)',
    'a in (x))',
    '!a=b',
    'a=b,c d',
  ]) {
    it(`garbage is a PlacementError: ${JSON.stringify(garbage)}`, () => {
      assert.throws(() => parseLabelSelector(garbage), PlacementError);
    });
  }

  it('a parsed selector evaluates like kubectl: != also matches clusters without the label', () => {
    const selector = parseLabelSelector('env!=prod,tier');
    assert.equal(selectorMatches(selector, { env: 'dev', tier: 'web' }), true);
    assert.equal(selectorMatches(selector, { tier: 'web' }), true);
    assert.equal(selectorMatches(selector, { env: 'prod', tier: 'web' }), false);
    assert.equal(selectorMatches(selector, { env: 'dev' }), false);
  });

  it('an empty parsed selector matches every label set', () => {
    assert.equal(selectorMatches(parseLabelSelector(''), {}), true);
    assert.equal(selectorMatches(parseLabelSelector(''), { any: 'thing' }), true);
  });
});
