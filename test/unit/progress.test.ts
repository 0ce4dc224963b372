// Progress on stderr: which mode a run gets, the spinner's frames on a (fake) terminal ending with
// the summary line, warnings that do not garble it, and plain lines or nothing off a terminal.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Chalk } from 'chalk';
import type { IO, RunContext, Terminal } from '../../src/output/io.js';
import { countWords, elapsedText, progressMode, startProgress } from '../../src/output/progress.js';

/** A stream that says it is a terminal and records every byte, cursor moves as their escape codes. */
function fakeTerminal(columns = 80): { stream: Terminal; written: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      written += chunk.toString();
      callback();
    },
  });
  const tty = Object.assign(stream, {
    isTTY: true,
    columns,
    cursorTo: (x: number) => stream.write(`\x1b[${x + 1}G`),
    moveCursor: (_dx: number, dy: number) => stream.write(`\x1b[${-dy}A`),
    clearLine: () => stream.write('\x1b[2K'),
  });
  return { stream: tty, written: () => written };
}

type Env = Record<string, string>;

/** A run context whose stderr is the fake terminal (or a plain buffer without one); stdout is recorded apart. */
function context(opts: { tty?: boolean; env?: Env; verbosity?: number; columns?: number } = {}) {
  const term = fakeTerminal(opts.columns);
  let plain = '';
  let out = '';
  const io: IO = {
    out: (t) => void (out += t),
    err: opts.tty === false ? (t) => void (plain += t) : (t) => void term.stream.write(t),
    style: new Chalk({ level: 0 }),
    interactive: opts.tty !== false,
    ...(opts.tty === false ? {} : { terminal: term.stream }),
    env: opts.env ?? {},
  };
  const ctx: RunContext = { io, verbosity: opts.verbosity ?? 0 };
  return { ctx, stderr: () => (opts.tty === false ? plain : term.written()), stdout: () => out };
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** A clock that reads 0 until `later()`, then 1234 ms. */
function clock(): { now: () => number; later: () => void } {
  let t = 0;
  return { now: () => t, later: () => void (t = 1234) };
}

describe('progressMode', () => {
  const cases: [string, Parameters<typeof context>[0], string | undefined, string][] = [
    ['a terminal gets the spinner', {}, undefined, 'spinner'],
    ['CI=1 gets plain lines', { env: { CI: '1' } }, undefined, 'lines'],
    ['CI=true gets plain lines', { env: { CI: 'true' } }, undefined, 'lines'],
    ['CI=false is not CI', { env: { CI: 'false' } }, undefined, 'spinner'],
    ['NO_COLOR gets plain lines', { env: { NO_COLOR: '1' } }, undefined, 'lines'],
    ['an empty NO_COLOR is unset', { env: { NO_COLOR: '' } }, undefined, 'spinner'],
    ['TERM=dumb gets plain lines', { env: { TERM: 'dumb' } }, undefined, 'lines'],
    ['-o json gets plain lines', {}, 'json', 'lines'],
    ['-o yaml gets plain lines', {}, 'yaml', 'lines'],
    ['-v=2 on a terminal gets plain lines (a log was asked for)', { verbosity: 2 }, undefined, 'lines'],
    ['a terminal of no width (a pseudo-terminal without a size) gets plain lines', { columns: 0 }, undefined, 'lines'],
    ['off a terminal: nothing', { tty: false }, undefined, 'silent'],
    ['off a terminal with -v=2: plain lines', { tty: false, verbosity: 2 }, undefined, 'lines'],
  ];
  for (const [name, opts, output, want] of cases)
    it(name, () => assert.equal(progressMode(context(opts).ctx, output), want));
});

describe('startProgress: the spinner on a terminal', () => {
  it('draws the phases and the per-cluster counts, and ends with the summary line and the time', async () => {
    const { ctx, stderr, stdout } = context();
    const time = clock();
    const p = await startProgress(ctx, 'reading member objects of 2 type(s) from 2 ready cluster(s)', {
      now: time.now,
    });
    assert.equal(p.mode, 'spinner');
    p.update('applying 3 change(s)');
    const done = p.track(
      new Map([
        ['c1', 2],
        ['c2', 1],
      ]),
    );
    await delay(150); // ora redraws every 80 ms
    done('c1');
    done('c2');
    await delay(150);
    time.later();
    p.succeed('3 created in 2 cluster(s)');
    const text = strip(stderr());
    assert.match(text, /reading member objects of 2 type\(s\) from 2 ready cluster\(s\)/);
    assert.match(text, /applying 3 change\(s\): c1 0\/2, c2 0\/1/);
    assert.match(text, /applying 3 change\(s\): c1 1\/2, c2 1\/1/);
    assert.ok(text.endsWith('✔ 3 created in 2 cluster(s) (1.2s)\n'), JSON.stringify(text.slice(-80)));
    assert.equal(stdout(), '', 'stdout is for data only');
  });

  it('names at most four clusters; more are counted', async () => {
    const { ctx, stderr } = context();
    const time = clock();
    const p = await startProgress(ctx, 'applying 5 change(s)', { now: time.now });
    const done = p.track(new Map(['a', 'b', 'c', 'd', 'e'].map((c) => [c, 1])));
    done('a');
    await delay(150);
    time.later();
    p.fail('1 failed in 5 cluster(s)');
    const text = strip(stderr());
    assert.match(text, /applying 5 change\(s\): 1\/5 done, 1 of 5 clusters finished/);
    assert.ok(text.endsWith('✖ 1 failed in 5 cluster(s) (1.2s)\n'), JSON.stringify(text.slice(-80)));
  });

  it('a warning written while it spins clears its line first, and the spinner is drawn again below', async () => {
    const { ctx, stderr } = context();
    const time = clock();
    const p = await startProgress(ctx, 'applying 1 change(s)', { now: time.now });
    ctx.io.err('warning: something to know\n');
    await delay(150);
    p.stop();
    const raw = stderr();
    const at = raw.indexOf('warning: something to know\n');
    assert.ok(at > 0, raw);
    assert.ok(
      raw.slice(0, at).endsWith('\x1b[1G\x1b[2K'),
      `the spinner line is cleared before: ${JSON.stringify(raw.slice(at - 20, at))}`,
    );
    assert.match(strip(raw.slice(at)), /applying 1 change\(s\)/, 'drawn again after the warning');
  });

  it('stop() clears the line and leaves no summary; update() after it starts a new spinner', async () => {
    const { ctx, stderr } = context();
    const time = clock();
    const p = await startProgress(ctx, 'installing', { now: time.now });
    p.stop();
    const afterStop = stderr();
    assert.ok(afterStop.endsWith('\x1b[1G\x1b[2K\x1b[?25h'), JSON.stringify(afterStop.slice(-30)));
    p.update('waiting for 2 object(s) to be ready');
    await delay(100);
    time.later();
    p.succeed('2 ready');
    assert.ok(strip(stderr()).endsWith('✔ 2 ready (1.2s)\n'));
  });

  it('credentials never reach the terminal, in a phase or in the summary', async () => {
    const { ctx, stderr } = context();
    const time = clock();
    const p = await startProgress(ctx, 'reading https://admin:hunter2@example.com/api', { now: time.now });
    await delay(100);
    time.later();
    p.succeed('done with https://admin:hunter2@example.com');
    assert.ok(!stderr().includes('hunter2'), stderr());
  });
});

describe('startProgress: plain lines, or nothing', () => {
  const script = async (ctx: RunContext, output?: string) => {
    const time = clock();
    const p = await startProgress(ctx, 'reading member objects', { now: time.now, ...(output ? { output } : {}) });
    p.update('applying 3 change(s)');
    const done = p.track(
      new Map([
        ['c1', 2],
        ['c2', 1],
      ]),
    );
    done('c1');
    done('c2');
    done('c1');
    time.later();
    p.succeed('3 created in 2 cluster(s)');
  };
  const LINES =
    'reading member objects\napplying 3 change(s)\nc2: 1/1 done\nc1: 2/2 done\n3 created in 2 cluster(s) (1.2s)\n';

  for (const [name, env, output] of [
    ['CI=1', { CI: '1' }, undefined],
    ['NO_COLOR', { NO_COLOR: '1' }, undefined],
    ['-o json', {}, 'json'],
  ] as const)
    it(`${name} on a terminal: the plain lines, no escape codes, nothing on stdout`, async () => {
      const { ctx, stderr, stdout } = context({ env });
      await script(ctx, output);
      assert.equal(stderr(), LINES);
      assert.equal(stdout(), '');
    });

  it('off a terminal: nothing at all', async () => {
    const { ctx, stderr, stdout } = context({ tty: false });
    await script(ctx);
    assert.equal(stderr(), '');
    assert.equal(stdout(), '');
  });

  it('off a terminal with -v=2: the plain lines', async () => {
    const { ctx, stderr } = context({ tty: false, verbosity: 2 });
    await script(ctx);
    assert.equal(stderr(), LINES);
  });
});

describe('progress helpers', () => {
  it('elapsedText: tenths of a second, then minutes and seconds', () => {
    assert.equal(elapsedText(1234), '1.2s');
    assert.equal(elapsedText(59_940), '59.9s');
    assert.equal(elapsedText(125_000), '2m05s');
  });
  it('countWords: each word counted, in the order it first appears', () => {
    assert.equal(countWords(['created', 'unchanged', 'created']), '2 created, 1 unchanged');
    assert.equal(countWords([]), '');
  });
});
