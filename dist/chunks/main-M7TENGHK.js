import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  SECRET_INPUTS
} from "./chunk-YSRXOBUM.js";
import {
  failureMessage,
  readSettings,
  run
} from "./chunk-H5QMKS3R.js";
import "./chunk-PTRSBM4N.js";
import "./chunk-WXINHZ73.js";
import {
  debug,
  error,
  getIDToken,
  getInput,
  group,
  info,
  isDebug,
  notice,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-OKX7M22N.js";
import "./chunk-XEYCVPWC.js";
import "./chunk-PQADDHOS.js";
import "./chunk-HANBNIMK.js";

// src/action/logger.ts
var actionsLogger = {
  info: (message) => info(message),
  debug: (message) => debug(message),
  notice: (message) => notice(message),
  warning: (message, position) => warning(
    message,
    position && { file: position.file, startLine: position.line, startColumn: position.col }
  ),
  error: (message, position) => error(
    message,
    position && { file: position.file, startLine: position.line, startColumn: position.col }
  ),
  group: (title, fn) => group(title, fn),
  setSecret: (value) => setSecret(value)
};

// src/action/host.ts
function actionHost(env = process.env) {
  const trigger = env.GITHUB_SHA ? `${env.GITHUB_REPOSITORY ?? ""}@${env.GITHUB_SHA.slice(0, 7)} run ${env.GITHUB_RUN_ID ?? ""}` : "agentrun-deploy";
  return {
    logger: actionsLogger,
    env,
    setOutput: (name, value) => setOutput(name, value),
    print: (text) => info(text),
    writeSummary: async (markdown) => {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await summary.addRaw(markdown).write().catch((error2) => {
        warning(`Could not write the job summary: ${failureMessage(error2)}`);
      });
    },
    getIDToken: (audience) => getIDToken(audience),
    tempDir: env.RUNNER_TEMP || void 0,
    workspace: env.GITHUB_WORKSPACE || void 0,
    trigger: `Deployed by ${trigger}`,
    commit: env.GITHUB_SHA ? {
      sha: env.GITHUB_SHA,
      url: env.GITHUB_REPOSITORY && `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/commit/${env.GITHUB_SHA}`
    } : void 0
  };
}

// src/action/stack.ts
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
function withSourceModules(stack, readBundle = readIfBundle) {
  const bundles = /* @__PURE__ */ new Map();
  const linesOf = (path) => {
    if (!bundles.has(path)) bundles.set(path, readBundle(path)?.split("\n"));
    return bundles.get(path);
  };
  return stack.replace(
    /((?:file:\/\/)?\/[^\s():]+\.js):(\d+):\d+\)?/g,
    (frame, file, line) => {
      const lines = linesOf(file.startsWith("file:") ? fileURLToPath(file) : file);
      if (!lines) return frame;
      for (let i = Math.min(Number(line), lines.length) - 1; i >= 0; i--) {
        const marker = /^\/\/ ((?:src|emulator|node_modules)\/\S+)$/.exec(lines[i]);
        if (marker) return `${frame} [${marker[1]}]`;
      }
      return frame;
    }
  );
}
function readIfBundle(path) {
  if (!/\/dist\/(?:chunks\/)?[^/]+\.js$/.test(path)) return void 0;
  try {
    return readFileSync(path, "utf8");
  } catch {
    return void 0;
  }
}

// src/main.ts
async function run2() {
  try {
    for (const name of SECRET_INPUTS) {
      const value = getInput(name);
      if (value) setSecret(value);
    }
    const settings = readSettings(
      (name) => getInput(name),
      process.env.GITHUB_WORKSPACE || process.cwd()
    );
    await run(settings, actionHost());
  } catch (error2) {
    if (error2 instanceof Error && error2.stack && isDebug()) debug(withSourceModules(error2.stack));
    setFailed(failureMessage(error2));
  }
}
export {
  run2 as run
};
