import * as core from '@actions/core';
import type { Logger } from '../log.js';

/** Logger for the Actions runner: annotations with file:line:col, foldable groups, masked secrets. */
export const actionsLogger: Logger = {
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  notice: (message) => core.notice(message),
  warning: (message, position) =>
    core.warning(
      message,
      position && { file: position.file, startLine: position.line, startColumn: position.col },
    ),
  error: (message, position) =>
    core.error(
      message,
      position && { file: position.file, startLine: position.line, startColumn: position.col },
    ),
  group: (title, fn) => core.group(title, fn),
  setSecret: (value) => core.setSecret(value),
};
