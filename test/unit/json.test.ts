// writeJson writes in pieces exactly what JSON.stringify(value, null, indent) returns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeJson } from '../../src/util/json.js';

function printed(value: unknown, indent: number): { text: string; pieces: number } {
  const pieces: string[] = [];
  writeJson(value, indent, (t) => pieces.push(t));
  return { text: pieces.join(''), pieces: pieces.length };
}

const same = (value: unknown, indent = 2) =>
  assert.equal(printed(value, indent).text, `${JSON.stringify(value, null, indent)}\n`);

describe('writeJson', () => {
  it('prints scalars, empty containers and nested ones as JSON.stringify does', () => {
    for (const v of [null, 0, -1.5, 'a', true, [], {}, [[]], { a: {} }, [{}, [], [[1, 2]]], { a: [{ b: [{ c: 1 }] }] }])
      for (const indent of [0, 1, 2, 4]) same(v, indent);
  });

  it('leaves out what JSON.stringify leaves out, and prints null for it in arrays', () => {
    const f = () => 1;
    same({ a: undefined, b: f, c: Symbol('x'), d: 1 });
    same([undefined, f, Symbol('y'), 2]);
    same({ list: [undefined, { x: undefined, y: [undefined] }] });
    same({ only: undefined });
    same({ a: undefined, list: [undefined, 1], b: { c: undefined } }, 0);
  });

  it('calls toJSON and keeps what strings escape', () => {
    same({ when: new Date(0), nested: { when: new Date(1) }, list: [new Date(2)] });
    same({ text: 'two\nlines "quoted" \\ and \u2028', 'key\nwith break': ['a\nb'] });
    same({ map: new Map([['a', 1]]), made: Object.assign(Object.create(null), { x: 1 }) as object });
  });

  it('writes a large report in pieces that join to the same text', () => {
    const report = {
      kind: 'PropagationReport',
      resources: Array.from({ length: 5000 }, (_, i) => ({
        name: `cm-${i}`,
        clusters: [{ cluster: 'cluster1', outcome: 'unchanged', message: undefined }],
      })),
      summary: { unchanged: 5000 },
    };
    for (const indent of [0, 2]) {
      const { text, pieces } = printed(report, indent);
      assert.equal(text, `${JSON.stringify(report, null, indent)}\n`);
      assert.ok(pieces > 3, `${pieces} pieces`);
    }
  });

  it('writes long arrays deep inside in batches, with undefined items as null', () => {
    const objects = Array.from({ length: 700 }, (_, i) =>
      i % 100 === 7 ? undefined : { kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { a: [i, { b: i }] } },
    );
    const rendered = {
      clusters: [
        { name: 'c1', objects },
        { name: 'c2', objects: [] },
        { name: 'c3', objects: [1, [2]] },
      ],
    };
    for (const indent of [0, 2, 4]) same(rendered, indent);
    same([objects], 2);
    same({ a: { b: { c: { d: { e: objects.slice(0, 300) } } } } }, 4);
  });
});
