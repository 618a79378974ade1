// docs/permissions.md cannot drift from the clients: its policies list exactly the AgentRun operations
// src/agentrun/client.ts calls (deploy: all but the deletes; plan: the reads; previews and canary: all),
// and the deploying policies the Function Compute and ARMS operations of the code upload and ARMS key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const doc = readFileSync('docs/permissions.md', 'utf8');

/** Every operation the client names: `action: 'X'` in a request, `listAll('X', …)` for the listings. */
function clientOperations(): string[] {
  const source = readFileSync('src/agentrun/client.ts', 'utf8');
  const names = [...source.matchAll(/\baction: '(\w+)'/g), ...source.matchAll(/\blistAll\(\s*'(\w+)'/g)].map(
    (match) => match[1]!,
  );
  return [...new Set(names)].sort();
}

/** `service:Operation` for each operation the other services' clients name (their action constants). */
function otherOperations(): string[] {
  const named = (file: string, service: string, constant: string) => {
    const found = new RegExp(`\\b${constant} = '(\\w+)'`).exec(readFileSync(file, 'utf8'))?.[1];
    assert.ok(found, `${constant} not found in ${file}`);
    return `${service}:${found}`;
  };
  return [
    named('src/upload/fc.ts', 'fc', 'ACTION'),
    named('src/arms/licence.ts', 'arms', 'DESCRIBE_TRACE_LICENSE_KEY'),
  ].sort();
}

/** The actions of each ```json policy of the page that are not AgentRun's or ram:PassRole, in order. */
function otherActions(): string[][] {
  return [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((match) => JSON.parse(match[1]!) as { Statement?: { Action: string | string[] }[] })
    .filter((policy) =>
      policy.Statement?.some((s) => [s.Action].flat().some((a) => a.startsWith('agentrun:'))),
    )
    .map((policy) =>
      policy
        .Statement!.flatMap((statement) => [statement.Action].flat())
        .filter((action) => !action.startsWith('agentrun:') && action !== 'ram:PassRole')
        .sort(),
    );
}

/** The AgentRun actions of each ```json policy of the page, in order. */
function policies(): string[][] {
  return [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((match) => JSON.parse(match[1]!) as { Statement: { Action: string | string[] }[] })
    .map((policy) =>
      policy.Statement.flatMap((statement) => [statement.Action].flat()).filter((action) =>
        action.startsWith('agentrun:'),
      ),
    )
    .filter((actions) => actions.length > 0)
    .map((actions) => actions.map((action) => action.slice('agentrun:'.length)).sort());
}

test('the client’s operations are found (the extraction itself works)', () => {
  const operations = clientOperations();
  for (const known of [
    'CreateAgentRuntime',
    'ListAgentRuntimes',
    'PublishRuntimeVersion',
    'DeleteAgentRuntime',
  ]) {
    assert.ok(operations.includes(known), `${known} not found in the client`);
  }
});

test('deploy, plan, previews and canary policies list exactly what the client calls', () => {
  const operations = clientOperations();
  const [deploy, plan, previews, ...others] = policies();
  assert.deepEqual(others, []);
  assert.deepEqual(
    deploy,
    operations.filter((name) => !name.startsWith('Delete')),
  );
  assert.deepEqual(
    plan,
    operations.filter((name) => /^(Get|List)/.test(name)),
  );
  assert.deepEqual(previews, operations);
});

test('the deploying policies list the code upload and ARMS operations; the read-only one does not', () => {
  const [deploy, plan, previews] = otherActions();
  assert.deepEqual(deploy, otherOperations());
  assert.deepEqual(plan, []);
  assert.deepEqual(previews, otherOperations());
});

test('the page names ram:PassRole for the agent’s role, the OIDC trust conditions and the alternative', () => {
  assert.match(doc, /"Action": "ram:PassRole",\n\s+"Resource": "acs:ram::<account-id>:role\/<agent-role>"/);
  for (const condition of [
    '"oidc:iss"',
    '"oidc:aud": "sts.aliyuncs.com"',
    '"oidc:sub": "repo:<owner>/<repo>:environment:production"',
  ]) {
    assert.ok(doc.includes(condition), condition);
  }
  assert.match(doc, /uses: aliyun\/configure-aliyun-credentials-action@/);
  assert.match(readFileSync('README.md', 'utf8'), /\]\(docs\/permissions\.md\)/, 'the README links the page');
});

/** The RAM action of each SLS operation: as the official SDK's doc comments name it, else `log:<operation>`. */
function slsActions(): string[] {
  const sdk = readFileSync('node_modules/@alicloud/sls20201230/dist/client.d.ts', 'utf8');
  const source = readFileSync('src/logs/client.ts', 'utf8');
  const operations = [...new Set([...source.matchAll(/\baction: '(\w+)'/g)].map((match) => match[1]!))];
  return operations
    .map((operation) => {
      const method = `${operation[0]!.toLowerCase()}${operation.slice(1)}WithOptions(`;
      const at = sdk.indexOf(`    ${method}`);
      assert.ok(at > 0, `the SDK has no ${method}`);
      const doc = sdk.slice(sdk.lastIndexOf('/**', at), at);
      return /\|`(log:\w+)`\|/.exec(doc)?.[1] ?? `log:${operation}`;
    })
    .sort();
}

test('the logs policy lists exactly the SLS operations the client calls', () => {
  const actions = slsActions();
  assert.ok(actions.includes('log:GetLogStoreLogs'), 'GetLogsV2 is read as the SDK names it');
  const listed = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((match) => JSON.parse(match[1]!) as { Statement: { Action: string | string[] }[] })
    .flatMap((policy) => policy.Statement.flatMap((statement) => [statement.Action].flat()))
    .filter((action) => action.startsWith('log:'));
  assert.deepEqual([...listed].sort(), actions);
});
