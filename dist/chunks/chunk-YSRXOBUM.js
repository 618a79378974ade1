import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  package_default
} from "./chunk-PTRSBM4N.js";

// src/action/early.ts
var SECRET_INPUTS = ["access-key-secret", "security-token", "dotenv"];
function input(env, name) {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function earlyMasks(env) {
  return SECRET_INPUTS.map((name) => input(env, name)).filter((value) => value !== "").map((value) => `::add-mask::${value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}`);
}
function banner(env) {
  const command = input(env, "command") || "deploy";
  return `agentrun-deploy ${package_default.version}: ${command} ${input(env, "config") || "s.yaml"}`;
}

export {
  SECRET_INPUTS,
  earlyMasks,
  banner
};
