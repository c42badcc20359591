// node --test bench/gateway/test: the harness's pure parts (medians, targets, wrk output, profile frames).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answersItem, gatewayPlan, routesYaml } from '../lib/targets.mjs';
import { checkTargets, checkTracingTargets, median, topSelfFrames } from '../lib/stats.mjs';
import { parseWrkOutput } from '../lib/wrk.mjs';
import { BODY } from '../servers/body.mjs';

describe('median', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
});

describe('checkTargets', () => {
  it('marks each target met or missed from the medians', () => {
    const sut = checkTargets({ gatewayRps: 9_000, nginxRps: 18_000, moleculerRps: 8_000, gatewayP50Us: 700, directP50Us: 100 });
    assert.deepEqual(sut.map((check) => check.verdict), ['met', 'missed', 'missed']);
    assert.deepEqual(sut.map((check) => check.shown), ['0.50x', '1.13x', '600 µs']);
  });

  it('says "not measured" when a target it needs was not run', () => {
    const sut = checkTargets({ gatewayRps: 9_000, gatewayP50Us: 700, directP50Us: 350 });
    assert.deepEqual(sut.map((check) => check.verdict), ['not measured', 'not measured', 'met']);
  });
});

describe('checkTracingTargets', () => {
  it('compares 10% and 100% sampling with tracing off', () => {
    const sut = checkTracingTargets({ offRps: 10_000, at10Rps: 8_600, at100Rps: 5_900 });
    assert.deepEqual(sut.map((check) => [check.shown, check.verdict]), [['0.86x', 'met'], ['0.59x', 'missed']]);
    assert.deepEqual(checkTracingTargets({ at10Rps: 1 }).map((check) => check.verdict), ['not measured', 'not measured']);
  });
});

describe('parseWrkOutput', () => {
  it('reads the JSON line of the done hook among wrk\'s own output', () => {
    const stdout = 'Running 5s test @ http://127.0.0.1:1/\n  1 threads and 50 connections\nWRK_JSON {"requests":100,"durationUs":5000000,"bytes":1,"connect":0,"read":0,"write":0,"status":2,"timeout":0,"p50":120,"p90":200,"p99":900,"mean":130.5,"max":1000}\n';
    const sut = parseWrkOutput(stdout);
    assert.equal(sut.requests, 100);
    assert.equal(sut.status, 2);
    assert.equal(sut.p50, 120);
  });

  it('names the missing result line instead of returning nothing', () => {
    assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n'), /wrk printed no result line/);
  });
});

describe('topSelfFrames', () => {
  // Node 2 (a) is sampled at t=10 and t=20, node 3 (b) at t=30; the last sample has no successor, so no weight.
  const profile = {
    startTime: 0,
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
      { id: 2, callFrame: { functionName: 'a', url: 'file:///repo/dist/apps/gateway/x.js', lineNumber: 4 } },
      { id: 3, callFrame: { functionName: 'b', url: 'file:///repo/node_modules/pino/lib/proto.js', lineNumber: 84 } },
    ],
    samples: [2, 2, 3, 2],
    timeDeltas: [10, 10, 10, 30],
  };

  it('sums the time each sample stands for per frame, largest first, with short file names', () => {
    const sut = topSelfFrames(profile, 15);
    assert.deepEqual(sut.frames.map((f) => [f.frame, f.selfMs * 1_000]), [['b (pino/lib/proto.js:85)', 30], ['a (dist/apps/gateway/x.js:5)', 20]]);
    assert.equal(sut.totalMs * 1_000, 50);
  });

  it('counts only the samples inside the window, and all of them when none falls inside', () => {
    assert.deepEqual(topSelfFrames(profile, 15, { fromUs: 25, toUs: 35 }).frames.map((f) => f.frame), ['b (pino/lib/proto.js:85)']);
    const outside = topSelfFrames(profile, 15, { fromUs: 1_000, toUs: 2_000 });
    assert.equal(outside.windowed, false);
    assert.equal(outside.frames.length, 2);
  });
});

describe('gateway plan', () => {
  it('hits the built-in orders route with a token and the public catalogue read without, until the routes file lands', () => {
    const sut = gatewayPlan('builtin', { authPath: undefined });
    assert.equal(sut.authPath, '/api/orders/bench');
    assert.equal(sut.publicPath, '/api/catalog/products');
    assert.equal(sut.rateLimit, false);
  });

  it('writes a routes file whose user route has auth, rate limit and balancer', () => {
    const yaml = routesYaml(gatewayPlan('routes-file', { authPath: '/api/x/items' }));
    assert.match(yaml, /- path: \/api\/x\/\*\n {4}service: bench\n {4}methods: \[GET\]\n {4}rewrite: \{ stripPrefix: \/api\/x \}\n {4}auth: user\n {4}rateLimit: /);
    assert.match(yaml, /- path: \/api\/public\/\*[\s\S]*auth: public/);
  });
});

describe('answersItem', () => {
  it('accepts only a 200 with the upstream document', () => {
    assert.equal(answersItem(200, BODY.toString()), true);
    assert.equal(answersItem(200, '{"id":"other"}'), false);
    assert.equal(answersItem(401, BODY.toString()), false);
  });
});
