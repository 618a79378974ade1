// Every kind of job summary and pull-request comment the action writes, built by the product's own
// renderers from the shapes a run hands them: deploy, no-op, failure, plan, preview and the canary's
// three endings. The unit test checks their first line; the browser test screenshots them.
import { deploySummary, failureSummary, planSummary, type FailedResource } from '../../src/app/summary.js';
import type { ResourceReport } from '../../src/deploy/report.js';
import type { ResourceDiff } from '../../src/deploy/diff.js';
import { composeComment, renderPlanSection, renderPreview } from '../../src/github/comment.js';
import type { Plan } from '../../src/plan/types.js';
import {
  CanaryResult,
  reportMarkdown,
  type RolloutReport,
  type StageReport,
} from '../../src/rollout/report.js';
import type { ProbeStats } from '../../src/rollout/probe.js';
import type { GateResult } from '../../src/rollout/gates.js';

export interface Document {
  name: string;
  markdown: string;
  /** Whether its first line must name a URL (all but the plan). */
  url: boolean;
  /** The words the first line must hold. */
  outcome: RegExp;
}

const URL =
  'https://1234567890.agentrun-data.cn-hangzhou.aliyuncs.com/agent-runtimes/production-agent/endpoints';
const PROD_URL = `${URL}/production/invocations`;
const CANARY_URL = `${URL}/canary/invocations`;
const PREVIEW_URL = `${URL}/pr-42/invocations`;
const SHA = '3f2a9c1e5b7d8f90a1b2c3d4e5f60718293a4b5c';
const FOOTER = `Commit [3f2a9c1](https://github.com/acme/agents/commit/${SHA}) · 41.3 s`;

const report = (fields: Partial<ResourceReport>): ResourceReport => ({
  resource: 'agent',
  runtime: 'production-agent',
  runtimeId: 'ar-0001',
  region: 'cn-hangzhou',
  action: 'updated',
  changes: ['code'],
  previousVersion: '2',
  version: '3',
  published: true,
  uploadedBytes: 18_342,
  files: 4,
  endpoints: [{ name: 'production', action: 'unchanged', url: PROD_URL, version: '3', weights: [] }],
  ...fields,
});

const probe = (
  endpoint: string,
  successRate: number,
  p95Ms: number,
  failures: string[] = [],
): ProbeStats => ({
  endpoint,
  url: endpoint === 'candidate' ? CANARY_URL : PROD_URL,
  count: 50,
  successes: Math.round(successRate * 50),
  successRate,
  p50Ms: p95Ms / 2,
  p95Ms,
  maxConsecutiveFailures: failures.length ? 50 : 0,
  sampleFailures: failures,
});

const gate = (subject: string, measured: string, passed: boolean): GateResult => ({
  gate: 'min-success-rate',
  subject,
  passed,
  measured,
  threshold: '≥ 99.0%',
});

const passed = (stage: number, weight: number, successRate = 1): StageReport => ({
  stage,
  weight,
  bakeMs: 300_000,
  probes: [probe('candidate', successRate, 180 + stage * 10), probe('production', 1, 170)],
  gates: [gate('candidate', '100.0% (50/50)', true)],
  verdict: 'passed',
});

const FAILURE =
  'HTTP 502: {"error":"ModuleNotFoundError: No module named \'langchain_community\'","trace":"File /code/main.py, line 3, in <module> import langchain_community"}';

const rolledBack: RolloutReport = {
  runtime: 'production-agent',
  candidate: '3',
  stable: '2',
  result: CanaryResult.rolledBack,
  stages: [
    {
      stage: 1,
      weight: 10,
      bakeMs: 300_000,
      probes: [probe('candidate', 0, 40, [FAILURE, FAILURE]), probe('production', 0.9, 190)],
      gates: [gate('candidate', '0.0% (0/50)', false)],
      verdict: 'failed',
    },
  ],
  failedGates: [gate('candidate', '0.0% (0/50)', false)],
  reason: 'Stage 1 (10%) failed its gates; production is back on version 2.',
  serving: '2: 100%',
};

const places = {
  production: 'production',
  productionUrl: PROD_URL,
  candidateEndpoint: 'canary',
  candidateUrl: CANARY_URL,
};

const failed: FailedResource[] = [
  {
    resource: 'agent',
    runtime: 'production-agent',
    status: 'UPDATE_FAILED',
    newestVersion: '1',
    endpoints: [{ name: 'production', version: 'LATEST', weights: [], url: PROD_URL }],
  },
];

const diffs: ResourceDiff[] = [
  {
    resource: 'agent',
    runtimeName: 'production-agent',
    runtime: 'update',
    changes: ['code'],
    endpoints: [{ name: 'production', change: 'unchanged', changes: [] }],
    comparedWith: 'version 2, which endpoint production serves',
  },
];
const emptyPlan: Plan = { resources: [], skipped: [], warnings: [], secretValues: [] };
const previewSection = {
  sha: SHA,
  commitUrl: `https://github.com/acme/agents/commit/${SHA}`,
  runUrl: 'https://github.com/acme/agents/actions/runs/4242',
  updatedAt: '2026-12-07T22:15:30.000Z',
};

/** Every document, as GitHub would receive it (with the run's footer where the run adds one). */
export function documents(): Document[] {
  const withFooter = (markdown: string) => `${markdown}\n${FOOTER}\n`;
  return [
    {
      name: 'deploy',
      markdown: withFooter(
        deploySummary([
          report({
            previousVersion: '4',
            previousPreview: 12,
            version: '5',
            endpoints: [{ name: 'production', action: 'updated', url: PROD_URL, version: '5', weights: [] }],
          }),
        ]),
      ),
      url: true,
      outcome: /Deployed/,
    },
    {
      name: 'no-op',
      markdown: withFooter(
        deploySummary([
          report({ action: 'unchanged', changes: [], published: false, uploadedBytes: 0, files: 0 }),
        ]),
      ),
      url: true,
      outcome: /No change/,
    },
    {
      name: 'failure',
      markdown: withFooter(
        deploySummary(
          [],
          new Error(
            `agent: Agent runtime production-agent is UPDATE_FAILED: ${FAILURE}. Fix the agent's start-up and deploy again.`,
          ),
          failed,
        ),
      ),
      url: true,
      outcome: /Deploy failed.*UPDATE_FAILED.*still serves/,
    },
    {
      name: 'invalid s.yaml',
      markdown: withFooter(failureSummary('deploy', new Error('s.yaml:17:14: cpu: expected a number'))),
      url: false,
      outcome: /deploy failed/,
    },
    {
      name: 'plan',
      markdown: withFooter(planSummary(emptyPlan, diffs)),
      url: false,
      outcome: /would change/,
    },
    {
      name: 'preview comment',
      markdown: composeComment(
        composeComment(
          undefined,
          'preview',
          renderPreview(
            {
              ...previewSection,
              rows: [
                {
                  agent: 'production-agent',
                  endpoint: 'pr-42',
                  version: '5',
                  url: PREVIEW_URL,
                  status: 'ready',
                },
              ],
            },
            [],
          ),
        ),
        'plan',
        (room) =>
          renderPlanSection(
            {
              ...previewSection,
              diff: 'agent: runtime production-agent will be updated (code)\n  endpoint production is unchanged',
              outcome: 'a deploy would change production-agent (update, code)',
              comparedWith: 'production-agent: version 2, which endpoint production serves',
            },
            [],
            room,
          ),
      ),
      url: true,
      outcome: /Preview ready/,
    },
    {
      name: 'preview failed',
      markdown: renderPreview(
        {
          ...previewSection,
          rows: [
            {
              agent: 'production-agent',
              endpoint: 'pr-42',
              status: 'failed',
              reason: 'Agent runtime production-agent-pr-42 is CREATE_FAILED: exit status 1',
            },
          ],
        },
        [],
      ),
      url: true,
      outcome: /Preview failed/,
    },
    {
      name: 'canary promoted',
      markdown: withFooter(
        reportMarkdown(
          {
            ...rolledBack,
            result: CanaryResult.promoted,
            stages: [passed(1, 10), passed(2, 30, 0.996), passed(3, 50, 0.992), passed(4, 100, 0.998)],
            failedGates: [],
            reason: 'Every stage passed its gates.',
            serving: '3: 100%',
          },
          places,
        ),
      ),
      url: true,
      outcome: /Canary promoted/,
    },
    {
      name: 'canary rolled back',
      markdown: withFooter(reportMarkdown(rolledBack, places)),
      url: true,
      outcome: /Canary rolled back/,
    },
    {
      name: 'canary paused',
      markdown: withFooter(
        reportMarkdown(
          {
            ...rolledBack,
            result: CanaryResult.paused,
            stages: [passed(1, 10)],
            failedGates: [],
            reason: 'canary-mode is manual: it waits for promote or advance.',
            serving: '2: 90%, 3: 10%',
          },
          places,
        ),
      ),
      url: true,
      outcome: /Canary paused/,
    },
  ];
}
