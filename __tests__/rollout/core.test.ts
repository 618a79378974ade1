import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeGate } from '../../src/rollout/gates.js';
import { commandGate } from '../../src/rollout/providers/command.js';
import { rolloutHold } from '../../src/rollout/hold.js';
import {
  inProgress,
  readMarker,
  userDescription,
  writeMarker,
  type RolloutMarker,
} from '../../src/rollout/marker.js';
import { reportJson, reportMarkdown, stageTable, type RolloutReport } from '../../src/rollout/report.js';
import { candidatePercent, describeSplit, promotionTarget, routingAt } from '../../src/rollout/stages.js';
import { summarize } from '../../src/rollout/probe.js';

const marker: RolloutMarker = {
  phase: 'progressing',
  candidate: '3',
  stable: '2',
  stage: 1,
  steps: [10, 30, 50, 100],
  since: 1_764_600_000_000,
};

describe('marker on the production endpoint', () => {
  it('round-trips after the user’s description, replacing an earlier marker', () => {
    const once = writeMarker('Production traffic', marker);
    assert.match(once, /^Production traffic \[agentrun-rollout \{.*\}\]$/);
    assert.ok(once.length < 200, `${once.length} characters`);
    const twice = writeMarker(once, { ...marker, stage: 2 });
    assert.equal(userDescription(twice), 'Production traffic');
    assert.deepEqual(readMarker(twice), { ...marker, stage: 2, reason: undefined });
    assert.deepEqual(readMarker(writeMarker('', marker)), { ...marker, reason: undefined });
  });

  it('ignores descriptions without a valid marker', () => {
    assert.equal(readMarker('Production traffic'), undefined);
    assert.equal(readMarker(undefined), undefined);
    assert.equal(
      readMarker('x [agentrun-rollout {"p":"progressing","c":"3","b":"2","s":9,"w":"10,100","t":1}]'),
      undefined,
    );
    assert.equal(readMarker('x [agentrun-rollout {not json}]'), undefined);
  });

  it('keeps a short reason and knows which phases hold production', () => {
    const long = readMarker(writeMarker('', { ...marker, phase: 'rolled-back', reason: 'x'.repeat(500) }));
    assert.equal(long?.reason?.length, 60);
    assert.equal(inProgress(marker), true);
    assert.equal(inProgress({ ...marker, phase: 'aborted' }), true);
    assert.equal(inProgress({ ...marker, phase: 'promoted' }), false);
    assert.equal(inProgress(long), false);
  });
});

describe('stages', () => {
  it('route stable + weighted candidate, and the candidate alone at 100%', () => {
    assert.deepEqual(routingAt('2', '3', 30), {
      targetVersion: '2',
      routingConfiguration: { versionWeights: [{ version: '3', weight: 0.3 }] },
    });
    assert.deepEqual(routingAt('2', '3', 100), {
      targetVersion: '3',
      routingConfiguration: { versionWeights: [] },
    });
    assert.deepEqual(routingAt('2', '3', 0), {
      targetVersion: '2',
      routingConfiguration: { versionWeights: [] },
    });
    assert.equal(describeSplit(routingAt('2', '3', 30)), '2: 70%, 3: 30%');
    assert.equal(
      candidatePercent(
        { targetVersion: '2', routingConfiguration: { versionWeights: [{ version: '3', weight: 0.29999 }] } },
        '3',
      ),
      30,
    );
    assert.equal(candidatePercent(routingAt('2', '3', 100), '3'), 100);
  });

  it('promote goes to the next stage, a percent, or full', () => {
    const steps = [10, 30, 50, 100];
    assert.equal(promotionTarget(steps, 0, 'next'), 1);
    assert.equal(promotionTarget(steps, 3, 'next'), 3);
    assert.equal(promotionTarget(steps, 0, 'full'), 3);
    assert.equal(promotionTarget(steps, 0, 50), 2);
    assert.equal(promotionTarget(steps, 2, 10), 2, 'never backwards');
  });
});

describe('report', () => {
  const probe = (endpoint: string, latencies: number[], failures = 0) =>
    summarize(
      endpoint,
      'http://x',
      latencies.map((latencyMs, i) => ({
        ok: i >= failures,
        latencyMs,
        failure: i < failures ? 'HTTP 500: boom' : undefined,
      })),
    );
  const report: RolloutReport = {
    runtime: 'agent',
    candidate: '3',
    stable: '2',
    result: 'rolled-back',
    stages: [
      {
        stage: 1,
        weight: 10,
        bakeMs: 1000,
        probes: [probe('candidate', [10, 20, 30, 40]), probe('production', [5, 5])],
        gates: [],
        verdict: 'passed',
      },
      {
        stage: 2,
        weight: 30,
        bakeMs: 1000,
        probes: [probe('candidate', [10, 900], 1), probe('production', [5])],
        gates: [],
        verdict: 'failed',
      },
    ],
    failedGates: [
      {
        gate: 'min-success-rate',
        subject: 'candidate',
        passed: false,
        measured: '50.0% (1/2)',
        threshold: '≥ 99.0%',
      },
    ],
    reason: 'Stage 2 (30%) failed min-success-rate on candidate.',
    serving: '2: 100%',
  };

  it('renders a stage table for the log', () => {
    assert.equal(
      stageTable(report),
      [
        'stage  weight  endpoint    probes  success  p50    p95     verdict',
        '1      10%     candidate   4       100.0%   20 ms  40 ms   passed',
        '1      10%     production  2       100.0%   5 ms   5 ms    passed',
        '2      30%     candidate   2       50.0%    10 ms  900 ms  failed',
        '2      30%     production  1       100.0%   5 ms   5 ms    failed',
      ].join('\n'),
    );
  });

  it('renders markdown that leads with the outcome, the failed gate and the stable version beside the candidate', () => {
    const markdown = reportMarkdown(report, {
      production: 'live',
      productionUrl: 'https://agent.example/live',
      candidateEndpoint: 'canary',
    });
    assert.match(
      markdown,
      /^### ❌ Canary rolled back version 3 failed: min-success-rate on candidate 50\.0% \(1\/2\), needs ≥ 99\.0% — `agent`: `live` serves version 2 at <https:\/\/agent\.example\/live>\n/,
    );
    assert.match(
      markdown,
      /^\| 2 \| 30% \| 50\.0% · p95 900 ms · 2 probes \| 100\.0% · p95 5 ms · 1 probe \| ❌ failed \|$/m,
    );
    assert.match(markdown, /\| min-success-rate \| candidate \| 50\.0% \(1\/2\) \| ≥ 99\.0% \|/);
    assert.doesNotMatch(markdown, /mermaid/, 'two stages: the table says it all');
    const four = {
      ...report,
      stages: [...report.stages, ...report.stages].map((s, i) => ({ ...s, stage: i + 1 })),
    };
    assert.match(
      reportMarkdown(four, { production: 'live', candidateEndpoint: 'canary' }),
      /xychart-beta[\s\S]*bar \[0, 50, 0, 50\]/,
    );
    assert.deepEqual(JSON.parse(reportJson(report)), JSON.parse(JSON.stringify(report)));
  });

  it('names a gate with measured value and threshold; a command gate by its exit', () => {
    assert.equal(
      describeGate(report.failedGates[0]!),
      'min-success-rate on candidate: 50.0% (1/2), needs ≥ 99.0%',
    );
    assert.deepEqual(commandGate('./golden.sh', 1, null), {
      gate: 'gate-command',
      subject: './golden.sh',
      passed: false,
      measured: 'exit code 1',
      threshold: 'exit code 0',
    });
    assert.equal(commandGate('./golden.sh', 0, null).passed, true);
  });
});

describe('a plain deploy and a rollout in progress', () => {
  const file = {
    agentRuntimeEndpointName: 'live',
    description: 'Production traffic',
    targetVersion: 'LATEST',
  };
  const deployed = (description: string) => ({
    agentRuntimeEndpointId: 'ep',
    agentRuntimeEndpointName: 'live',
    description,
  });

  it('holds the split and keeps the marker after the file’s description while in progress', () => {
    for (const phase of ['progressing', 'paused', 'aborted'] as const) {
      const held = rolloutHold(deployed(writeMarker('old text', { ...marker, phase })), file);
      assert.equal(held?.by, `rollout of version 3 at 30%, ${phase}`);
      assert.equal(userDescription(held?.description), 'Production traffic');
      assert.equal(readMarker(held?.description)?.phase, phase);
    }
  });

  it('lets the file decide once the rollout has ended, or where there is none', () => {
    assert.equal(rolloutHold(deployed(writeMarker('x', { ...marker, phase: 'promoted' })), file), undefined);
    assert.equal(
      rolloutHold(deployed(writeMarker('x', { ...marker, phase: 'rolled-back' })), file),
      undefined,
    );
    assert.equal(rolloutHold(deployed('Production traffic'), file), undefined);
  });
});
