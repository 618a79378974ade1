import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  AUTO_LOG,
  AgentRunError,
  Crc64,
  EndpointError,
  LATEST,
  LogField,
  OssClient,
  SERVICE,
  SIGNATURE_METHOD,
  SLS_API_VERSION,
  SlsCodes,
  SlsField,
  armsEndpoint,
  autoLogIndex,
  autoLogProject,
  autoLogstore,
  callRpc,
  contentMd5,
  external_exports,
  fcEndpoint,
  getTempBucketToken,
  isEchoed,
  parseEndpoint,
  require_client,
  require_client2,
  require_yauzl,
  routingWrite,
  serviceDefaulted,
  sign,
  slsRegionEndpoint,
  splitWeights,
  stringToSign,
  toAgentRunError,
  traceLicenseKey
} from "./chunk-WXINHZ73.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-HANBNIMK.js";

// node_modules/ignore/index.js
var require_ignore = __commonJS({
  "node_modules/ignore/index.js"(exports, module) {
    function makeArray(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var UNDEFINED = void 0;
    var EMPTY2 = "";
    var SPACE = " ";
    var ESCAPE = "\\";
    var REGEX_LITERAL_SPECIAL = /[.*+?()[\]{}^$|\\/]/;
    var BOM = "\uFEFF";
    var REGEX_ANCHORED_GLOBSTAR = /^\/\*{2,}$/;
    var REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/;
    var REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/;
    var REGEX_SPLITALL_CRLF = /\r?\n/g;
    var DOUBLE_SLASH = "//";
    var SLASH_CODE = 47;
    var DOT_CODE = 46;
    var SLASH = "/";
    var TMP_KEY_IGNORE = "node-ignore";
    if (typeof Symbol !== "undefined") {
      TMP_KEY_IGNORE = /* @__PURE__ */ Symbol.for("node-ignore");
    }
    var KEY_IGNORE = TMP_KEY_IGNORE;
    var define = (object, key, value) => {
      Object.defineProperty(object, key, { value });
      return value;
    };
    var RETURN_FALSE = () => false;
    var POSIX_CLASSES = {
      alnum: "0-9A-Za-z",
      alpha: "A-Za-z",
      blank: " \\t",
      cntrl: "\\x00-\\x1f\\x7f",
      digit: "0-9",
      graph: "!-.0-~",
      lower: "a-z",
      print: " -.0-~",
      punct: "!-.:-@\\[-`{-~",
      // git's `sane-ctype.h` classifies \v and \f as control, not space,
      //   unlike C's `isspace`
      space: " \\t\\n\\r",
      upper: "A-Z",
      xdigit: "0-9A-Fa-f"
    };
    var CLASS_MEMBERS_TO_ESCAPE = "\\]^-[";
    var escapeMember = (char) => CLASS_MEMBERS_TO_ESCAPE.indexOf(char) < 0 ? char : ESCAPE + char;
    var NON_SLASH = "(?!\\/)";
    var classSource = (negated, body) => {
      if (negated) {
        return `[^\\/${body}]`;
      }
      const source = `[${body}]`;
      return new RegExp(source).test("/") ? NON_SLASH + source : source;
    };
    var scanBracket = (pattern, start2) => {
      const { length } = pattern;
      let index = start2 + 1;
      let negated = EMPTY2;
      const lead = pattern[index];
      if (lead === "!" || lead === "^") {
        negated = "^";
        index++;
      }
      let body = EMPTY2;
      let prev = EMPTY2;
      for (; ; ) {
        const char = pattern[index];
        if (char === UNDEFINED) {
          return null;
        }
        if (char === ESCAPE) {
          const escaped = pattern[++index];
          body += escapeMember(escaped);
          prev = escaped;
        } else if (char === "-" && prev && index + 1 < length && pattern[index + 1] !== "]") {
          index++;
          let to = pattern[index];
          if (to === ESCAPE) {
            to = pattern[index += 1];
          }
          if (prev <= to) {
            body += `-${escapeMember(to)}`;
          }
          prev = EMPTY2;
        } else if (char === "[" && pattern[index + 1] === ":") {
          const nameStart = index + 2;
          let end = nameStart;
          while (end < length && pattern[end] !== "]") {
            end++;
          }
          if (end === length) {
            return null;
          }
          if (end > nameStart && pattern[end - 1] === ":") {
            const name = pattern.slice(nameStart, end - 1);
            if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) {
              return null;
            }
            body += POSIX_CLASSES[name];
            prev = EMPTY2;
            index = end;
          } else {
            body += escapeMember("[");
            prev = "[";
            index = nameStart - 2;
          }
        } else {
          body += escapeMember(char);
          prev = char;
        }
        index++;
        if (pattern[index] === "]") {
          return {
            end: index,
            source: classSource(negated, body)
          };
        }
      }
    };
    var NEVER_MATCH = "[]";
    var PLACEHOLDER = "\0";
    var REGEX_RESTORE_PLACEHOLDER = new RegExp(
      `${PLACEHOLDER}(\\d+)${PLACEHOLDER}`,
      "g"
    );
    var TRAILING_WILDCARD = "\uE000";
    var TRAILING_DOUBLESTAR = "\uE001";
    var isReserved = (char) => char === PLACEHOLDER || char === TRAILING_WILDCARD || char === TRAILING_DOUBLESTAR;
    var extractBrackets = (pattern) => {
      const sources = [];
      const hold = (source) => `${PLACEHOLDER}${sources.push(source) - 1}${PLACEHOLDER}`;
      const { length } = pattern;
      let out = EMPTY2;
      let index = 0;
      while (index < length) {
        const char = pattern[index];
        if (char === ESCAPE) {
          const escaped = pattern[index + 1];
          if (escaped === SLASH && index + 2 === length) {
            out += hold(NEVER_MATCH);
          } else if (escaped === "*" || escaped === "[" || escaped === SPACE) {
            out += pattern.slice(index, index + 2);
          } else {
            out += hold(
              REGEX_LITERAL_SPECIAL.test(escaped) ? ESCAPE + escaped : isReserved(escaped) ? `[${escaped}]` : escaped
            );
          }
          index += 2;
        } else if (isReserved(char)) {
          out += hold(`[${char}]`);
          index++;
        } else if (char === "[") {
          const scanned = scanBracket(pattern, index);
          if (scanned === null) {
            out += hold(NEVER_MATCH);
            index = length;
          } else {
            out += hold(scanned.source);
            index = scanned.end + 1;
          }
        } else {
          out += char;
          index++;
        }
      }
      return {
        source: out,
        sources
      };
    };
    var DIRECT = null;
    var REGEX_INNER_SLASH = /\/(?!$)/;
    var WILDCARD = "[^\\/]*";
    var REPLACERS = [
      // Replace (\ ) with ' '
      // Only a space: an escaped tab or other whitespace is already a literal by
      //   the time it reaches here, and a bare tab must be left as one, not turned
      //   into a space.
      // (\ ) -> ' '
      // (\\ ) -> '\\ '
      // (\\\ ) -> '\\ '
      [
        // A run of backslashes is taken whole, from its first one, so no match
        //   ever starts again inside it -- `(\\+?) ` did, which made a long run
        //   quadratic.
        /(\\+)( ?)/g,
        (_, run3, space) => space ? run3.slice(0, run3.length - run3.length % 2) + SPACE : run3,
        ESCAPE + SPACE
      ],
      // git's wildmatch() reads a run of two or more asterisks as one globstar
      //   whenever the run fills a path segment: it starts the pattern or follows
      //   a `/`, and it ends the pattern or comes before a `/`. A run of two is
      //   already `**`; a longer one is folded into `**` here, so the steps
      //   below only ever have to know `**`.
      // `***/foo` -> `**/foo`, `a/***/b` -> `a/**/b`, `a/***` -> `a/**`
      // git also takes a run beside a literal prefix (`a***/b`) or beside an
      //   escaped slash (`***\/b`) as a globstar, and this does not; the README
      //   lists both, under "A run of asterisks".
      [
        /(^|\/)\*{3,}(?=\/|$)/g,
        (_, start2) => `${start2}**`,
        "*"
      ],
      // Escape metacharacters
      // which is written down by users but means special for regular expressions.
      // > There are 12 characters with special meanings:
      // > - the backslash \,
      // > - the caret ^,
      // > - the dollar sign $,
      // > - the period or dot .,
      // > - the vertical bar or pipe symbol |,
      // > - the question mark ?,
      // > - the asterisk or star *,
      // > - the plus sign +,
      // > - the opening parenthesis (,
      // > - the closing parenthesis ),
      // > - and the opening square bracket [,
      // > - the opening curly brace {,
      // > These special characters are often called "metacharacters".
      [
        /[\\$.|*+(){^]/g,
        (match) => `\\${match}`
      ],
      [
        // > a question mark (?) matches a single character
        /(?!\\)\?/g,
        () => "[^/]",
        "?"
      ],
      // leading slash
      [
        // > A leading slash matches the beginning of the pathname.
        // > For example, "/*.c" matches "cat-file.c" but not "mozilla-sha1/sha1.c".
        // A leading slash matches the beginning of the pathname
        /^\//,
        () => "^",
        SLASH
      ],
      // replace special metacharacter slash after the leading slash
      [
        /\//g,
        () => "\\/",
        SLASH
      ],
      [
        // > A leading "**" followed by a slash means match in all directories.
        // > For example, "**/foo" matches file or directory "foo" anywhere,
        // > the same as pattern "foo".
        // > "**/foo/bar" matches file or directory "bar" anywhere that is directly
        // >   under directory "foo".
        // Notice that the '*'s have been replaced as '\\*'
        /^\^*(?:\\\*\\\*\\\/)+/,
        // '**/foo' <-> 'foo'
        () => "(?:^|\\/)",
        "*"
      ],
      // starting
      [
        // there will be no leading '/'
        //   (which has been replaced by section "leading slash")
        // If starts with '**', adding a '^' to the regular expression also works
        DIRECT,
        (source, pattern) => {
          if (!source || source[0] === "^" || source[0] === "(") {
            return source;
          }
          const anchor = !REGEX_INNER_SLASH.test(pattern) ? "(?:^|\\/)" : "^";
          return anchor + source;
        }
      ],
      // two globstars
      [
        // Use lookahead assertions so that we could match more than one `'/**'`
        /\\\/\\\*\\\*(?=\\\/|$)/g,
        // Zero, one or several directories
        // should not use '*', or it will be replaced by the next replacer
        // Check if it is not the last `'/**'`
        (_, index, str2) => index + 6 < str2.length ? str2.slice(index + 6) === "\\/" ? "(?:\\/[^\\/]+)+" : "(?:\\/[^\\/]+)*" : `\\/${TRAILING_DOUBLESTAR}`,
        "*"
      ],
      // normal intermediate wildcards
      [
        // Never replace escaped '*'
        // ignore rule '\*' will match the path '*'
        // 'abc.*/' -> go
        // 'abc.*'  -> skip this rule,
        //    coz trailing single wildcard will be handed by [trailing wildcard]
        /(^|[^\\])(?:\\\*)+(?!$)/g,
        // '*.js' matches '.js'
        // '*.js' doesn't match 'abc'
        // 1. An asterisk "*" matches anything except a slash.
        // 2. Other consecutive asterisks are considered regular asterisks
        //    and collapse into one non-slash wildcard run.
        (_, p1) => p1 + WILDCARD,
        "*"
      ],
      // trailing wildcard, held apart from a literal star
      [
        // The step above leaves a trailing `*` alone, so a single `\*` is all that
        //   can be left at the end here, and what stands in front of it says which
        //   kind it is. A wildcard arrives as the escaper wrote it, `\*` with
        //   nothing before it; a literal arrives as the user's own escape, which
        //   the escaper doubled, and then the star's own -- `\\` and then `\*`.
        //   There is no third case: every backslash still reaching the chain is
        //   one `\*`, `\[` or `\ ` carries itself, and each is followed by its
        //   own character, so a longer run can never form. This runs while the
        //   two are still distinct, before the unescape steps below collapse the
        //   literal onto the very `\*` a wildcard leaves behind.
        /(^|[^\\])((?:\\\\)*)\\\*$/,
        (match, p1, p2) => p2 === EMPTY2 ? p1 + TRAILING_WILDCARD : match,
        "*"
      ],
      [
        // unescape, revert step 3 except for back slash
        // For example, if a user escape a '\\*',
        // after step 3, the result will be '\\\\\\*'
        /\\\\\\(?=[$.|*+(){^])/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // '\\\\' -> '\\'
        /\\\\/g,
        () => ESCAPE,
        ESCAPE + ESCAPE
      ],
      [
        // Every real bracket expression -- POSIX classes included -- has already
        //   been held aside by `extractBrackets`, so the only `[` left in the
        //   pattern is an escaped, literal one.
        // A backslash could only stand at the end of the range if it quoted the
        //   `]`, and `\]` is held aside long before this.
        /\\\[([^\]/]*?)($|\])/g,
        // '\\[bar]' -> '\\\\[bar]'
        (match, range, close2) => `\\[${range}${close2}`,
        "["
      ],
      // ending
      [
        // 'js' will not match 'js.'
        // 'ab' will not match 'abc'
        DIRECT,
        // WTF!
        // https://git-scm.com/docs/gitignore
        // changes in [2.22.1](https://git-scm.com/docs/gitignore/2.22.1)
        // which re-fixes #24, #38
        // > If there is a separator at the end of the pattern then the pattern
        // > will only match directories, otherwise the pattern can match both
        // > files and directories.
        // 'js*' will not match 'a.js'
        // 'js/' will not match 'a.js'
        // 'js' will match 'a.js' and 'a.js/'
        (source) => {
          const last = source[source.length - 1];
          if (!last || last === TRAILING_WILDCARD || last === TRAILING_DOUBLESTAR) {
            return source;
          }
          return last === SLASH ? `${source}$` : `${source}(?=$|\\/$)`;
        }
      ]
    ];
    var REGEX_REPLACE_TRAILING_WILDCARD = /(^|\\\/)?\uE000$/;
    var MODE_IGNORE = "regex";
    var MODE_CHECK_IGNORE = "checkRegex";
    var UNDERSCORE = "_";
    var replaceTrailingWildcard = (_, p1) => {
      const prefix = p1 ? `${p1}[^/]+` : "[^/]*";
      return `${prefix}(?=$|\\/$)`;
    };
    var REGEX_REPLACE_TRAILING_DOUBLESTAR = /\uE001$/;
    var replaceTrailingDoublestar = () => "[\\s\\S]";
    var separatorAfter = (run3, at2) => {
      let separator = EMPTY2;
      for (let index = at2 + 1; index < run3.length && !run3[index].wildcard; index++) {
        separator += run3[index].single;
      }
      return separator;
    };
    var pinWildcards = (source) => {
      if (source.indexOf(WILDCARD) < 0) {
        return source;
      }
      const tokens = [];
      const { length } = source;
      let index = 0;
      while (index < length) {
        const char = source[index];
        if (source.startsWith(WILDCARD, index)) {
          tokens.push({ wildcard: true });
          index += WILDCARD.length;
        } else if (char === "[") {
          let end = index + 1;
          if (source[end] === "^") {
            end++;
          }
          if (source[end] === "]") {
            end++;
          }
          while (end < length && source[end] !== "]") {
            end += source[end] === ESCAPE ? 2 : 1;
          }
          end++;
          tokens.push({ single: source.slice(index, end) });
          index = end;
        } else if (char === ESCAPE) {
          tokens.push({ single: source.slice(index, index + 2) });
          index += 2;
        } else if (char === "(") {
          let depth = 0;
          let end = index;
          do {
            if (source[end] === ESCAPE) {
              end++;
            } else if (source[end] === "(") {
              depth++;
            } else if (source[end] === ")") {
              depth--;
            }
            end++;
          } while (end < length && depth > 0);
          if ("*+?".indexOf(source[end]) >= 0) {
            end++;
          }
          tokens.push({ boundary: source.slice(index, end) });
          index = end;
        } else if (char === "^" || char === "$") {
          tokens.push({ boundary: char });
          index++;
        } else {
          tokens.push({ single: char });
          index++;
        }
      }
      let out = EMPTY2;
      let run3 = [];
      const flush = () => {
        let lastWildcard;
        run3.forEach((token, at2) => {
          if (token.wildcard) {
            lastWildcard = at2;
          }
        });
        run3.forEach((token, at2) => {
          if (!token.wildcard) {
            out += token.single;
            return;
          }
          out += at2 === lastWildcard ? WILDCARD : `(?:(?!${separatorAfter(run3, at2)})[^\\/])*`;
        });
        run3 = [];
      };
      tokens.forEach((token) => {
        if (token.boundary === void 0) {
          run3.push(token);
          return;
        }
        flush();
        out += token.boundary;
      });
      flush();
      return out;
    };
    var makeRegexPrefix = (pattern) => {
      if (REGEX_ANCHORED_GLOBSTAR.test(pattern)) {
        pattern = "**";
      }
      const { source, sources } = extractBrackets(pattern);
      const replaced = REPLACERS.reduce(
        // A pass whose matcher finds nothing hands back the very string it was
        //   given, so asking first costs a search and saves a rewrite. Ten of the
        //   fifteen passes never fire for a typical .gitignore line, and between
        //   them they were 45% of this chain.
        (prev, [matcher, replacer, required]) => {
          if (matcher === DIRECT) {
            return replacer(prev, pattern);
          }
          if (required !== UNDEFINED && prev.indexOf(required) < 0) {
            return prev;
          }
          return matcher.test(prev) ? prev.replace(matcher, replacer.bind(pattern)) : prev;
        },
        source
      );
      return sources.length ? replaced.replace(
        REGEX_RESTORE_PLACEHOLDER,
        (match, index) => sources[index]
      ) : replaced;
    };
    var checkSourceOf = (body, prefix) => {
      if (body[body.length - 1] === SLASH) {
        prefix = makeRegexPrefix(body.slice(0, -1));
      }
      const head = prefix.slice(0, -1);
      const last = prefix[prefix.length - 1];
      return last === TRAILING_WILDCARD ? `${head}$` : last === TRAILING_DOUBLESTAR ? head : NEVER_MATCH;
    };
    var matchesBasename = (body) => {
      const index = body.indexOf(SLASH);
      return index < 0 || index === body.length - 1;
    };
    var basenameOf = (path17) => {
      const end = path17.length - 1;
      const index = path17.lastIndexOf(
        SLASH,
        path17[end] === SLASH ? end - 1 : end
      );
      return index < 0 ? path17 : path17.slice(index + 1);
    };
    var parentOf = (path17) => {
      if (path17.charCodeAt(0) === SLASH_CODE || path17.indexOf(DOUBLE_SLASH) >= 0) {
        const slices = path17.split(SLASH).filter(Boolean);
        slices.pop();
        return slices.length ? slices.join(SLASH) + SLASH : EMPTY2;
      }
      const end = path17.length - 1;
      const cut2 = path17.lastIndexOf(
        SLASH,
        path17.charCodeAt(end) === SLASH_CODE ? end - 1 : end
      );
      return cut2 < 0 ? EMPTY2 : path17.slice(0, cut2 + 1);
    };
    var isString = (subject) => typeof subject === "string";
    var checkPattern = (pattern) => pattern && isString(pattern);
    var splitPattern = (pattern) => (pattern[pattern.length - 1] === "\r" ? pattern.slice(0, -1) : pattern).split(REGEX_SPLITALL_CRLF).filter(Boolean);
    var IgnoreRule = class {
      constructor(pattern, mark, body, ignoreCase, negative, prefix) {
        this.pattern = pattern;
        this.mark = mark;
        this.negative = negative;
        define(this, "body", body);
        define(this, "ignoreCase", ignoreCase);
        define(this, "regexPrefix", prefix);
      }
      // Worked out on first use and kept behind an own property, the way `regex`
      //   caches itself in `_regex`. Deciding it in the constructor instead would
      //   add a fourth `defineProperty` to every rule ever built, which cost 4% of
      //   every compile -- including the compiles of rules that are never matched
      //   against anything.
      get _basenameOnly() {
        return define(this, "_basenameOnly", matchesBasename(this.body));
      }
      get regex() {
        const key = UNDERSCORE + MODE_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_IGNORE, key);
      }
      get checkRegex() {
        const key = UNDERSCORE + MODE_CHECK_IGNORE;
        if (this[key]) {
          return this[key];
        }
        return this._make(MODE_CHECK_IGNORE, key);
      }
      _make(mode, key) {
        const str2 = pinWildcards(
          mode === MODE_IGNORE ? this.regexPrefix.replace(REGEX_REPLACE_TRAILING_WILDCARD, replaceTrailingWildcard).replace(REGEX_REPLACE_TRAILING_DOUBLESTAR, replaceTrailingDoublestar) : checkSourceOf(this.body, this.regexPrefix)
        );
        const regex = this.ignoreCase ? new RegExp(str2, "i") : new RegExp(str2);
        return define(this, key, regex);
      }
    };
    var hasTrailingBackslash = (str2) => {
      let count2 = 0;
      while (str2[str2.length - count2 - 1] === ESCAPE) {
        count2++;
      }
      return count2 % 2 === 1;
    };
    var trimEnd = (body, stripLineEnd) => {
      let lineEnd = body.length;
      let end;
      for (; ; ) {
        if (stripLineEnd && body[lineEnd - 1] === "\r") {
          lineEnd--;
        }
        end = lineEnd;
        while (body[end - 1] === SPACE) {
          end--;
        }
        if (!stripLineEnd || body[end - 1] !== "\n") {
          break;
        }
        lineEnd = end - 1;
      }
      if (end === lineEnd) {
        return body.slice(0, lineEnd);
      }
      let backslashes = 0;
      while (body[end - backslashes - 1] === ESCAPE) {
        backslashes++;
      }
      return backslashes % 2 ? body.slice(0, end - 1) + SPACE : body.slice(0, end);
    };
    var createRule = (pattern, mark, ignoreCase, stripLineEnd, stripBOM) => {
      let body = stripBOM && pattern[0] === BOM ? pattern.slice(1) : pattern;
      if (body[0] === "#") {
        return;
      }
      let negative = false;
      if (body[0] === "!") {
        negative = true;
        body = body.slice(1);
      }
      const last = body[body.length - 1];
      if (last === SPACE || stripLineEnd && (last === "\r" || last === "\n")) {
        body = trimEnd(body, stripLineEnd);
      }
      if (!body || hasTrailingBackslash(body)) {
        return;
      }
      body = body.replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, "!").replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, "#");
      const regexPrefix = makeRegexPrefix(body);
      return new IgnoreRule(
        pattern,
        mark,
        body,
        ignoreCase,
        negative,
        regexPrefix
      );
    };
    var RuleManager = class {
      constructor(ignoreCase) {
        this._ignoreCase = ignoreCase;
        this._rules = [];
        this._basenameCount = 0;
      }
      _add(pattern, index) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules._rules);
          this._basenameCount += pattern._rules._basenameCount;
          this._added = true;
          return;
        }
        const isStr = isString(pattern);
        const raw = isStr ? pattern : pattern.pattern;
        const rule = checkPattern(raw) && createRule(
          raw,
          isStr ? UNDEFINED : pattern.mark,
          this._ignoreCase,
          !this._split,
          this._stripBOM && !index
        );
        if (rule) {
          this._added = true;
          this._rules.push(rule);
          if (matchesBasename(rule.body)) {
            this._basenameCount++;
          }
        }
      }
      // @param {Array<string> | string | Ignore} pattern
      add(pattern) {
        this._added = false;
        this._split = isString(pattern);
        this._stripBOM = !this._split || pattern[0] === BOM;
        makeArray(
          this._split ? splitPattern(pattern) : pattern
        ).forEach(this._add, this);
        if (this._added) {
          this._literalRules = UNDEFINED;
        }
        return this._added;
      }
      // Match the literal 'abc/' for `checkIgnore`, last rule wins. Only a rule
      //   ending in a wildcard can match it (see `checkSourceOf`), so the rest
      //   are left out once, rather than tested or compiled for every path.
      testLiteral(path17) {
        const rules = this._literalRules || (this._literalRules = this._rules.filter(
          ({ body }) => body[body.length - (body[body.length - 1] === SLASH ? 2 : 1)] === "*"
        ));
        let ignored = false;
        let unignored = false;
        let matchedRule;
        for (let index = rules.length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule.checkRegex.test(path17)) {
            ignored = !rule.negative;
            unignored = rule.negative;
            matchedRule = rule.negative ? UNDEFINED : rule;
            break;
          }
        }
        const ret = {
          ignored,
          unignored
        };
        if (matchedRule) {
          ret.rule = matchedRule;
        }
        return ret;
      }
      // Test one single path without recursively checking parent directories
      //
      // - mode `string` either `MODE_IGNORE` or `MODE_CHECK_IGNORE`
      // @returns {TestResult}
      test(path17, mode) {
        const rules = this._rules;
        const { length } = rules;
        const shortcut = this._basenameCount * 2 >= length;
        const basename = shortcut ? basenameOf(path17) : path17;
        for (let index = length - 1; index >= 0; index--) {
          const rule = rules[index];
          if (rule[mode].test(
            shortcut && rule._basenameOnly ? basename : path17
          )) {
            const { negative } = rule;
            const ret = {
              ignored: !negative,
              unignored: negative
            };
            if (!negative) {
              ret.rule = rule;
            }
            return ret;
          }
        }
        return {
          ignored: false,
          unignored: false
        };
      }
    };
    var throwError = (message, Ctor) => {
      throw new Ctor(message);
    };
    var checkPath = (path17, originalPath, doThrow) => {
      if (!isString(path17)) {
        return doThrow(
          `path must be a string, but got \`${originalPath}\``,
          TypeError
        );
      }
      if (!path17) {
        return doThrow(`path must not be empty`, TypeError);
      }
      if (checkPath.isNotRelative(path17)) {
        const r = "`path.relative()`d";
        return doThrow(
          `path should be a ${r} string, but got "${originalPath}"`,
          RangeError
        );
      }
      return true;
    };
    var isNotRelative = (path17) => {
      const first = path17.charCodeAt(0);
      if (first === SLASH_CODE) {
        return true;
      }
      if (first !== DOT_CODE) {
        return false;
      }
      if (path17.length === 1) {
        return true;
      }
      const second = path17.charCodeAt(1);
      if (second === SLASH_CODE) {
        return true;
      }
      if (second !== DOT_CODE) {
        return false;
      }
      return path17.length === 2 || path17.charCodeAt(2) === SLASH_CODE;
    };
    checkPath.isNotRelative = isNotRelative;
    checkPath.convert = (p) => p;
    var convertPath = (target) => isString(target) && checkPath.convert(target);
    var Ignore = class {
      constructor({
        ignorecase = true,
        ignoreCase = ignorecase,
        allowRelativePaths = false
      } = {}) {
        define(this, KEY_IGNORE, true);
        this._rules = new RuleManager(ignoreCase);
        this._strictPathCheck = !allowRelativePaths;
        this._initCache();
      }
      _initCache() {
        this._ignoreCache = /* @__PURE__ */ Object.create(null);
        this._testCache = /* @__PURE__ */ Object.create(null);
      }
      add(pattern) {
        if (this._rules.add(pattern)) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      // @returns {TestResult}
      _test(originalPath, cache, path17) {
        checkPath(
          path17,
          originalPath,
          this._strictPathCheck ? throwError : RETURN_FALSE
        );
        return path17 ? this._t(path17, cache) : {
          ignored: false,
          unignored: false
        };
      }
      checkIgnore(target) {
        const path17 = convertPath(target);
        if (!path17 || path17.charCodeAt(path17.length - 1) !== SLASH_CODE) {
          return this._test(target, this._testCache, path17);
        }
        const dir = this._t(path17, this._testCache);
        if (dir.ignored) {
          return dir;
        }
        const literal = this._rules.testLiteral(path17);
        return literal.ignored || literal.unignored ? literal : dir;
      }
      _t(path17, cache) {
        if (path17 in cache) {
          return cache[path17];
        }
        const parentPath = parentOf(path17);
        const parent = parentPath ? this._t(parentPath, cache) : UNDEFINED;
        return cache[path17] = parent && parent.ignored ? parent : this._rules.test(path17, MODE_IGNORE);
      }
      ignores(path17) {
        return this._test(path17, this._ignoreCache, convertPath(path17)).ignored;
      }
      createFilter() {
        return (path17) => !this.ignores(path17);
      }
      filter(paths) {
        return makeArray(paths).filter(this.createFilter());
      }
      // @returns {TestResult}
      test(path17) {
        return this._test(path17, this._testCache, convertPath(path17));
      }
    };
    var factory = (options) => new Ignore(options);
    var isPathValid = (path17) => checkPath(convertPath(path17), path17, RETURN_FALSE);
    var setupWindows = () => {
      const makePosix = (str2) => /^\\\\\?\\/.test(str2) || /["<>|\u0000-\u001F]+/u.test(str2) ? str2 : str2.replace(/\\/g, "/");
      checkPath.convert = makePosix;
      const REGEX_TEST_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i;
      checkPath.isNotRelative = (path17) => REGEX_TEST_WINDOWS_PATH_ABSOLUTE.test(path17) || isNotRelative(path17);
    };
    if (
      // Detect `process` so that it can run in browsers.
      typeof process !== "undefined" && process.platform === "win32"
    ) {
      setupWindows();
    }
    module.exports = factory;
    factory.default = factory;
    module.exports.isPathValid = isPathValid;
    define(module.exports, /* @__PURE__ */ Symbol.for("setupWindows"), setupWindows);
  }
});

// node_modules/yaml/dist/nodes/identity.js
var require_identity = __commonJS({
  "node_modules/yaml/dist/nodes/identity.js"(exports) {
    "use strict";
    var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
    var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
    var MAP = /* @__PURE__ */ Symbol.for("yaml.map");
    var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
    var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
    var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
    var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
    var isAlias3 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
    var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
    var isMap3 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP;
    var isPair = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
    var isScalar3 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
    var isSeq2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
    function isCollection2(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case MAP:
          case SEQ:
            return true;
        }
      return false;
    }
    function isNode(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case ALIAS:
          case MAP:
          case SCALAR:
          case SEQ:
            return true;
        }
      return false;
    }
    var hasAnchor = (node) => (isScalar3(node) || isCollection2(node)) && !!node.anchor;
    exports.ALIAS = ALIAS;
    exports.DOC = DOC;
    exports.MAP = MAP;
    exports.NODE_TYPE = NODE_TYPE;
    exports.PAIR = PAIR;
    exports.SCALAR = SCALAR;
    exports.SEQ = SEQ;
    exports.hasAnchor = hasAnchor;
    exports.isAlias = isAlias3;
    exports.isCollection = isCollection2;
    exports.isDocument = isDocument;
    exports.isMap = isMap3;
    exports.isNode = isNode;
    exports.isPair = isPair;
    exports.isScalar = isScalar3;
    exports.isSeq = isSeq2;
  }
});

// node_modules/yaml/dist/visit.js
var require_visit = __commonJS({
  "node_modules/yaml/dist/visit.js"(exports) {
    "use strict";
    var identity = require_identity();
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove node");
    function visit(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        visit_(null, node, visitor_, Object.freeze([]));
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    function visit_(key, node, visitor, path17) {
      const ctrl = callVisitor(key, node, visitor, path17);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path17, ctrl);
        return visit_(key, ctrl, visitor, path17);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path17 = Object.freeze(path17.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = visit_(i, node.items[i], visitor, path17);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path17 = Object.freeze(path17.concat(node));
          const ck = visit_("key", node.key, visitor, path17);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = visit_("value", node.value, visitor, path17);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    async function visitAsync(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
    }
    visitAsync.BREAK = BREAK;
    visitAsync.SKIP = SKIP;
    visitAsync.REMOVE = REMOVE;
    async function visitAsync_(key, node, visitor, path17) {
      const ctrl = await callVisitor(key, node, visitor, path17);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path17, ctrl);
        return visitAsync_(key, ctrl, visitor, path17);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path17 = Object.freeze(path17.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = await visitAsync_(i, node.items[i], visitor, path17);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path17 = Object.freeze(path17.concat(node));
          const ck = await visitAsync_("key", node.key, visitor, path17);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = await visitAsync_("value", node.value, visitor, path17);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    function initVisitor(visitor) {
      if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
          Alias: visitor.Node,
          Map: visitor.Node,
          Scalar: visitor.Node,
          Seq: visitor.Node
        }, visitor.Value && {
          Map: visitor.Value,
          Scalar: visitor.Value,
          Seq: visitor.Value
        }, visitor.Collection && {
          Map: visitor.Collection,
          Seq: visitor.Collection
        }, visitor);
      }
      return visitor;
    }
    function callVisitor(key, node, visitor, path17) {
      if (typeof visitor === "function")
        return visitor(key, node, path17);
      if (identity.isMap(node))
        return visitor.Map?.(key, node, path17);
      if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path17);
      if (identity.isPair(node))
        return visitor.Pair?.(key, node, path17);
      if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path17);
      if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path17);
      return void 0;
    }
    function replaceNode(key, path17, node) {
      const parent = path17[path17.length - 1];
      if (identity.isCollection(parent)) {
        parent.items[key] = node;
      } else if (identity.isPair(parent)) {
        if (key === "key")
          parent.key = node;
        else
          parent.value = node;
      } else if (identity.isDocument(parent)) {
        parent.contents = node;
      } else {
        const pt = identity.isAlias(parent) ? "alias" : "scalar";
        throw new Error(`Cannot replace node with ${pt} parent`);
      }
    }
    exports.visit = visit;
    exports.visitAsync = visitAsync;
  }
});

// node_modules/yaml/dist/doc/directives.js
var require_directives = __commonJS({
  "node_modules/yaml/dist/doc/directives.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit = require_visit();
    var escapeChars = {
      "!": "%21",
      ",": "%2C",
      "[": "%5B",
      "]": "%5D",
      "{": "%7B",
      "}": "%7D"
    };
    var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
    var Directives = class _Directives {
      constructor(yaml, tags) {
        this.docStart = null;
        this.docEnd = false;
        this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, _Directives.defaultTags, tags);
      }
      clone() {
        const copy = new _Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
      }
      /**
       * During parsing, get a Directives instance for the current document and
       * update the stream state according to the current version's spec.
       */
      atDocument() {
        const res = new _Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
          case "1.1":
            this.atNextDocument = true;
            break;
          case "1.2":
            this.atNextDocument = false;
            this.yaml = {
              explicit: _Directives.defaultYaml.explicit,
              version: "1.2"
            };
            this.tags = Object.assign({}, _Directives.defaultTags);
            break;
        }
        return res;
      }
      /**
       * @param onError - May be called even if the action was successful
       * @returns `true` on success
       */
      add(line, onError) {
        if (this.atNextDocument) {
          this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
          this.tags = Object.assign({}, _Directives.defaultTags);
          this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
          case "%TAG": {
            if (parts.length !== 2) {
              onError(0, "%TAG directive should contain exactly two parts");
              if (parts.length < 2)
                return false;
            }
            const [handle, prefix] = parts;
            this.tags[handle] = prefix;
            return true;
          }
          case "%YAML": {
            this.yaml.explicit = true;
            if (parts.length !== 1) {
              onError(0, "%YAML directive should contain exactly one part");
              return false;
            }
            const [version2] = parts;
            if (version2 === "1.1" || version2 === "1.2") {
              this.yaml.version = version2;
              return true;
            } else {
              const isValid = /^\d+\.\d+$/.test(version2);
              onError(6, `Unsupported YAML version ${version2}`, isValid);
              return false;
            }
          }
          default:
            onError(0, `Unknown directive ${name}`, true);
            return false;
        }
      }
      /**
       * Resolves a tag, matching handles to those defined in %TAG directives.
       *
       * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
       *   `'!local'` tag, or `null` if unresolvable.
       */
      tagName(source, onError) {
        if (source === "!")
          return "!";
        if (source[0] !== "!") {
          onError(`Not a valid tag: ${source}`);
          return null;
        }
        if (source[1] === "<") {
          const verbatim = source.slice(2, -1);
          if (verbatim === "!" || verbatim === "!!") {
            onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
            return null;
          }
          if (source[source.length - 1] !== ">")
            onError("Verbatim tags must end with a >");
          return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
          onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
          try {
            return prefix + decodeURIComponent(suffix);
          } catch (error) {
            onError(String(error));
            return null;
          }
        }
        if (handle === "!")
          return source;
        onError(`Could not resolve tag: ${source}`);
        return null;
      }
      /**
       * Given a fully resolved tag, returns its printable string form,
       * taking into account current tag prefixes and defaults.
       */
      tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
          if (tag.startsWith(prefix))
            return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === "!" ? tag : `!<${tag}>`;
      }
      toString(doc) {
        const lines = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
          const tags = {};
          visit.visit(doc.contents, (_key, node) => {
            if (identity.isNode(node) && node.tag)
              tags[node.tag] = true;
          });
          tagNames = Object.keys(tags);
        } else
          tagNames = [];
        for (const [handle, prefix] of tagEntries) {
          if (handle === "!!" && prefix === "tag:yaml.org,2002:")
            continue;
          if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
            lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join("\n");
      }
    };
    Directives.defaultYaml = { explicit: false, version: "1.2" };
    Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };
    exports.Directives = Directives;
  }
});

// node_modules/yaml/dist/doc/anchors.js
var require_anchors = __commonJS({
  "node_modules/yaml/dist/doc/anchors.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit = require_visit();
    function anchorIsValid(anchor) {
      if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
      }
      return true;
    }
    function anchorNames(root) {
      const anchors = /* @__PURE__ */ new Set();
      visit.visit(root, {
        Value(_key, node) {
          if (node.anchor)
            anchors.add(node.anchor);
        }
      });
      return anchors;
    }
    function findNewAnchor(prefix, exclude) {
      for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
          return name;
      }
    }
    function createNodeAnchors(doc, prefix) {
      const aliasObjects = [];
      const sourceObjects = /* @__PURE__ */ new Map();
      let prevAnchors = null;
      return {
        onAnchor: (source) => {
          aliasObjects.push(source);
          prevAnchors ?? (prevAnchors = anchorNames(doc));
          const anchor = findNewAnchor(prefix, prevAnchors);
          prevAnchors.add(anchor);
          return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
          for (const source of aliasObjects) {
            const ref = sourceObjects.get(source);
            if (typeof ref === "object" && ref.anchor && (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
              ref.node.anchor = ref.anchor;
            } else {
              const error = new Error("Failed to resolve repeated object (this should not happen)");
              error.source = source;
              throw error;
            }
          }
        },
        sourceObjects
      };
    }
    exports.anchorIsValid = anchorIsValid;
    exports.anchorNames = anchorNames;
    exports.createNodeAnchors = createNodeAnchors;
    exports.findNewAnchor = findNewAnchor;
  }
});

// node_modules/yaml/dist/doc/applyReviver.js
var require_applyReviver = __commonJS({
  "node_modules/yaml/dist/doc/applyReviver.js"(exports) {
    "use strict";
    function applyReviver(reviver, obj, key, val) {
      if (val && typeof val === "object") {
        if (Array.isArray(val)) {
          for (let i = 0, len = val.length; i < len; ++i) {
            const v0 = val[i];
            const v1 = applyReviver(reviver, val, String(i), v0);
            if (v1 === void 0)
              delete val[i];
            else if (v1 !== v0)
              val[i] = v1;
          }
        } else if (val instanceof Map) {
          for (const k of Array.from(val.keys())) {
            const v0 = val.get(k);
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              val.delete(k);
            else if (v1 !== v0)
              val.set(k, v1);
          }
        } else if (val instanceof Set) {
          for (const v0 of Array.from(val)) {
            const v1 = applyReviver(reviver, val, v0, v0);
            if (v1 === void 0)
              val.delete(v0);
            else if (v1 !== v0) {
              val.delete(v0);
              val.add(v1);
            }
          }
        } else {
          for (const [k, v0] of Object.entries(val)) {
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              delete val[k];
            else if (v1 !== v0)
              val[k] = v1;
          }
        }
      }
      return reviver.call(obj, key, val);
    }
    exports.applyReviver = applyReviver;
  }
});

// node_modules/yaml/dist/nodes/toJS.js
var require_toJS = __commonJS({
  "node_modules/yaml/dist/nodes/toJS.js"(exports) {
    "use strict";
    var identity = require_identity();
    function toJS(value, arg, ctx) {
      if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
      if (value && typeof value.toJSON === "function") {
        if (!ctx || !identity.hasAnchor(value))
          return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: void 0 };
        ctx.anchors.set(value, data);
        ctx.onCreate = (res2) => {
          data.res = res2;
          delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
          ctx.onCreate(res);
        return res;
      }
      if (typeof value === "bigint" && !ctx?.keep)
        return Number(value);
      return value;
    }
    exports.toJS = toJS;
  }
});

// node_modules/yaml/dist/nodes/Node.js
var require_Node = __commonJS({
  "node_modules/yaml/dist/nodes/Node.js"(exports) {
    "use strict";
    var applyReviver = require_applyReviver();
    var identity = require_identity();
    var toJS = require_toJS();
    var NodeBase = class {
      constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
      }
      /** Create a copy of this node.  */
      clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** A plain JavaScript representation of this node. */
      toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
          throw new TypeError("A document argument is required");
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc,
          keep: true,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, "", ctx);
        if (typeof onAnchor === "function")
          for (const { count: count2, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count2);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
    };
    exports.NodeBase = NodeBase;
  }
});

// node_modules/yaml/dist/nodes/Alias.js
var require_Alias = __commonJS({
  "node_modules/yaml/dist/nodes/Alias.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var visit = require_visit();
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var Alias = class extends Node.NodeBase {
      constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, "tag", {
          set() {
            throw new Error("Alias nodes cannot have tags");
          }
        });
      }
      /**
       * Resolve the value of this alias within `doc`, finding the last
       * instance of the `source` anchor before this node.
       */
      resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
          throw new ReferenceError("Alias resolution is disabled");
        let nodes;
        if (ctx?.aliasResolveCache) {
          nodes = ctx.aliasResolveCache;
        } else {
          nodes = [];
          visit.visit(doc, {
            Node: (_key, node) => {
              if (identity.isAlias(node) || identity.hasAnchor(node))
                nodes.push(node);
            }
          });
          if (ctx)
            ctx.aliasResolveCache = nodes;
        }
        let found = void 0;
        for (const node of nodes) {
          if (node === this)
            break;
          if (node.anchor === this.source)
            found = node;
        }
        if (found && ctx) {
          const { anchors: anchors2, doc: doc2, maxAliasCount } = ctx;
          let data = anchors2.get(found);
          if (!data) {
            toJS.toJS(found, null, ctx);
            data = anchors2.get(found);
          }
          if (data?.res === void 0) {
            const msg = "This should not happen: Alias anchor was not resolved?";
            throw new ReferenceError(msg);
          }
          if (maxAliasCount >= 0) {
            data.count += 1;
            if (data.aliasCount === 0)
              data.aliasCount = getAliasCount(doc2, found, anchors2);
            if (data.count * data.aliasCount > maxAliasCount) {
              const msg = "Excessive alias count indicates a resource exhaustion attack";
              throw new ReferenceError(msg);
            }
          }
        }
        return found;
      }
      toJSON(_arg, ctx) {
        if (!ctx)
          return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
          const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
          throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
      }
      toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
          anchors.anchorIsValid(this.source);
          if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new Error(msg);
          }
          if (ctx.implicitKey)
            return `${src} `;
        }
        return src;
      }
    };
    function getAliasCount(doc, node, anchors2) {
      if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors2 && source && anchors2.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
      } else if (identity.isCollection(node)) {
        let count2 = 0;
        for (const item of node.items) {
          const c = getAliasCount(doc, item, anchors2);
          if (c > count2)
            count2 = c;
        }
        return count2;
      } else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors2);
        const vc = getAliasCount(doc, node.value, anchors2);
        return Math.max(kc, vc);
      }
      return 1;
    }
    exports.Alias = Alias;
  }
});

// node_modules/yaml/dist/nodes/Scalar.js
var require_Scalar = __commonJS({
  "node_modules/yaml/dist/nodes/Scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
    var Scalar = class extends Node.NodeBase {
      constructor(value) {
        super(identity.SCALAR);
        this.value = value;
      }
      toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
      }
      toString() {
        return String(this.value);
      }
    };
    Scalar.BLOCK_FOLDED = "BLOCK_FOLDED";
    Scalar.BLOCK_LITERAL = "BLOCK_LITERAL";
    Scalar.PLAIN = "PLAIN";
    Scalar.QUOTE_DOUBLE = "QUOTE_DOUBLE";
    Scalar.QUOTE_SINGLE = "QUOTE_SINGLE";
    exports.Scalar = Scalar;
    exports.isScalarValue = isScalarValue;
  }
});

// node_modules/yaml/dist/doc/createNode.js
var require_createNode = __commonJS({
  "node_modules/yaml/dist/doc/createNode.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var defaultTagPrefix = "tag:yaml.org,2002:";
    function findTagObject(value, tagName, tags) {
      if (tagName) {
        const match = tags.filter((t) => t.tag === tagName);
        const tagObj = match.find((t) => !t.format) ?? match[0];
        if (!tagObj)
          throw new Error(`Tag ${tagName} not found`);
        return tagObj;
      }
      return tags.find((t) => t.identify?.(value) && !t.format);
    }
    function createNode(value, tagName, ctx) {
      if (identity.isDocument(value))
        value = value.contents;
      if (identity.isNode(value))
        return value;
      if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
      }
      if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
        value = value.valueOf();
      }
      const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
      let ref = void 0;
      if (aliasDuplicateObjects && value && typeof value === "object") {
        ref = sourceObjects.get(value);
        if (ref) {
          ref.anchor ?? (ref.anchor = onAnchor(value));
          return new Alias.Alias(ref.anchor);
        } else {
          ref = { anchor: null, node: null };
          sourceObjects.set(value, ref);
        }
      }
      if (tagName?.startsWith("!!"))
        tagName = defaultTagPrefix + tagName.slice(2);
      let tagObj = findTagObject(value, tagName, schema.tags);
      if (!tagObj) {
        if (value && typeof value.toJSON === "function") {
          value = value.toJSON();
        }
        if (!value || typeof value !== "object") {
          const node2 = new Scalar.Scalar(value);
          if (ref)
            ref.node = node2;
          return node2;
        }
        tagObj = value instanceof Map ? schema[identity.MAP] : Symbol.iterator in Object(value) ? schema[identity.SEQ] : schema[identity.MAP];
      }
      if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
      }
      const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar.Scalar(value);
      if (tagName)
        node.tag = tagName;
      else if (!tagObj.default)
        node.tag = tagObj.tag;
      if (ref)
        ref.node = node;
      return node;
    }
    exports.createNode = createNode;
  }
});

// node_modules/yaml/dist/nodes/Collection.js
var require_Collection = __commonJS({
  "node_modules/yaml/dist/nodes/Collection.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var identity = require_identity();
    var Node = require_Node();
    function collectionFromPath(schema, path17, value) {
      let v = value;
      for (let i = path17.length - 1; i >= 0; --i) {
        const k = path17[i];
        if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
          const a = [];
          a[k] = v;
          v = a;
        } else {
          v = /* @__PURE__ */ new Map([[k, v]]);
        }
      }
      return createNode.createNode(v, void 0, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
          throw new Error("This should not happen, please report a bug.");
        },
        schema,
        sourceObjects: /* @__PURE__ */ new Map()
      });
    }
    var isEmptyPath = (path17) => path17 == null || typeof path17 === "object" && !!path17[Symbol.iterator]().next().done;
    var Collection = class extends Node.NodeBase {
      constructor(type, schema) {
        super(type);
        Object.defineProperty(this, "schema", {
          value: schema,
          configurable: true,
          enumerable: false,
          writable: true
        });
      }
      /**
       * Create a copy of this collection.
       *
       * @param schema - If defined, overwrites the original's schema
       */
      clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
          copy.schema = schema;
        copy.items = copy.items.map((it) => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /**
       * Adds a value to the collection. For `!!map` and `!!omap` the value must
       * be a Pair instance or a `{ key, value }` object, which may not have a key
       * that already exists in the map.
       */
      addIn(path17, value) {
        if (isEmptyPath(path17))
          this.add(value);
        else {
          const [key, ...rest] = path17;
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.addIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
      /**
       * Removes a value from the collection.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path17) {
        const [key, ...rest] = path17;
        if (rest.length === 0)
          return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
          return node.deleteIn(rest);
        else
          throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path17, keepScalar) {
        const [key, ...rest] = path17;
        const node = this.get(key, true);
        if (rest.length === 0)
          return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
          return identity.isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
      }
      hasAllNullValues(allowScalar) {
        return this.items.every((node) => {
          if (!identity.isPair(node))
            return false;
          const n = node.value;
          return n == null || allowScalar && identity.isScalar(n) && n.value == null && !n.commentBefore && !n.comment && !n.tag;
        });
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       */
      hasIn(path17) {
        const [key, ...rest] = path17;
        if (rest.length === 0)
          return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path17, value) {
        const [key, ...rest] = path17;
        if (rest.length === 0) {
          this.set(key, value);
        } else {
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.setIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
    };
    exports.Collection = Collection;
    exports.collectionFromPath = collectionFromPath;
    exports.isEmptyPath = isEmptyPath;
  }
});

// node_modules/yaml/dist/stringify/stringifyComment.js
var require_stringifyComment = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyComment.js"(exports) {
    "use strict";
    var stringifyComment = (str2) => str2.replace(/^(?!$)(?: $)?/gm, "#");
    function indentComment(comment, indent2) {
      if (/^\n+$/.test(comment))
        return comment.substring(1);
      return indent2 ? comment.replace(/^(?! *$)/gm, indent2) : comment;
    }
    var lineComment = (str2, indent2, comment) => str2.endsWith("\n") ? indentComment(comment, indent2) : comment.includes("\n") ? "\n" + indentComment(comment, indent2) : (str2.endsWith(" ") ? "" : " ") + comment;
    exports.indentComment = indentComment;
    exports.lineComment = lineComment;
    exports.stringifyComment = stringifyComment;
  }
});

// node_modules/yaml/dist/stringify/foldFlowLines.js
var require_foldFlowLines = __commonJS({
  "node_modules/yaml/dist/stringify/foldFlowLines.js"(exports) {
    "use strict";
    var FOLD_FLOW = "flow";
    var FOLD_BLOCK = "block";
    var FOLD_QUOTED = "quoted";
    function foldFlowLines(text2, indent2, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
      if (!lineWidth || lineWidth < 0)
        return text2;
      if (lineWidth < minContentWidth)
        minContentWidth = 0;
      const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent2.length);
      if (text2.length <= endStep)
        return text2;
      const folds = [];
      const escapedFolds = {};
      let end = lineWidth - indent2.length;
      if (typeof indentAtStart === "number") {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
          folds.push(0);
        else
          end = lineWidth - indentAtStart;
      }
      let split2 = void 0;
      let prev = void 0;
      let overflow = false;
      let i = -1;
      let escStart = -1;
      let escEnd = -1;
      if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text2, i, indent2.length);
        if (i !== -1)
          end = i + endStep;
      }
      for (let ch; ch = text2[i += 1]; ) {
        if (mode === FOLD_QUOTED && ch === "\\") {
          escStart = i;
          switch (text2[i + 1]) {
            case "x":
              i += 3;
              break;
            case "u":
              i += 5;
              break;
            case "U":
              i += 9;
              break;
            default:
              i += 1;
          }
          escEnd = i;
        }
        if (ch === "\n") {
          if (mode === FOLD_BLOCK)
            i = consumeMoreIndentedLines(text2, i, indent2.length);
          end = i + indent2.length + endStep;
          split2 = void 0;
        } else {
          if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
            const next = text2[i + 1];
            if (next && next !== " " && next !== "\n" && next !== "	")
              split2 = i;
          }
          if (i >= end) {
            if (split2) {
              folds.push(split2);
              end = split2 + endStep;
              split2 = void 0;
            } else if (mode === FOLD_QUOTED) {
              while (prev === " " || prev === "	") {
                prev = ch;
                ch = text2[i += 1];
                overflow = true;
              }
              const j = i > escEnd + 1 ? i - 2 : escStart - 1;
              if (escapedFolds[j])
                return text2;
              folds.push(j);
              escapedFolds[j] = true;
              end = j + endStep;
              split2 = void 0;
            } else {
              overflow = true;
            }
          }
        }
        prev = ch;
      }
      if (overflow && onOverflow)
        onOverflow();
      if (folds.length === 0)
        return text2;
      if (onFold)
        onFold();
      let res = text2.slice(0, folds[0]);
      for (let i2 = 0; i2 < folds.length; ++i2) {
        const fold = folds[i2];
        const end2 = folds[i2 + 1] || text2.length;
        if (fold === 0)
          res = `
${indent2}${text2.slice(0, end2)}`;
        else {
          if (mode === FOLD_QUOTED && escapedFolds[fold])
            res += `${text2[fold]}\\`;
          res += `
${indent2}${text2.slice(fold + 1, end2)}`;
        }
      }
      return res;
    }
    function consumeMoreIndentedLines(text2, i, indent2) {
      let end = i;
      let start2 = i + 1;
      let ch = text2[start2];
      while (ch === " " || ch === "	") {
        if (i < start2 + indent2) {
          ch = text2[++i];
        } else {
          do {
            ch = text2[++i];
          } while (ch && ch !== "\n");
          end = i;
          start2 = i + 1;
          ch = text2[start2];
        }
      }
      return end;
    }
    exports.FOLD_BLOCK = FOLD_BLOCK;
    exports.FOLD_FLOW = FOLD_FLOW;
    exports.FOLD_QUOTED = FOLD_QUOTED;
    exports.foldFlowLines = foldFlowLines;
  }
});

// node_modules/yaml/dist/stringify/stringifyString.js
var require_stringifyString = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyString.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var foldFlowLines = require_foldFlowLines();
    var getFoldOptions = (ctx, isBlock) => ({
      indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
      lineWidth: ctx.options.lineWidth,
      minContentWidth: ctx.options.minContentWidth
    });
    var containsDocumentMarker = (str2) => /^(%|---|\.\.\.)/m.test(str2);
    function lineLengthOverLimit(str2, lineWidth, indentLength) {
      if (!lineWidth || lineWidth < 0)
        return false;
      const limit = lineWidth - indentLength;
      const strLen = str2.length;
      if (strLen <= limit)
        return false;
      for (let i = 0, start2 = 0; i < strLen; ++i) {
        if (str2[i] === "\n") {
          if (i - start2 > limit)
            return true;
          start2 = i + 1;
          if (strLen - start2 <= limit)
            return false;
        }
      }
      return true;
    }
    function doubleQuotedString(value, ctx) {
      const json = JSON.stringify(value);
      if (ctx.options.doubleQuotedAsJSON)
        return json;
      const { implicitKey } = ctx;
      const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
      const indent2 = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      let str2 = "";
      let start2 = 0;
      for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
          str2 += json.slice(start2, i) + "\\ ";
          i += 1;
          start2 = i;
          ch = "\\";
        }
        if (ch === "\\")
          switch (json[i + 1]) {
            case "u":
              {
                str2 += json.slice(start2, i);
                const code2 = json.substr(i + 2, 4);
                switch (code2) {
                  case "0000":
                    str2 += "\\0";
                    break;
                  case "0007":
                    str2 += "\\a";
                    break;
                  case "000b":
                    str2 += "\\v";
                    break;
                  case "001b":
                    str2 += "\\e";
                    break;
                  case "0085":
                    str2 += "\\N";
                    break;
                  case "00a0":
                    str2 += "\\_";
                    break;
                  case "2028":
                    str2 += "\\L";
                    break;
                  case "2029":
                    str2 += "\\P";
                    break;
                  default:
                    if (code2.substr(0, 2) === "00")
                      str2 += "\\x" + code2.substr(2);
                    else
                      str2 += json.substr(i, 6);
                }
                i += 5;
                start2 = i + 1;
              }
              break;
            case "n":
              if (implicitKey || json[i + 2] === '"' || json.length < minMultiLineLength) {
                i += 1;
              } else {
                str2 += json.slice(start2, i) + "\n\n";
                while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
                  str2 += "\n";
                  i += 2;
                }
                str2 += indent2;
                if (json[i + 2] === " ")
                  str2 += "\\";
                i += 1;
                start2 = i + 1;
              }
              break;
            default:
              i += 1;
          }
      }
      str2 = start2 ? str2 + json.slice(start2) : json;
      return implicitKey ? str2 : foldFlowLines.foldFlowLines(str2, indent2, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
    }
    function singleQuotedString(value, ctx) {
      if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
        return doubleQuotedString(value, ctx);
      const indent2 = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent2}`) + "'";
      return ctx.implicitKey ? res : foldFlowLines.foldFlowLines(res, indent2, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function quotedString(value, ctx) {
      const { singleQuote } = ctx.options;
      let qs;
      if (singleQuote === false)
        qs = doubleQuotedString;
      else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
          qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
          qs = doubleQuotedString;
        else
          qs = singleQuote ? singleQuotedString : doubleQuotedString;
      }
      return qs(value, ctx);
    }
    var blockEndNewlines;
    try {
      blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
    } catch {
      blockEndNewlines = /\n+(?!\n|$)/g;
    }
    function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
      const { blockQuote, commentString, lineWidth } = ctx.options;
      if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
      }
      const indent2 = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
      const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar.Scalar.BLOCK_FOLDED ? false : type === Scalar.Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent2.length);
      if (!value)
        return literal ? "|\n" : ">\n";
      let chomp;
      let endStart;
      for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== "\n" && ch !== "	" && ch !== " ")
          break;
      }
      let end = value.substring(endStart);
      const endNlPos = end.indexOf("\n");
      if (endNlPos === -1) {
        chomp = "-";
      } else if (value === end || endNlPos !== end.length - 1) {
        chomp = "+";
        if (onChompKeep)
          onChompKeep();
      } else {
        chomp = "";
      }
      if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === "\n")
          end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent2}`);
      }
      let startWithSpace = false;
      let startEnd;
      let startNlPos = -1;
      for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === " ")
          startWithSpace = true;
        else if (ch === "\n")
          startNlPos = startEnd;
        else
          break;
      }
      let start2 = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
      if (start2) {
        value = value.substring(start2.length);
        start2 = start2.replace(/\n+/g, `$&${indent2}`);
      }
      const indentSize = indent2 ? "2" : "1";
      let header = (startWithSpace ? indentSize : "") + chomp;
      if (comment) {
        header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
        if (onComment)
          onComment();
      }
      if (!literal) {
        const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent2}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== "folded" && type !== Scalar.Scalar.BLOCK_FOLDED) {
          foldOptions.onOverflow = () => {
            literalFallback = true;
          };
        }
        const body = foldFlowLines.foldFlowLines(`${start2}${foldedValue}${end}`, indent2, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
          return `>${header}
${indent2}${body}`;
      }
      value = value.replace(/\n+/g, `$&${indent2}`);
      return `|${header}
${indent2}${start2}${value}${end}`;
    }
    function plainString(item, ctx, onComment, onChompKeep) {
      const { type, value } = item;
      const { actualString, implicitKey, indent: indent2, indentStep, inFlow } = ctx;
      if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
        return quotedString(value, ctx);
      }
      if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
      }
      if (!implicitKey && !inFlow && type !== Scalar.Scalar.PLAIN && value.includes("\n")) {
        return blockString(item, ctx, onComment, onChompKeep);
      }
      if (containsDocumentMarker(value)) {
        if (indent2 === "") {
          ctx.forceBlockIndent = true;
          return blockString(item, ctx, onComment, onChompKeep);
        } else if (implicitKey && indent2 === indentStep) {
          return quotedString(value, ctx);
        }
      }
      const str2 = value.replace(/\n+/g, `$&
${indent2}`);
      if (actualString) {
        const test = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str2);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
          return quotedString(value, ctx);
      }
      return implicitKey ? str2 : foldFlowLines.foldFlowLines(str2, indent2, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function stringifyString(item, ctx, onComment, onChompKeep) {
      const { implicitKey, inFlow } = ctx;
      const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
      let { type } = item;
      if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
          type = Scalar.Scalar.QUOTE_DOUBLE;
      }
      const _stringify = (_type) => {
        switch (_type) {
          case Scalar.Scalar.BLOCK_FOLDED:
          case Scalar.Scalar.BLOCK_LITERAL:
            return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
          case Scalar.Scalar.QUOTE_DOUBLE:
            return doubleQuotedString(ss.value, ctx);
          case Scalar.Scalar.QUOTE_SINGLE:
            return singleQuotedString(ss.value, ctx);
          case Scalar.Scalar.PLAIN:
            return plainString(ss, ctx, onComment, onChompKeep);
          default:
            return null;
        }
      };
      let res = _stringify(type);
      if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = implicitKey && defaultKeyType || defaultStringType;
        res = _stringify(t);
        if (res === null)
          throw new Error(`Unsupported default string type ${t}`);
      }
      return res;
    }
    exports.stringifyString = stringifyString;
  }
});

// node_modules/yaml/dist/stringify/stringify.js
var require_stringify = __commonJS({
  "node_modules/yaml/dist/stringify/stringify.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var identity = require_identity();
    var stringifyComment = require_stringifyComment();
    var stringifyString = require_stringifyString();
    function createStringifyContext(doc, options) {
      const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: "PLAIN",
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: "false",
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: "null",
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: "true",
        verifyAliasOrder: true
      }, doc.schema.toStringOptions, options);
      let inFlow;
      switch (opt.collectionStyle) {
        case "block":
          inFlow = false;
          break;
        case "flow":
          inFlow = true;
          break;
        default:
          inFlow = null;
      }
      return {
        anchors: /* @__PURE__ */ new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
        indent: "",
        indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
        inFlow,
        options: opt
      };
    }
    function getTagObject(tags, item) {
      if (item.tag) {
        const match = tags.filter((t) => t.tag === item.tag);
        if (match.length > 0)
          return match.find((t) => t.format === item.format) ?? match[0];
      }
      let tagObj = void 0;
      let obj;
      if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter((t) => t.identify?.(obj));
        if (match.length > 1) {
          const testMatch = match.filter((t) => t.test);
          if (testMatch.length > 0)
            match = testMatch;
        }
        tagObj = match.find((t) => t.format === item.format) ?? match.find((t) => !t.format);
      } else {
        obj = item;
        tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
      }
      if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
      }
      return tagObj;
    }
    function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
      if (!doc.directives)
        return "";
      const props = [];
      const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
      if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
      }
      const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
      if (tag)
        props.push(doc.directives.tagString(tag));
      return props.join(" ");
    }
    function stringify(item, ctx, onComment, onChompKeep) {
      if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
      if (identity.isAlias(item)) {
        if (ctx.doc.directives)
          return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
          throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        } else {
          if (ctx.resolvedAliases)
            ctx.resolvedAliases.add(item);
          else
            ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
          item = item.resolve(ctx.doc);
        }
      }
      let tagObj = void 0;
      const node = identity.isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o) => tagObj = o });
      tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
      const props = stringifyProps(node, tagObj, ctx);
      if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
      const str2 = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : identity.isScalar(node) ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
      if (!props)
        return str2;
      return identity.isScalar(node) || str2[0] === "{" || str2[0] === "[" ? `${props} ${str2}` : `${props}
${ctx.indent}${str2}`;
    }
    exports.createStringifyContext = createStringifyContext;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/stringify/stringifyPair.js
var require_stringifyPair = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyPair.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
      const { allNullValues, doc, indent: indent2, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
      let keyComment = identity.isNode(key) && key.comment || null;
      if (simpleKeys) {
        if (keyComment) {
          throw new Error("With simple keys, key nodes cannot have comments");
        }
        if (identity.isCollection(key) || !identity.isNode(key) && typeof key === "object") {
          const msg = "With simple keys, collection cannot be used as a key value";
          throw new Error(msg);
        }
      }
      let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || identity.isCollection(key) || (identity.isScalar(key) ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL : typeof key === "object"));
      ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent2 + indentStep
      });
      let keyCommentDone = false;
      let chompKeep = false;
      let str2 = stringify.stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
      if (!explicitKey && !ctx.inFlow && str2.length > 1024) {
        if (simpleKeys)
          throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
        explicitKey = true;
      }
      if (ctx.inFlow) {
        if (allNullValues || value == null) {
          if (keyCommentDone && onComment)
            onComment();
          return str2 === "" ? "?" : explicitKey ? `? ${str2}` : str2;
        }
      } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
        str2 = `? ${str2}`;
        if (keyComment && !keyCommentDone) {
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
        } else if (chompKeep && onChompKeep)
          onChompKeep();
        return str2;
      }
      if (keyCommentDone)
        keyComment = null;
      if (explicitKey) {
        if (keyComment)
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
        str2 = `? ${str2}
${indent2}:`;
      } else {
        str2 = `${str2}:`;
        if (keyComment)
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
      }
      let vsb, vcb, valueComment;
      if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
      } else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === "object")
          value = doc.createNode(value);
      }
      ctx.implicitKey = false;
      if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str2.length + 1;
      chompKeep = false;
      if (!indentSeq && indentStep.length >= 2 && !ctx.inFlow && !explicitKey && identity.isSeq(value) && !value.flow && !value.tag && !value.anchor) {
        ctx.indent = ctx.indent.substring(2);
      }
      let valueCommentDone = false;
      const valueStr = stringify.stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
      let ws = " ";
      if (keyComment || vsb || vcb) {
        ws = vsb ? "\n" : "";
        if (vcb) {
          const cs = commentString(vcb);
          ws += `
${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === "" && !ctx.inFlow) {
          if (ws === "\n" && valueComment)
            ws = "\n\n";
        } else {
          ws += `
${ctx.indent}`;
        }
      } else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf("\n");
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
          let hasPropsLine = false;
          if (hasNewline && (vs0 === "&" || vs0 === "!")) {
            let sp0 = valueStr.indexOf(" ");
            if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
              sp0 = valueStr.indexOf(" ", sp0 + 1);
            }
            if (sp0 === -1 || nl0 < sp0)
              hasPropsLine = true;
          }
          if (!hasPropsLine)
            ws = `
${ctx.indent}`;
        }
      } else if (valueStr === "" || valueStr[0] === "\n") {
        ws = "";
      }
      str2 += ws + valueStr;
      if (ctx.inFlow) {
        if (valueCommentDone && onComment)
          onComment();
      } else if (valueComment && !valueCommentDone) {
        str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(valueComment));
      } else if (chompKeep && onChompKeep) {
        onChompKeep();
      }
      return str2;
    }
    exports.stringifyPair = stringifyPair;
  }
});

// node_modules/yaml/dist/log.js
var require_log = __commonJS({
  "node_modules/yaml/dist/log.js"(exports) {
    "use strict";
    var node_process = __require("process");
    function debug(logLevel, ...messages) {
      if (logLevel === "debug")
        console.log(...messages);
    }
    function warn(logLevel, warning) {
      if (logLevel === "debug" || logLevel === "warn") {
        if (typeof node_process.emitWarning === "function")
          node_process.emitWarning(warning);
        else
          console.warn(warning);
      }
    }
    exports.debug = debug;
    exports.warn = warn;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/merge.js
var require_merge = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/merge.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var MERGE_KEY = "<<";
    var merge = {
      identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
      default: "key",
      tag: "tag:yaml.org,2002:merge",
      test: /^<<$/,
      resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
      }),
      stringify: () => MERGE_KEY
    };
    var isMergeKey = (ctx, key) => (merge.identify(key) || identity.isScalar(key) && (!key.type || key.type === Scalar.Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
    function addMergeToJSMap(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (identity.isSeq(source))
        for (const it of source.items)
          mergeValue(ctx, map, it);
      else if (Array.isArray(source))
        for (const it of source)
          mergeValue(ctx, map, it);
      else
        mergeValue(ctx, map, source);
    }
    function mergeValue(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (!identity.isMap(source))
        throw new Error("Merge sources must be maps or map aliases");
      const srcMap = source.toJSON(null, ctx, Map);
      for (const [key, value2] of srcMap) {
        if (map instanceof Map) {
          if (!map.has(key))
            map.set(key, value2);
        } else if (map instanceof Set) {
          map.add(key);
        } else if (!Object.prototype.hasOwnProperty.call(map, key)) {
          Object.defineProperty(map, key, {
            value: value2,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
      return map;
    }
    function resolveAliasValue(ctx, value) {
      return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
    }
    exports.addMergeToJSMap = addMergeToJSMap;
    exports.isMergeKey = isMergeKey;
    exports.merge = merge;
  }
});

// node_modules/yaml/dist/nodes/addPairToJSMap.js
var require_addPairToJSMap = __commonJS({
  "node_modules/yaml/dist/nodes/addPairToJSMap.js"(exports) {
    "use strict";
    var log = require_log();
    var merge = require_merge();
    var stringify = require_stringify();
    var identity = require_identity();
    var toJS = require_toJS();
    function addPairToJSMap(ctx, map, { key, value }) {
      if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
      else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
      else {
        const jsKey = toJS.toJS(key, "", ctx);
        if (map instanceof Map) {
          map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        } else if (map instanceof Set) {
          map.add(jsKey);
        } else {
          const stringKey = stringifyKey(key, jsKey, ctx);
          const jsValue = toJS.toJS(value, stringKey, ctx);
          if (stringKey in map)
            Object.defineProperty(map, stringKey, {
              value: jsValue,
              writable: true,
              enumerable: true,
              configurable: true
            });
          else
            map[stringKey] = jsValue;
        }
      }
      return map;
    }
    function stringifyKey(key, jsKey, ctx) {
      if (jsKey === null)
        return "";
      if (typeof jsKey !== "object")
        return String(jsKey);
      if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = /* @__PURE__ */ new Set();
        for (const node of ctx.anchors.keys())
          strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
          let jsonStr = JSON.stringify(strKey);
          if (jsonStr.length > 40)
            jsonStr = jsonStr.substring(0, 36) + '..."';
          log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
          ctx.mapKeyWarned = true;
        }
        return strKey;
      }
      return JSON.stringify(jsKey);
    }
    exports.addPairToJSMap = addPairToJSMap;
  }
});

// node_modules/yaml/dist/nodes/Pair.js
var require_Pair = __commonJS({
  "node_modules/yaml/dist/nodes/Pair.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyPair = require_stringifyPair();
    var addPairToJSMap = require_addPairToJSMap();
    var identity = require_identity();
    function createPair(key, value, ctx) {
      const k = createNode.createNode(key, void 0, ctx);
      const v = createNode.createNode(value, void 0, ctx);
      return new Pair(k, v);
    }
    var Pair = class _Pair {
      constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
      }
      clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
          key = key.clone(schema);
        if (identity.isNode(value))
          value = value.clone(schema);
        return new _Pair(key, value);
      }
      toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
      }
      toString(ctx, onComment, onChompKeep) {
        return ctx?.doc ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
      }
    };
    exports.Pair = Pair;
    exports.createPair = createPair;
  }
});

// node_modules/yaml/dist/stringify/stringifyCollection.js
var require_stringifyCollection = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyCollection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyCollection(collection, ctx, options) {
      const flow = ctx.inFlow ?? collection.flow;
      const stringify2 = flow ? stringifyFlowCollection : stringifyBlockCollection;
      return stringify2(collection, ctx, options);
    }
    function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
      const { indent: indent2, options: { commentString } } = ctx;
      const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
      let chompKeep = false;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment2 = null;
        if (identity.isNode(item)) {
          if (!chompKeep && item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
          if (item.comment)
            comment2 = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (!chompKeep && ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
          }
        }
        chompKeep = false;
        let str3 = stringify.stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
        if (comment2)
          str3 += stringifyComment.lineComment(str3, itemIndent, commentString(comment2));
        if (chompKeep && comment2)
          chompKeep = false;
        lines.push(blockItemPrefix + str3);
      }
      let str2;
      if (lines.length === 0) {
        str2 = flowChars.start + flowChars.end;
      } else {
        str2 = lines[0];
        for (let i = 1; i < lines.length; ++i) {
          const line = lines[i];
          str2 += line ? `
${indent2}${line}` : "\n";
        }
      }
      if (comment) {
        str2 += "\n" + stringifyComment.indentComment(commentString(comment), indent2);
        if (onComment)
          onComment();
      } else if (chompKeep && onChompKeep)
        onChompKeep();
      return str2;
    }
    function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
      const { indent: indent2, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
      itemIndent += indentStep;
      const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
      });
      let reqNewline = false;
      let linesAtValue = 0;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
          if (item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, false);
          if (item.comment)
            comment = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, false);
            if (ik.comment)
              reqNewline = true;
          }
          const iv = identity.isNode(item.value) ? item.value : null;
          if (iv) {
            if (iv.comment)
              comment = iv.comment;
            if (iv.commentBefore)
              reqNewline = true;
          } else if (item.value == null && ik?.comment) {
            comment = ik.comment;
          }
        }
        if (comment)
          reqNewline = true;
        let str2 = stringify.stringify(item, itemCtx, () => comment = null);
        reqNewline || (reqNewline = lines.length > linesAtValue || str2.includes("\n"));
        if (i < items.length - 1) {
          str2 += ",";
        } else if (ctx.options.trailingComma) {
          if (ctx.options.lineWidth > 0) {
            reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) + (str2.length + 2) > ctx.options.lineWidth);
          }
          if (reqNewline) {
            str2 += ",";
          }
        }
        if (comment)
          str2 += stringifyComment.lineComment(str2, itemIndent, commentString(comment));
        lines.push(str2);
        linesAtValue = lines.length;
      }
      const { start: start2, end } = flowChars;
      if (lines.length === 0) {
        return start2 + end;
      } else {
        if (!reqNewline) {
          const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
          reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
          let str2 = start2;
          for (const line of lines)
            str2 += line ? `
${indentStep}${indent2}${line}` : "\n";
          return `${str2}
${indent2}${end}`;
        } else {
          return `${start2}${fcPadding}${lines.join(" ")}${fcPadding}${end}`;
        }
      }
    }
    function addCommentBefore({ indent: indent2, options: { commentString } }, lines, comment, chompKeep) {
      if (comment && chompKeep)
        comment = comment.replace(/^\n+/, "");
      if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent2);
        lines.push(ic.trimStart());
      }
    }
    exports.stringifyCollection = stringifyCollection;
  }
});

// node_modules/yaml/dist/nodes/YAMLMap.js
var require_YAMLMap = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLMap.js"(exports) {
    "use strict";
    var stringifyCollection = require_stringifyCollection();
    var addPairToJSMap = require_addPairToJSMap();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    function findPair(items, key) {
      const k = identity.isScalar(key) ? key.value : key;
      for (const it of items) {
        if (identity.isPair(it)) {
          if (it.key === key || it.key === k)
            return it;
          if (identity.isScalar(it.key) && it.key.value === k)
            return it;
        }
      }
      return void 0;
    }
    var YAMLMap = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:map";
      }
      constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
      }
      /**
       * A generic collection parsing method that can be extended
       * to other node classes that inherit from YAMLMap
       */
      static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
          if (typeof replacer === "function")
            value = replacer.call(obj, key, value);
          else if (Array.isArray(replacer) && !replacer.includes(key))
            return;
          if (value !== void 0 || keepUndefined)
            map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
          for (const [key, value] of obj)
            add(key, value);
        } else if (obj && typeof obj === "object") {
          for (const key of Object.keys(obj))
            add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === "function") {
          map.items.sort(schema.sortMapEntries);
        }
        return map;
      }
      /**
       * Adds a value to the collection.
       *
       * @param overwrite - If not set `true`, using a key that is already in the
       *   collection will throw. Otherwise, overwrites the previous value.
       */
      add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
          _pair = pair;
        else if (!pair || typeof pair !== "object" || !("key" in pair)) {
          _pair = new Pair.Pair(pair, pair?.value);
        } else
          _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
          if (!overwrite)
            throw new Error(`Key ${_pair.key} already set`);
          if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
            prev.value.value = _pair.value;
          else
            prev.value = _pair.value;
        } else if (sortEntries) {
          const i = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
          if (i === -1)
            this.items.push(_pair);
          else
            this.items.splice(i, 0, _pair);
        } else {
          this.items.push(_pair);
        }
      }
      delete(key) {
        const it = findPair(this.items, key);
        if (!it)
          return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? void 0;
      }
      has(key) {
        return !!findPair(this.items, key);
      }
      set(key, value) {
        this.add(new Pair.Pair(key, value), true);
      }
      /**
       * @param ctx - Conversion context, originally set in Document#toJS()
       * @param {Class} Type - If set, forces the returned collection type
       * @returns Instance of Type, Map, or Object
       */
      toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const item of this.items)
          addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        for (const item of this.items) {
          if (!identity.isPair(item))
            throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
          ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "",
          flowChars: { start: "{", end: "}" },
          itemIndent: ctx.indent || "",
          onChompKeep,
          onComment
        });
      }
    };
    exports.YAMLMap = YAMLMap;
    exports.findPair = findPair;
  }
});

// node_modules/yaml/dist/schema/common/map.js
var require_map = __commonJS({
  "node_modules/yaml/dist/schema/common/map.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLMap = require_YAMLMap();
    var map = {
      collection: "map",
      default: true,
      nodeClass: YAMLMap.YAMLMap,
      tag: "tag:yaml.org,2002:map",
      resolve(map2, onError) {
        if (!identity.isMap(map2))
          onError("Expected a mapping for this tag");
        return map2;
      },
      createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
    };
    exports.map = map;
  }
});

// node_modules/yaml/dist/nodes/YAMLSeq.js
var require_YAMLSeq = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLSeq.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyCollection = require_stringifyCollection();
    var Collection = require_Collection();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var toJS = require_toJS();
    var YAMLSeq = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:seq";
      }
      constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
      }
      add(value) {
        this.items.push(value);
      }
      /**
       * Removes a value from the collection.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       *
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return void 0;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       */
      has(key) {
        const idx = asItemIndex(key);
        return typeof idx === "number" && idx < this.items.length;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       *
       * If `key` does not contain a representation of an integer, this will throw.
       * It may be wrapped in a `Scalar`.
       */
      set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
          prev.value = value;
        else
          this.items[idx] = value;
      }
      toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
          ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
          seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "- ",
          flowChars: { start: "[", end: "]" },
          itemIndent: (ctx.indent || "") + "  ",
          onChompKeep,
          onComment
        });
      }
      static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
          let i = 0;
          for (let it of obj) {
            if (typeof replacer === "function") {
              const key = obj instanceof Set ? it : String(i++);
              it = replacer.call(obj, key, it);
            }
            seq.items.push(createNode.createNode(it, void 0, ctx));
          }
        }
        return seq;
      }
    };
    function asItemIndex(key) {
      let idx = identity.isScalar(key) ? key.value : key;
      if (idx && typeof idx === "string")
        idx = Number(idx);
      return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
    }
    exports.YAMLSeq = YAMLSeq;
  }
});

// node_modules/yaml/dist/schema/common/seq.js
var require_seq = __commonJS({
  "node_modules/yaml/dist/schema/common/seq.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLSeq = require_YAMLSeq();
    var seq = {
      collection: "seq",
      default: true,
      nodeClass: YAMLSeq.YAMLSeq,
      tag: "tag:yaml.org,2002:seq",
      resolve(seq2, onError) {
        if (!identity.isSeq(seq2))
          onError("Expected a sequence for this tag");
        return seq2;
      },
      createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
    };
    exports.seq = seq;
  }
});

// node_modules/yaml/dist/schema/common/string.js
var require_string = __commonJS({
  "node_modules/yaml/dist/schema/common/string.js"(exports) {
    "use strict";
    var stringifyString = require_stringifyString();
    var string = {
      identify: (value) => typeof value === "string",
      default: true,
      tag: "tag:yaml.org,2002:str",
      resolve: (str2) => str2,
      stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
      }
    };
    exports.string = string;
  }
});

// node_modules/yaml/dist/schema/common/null.js
var require_null = __commonJS({
  "node_modules/yaml/dist/schema/common/null.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var nullTag = {
      identify: (value) => value == null,
      createNode: () => new Scalar.Scalar(null),
      default: true,
      tag: "tag:yaml.org,2002:null",
      test: /^(?:~|[Nn]ull|NULL)?$/,
      resolve: () => new Scalar.Scalar(null),
      stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
    };
    exports.nullTag = nullTag;
  }
});

// node_modules/yaml/dist/schema/core/bool.js
var require_bool = __commonJS({
  "node_modules/yaml/dist/schema/core/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var boolTag = {
      identify: (value) => typeof value === "boolean",
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      resolve: (str2) => new Scalar.Scalar(str2[0] === "t" || str2[0] === "T"),
      stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
          const sv = source[0] === "t" || source[0] === "T";
          if (value === sv)
            return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
      }
    };
    exports.boolTag = boolTag;
  }
});

// node_modules/yaml/dist/stringify/stringifyNumber.js
var require_stringifyNumber = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyNumber.js"(exports) {
    "use strict";
    function stringifyNumber({ format, minFractionDigits, tag, value }) {
      if (typeof value === "bigint")
        return String(value);
      const num = typeof value === "number" ? value : Number(value);
      if (!isFinite(num))
        return isNaN(num) ? ".nan" : num < 0 ? "-.inf" : ".inf";
      let n = Object.is(value, -0) ? "-0" : JSON.stringify(value);
      if (!format && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n) && !n.includes("e")) {
        let i = n.indexOf(".");
        if (i < 0) {
          i = n.length;
          n += ".";
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
          n += "0";
      }
      return n;
    }
    exports.stringifyNumber = stringifyNumber;
  }
});

// node_modules/yaml/dist/schema/core/float.js
var require_float = __commonJS({
  "node_modules/yaml/dist/schema/core/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str2) => str2.slice(-3).toLowerCase() === "nan" ? NaN : str2[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
      resolve: (str2) => parseFloat(str2),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
      resolve(str2) {
        const node = new Scalar.Scalar(parseFloat(str2));
        const dot = str2.indexOf(".");
        if (dot !== -1 && str2[str2.length - 1] === "0")
          node.minFractionDigits = str2.length - dot - 1;
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/core/int.js
var require_int = __commonJS({
  "node_modules/yaml/dist/schema/core/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    var intResolve = (str2, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str2) : parseInt(str2.substring(offset), radix);
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
      return stringifyNumber.stringifyNumber(node);
    }
    var intOct = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^0o[0-7]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 8, opt),
      stringify: (node) => intStringify(node, 8, "0o")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^0x[0-9a-fA-F]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/core/schema.js
var require_schema = __commonJS({
  "node_modules/yaml/dist/schema/core/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool2 = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool2.boolTag,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/json/schema.js
var require_schema2 = __commonJS({
  "node_modules/yaml/dist/schema/json/schema.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var map = require_map();
    var seq = require_seq();
    function intIdentify(value) {
      return typeof value === "bigint" || Number.isInteger(value);
    }
    var stringifyJSON = ({ value }) => JSON.stringify(value);
    var jsonScalars = [
      {
        identify: (value) => typeof value === "string",
        default: true,
        tag: "tag:yaml.org,2002:str",
        resolve: (str2) => str2,
        stringify: stringifyJSON
      },
      {
        identify: (value) => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: "tag:yaml.org,2002:null",
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
      },
      {
        identify: (value) => typeof value === "boolean",
        default: true,
        tag: "tag:yaml.org,2002:bool",
        test: /^true$|^false$/,
        resolve: (str2) => str2 === "true",
        stringify: stringifyJSON
      },
      {
        identify: intIdentify,
        default: true,
        tag: "tag:yaml.org,2002:int",
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str2, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str2) : parseInt(str2, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
      },
      {
        identify: (value) => typeof value === "number",
        default: true,
        tag: "tag:yaml.org,2002:float",
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: (str2) => parseFloat(str2),
        stringify: stringifyJSON
      }
    ];
    var jsonError = {
      default: true,
      tag: "",
      test: /^/,
      resolve(str2, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str2)}`);
        return str2;
      }
    };
    var schema = [map.map, seq.seq].concat(jsonScalars, jsonError);
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/binary.js
var require_binary = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/binary.js"(exports) {
    "use strict";
    var node_buffer = __require("buffer");
    var Scalar = require_Scalar();
    var stringifyString = require_stringifyString();
    var binary = {
      identify: (value) => value instanceof Uint8Array,
      // Buffer inherits from Uint8Array
      default: false,
      tag: "tag:yaml.org,2002:binary",
      /**
       * Returns a Buffer in node and an Uint8Array in browsers
       *
       * To use the resulting buffer as an image, you'll want to do something like:
       *
       *   const blob = new Blob([buffer], { type: 'image/jpeg' })
       *   document.querySelector('#photo').src = URL.createObjectURL(blob)
       */
      resolve(src, onError) {
        if (typeof node_buffer.Buffer === "function") {
          return node_buffer.Buffer.from(src, "base64");
        } else if (typeof atob === "function") {
          const str2 = atob(src.replace(/[\n\r]/g, ""));
          const buffer = new Uint8Array(str2.length);
          for (let i = 0; i < str2.length; ++i)
            buffer[i] = str2.charCodeAt(i);
          return buffer;
        } else {
          onError("This environment does not support reading binary tags; either Buffer or atob is required");
          return src;
        }
      },
      stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
          return "";
        const buf = value;
        let str2;
        if (typeof node_buffer.Buffer === "function") {
          str2 = buf instanceof node_buffer.Buffer ? buf.toString("base64") : node_buffer.Buffer.from(buf.buffer).toString("base64");
        } else if (typeof btoa === "function") {
          let s = "";
          for (let i = 0; i < buf.length; ++i)
            s += String.fromCharCode(buf[i]);
          str2 = btoa(s);
        } else {
          throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
          const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
          const n = Math.ceil(str2.length / lineWidth);
          const lines = new Array(n);
          for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
            lines[i] = str2.substr(o, lineWidth);
          }
          str2 = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? "\n" : " ");
        }
        return stringifyString.stringifyString({ comment, type, value: str2 }, ctx, onComment, onChompKeep);
      }
    };
    exports.binary = binary;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/pairs.js
var require_pairs = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/pairs.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLSeq = require_YAMLSeq();
    function resolvePairs(seq, onError) {
      if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
          let item = seq.items[i];
          if (identity.isPair(item))
            continue;
          else if (identity.isMap(item)) {
            if (item.items.length > 1)
              onError("Each pair must have its own sequence indicator");
            const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
            if (item.commentBefore)
              pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
            if (item.comment) {
              const cn = pair.value ?? pair.key;
              cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
            }
            item = pair;
          }
          seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
      } else
        onError("Expected a sequence for this tag");
      return seq;
    }
    function createPairs(schema, iterable, ctx) {
      const { replacer } = ctx;
      const pairs2 = new YAMLSeq.YAMLSeq(schema);
      pairs2.tag = "tag:yaml.org,2002:pairs";
      let i = 0;
      if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
          if (typeof replacer === "function")
            it = replacer.call(iterable, String(i++), it);
          let key, value;
          if (Array.isArray(it)) {
            if (it.length === 2) {
              key = it[0];
              value = it[1];
            } else
              throw new TypeError(`Expected [key, value] tuple: ${it}`);
          } else if (it && it instanceof Object) {
            const keys = Object.keys(it);
            if (keys.length === 1) {
              key = keys[0];
              value = it[key];
            } else {
              throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
            }
          } else {
            key = it;
          }
          pairs2.items.push(Pair.createPair(key, value, ctx));
        }
      return pairs2;
    }
    var pairs = {
      collection: "seq",
      default: false,
      tag: "tag:yaml.org,2002:pairs",
      resolve: resolvePairs,
      createNode: createPairs
    };
    exports.createPairs = createPairs;
    exports.pairs = pairs;
    exports.resolvePairs = resolvePairs;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/omap.js
var require_omap = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/omap.js"(exports) {
    "use strict";
    var identity = require_identity();
    var toJS = require_toJS();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var pairs = require_pairs();
    var YAMLOMap = class _YAMLOMap extends YAMLSeq.YAMLSeq {
      constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = _YAMLOMap.tag;
      }
      /**
       * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
       * but TypeScript won't allow widening the signature of a child method.
       */
      toJSON(_, ctx) {
        if (!ctx)
          return super.toJSON(_);
        const map = /* @__PURE__ */ new Map();
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const pair of this.items) {
          let key, value;
          if (identity.isPair(pair)) {
            key = toJS.toJS(pair.key, "", ctx);
            value = toJS.toJS(pair.value, key, ctx);
          } else {
            key = toJS.toJS(pair, "", ctx);
          }
          if (map.has(key))
            throw new Error("Ordered maps must not include duplicate keys");
          map.set(key, value);
        }
        return map;
      }
      static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap2 = new this();
        omap2.items = pairs$1.items;
        return omap2;
      }
    };
    YAMLOMap.tag = "tag:yaml.org,2002:omap";
    var omap = {
      collection: "seq",
      identify: (value) => value instanceof Map,
      nodeClass: YAMLOMap,
      default: false,
      tag: "tag:yaml.org,2002:omap",
      resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
          if (identity.isScalar(key)) {
            if (seenKeys.includes(key.value)) {
              onError(`Ordered maps must not include duplicate keys: ${key.value}`);
            } else {
              seenKeys.push(key.value);
            }
          }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
      },
      createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
    };
    exports.YAMLOMap = YAMLOMap;
    exports.omap = omap;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/bool.js
var require_bool2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function boolStringify({ value, source }, ctx) {
      const boolObj = value ? trueTag : falseTag;
      if (source && boolObj.test.test(source))
        return source;
      return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
    var trueTag = {
      identify: (value) => value === true,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
      resolve: () => new Scalar.Scalar(true),
      stringify: boolStringify
    };
    var falseTag = {
      identify: (value) => value === false,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
      resolve: () => new Scalar.Scalar(false),
      stringify: boolStringify
    };
    exports.falseTag = falseTag;
    exports.trueTag = trueTag;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/float.js
var require_float2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str2) => str2.slice(-3).toLowerCase() === "nan" ? NaN : str2[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
      resolve: (str2) => parseFloat(str2.replace(/_/g, "")),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
      resolve(str2) {
        const node = new Scalar.Scalar(parseFloat(str2.replace(/_/g, "")));
        const dot = str2.indexOf(".");
        if (dot !== -1) {
          const f = str2.substring(dot + 1).replace(/_/g, "");
          if (f[f.length - 1] === "0")
            node.minFractionDigits = f.length;
        }
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/int.js
var require_int2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    function intResolve(str2, offset, radix, { intAsBigInt }) {
      const sign2 = str2[0];
      if (sign2 === "-" || sign2 === "+")
        offset += 1;
      str2 = str2.substring(offset).replace(/_/g, "");
      if (intAsBigInt) {
        switch (radix) {
          case 2:
            str2 = `0b${str2}`;
            break;
          case 8:
            str2 = `0o${str2}`;
            break;
          case 16:
            str2 = `0x${str2}`;
            break;
        }
        const n2 = BigInt(str2);
        return sign2 === "-" ? BigInt(-1) * n2 : n2;
      }
      const n = parseInt(str2, radix);
      return sign2 === "-" ? -1 * n : n;
    }
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value)) {
        const str2 = value.toString(radix);
        return value < 0 ? "-" + prefix + str2.substr(1) : prefix + str2;
      }
      return stringifyNumber.stringifyNumber(node);
    }
    var intBin = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "BIN",
      test: /^[-+]?0b[0-1_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 2, opt),
      stringify: (node) => intStringify(node, 2, "0b")
    };
    var intOct = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^[-+]?0[0-7_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 1, 8, opt),
      stringify: (node) => intStringify(node, 8, "0")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9][0-9_]*$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^[-+]?0x[0-9a-fA-F_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intBin = intBin;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/set.js
var require_set = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/set.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSet = class _YAMLSet extends YAMLMap.YAMLMap {
      constructor(schema) {
        super(schema);
        this.tag = _YAMLSet.tag;
      }
      add(key) {
        let pair;
        if (identity.isPair(key))
          pair = key;
        else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
          pair = new Pair.Pair(key.key, null);
        else
          pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
          this.items.push(pair);
      }
      /**
       * If `keepPair` is `true`, returns the Pair matching `key`.
       * Otherwise, returns the value of that Pair's key.
       */
      get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair) ? identity.isScalar(pair.key) ? pair.key.value : pair.key : pair;
      }
      set(key, value) {
        if (typeof value !== "boolean")
          throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
          this.items.splice(this.items.indexOf(prev), 1);
        } else if (!prev && value) {
          this.items.push(new Pair.Pair(key));
        }
      }
      toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        if (this.hasAllNullValues(true))
          return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
          throw new Error("Set items must all have null values");
      }
      static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set2 = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
          for (let value of iterable) {
            if (typeof replacer === "function")
              value = replacer.call(iterable, value, value);
            set2.items.push(Pair.createPair(value, null, ctx));
          }
        return set2;
      }
    };
    YAMLSet.tag = "tag:yaml.org,2002:set";
    var set = {
      collection: "map",
      identify: (value) => value instanceof Set,
      nodeClass: YAMLSet,
      default: false,
      tag: "tag:yaml.org,2002:set",
      createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
      resolve(map, onError) {
        if (identity.isMap(map)) {
          if (map.hasAllNullValues(true))
            return Object.assign(new YAMLSet(), map);
          else
            onError("Set items must all have null values");
        } else
          onError("Expected a mapping for this tag");
        return map;
      }
    };
    exports.YAMLSet = YAMLSet;
    exports.set = set;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/timestamp.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    function parseSexagesimal(str2, asBigInt) {
      const sign2 = str2[0];
      const parts = sign2 === "-" || sign2 === "+" ? str2.substring(1) : str2;
      const num = (n) => asBigInt ? BigInt(n) : Number(n);
      const res = parts.replace(/_/g, "").split(":").reduce((res2, p) => res2 * num(60) + num(p), num(0));
      return sign2 === "-" ? num(-1) * res : res;
    }
    function stringifySexagesimal(node) {
      let { value } = node;
      let num = (n) => n;
      if (typeof value === "bigint")
        num = (n) => BigInt(n);
      else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
      let sign2 = "";
      if (value < 0) {
        sign2 = "-";
        value *= num(-1);
      }
      const _60 = num(60);
      const parts = [value % _60];
      if (value < 60) {
        parts.unshift(0);
      } else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60);
        if (value >= 60) {
          value = (value - parts[0]) / _60;
          parts.unshift(value);
        }
      }
      return sign2 + parts.map((n) => String(n).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
    }
    var intTime = {
      identify: (value) => typeof value === "bigint" || Number.isInteger(value),
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
      resolve: (str2, _onError, { intAsBigInt }) => parseSexagesimal(str2, intAsBigInt),
      stringify: stringifySexagesimal
    };
    var floatTime = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
      resolve: (str2) => parseSexagesimal(str2, false),
      stringify: stringifySexagesimal
    };
    var timestamp = {
      identify: (value) => value instanceof Date,
      default: true,
      tag: "tag:yaml.org,2002:timestamp",
      // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
      // may be omitted altogether, resulting in a date format. In such a case, the time part is
      // assumed to be 00:00:00Z (start of day, UTC).
      test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
      resolve(str2) {
        const match = str2.match(timestamp.test);
        if (!match)
          throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + "00").substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== "Z") {
          let d = parseSexagesimal(tz, false);
          if (Math.abs(d) < 30)
            d *= 60;
          date -= 6e4 * d;
        }
        return new Date(date);
      },
      stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
    };
    exports.floatTime = floatTime;
    exports.intTime = intTime;
    exports.timestamp = timestamp;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/schema.js
var require_schema3 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var binary = require_binary();
    var bool2 = require_bool2();
    var float = require_float2();
    var int = require_int2();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var set = require_set();
    var timestamp = require_timestamp();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool2.trueTag,
      bool2.falseTag,
      int.intBin,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float,
      binary.binary,
      merge.merge,
      omap.omap,
      pairs.pairs,
      set.set,
      timestamp.intTime,
      timestamp.floatTime,
      timestamp.timestamp
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/tags.js
var require_tags = __commonJS({
  "node_modules/yaml/dist/schema/tags.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool2 = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = require_schema();
    var schema$1 = require_schema2();
    var binary = require_binary();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var schema$2 = require_schema3();
    var set = require_set();
    var timestamp = require_timestamp();
    var schemas = /* @__PURE__ */ new Map([
      ["core", schema.schema],
      ["failsafe", [map.map, seq.seq, string.string]],
      ["json", schema$1.schema],
      ["yaml11", schema$2.schema],
      ["yaml-1.1", schema$2.schema]
    ]);
    var tagsByName = {
      binary: binary.binary,
      bool: bool2.boolTag,
      float: float.float,
      floatExp: float.floatExp,
      floatNaN: float.floatNaN,
      floatTime: timestamp.floatTime,
      int: int.int,
      intHex: int.intHex,
      intOct: int.intOct,
      intTime: timestamp.intTime,
      map: map.map,
      merge: merge.merge,
      null: _null.nullTag,
      omap: omap.omap,
      pairs: pairs.pairs,
      seq: seq.seq,
      set: set.set,
      timestamp: timestamp.timestamp
    };
    var coreKnownTags = {
      "tag:yaml.org,2002:binary": binary.binary,
      "tag:yaml.org,2002:merge": merge.merge,
      "tag:yaml.org,2002:omap": omap.omap,
      "tag:yaml.org,2002:pairs": pairs.pairs,
      "tag:yaml.org,2002:set": set.set,
      "tag:yaml.org,2002:timestamp": timestamp.timestamp
    };
    function getTags(customTags, schemaName, addMergeTag) {
      const schemaTags = schemas.get(schemaName);
      if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge) ? schemaTags.concat(merge.merge) : schemaTags.slice();
      }
      let tags = schemaTags;
      if (!tags) {
        if (Array.isArray(customTags))
          tags = [];
        else {
          const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
      }
      if (Array.isArray(customTags)) {
        for (const tag of customTags)
          tags = tags.concat(tag);
      } else if (typeof customTags === "function") {
        tags = customTags(tags.slice());
      }
      if (addMergeTag)
        tags = tags.concat(merge.merge);
      return tags.reduce((tags2, tag) => {
        const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
        if (!tagObj) {
          const tagName = JSON.stringify(tag);
          const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags2.includes(tagObj))
          tags2.push(tagObj);
        return tags2;
      }, []);
    }
    exports.coreKnownTags = coreKnownTags;
    exports.getTags = getTags;
  }
});

// node_modules/yaml/dist/schema/Schema.js
var require_Schema = __commonJS({
  "node_modules/yaml/dist/schema/Schema.js"(exports) {
    "use strict";
    var identity = require_identity();
    var map = require_map();
    var seq = require_seq();
    var string = require_string();
    var tags = require_tags();
    var sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    var Schema = class _Schema {
      constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat) ? tags.getTags(compat, "compat") : compat ? tags.getTags(null, compat) : null;
        this.name = typeof schema === "string" && schema || "core";
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
      }
      clone() {
        const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
      }
    };
    exports.Schema = Schema;
  }
});

// node_modules/yaml/dist/stringify/stringifyDocument.js
var require_stringifyDocument = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyDocument.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyDocument(doc, options) {
      const lines = [];
      let hasDirectives = options.directives === true;
      if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
          lines.push(dir);
          hasDirectives = true;
        } else if (doc.directives.docStart)
          hasDirectives = true;
      }
      if (hasDirectives)
        lines.push("---");
      const ctx = stringify.createStringifyContext(doc, options);
      const { commentString } = ctx.options;
      if (doc.commentBefore) {
        if (lines.length !== 1)
          lines.unshift("");
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ""));
      }
      let chompKeep = false;
      let contentComment = null;
      if (doc.contents) {
        if (identity.isNode(doc.contents)) {
          if (doc.contents.spaceBefore && hasDirectives)
            lines.push("");
          if (doc.contents.commentBefore) {
            const cs = commentString(doc.contents.commentBefore);
            lines.push(stringifyComment.indentComment(cs, ""));
          }
          ctx.forceBlockIndent = !!doc.comment;
          contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
        let body = stringify.stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
        if (contentComment)
          body += stringifyComment.lineComment(body, "", commentString(contentComment));
        if ((body[0] === "|" || body[0] === ">") && lines[lines.length - 1] === "---") {
          lines[lines.length - 1] = `--- ${body}`;
        } else
          lines.push(body);
      } else {
        lines.push(stringify.stringify(doc.contents, ctx));
      }
      if (doc.directives?.docEnd) {
        if (doc.comment) {
          const cs = commentString(doc.comment);
          if (cs.includes("\n")) {
            lines.push("...");
            lines.push(stringifyComment.indentComment(cs, ""));
          } else {
            lines.push(`... ${cs}`);
          }
        } else {
          lines.push("...");
        }
      } else {
        let dc = doc.comment;
        if (dc && chompKeep)
          dc = dc.replace(/^\n+/, "");
        if (dc) {
          if ((!chompKeep || contentComment) && lines[lines.length - 1] !== "")
            lines.push("");
          lines.push(stringifyComment.indentComment(commentString(dc), ""));
        }
      }
      return lines.join("\n") + "\n";
    }
    exports.stringifyDocument = stringifyDocument;
  }
});

// node_modules/yaml/dist/doc/Document.js
var require_Document = __commonJS({
  "node_modules/yaml/dist/doc/Document.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var toJS = require_toJS();
    var Schema = require_Schema();
    var stringifyDocument = require_stringifyDocument();
    var anchors = require_anchors();
    var applyReviver = require_applyReviver();
    var createNode = require_createNode();
    var directives = require_directives();
    var Document = class _Document {
      constructor(value, replacer, options) {
        this.commentBefore = null;
        this.comment = null;
        this.errors = [];
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === "function" || Array.isArray(replacer)) {
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const opt = Object.assign({
          intAsBigInt: false,
          keepSourceTokens: false,
          logLevel: "warn",
          prettyErrors: true,
          strict: true,
          stringKeys: false,
          uniqueKeys: true,
          version: "1.2"
        }, options);
        this.options = opt;
        let { version: version2 } = opt;
        if (options?._directives) {
          this.directives = options._directives.atDocument();
          if (this.directives.yaml.explicit)
            version2 = this.directives.yaml.version;
        } else
          this.directives = new directives.Directives({ version: version2 });
        this.setSchema(version2, options);
        this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
      }
      /**
       * Create a deep copy of this Document and its contents.
       *
       * Custom Node values that inherit from `Object` still refer to their original instances.
       */
      clone() {
        const copy = Object.create(_Document.prototype, {
          [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
          copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        copy.contents = identity.isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** Adds a value to the document. */
      add(value) {
        if (assertCollection(this.contents))
          this.contents.add(value);
      }
      /** Adds a value to the document. */
      addIn(path17, value) {
        if (assertCollection(this.contents))
          this.contents.addIn(path17, value);
      }
      /**
       * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
       *
       * If `node` already has an anchor, `name` is ignored.
       * Otherwise, the `node.anchor` value will be set to `name`,
       * or if an anchor with that name is already present in the document,
       * `name` will be used as a prefix for a new unique anchor.
       * If `name` is undefined, the generated anchor will use 'a' as a prefix.
       */
      createAlias(node, name) {
        if (!node.anchor) {
          const prev = anchors.anchorNames(this);
          node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          !name || prev.has(name) ? anchors.findNewAnchor(name || "a", prev) : name;
        }
        return new Alias.Alias(node.anchor);
      }
      createNode(value, replacer, options) {
        let _replacer = void 0;
        if (typeof replacer === "function") {
          value = replacer.call({ "": value }, "", value);
          _replacer = replacer;
        } else if (Array.isArray(replacer)) {
          const keyToStr = (v) => typeof v === "number" || v instanceof String || v instanceof Number;
          const asStr = replacer.filter(keyToStr).map(String);
          if (asStr.length > 0)
            replacer = replacer.concat(asStr);
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(
          this,
          // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          anchorPrefix || "a"
        );
        const ctx = {
          aliasDuplicateObjects: aliasDuplicateObjects ?? true,
          keepUndefined: keepUndefined ?? false,
          onAnchor,
          onTagObj,
          replacer: _replacer,
          schema: this.schema,
          sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
          node.flow = true;
        setAnchors();
        return node;
      }
      /**
       * Convert a key and a value into a `Pair` using the current schema,
       * recursively wrapping all values as `Scalar` or `Collection` nodes.
       */
      createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path17) {
        if (Collection.isEmptyPath(path17)) {
          if (this.contents == null)
            return false;
          this.contents = null;
          return true;
        }
        return assertCollection(this.contents) ? this.contents.deleteIn(path17) : false;
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      get(key, keepScalar) {
        return identity.isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
      }
      /**
       * Returns item at `path`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path17, keepScalar) {
        if (Collection.isEmptyPath(path17))
          return !keepScalar && identity.isScalar(this.contents) ? this.contents.value : this.contents;
        return identity.isCollection(this.contents) ? this.contents.getIn(path17, keepScalar) : void 0;
      }
      /**
       * Checks if the document includes a value with the key `key`.
       */
      has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
      }
      /**
       * Checks if the document includes a value at `path`.
       */
      hasIn(path17) {
        if (Collection.isEmptyPath(path17))
          return this.contents !== void 0;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path17) : false;
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      set(key, value) {
        if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, [key], value);
        } else if (assertCollection(this.contents)) {
          this.contents.set(key, value);
        }
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path17, value) {
        if (Collection.isEmptyPath(path17)) {
          this.contents = value;
        } else if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, Array.from(path17), value);
        } else if (assertCollection(this.contents)) {
          this.contents.setIn(path17, value);
        }
      }
      /**
       * Change the YAML version and schema used by the document.
       * A `null` version disables support for directives, explicit tags, anchors, and aliases.
       * It also requires the `schema` option to be given as a `Schema` instance value.
       *
       * Overrides all previously set schema options.
       */
      setSchema(version2, options = {}) {
        if (typeof version2 === "number")
          version2 = String(version2);
        let opt;
        switch (version2) {
          case "1.1":
            if (this.directives)
              this.directives.yaml.version = "1.1";
            else
              this.directives = new directives.Directives({ version: "1.1" });
            opt = { resolveKnownTags: false, schema: "yaml-1.1" };
            break;
          case "1.2":
          case "next":
            if (this.directives)
              this.directives.yaml.version = version2;
            else
              this.directives = new directives.Directives({ version: version2 });
            opt = { resolveKnownTags: true, schema: "core" };
            break;
          case null:
            if (this.directives)
              delete this.directives;
            opt = null;
            break;
          default: {
            const sv = JSON.stringify(version2);
            throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
          }
        }
        if (options.schema instanceof Object)
          this.schema = options.schema;
        else if (opt)
          this.schema = new Schema.Schema(Object.assign(opt, options));
        else
          throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
      }
      // json & jsonArg are only used from toJSON()
      toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc: this,
          keep: !json,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? "", ctx);
        if (typeof onAnchor === "function")
          for (const { count: count2, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count2);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
      /**
       * A JSON representation of the document `contents`.
       *
       * @param jsonArg Used by `JSON.stringify` to indicate the array index or
       *   property name.
       */
      toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
      }
      /** A YAML representation of the document. */
      toString(options = {}) {
        if (this.errors.length > 0)
          throw new Error("Document with errors cannot be stringified");
        if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
          const s = JSON.stringify(options.indent);
          throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
      }
    };
    function assertCollection(contents) {
      if (identity.isCollection(contents))
        return true;
      throw new Error("Expected a YAML collection as document contents");
    }
    exports.Document = Document;
  }
});

// node_modules/yaml/dist/errors.js
var require_errors = __commonJS({
  "node_modules/yaml/dist/errors.js"(exports) {
    "use strict";
    var YAMLError = class extends Error {
      constructor(name, pos, code2, message) {
        super();
        this.name = name;
        this.code = code2;
        this.message = message;
        this.pos = pos;
      }
    };
    var YAMLParseError = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLParseError", pos, code2, message);
      }
    };
    var YAMLWarning = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLWarning", pos, code2, message);
      }
    };
    var prettifyError = (src, lc) => (error) => {
      if (error.pos[0] === -1)
        return;
      error.linePos = error.pos.map((pos) => lc.linePos(pos));
      const { line, col } = error.linePos[0];
      error.message += ` at line ${line}, column ${col}`;
      let ci = col - 1;
      let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
      if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = "\u2026" + lineStr.substring(trimStart);
        ci -= trimStart - 1;
      }
      if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + "\u2026";
      if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
          prev = prev.substring(0, 79) + "\u2026\n";
        lineStr = prev + lineStr;
      }
      if (/[^ ]/.test(lineStr)) {
        let count2 = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
          count2 = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = " ".repeat(ci) + "^".repeat(count2);
        error.message += `:

${lineStr}
${pointer}
`;
      }
    };
    exports.YAMLError = YAMLError;
    exports.YAMLParseError = YAMLParseError;
    exports.YAMLWarning = YAMLWarning;
    exports.prettifyError = prettifyError;
  }
});

// node_modules/yaml/dist/compose/resolve-props.js
var require_resolve_props = __commonJS({
  "node_modules/yaml/dist/compose/resolve-props.js"(exports) {
    "use strict";
    function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
      let spaceBefore = false;
      let atNewline = startOnNewline;
      let hasSpace = startOnNewline;
      let comment = "";
      let commentSep = "";
      let hasNewline = false;
      let reqSpace = false;
      let tab = null;
      let anchor = null;
      let tag = null;
      let newlineAfterProp = null;
      let comma = null;
      let found = null;
      let start2 = null;
      for (const token of tokens) {
        if (reqSpace) {
          if (token.type !== "space" && token.type !== "newline" && token.type !== "comma")
            onError(token.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
          reqSpace = false;
        }
        if (tab) {
          if (atNewline && token.type !== "comment" && token.type !== "newline") {
            onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
          }
          tab = null;
        }
        switch (token.type) {
          case "space":
            if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("	")) {
              tab = token;
            }
            hasSpace = true;
            break;
          case "comment": {
            if (!hasSpace)
              onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
            const cb = token.source.substring(1) || " ";
            if (!comment)
              comment = cb;
            else
              comment += commentSep + cb;
            commentSep = "";
            atNewline = false;
            break;
          }
          case "newline":
            if (atNewline) {
              if (comment)
                comment += token.source;
              else if (!found || indicator !== "seq-item-ind")
                spaceBefore = true;
            } else
              commentSep += token.source;
            atNewline = true;
            hasNewline = true;
            if (anchor || tag)
              newlineAfterProp = token;
            hasSpace = true;
            break;
          case "anchor":
            if (anchor)
              onError(token, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
            if (token.source.endsWith(":"))
              onError(token.offset + token.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
            anchor = token;
            start2 ?? (start2 = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          case "tag": {
            if (tag)
              onError(token, "MULTIPLE_TAGS", "A node can have at most one tag");
            tag = token;
            start2 ?? (start2 = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          }
          case indicator:
            if (anchor || tag)
              onError(token, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token.source} indicator`);
            if (found)
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.source} in ${flow ?? "collection"}`);
            found = token;
            atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
            hasSpace = false;
            break;
          case "comma":
            if (flow) {
              if (comma)
                onError(token, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
              comma = token;
              atNewline = false;
              hasSpace = false;
              break;
            }
          // else fallthrough
          default:
            onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.type} token`);
            atNewline = false;
            hasSpace = false;
        }
      }
      const last = tokens[tokens.length - 1];
      const end = last ? last.offset + last.source.length : offset;
      if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
        onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      }
      if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start2 ?? end
      };
    }
    exports.resolveProps = resolveProps;
  }
});

// node_modules/yaml/dist/compose/util-contains-newline.js
var require_util_contains_newline = __commonJS({
  "node_modules/yaml/dist/compose/util-contains-newline.js"(exports) {
    "use strict";
    function containsNewline(key) {
      if (!key)
        return null;
      switch (key.type) {
        case "alias":
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          if (key.source.includes("\n"))
            return true;
          if (key.end) {
            for (const st of key.end)
              if (st.type === "newline")
                return true;
          }
          return false;
        case "flow-collection":
          for (const it of key.items) {
            for (const st of it.start)
              if (st.type === "newline")
                return true;
            if (it.sep) {
              for (const st of it.sep)
                if (st.type === "newline")
                  return true;
            }
            if (containsNewline(it.key) || containsNewline(it.value))
              return true;
          }
          return false;
        default:
          return true;
      }
    }
    exports.containsNewline = containsNewline;
  }
});

// node_modules/yaml/dist/compose/util-flow-indent-check.js
var require_util_flow_indent_check = __commonJS({
  "node_modules/yaml/dist/compose/util-flow-indent-check.js"(exports) {
    "use strict";
    var utilContainsNewline = require_util_contains_newline();
    function flowIndentCheck(indent2, fc, onError) {
      if (fc?.type === "flow-collection") {
        const end = fc.end[0];
        if (end.indent === indent2 && (end.source === "]" || end.source === "}") && utilContainsNewline.containsNewline(fc)) {
          const msg = "Flow end indicator should be more indented than parent";
          onError(end, "BAD_INDENT", msg, true);
        }
      }
    }
    exports.flowIndentCheck = flowIndentCheck;
  }
});

// node_modules/yaml/dist/compose/util-map-includes.js
var require_util_map_includes = __commonJS({
  "node_modules/yaml/dist/compose/util-map-includes.js"(exports) {
    "use strict";
    var identity = require_identity();
    function mapIncludes(ctx, items, search) {
      const { uniqueKeys } = ctx.options;
      if (uniqueKeys === false)
        return false;
      const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a, b) => a === b || identity.isScalar(a) && identity.isScalar(b) && a.value === b.value;
      return items.some((pair) => isEqual(pair.key, search));
    }
    exports.mapIncludes = mapIncludes;
  }
});

// node_modules/yaml/dist/compose/resolve-block-map.js
var require_resolve_block_map = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-map.js"(exports) {
    "use strict";
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    var utilMapIncludes = require_util_map_includes();
    var startColMsg = "All mapping items must start at the same column";
    function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
      const map = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      let offset = bm.offset;
      let commentEnd = null;
      for (const collItem of bm.items) {
        const { start: start2, key, sep, value } = collItem;
        const keyProps = resolveProps.resolveProps(start2, {
          indicator: "explicit-key-ind",
          next: key ?? sep?.[0],
          offset,
          onError,
          parentIndent: bm.indent,
          startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
          if (key) {
            if (key.type === "block-seq")
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
            else if ("indent" in key && key.indent !== bm.indent)
              onError(offset, "BAD_INDENT", startColMsg);
          }
          if (!keyProps.anchor && !keyProps.tag && !sep) {
            commentEnd = keyProps.end;
            if (keyProps.comment) {
              if (map.comment)
                map.comment += "\n" + keyProps.comment;
              else
                map.comment = keyProps.comment;
            }
            continue;
          }
          if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
            onError(key ?? start2[start2.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
          }
        } else if (keyProps.found?.indent !== bm.indent) {
          onError(offset, "BAD_INDENT", startColMsg);
        }
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key ? composeNode(ctx, key, keyProps, onError) : composeEmptyNode(ctx, keyStart, start2, null, keyProps, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
          onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
        const valueProps = resolveProps.resolveProps(sep ?? [], {
          indicator: "map-value-ind",
          next: value,
          offset: keyNode.range[2],
          onError,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === "block-scalar"
        });
        offset = valueProps.end;
        if (valueProps.found) {
          if (implicitKey) {
            if (value?.type === "block-map" && !valueProps.hasNewline)
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
            if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
              onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
          if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
          offset = valueNode.range[2];
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        } else {
          if (implicitKey)
            onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
          if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        }
      }
      if (commentEnd && commentEnd < offset)
        onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
      map.range = [bm.offset, offset, commentEnd ?? offset];
      return map;
    }
    exports.resolveBlockMap = resolveBlockMap;
  }
});

// node_modules/yaml/dist/compose/resolve-block-seq.js
var require_resolve_block_seq = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-seq.js"(exports) {
    "use strict";
    var YAMLSeq = require_YAMLSeq();
    var resolveProps = require_resolve_props();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
      const seq = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = bs.offset;
      let commentEnd = null;
      for (const { start: start2, value } of bs.items) {
        const props = resolveProps.resolveProps(start2, {
          indicator: "seq-item-ind",
          next: value,
          offset,
          onError,
          parentIndent: bs.indent,
          startOnNewline: true
        });
        if (!props.found) {
          if (props.anchor || props.tag || value) {
            if (value?.type === "block-seq")
              onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
            else
              onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
          } else {
            commentEnd = props.end;
            if (props.comment)
              seq.comment = props.comment;
            continue;
          }
        }
        const node = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start2, null, props, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
      }
      seq.range = [bs.offset, offset, commentEnd ?? offset];
      return seq;
    }
    exports.resolveBlockSeq = resolveBlockSeq;
  }
});

// node_modules/yaml/dist/compose/resolve-end.js
var require_resolve_end = __commonJS({
  "node_modules/yaml/dist/compose/resolve-end.js"(exports) {
    "use strict";
    function resolveEnd(end, offset, reqSpace, onError) {
      let comment = "";
      if (end) {
        let hasSpace = false;
        let sep = "";
        for (const token of end) {
          const { source, type } = token;
          switch (type) {
            case "space":
              hasSpace = true;
              break;
            case "comment": {
              if (reqSpace && !hasSpace)
                onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
              const cb = source.substring(1) || " ";
              if (!comment)
                comment = cb;
              else
                comment += sep + cb;
              sep = "";
              break;
            }
            case "newline":
              if (comment)
                sep += source;
              hasSpace = true;
              break;
            default:
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
          }
          offset += source.length;
        }
      }
      return { comment, offset };
    }
    exports.resolveEnd = resolveEnd;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-collection.js
var require_resolve_flow_collection = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilMapIncludes = require_util_map_includes();
    var blockMsg = "Block collections are not allowed within flow collections";
    var isBlock = (token) => token && (token.type === "block-map" || token.type === "block-seq");
    function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
      const isMap3 = fc.start.source === "{";
      const fcName = isMap3 ? "flow map" : "flow sequence";
      const NodeClass = tag?.nodeClass ?? (isMap3 ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq);
      const coll = new NodeClass(ctx.schema);
      coll.flow = true;
      const atRoot = ctx.atRoot;
      if (atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = fc.offset + fc.start.source.length;
      for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start: start2, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start2, {
          flow: fcName,
          indicator: "explicit-key-ind",
          next: key ?? sep?.[0],
          offset,
          onError,
          parentIndent: fc.indent,
          startOnNewline: false
        });
        if (!props.found) {
          if (!props.anchor && !props.tag && !sep && !value) {
            if (i === 0 && props.comma)
              onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
            else if (i < fc.items.length - 1)
              onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
            if (props.comment) {
              if (coll.comment)
                coll.comment += "\n" + props.comment;
              else
                coll.comment = props.comment;
            }
            offset = props.end;
            continue;
          }
          if (!isMap3 && ctx.options.strict && utilContainsNewline.containsNewline(key))
            onError(
              key,
              // checked by containsNewline()
              "MULTILINE_IMPLICIT_KEY",
              "Implicit keys of flow sequence pairs need to be on a single line"
            );
        }
        if (i === 0) {
          if (props.comma)
            onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        } else {
          if (!props.comma)
            onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
          if (props.comment) {
            let prevItemComment = "";
            loop: for (const st of start2) {
              switch (st.type) {
                case "comma":
                case "space":
                  break;
                case "comment":
                  prevItemComment = st.source.substring(1);
                  break loop;
                default:
                  break loop;
              }
            }
            if (prevItemComment) {
              let prev = coll.items[coll.items.length - 1];
              if (identity.isPair(prev))
                prev = prev.value ?? prev.key;
              if (prev.comment)
                prev.comment += "\n" + prevItemComment;
              else
                prev.comment = prevItemComment;
              props.comment = props.comment.substring(prevItemComment.length + 1);
            }
          }
        }
        if (!isMap3 && !sep && !props.found) {
          const valueNode = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, sep, null, props, onError);
          coll.items.push(valueNode);
          offset = valueNode.range[2];
          if (isBlock(value))
            onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
        } else {
          ctx.atKey = true;
          const keyStart = props.end;
          const keyNode = key ? composeNode(ctx, key, props, onError) : composeEmptyNode(ctx, keyStart, start2, null, props, onError);
          if (isBlock(key))
            onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
          ctx.atKey = false;
          const valueProps = resolveProps.resolveProps(sep ?? [], {
            flow: fcName,
            indicator: "map-value-ind",
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
          });
          if (valueProps.found) {
            if (!isMap3 && !props.found && ctx.options.strict) {
              if (sep)
                for (const st of sep) {
                  if (st === valueProps.found)
                    break;
                  if (st.type === "newline") {
                    onError(st, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                    break;
                  }
                }
              if (props.start < valueProps.found.offset - 1024)
                onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
            }
          } else if (value) {
            if ("source" in value && value.source?.[0] === ":")
              onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
            else
              onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError) : null;
          if (valueNode) {
            if (isBlock(value))
              onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
          } else if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          if (isMap3) {
            const map = coll;
            if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
              onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
            map.items.push(pair);
          } else {
            const map = new YAMLMap.YAMLMap(ctx.schema);
            map.flow = true;
            map.items.push(pair);
            const endRange = (valueNode ?? keyNode).range;
            map.range = [keyNode.range[0], endRange[1], endRange[2]];
            coll.items.push(map);
          }
          offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
      }
      const expectedEnd = isMap3 ? "}" : "]";
      const [ce, ...ee] = fc.end;
      let cePos = offset;
      if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
      else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
        if (ce && ce.source.length !== 1)
          ee.unshift(ce);
      }
      if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
          if (coll.comment)
            coll.comment += "\n" + end.comment;
          else
            coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
      } else {
        coll.range = [fc.offset, cePos, cePos];
      }
      return coll;
    }
    exports.resolveFlowCollection = resolveFlowCollection;
  }
});

// node_modules/yaml/dist/compose/compose-collection.js
var require_compose_collection = __commonJS({
  "node_modules/yaml/dist/compose/compose-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveBlockMap = require_resolve_block_map();
    var resolveBlockSeq = require_resolve_block_seq();
    var resolveFlowCollection = require_resolve_flow_collection();
    function resolveCollection(CN, ctx, token, onError, tagName, tag) {
      const coll = token.type === "block-map" ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag) : token.type === "block-seq" ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag) : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
      const Coll = coll.constructor;
      if (tagName === "!" || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
      }
      if (tagName)
        coll.tag = tagName;
      return coll;
    }
    function composeCollection(CN, ctx, token, props, onError) {
      const tagToken = props.tag;
      const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
      if (token.type === "block-seq") {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
          const message = "Missing newline after block sequence props";
          onError(lastProp, "MISSING_CHAR", message);
        }
      }
      const expType = token.type === "block-map" ? "map" : token.type === "block-seq" ? "seq" : token.start.source === "{" ? "map" : "seq";
      if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.YAMLSeq.tagName && expType === "seq") {
        return resolveCollection(CN, ctx, token, onError, tagName);
      }
      let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
      if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
          ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
          tag = kt;
        } else {
          if (kt) {
            onError(tagToken, "BAD_COLLECTION_TYPE", `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? "scalar"}`, true);
          } else {
            onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
          }
          return resolveCollection(CN, ctx, token, onError, tagName);
        }
      }
      const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
      const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
      const node = identity.isNode(res) ? res : new Scalar.Scalar(res);
      node.range = coll.range;
      node.tag = tagName;
      if (tag?.format)
        node.format = tag.format;
      return node;
    }
    exports.composeCollection = composeCollection;
  }
});

// node_modules/yaml/dist/compose/resolve-block-scalar.js
var require_resolve_block_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function resolveBlockScalar(ctx, scalar, onError) {
      const start2 = scalar.offset;
      const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
      if (!header)
        return { value: "", type: null, comment: "", range: [start2, start2, start2] };
      const type = header.mode === ">" ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
      const lines = scalar.source ? splitLines(scalar.source) : [];
      let chompStart = lines.length;
      for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === "" || content === "\r")
          chompStart = i;
        else
          break;
      }
      if (chompStart === 0) {
        const value2 = header.chomp === "+" && lines.length > 0 ? "\n".repeat(Math.max(1, lines.length - 1)) : "";
        let end2 = start2 + header.length;
        if (scalar.source)
          end2 += scalar.source.length;
        return { value: value2, type, comment: header.comment, range: [start2, end2, end2] };
      }
      let trimIndent = scalar.indent + header.indent;
      let offset = scalar.offset + header.length;
      let contentStart = 0;
      for (let i = 0; i < chompStart; ++i) {
        const [indent2, content] = lines[i];
        if (content === "" || content === "\r") {
          if (header.indent === 0 && indent2.length > trimIndent)
            trimIndent = indent2.length;
        } else {
          if (indent2.length < trimIndent) {
            const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
            onError(offset + indent2.length, "MISSING_CHAR", message);
          }
          if (header.indent === 0)
            trimIndent = indent2.length;
          contentStart = i;
          if (trimIndent === 0 && !ctx.atRoot) {
            const message = "Block scalar values in collections must be indented";
            onError(offset, "BAD_INDENT", message);
          }
          break;
        }
        offset += indent2.length + content.length + 1;
      }
      for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
          chompStart = i + 1;
      }
      let value = "";
      let sep = "";
      let prevMoreIndented = false;
      for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + "\n";
      for (let i = contentStart; i < chompStart; ++i) {
        let [indent2, content] = lines[i];
        offset += indent2.length + content.length + 1;
        const crlf = content[content.length - 1] === "\r";
        if (crlf)
          content = content.slice(0, -1);
        if (content && indent2.length < trimIndent) {
          const src = header.indent ? "explicit indentation indicator" : "first line";
          const message = `Block scalar lines must not be less indented than their ${src}`;
          onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
          indent2 = "";
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
          value += sep + indent2.slice(trimIndent) + content;
          sep = "\n";
        } else if (indent2.length > trimIndent || content[0] === "	") {
          if (sep === " ")
            sep = "\n";
          else if (!prevMoreIndented && sep === "\n")
            sep = "\n\n";
          value += sep + indent2.slice(trimIndent) + content;
          sep = "\n";
          prevMoreIndented = true;
        } else if (content === "") {
          if (sep === "\n")
            value += "\n";
          else
            sep = "\n";
        } else {
          value += sep + content;
          sep = " ";
          prevMoreIndented = false;
        }
      }
      switch (header.chomp) {
        case "-":
          break;
        case "+":
          for (let i = chompStart; i < lines.length; ++i)
            value += "\n" + lines[i][0].slice(trimIndent);
          if (value[value.length - 1] !== "\n")
            value += "\n";
          break;
        default:
          value += "\n";
      }
      const end = start2 + header.length + scalar.source.length;
      return { value, type, comment: header.comment, range: [start2, end, end] };
    }
    function parseBlockScalarHeader({ offset, props }, strict, onError) {
      if (props[0].type !== "block-scalar-header") {
        onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
        return null;
      }
      const { source } = props[0];
      const mode = source[0];
      let indent2 = 0;
      let chomp = "";
      let error = -1;
      for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === "-" || ch === "+"))
          chomp = ch;
        else {
          const n = Number(ch);
          if (!indent2 && n)
            indent2 = n;
          else if (error === -1)
            error = offset + i;
        }
      }
      if (error !== -1)
        onError(error, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
      let hasSpace = false;
      let comment = "";
      let length = source.length;
      for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
          case "space":
            hasSpace = true;
          // fallthrough
          case "newline":
            length += token.source.length;
            break;
          case "comment":
            if (strict && !hasSpace) {
              const message = "Comments must be separated from other tokens by white space characters";
              onError(token, "MISSING_CHAR", message);
            }
            length += token.source.length;
            comment = token.source.substring(1);
            break;
          case "error":
            onError(token, "UNEXPECTED_TOKEN", token.message);
            length += token.source.length;
            break;
          /* istanbul ignore next should not happen */
          default: {
            const message = `Unexpected token in block scalar header: ${token.type}`;
            onError(token, "UNEXPECTED_TOKEN", message);
            const ts = token.source;
            if (ts && typeof ts === "string")
              length += ts.length;
          }
        }
      }
      return { mode, indent: indent2, chomp, comment, length };
    }
    function splitLines(source) {
      const split2 = source.split(/\n( *)/);
      const first = split2[0];
      const m = first.match(/^( *)/);
      const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
      const lines = [line0];
      for (let i = 1; i < split2.length; i += 2)
        lines.push([split2[i], split2[i + 1]]);
      return lines;
    }
    exports.resolveBlockScalar = resolveBlockScalar;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-scalar.js
var require_resolve_flow_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var resolveEnd = require_resolve_end();
    function resolveFlowScalar(scalar, strict, onError) {
      const { offset, type, source, end } = scalar;
      let _type;
      let value;
      const _onError = (rel, code2, msg) => onError(offset + rel, code2, msg);
      switch (type) {
        case "scalar":
          _type = Scalar.Scalar.PLAIN;
          value = plainValue(source, _onError);
          break;
        case "single-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_SINGLE;
          value = singleQuotedValue(source, _onError);
          break;
        case "double-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_DOUBLE;
          value = doubleQuotedValue(source, _onError);
          break;
        /* istanbul ignore next should not happen */
        default:
          onError(scalar, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
          return {
            value: "",
            type: null,
            comment: "",
            range: [offset, offset + source.length, offset + source.length]
          };
      }
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
      return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
      };
    }
    function plainValue(source, onError) {
      let badChar = "";
      switch (source[0]) {
        /* istanbul ignore next should not happen */
        case "	":
          badChar = "a tab character";
          break;
        case ",":
          badChar = "flow indicator character ,";
          break;
        case "%":
          badChar = "directive indicator character %";
          break;
        case "|":
        case ">": {
          badChar = `block scalar indicator ${source[0]}`;
          break;
        }
        case "@":
        case "`": {
          badChar = `reserved character ${source[0]}`;
          break;
        }
      }
      if (badChar)
        onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
      return unfoldLines(source);
    }
    function singleQuotedValue(source, onError) {
      if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
      return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    }
    function unfoldLines(source) {
      const line = /(.*?)\r?\n/sy;
      let match = line.exec(source);
      if (!match)
        return source;
      let trimEnd, trimBoth;
      try {
        trimEnd = new RegExp("(?<![ 	])[ 	]+$");
        trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
      } catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
      }
      let res = match[1].replace(trimEnd, "");
      let sep = " ";
      let pos = line.lastIndex;
      while (match = line.exec(source)) {
        const lm = match[1].replace(trimBoth, "");
        if (lm === "") {
          if (sep === "\n")
            res += sep;
          else
            sep = "\n";
        } else {
          res += sep + lm;
          sep = " ";
        }
        pos = line.lastIndex;
      }
      const last = /[ \t]*(.*)/sy;
      last.lastIndex = pos;
      match = last.exec(source);
      return res + sep + (match?.[1] ?? "");
    }
    function doubleQuotedValue(source, onError) {
      let res = "";
      for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === "\r" && source[i + 1] === "\n")
          continue;
        if (ch === "\n") {
          const { fold, offset } = foldNewline(source, i);
          res += fold;
          i = offset;
        } else if (ch === "\\") {
          let next = source[++i];
          const cc = escapeCodes[next];
          if (cc)
            res += cc;
          else if (next === "\n") {
            next = source[i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "\r" && source[i + 1] === "\n") {
            next = source[++i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "x" || next === "u" || next === "U") {
            const length = next === "x" ? 2 : next === "u" ? 4 : 8;
            res += parseCharCode(source, i + 1, length, onError);
            i += length;
          } else {
            const raw = source.substr(i - 1, 2);
            onError(i - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
            res += raw;
          }
        } else if (ch === " " || ch === "	") {
          const wsStart = i;
          let next = source[i + 1];
          while (next === " " || next === "	")
            next = source[++i + 1];
          if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n"))
            res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        } else {
          res += ch;
        }
      }
      if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
      return res;
    }
    function foldNewline(source, offset) {
      let fold = "";
      let ch = source[offset + 1];
      while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[offset + 2] !== "\n")
          break;
        if (ch === "\n")
          fold += "\n";
        offset += 1;
        ch = source[offset + 1];
      }
      if (!fold)
        fold = " ";
      return { fold, offset };
    }
    var escapeCodes = {
      "0": "\0",
      // null character
      a: "\x07",
      // bell character
      b: "\b",
      // backspace
      e: "\x1B",
      // escape character
      f: "\f",
      // form feed
      n: "\n",
      // line feed
      r: "\r",
      // carriage return
      t: "	",
      // horizontal tab
      v: "\v",
      // vertical tab
      N: "\x85",
      // Unicode next line
      _: "\xA0",
      // Unicode non-breaking space
      L: "\u2028",
      // Unicode line separator
      P: "\u2029",
      // Unicode paragraph separator
      " ": " ",
      '"': '"',
      "/": "/",
      "\\": "\\",
      "	": "	"
    };
    function parseCharCode(source, offset, length, onError) {
      const cc = source.substr(offset, length);
      const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
      const code2 = ok ? parseInt(cc, 16) : NaN;
      try {
        return String.fromCodePoint(code2);
      } catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        return raw;
      }
    }
    exports.resolveFlowScalar = resolveFlowScalar;
  }
});

// node_modules/yaml/dist/compose/compose-scalar.js
var require_compose_scalar = __commonJS({
  "node_modules/yaml/dist/compose/compose-scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    function composeScalar(ctx, token, tagToken, onError) {
      const { value, type, comment, range } = token.type === "block-scalar" ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError) : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
      const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
      let tag;
      if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
      } else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
      else if (token.type === "scalar")
        tag = findScalarTagByTest(ctx, value, token, onError);
      else
        tag = ctx.schema[identity.SCALAR];
      let scalar;
      try {
        const res = tag.resolve(value, (msg) => onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg);
        scalar = new Scalar.Scalar(value);
      }
      scalar.range = range;
      scalar.source = value;
      if (type)
        scalar.type = type;
      if (tagName)
        scalar.tag = tagName;
      if (tag.format)
        scalar.format = tag.format;
      if (comment)
        scalar.comment = comment;
      return scalar;
    }
    function findScalarTagByName(schema, value, tagName, tagToken, onError) {
      if (tagName === "!")
        return schema[identity.SCALAR];
      const matchWithTest = [];
      for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
          if (tag.default && tag.test)
            matchWithTest.push(tag);
          else
            return tag;
        }
      }
      for (const tag of matchWithTest)
        if (tag.test?.test(value))
          return tag;
      const kt = schema.knownTags[tagName];
      if (kt && !kt.collection) {
        schema.tags.push(Object.assign({}, kt, { default: false, test: void 0 }));
        return kt;
      }
      onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
      return schema[identity.SCALAR];
    }
    function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
      const tag = schema.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema[identity.SCALAR];
      if (schema.compat) {
        const compat = schema.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
          const ts = directives.tagString(tag.tag);
          const cs = directives.tagString(compat.tag);
          const msg = `Value may be parsed as either ${ts} or ${cs}`;
          onError(token, "TAG_RESOLVE_FAILED", msg, true);
        }
      }
      return tag;
    }
    exports.composeScalar = composeScalar;
  }
});

// node_modules/yaml/dist/compose/util-empty-scalar-position.js
var require_util_empty_scalar_position = __commonJS({
  "node_modules/yaml/dist/compose/util-empty-scalar-position.js"(exports) {
    "use strict";
    function emptyScalarPosition(offset, before, pos) {
      if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
          let st = before[i];
          switch (st.type) {
            case "space":
            case "comment":
            case "newline":
              offset -= st.source.length;
              continue;
          }
          st = before[++i];
          while (st?.type === "space") {
            offset += st.source.length;
            st = before[++i];
          }
          break;
        }
      }
      return offset;
    }
    exports.emptyScalarPosition = emptyScalarPosition;
  }
});

// node_modules/yaml/dist/compose/compose-node.js
var require_compose_node = __commonJS({
  "node_modules/yaml/dist/compose/compose-node.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var composeCollection = require_compose_collection();
    var composeScalar = require_compose_scalar();
    var resolveEnd = require_resolve_end();
    var utilEmptyScalarPosition = require_util_empty_scalar_position();
    var CN = { composeNode, composeEmptyNode };
    function composeNode(ctx, token, props, onError) {
      const atKey = ctx.atKey;
      const { spaceBefore, comment, anchor, tag } = props;
      let node;
      let isSrcToken = true;
      switch (token.type) {
        case "alias":
          node = composeAlias(ctx, token, onError);
          if (anchor || tag)
            onError(token, "ALIAS_PROPS", "An alias node must not specify any properties");
          break;
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "block-scalar":
          node = composeScalar.composeScalar(ctx, token, tag, onError);
          if (anchor)
            node.anchor = anchor.source.substring(1);
          break;
        case "block-map":
        case "block-seq":
        case "flow-collection":
          try {
            node = composeCollection.composeCollection(CN, ctx, token, props, onError);
            if (anchor)
              node.anchor = anchor.source.substring(1);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            onError(token, "RESOURCE_EXHAUSTION", message);
          }
          break;
        default: {
          const message = token.type === "error" ? token.message : `Unsupported token (type: ${token.type})`;
          onError(token, "UNEXPECTED_TOKEN", message);
          isSrcToken = false;
        }
      }
      node ?? (node = composeEmptyNode(ctx, token.offset, void 0, null, props, onError));
      if (anchor && node.anchor === "")
        onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      if (atKey && ctx.options.stringKeys && (!identity.isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
        const msg = "With stringKeys, all keys must be strings";
        onError(tag ?? token, "NON_STRING_KEY", msg);
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        if (token.type === "scalar" && token.source === "")
          node.comment = comment;
        else
          node.commentBefore = comment;
      }
      if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
      return node;
    }
    function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
      const token = {
        type: "scalar",
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ""
      };
      const node = composeScalar.composeScalar(ctx, token, tag, onError);
      if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === "")
          onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        node.comment = comment;
        node.range[2] = end;
      }
      return node;
    }
    function composeAlias({ options }, { offset, source, end }, onError) {
      const alias = new Alias.Alias(source.substring(1));
      if (alias.source === "")
        onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
      if (alias.source.endsWith(":"))
        onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
      alias.range = [offset, valueEnd, re.offset];
      if (re.comment)
        alias.comment = re.comment;
      return alias;
    }
    exports.composeEmptyNode = composeEmptyNode;
    exports.composeNode = composeNode;
  }
});

// node_modules/yaml/dist/compose/compose-doc.js
var require_compose_doc = __commonJS({
  "node_modules/yaml/dist/compose/compose-doc.js"(exports) {
    "use strict";
    var Document = require_Document();
    var composeNode = require_compose_node();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    function composeDoc(options, directives, { offset, start: start2, value, end }, onError) {
      const opts = Object.assign({ _directives: directives }, options);
      const doc = new Document.Document(void 0, opts);
      const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
      };
      const props = resolveProps.resolveProps(start2, {
        indicator: "doc-start",
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
      });
      if (props.found) {
        doc.directives.docStart = true;
        if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
          onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
      }
      doc.contents = value ? composeNode.composeNode(ctx, value, props, onError) : composeNode.composeEmptyNode(ctx, props.end, start2, null, props, onError);
      const contentEnd = doc.contents.range[2];
      const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
      if (re.comment)
        doc.comment = re.comment;
      doc.range = [offset, contentEnd, re.offset];
      return doc;
    }
    exports.composeDoc = composeDoc;
  }
});

// node_modules/yaml/dist/compose/composer.js
var require_composer = __commonJS({
  "node_modules/yaml/dist/compose/composer.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var directives = require_directives();
    var Document = require_Document();
    var errors = require_errors();
    var identity = require_identity();
    var composeDoc = require_compose_doc();
    var resolveEnd = require_resolve_end();
    function getErrorPos(src) {
      if (typeof src === "number")
        return [src, src + 1];
      if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
      const { offset, source } = src;
      return [offset, offset + (typeof source === "string" ? source.length : 1)];
    }
    function parsePrelude(prelude) {
      let comment = "";
      let atComment = false;
      let afterEmptyLine = false;
      for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
          case "#":
            comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
            atComment = true;
            afterEmptyLine = false;
            break;
          case "%":
            if (prelude[i + 1]?.[0] !== "#")
              i += 1;
            atComment = false;
            break;
          default:
            if (!atComment)
              afterEmptyLine = true;
            atComment = false;
        }
      }
      return { comment, afterEmptyLine };
    }
    var Composer2 = class {
      constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code2, message, warning) => {
          const pos = getErrorPos(source);
          if (warning)
            this.warnings.push(new errors.YAMLWarning(pos, code2, message));
          else
            this.errors.push(new errors.YAMLParseError(pos, code2, message));
        };
        this.directives = new directives.Directives({ version: options.version || "1.2" });
        this.options = options;
      }
      decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        if (comment) {
          const dc = doc.contents;
          if (afterDoc) {
            doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
          } else if (afterEmptyLine || doc.directives.docStart || !dc) {
            doc.commentBefore = comment;
          } else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
            let it = dc.items[0];
            if (identity.isPair(it))
              it = it.key;
            const cb = it.commentBefore;
            it.commentBefore = cb ? `${comment}
${cb}` : comment;
          } else {
            const cb = dc.commentBefore;
            dc.commentBefore = cb ? `${comment}
${cb}` : comment;
          }
        }
        if (afterDoc) {
          for (let i = 0; i < this.errors.length; ++i)
            doc.errors.push(this.errors[i]);
          for (let i = 0; i < this.warnings.length; ++i)
            doc.warnings.push(this.warnings[i]);
        } else {
          doc.errors = this.errors;
          doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
      }
      /**
       * Current stream status information.
       *
       * Mostly useful at the end of input for an empty stream.
       */
      streamInfo() {
        return {
          comment: parsePrelude(this.prelude).comment,
          directives: this.directives,
          errors: this.errors,
          warnings: this.warnings
        };
      }
      /**
       * Compose tokens into documents.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
          yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
      }
      /** Advance the composer by one CST token. */
      *next(token) {
        if (node_process.env.LOG_STREAM)
          console.dir(token, { depth: null });
        switch (token.type) {
          case "directive":
            this.directives.add(token.source, (offset, message, warning) => {
              const pos = getErrorPos(token);
              pos[0] += offset;
              this.onError(pos, "BAD_DIRECTIVE", message, warning);
            });
            this.prelude.push(token.source);
            this.atDirectives = true;
            break;
          case "document": {
            const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
            if (this.atDirectives && !doc.directives.docStart)
              this.onError(token, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
            this.decorate(doc, false);
            if (this.doc)
              yield this.doc;
            this.doc = doc;
            this.atDirectives = false;
            break;
          }
          case "byte-order-mark":
          case "space":
            break;
          case "comment":
          case "newline":
            this.prelude.push(token.source);
            break;
          case "error": {
            const msg = token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message;
            const error = new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg);
            if (this.atDirectives || !this.doc)
              this.errors.push(error);
            else
              this.doc.errors.push(error);
            break;
          }
          case "doc-end": {
            if (!this.doc) {
              const msg = "Unexpected doc-end without preceding document";
              this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg));
              break;
            }
            this.doc.directives.docEnd = true;
            const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
            this.decorate(this.doc, true);
            if (end.comment) {
              const dc = this.doc.comment;
              this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
            }
            this.doc.range[2] = end.offset;
            break;
          }
          default:
            this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", `Unsupported token ${token.type}`));
        }
      }
      /**
       * Call at end of input to yield any remaining document.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
          this.decorate(this.doc, true);
          yield this.doc;
          this.doc = null;
        } else if (forceDoc) {
          const opts = Object.assign({ _directives: this.directives }, this.options);
          const doc = new Document.Document(void 0, opts);
          if (this.atDirectives)
            this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
          doc.range = [0, endOffset, endOffset];
          this.decorate(doc, false);
          yield doc;
        }
      }
    };
    exports.Composer = Composer2;
  }
});

// node_modules/yaml/dist/parse/cst-scalar.js
var require_cst_scalar = __commonJS({
  "node_modules/yaml/dist/parse/cst-scalar.js"(exports) {
    "use strict";
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    var errors = require_errors();
    var stringifyString = require_stringifyString();
    function resolveAsScalar(token, strict = true, onError) {
      if (token) {
        const _onError = (pos, code2, message) => {
          const offset = typeof pos === "number" ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
          if (onError)
            onError(offset, code2, message);
          else
            throw new errors.YAMLParseError([offset, offset + 1], code2, message);
        };
        switch (token.type) {
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
          case "block-scalar":
            return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
      }
      return null;
    }
    function createScalarToken(value, context) {
      const { implicitKey = false, indent: indent2, inFlow = false, offset = -1, type = "PLAIN" } = context;
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent2 > 0 ? " ".repeat(indent2) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      const end = context.end ?? [
        { type: "newline", offset: -1, indent: indent2, source: "\n" }
      ];
      switch (source[0]) {
        case "|":
        case ">": {
          const he = source.indexOf("\n");
          const head = source.substring(0, he);
          const body = source.substring(he + 1) + "\n";
          const props = [
            { type: "block-scalar-header", offset, indent: indent2, source: head }
          ];
          if (!addEndtoBlockProps(props, end))
            props.push({ type: "newline", offset: -1, indent: indent2, source: "\n" });
          return { type: "block-scalar", offset, indent: indent2, props, source: body };
        }
        case '"':
          return { type: "double-quoted-scalar", offset, indent: indent2, source, end };
        case "'":
          return { type: "single-quoted-scalar", offset, indent: indent2, source, end };
        default:
          return { type: "scalar", offset, indent: indent2, source, end };
      }
    }
    function setScalarValue(token, value, context = {}) {
      let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
      let indent2 = "indent" in token ? token.indent : null;
      if (afterKey && typeof indent2 === "number")
        indent2 += 2;
      if (!type)
        switch (token.type) {
          case "single-quoted-scalar":
            type = "QUOTE_SINGLE";
            break;
          case "double-quoted-scalar":
            type = "QUOTE_DOUBLE";
            break;
          case "block-scalar": {
            const header = token.props[0];
            if (header.type !== "block-scalar-header")
              throw new Error("Invalid block scalar header");
            type = header.source[0] === ">" ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
            break;
          }
          default:
            type = "PLAIN";
        }
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent2 === null,
        indent: indent2 !== null && indent2 > 0 ? " ".repeat(indent2) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      switch (source[0]) {
        case "|":
        case ">":
          setBlockScalarValue(token, source);
          break;
        case '"':
          setFlowScalarValue(token, source, "double-quoted-scalar");
          break;
        case "'":
          setFlowScalarValue(token, source, "single-quoted-scalar");
          break;
        default:
          setFlowScalarValue(token, source, "scalar");
      }
    }
    function setBlockScalarValue(token, source) {
      const he = source.indexOf("\n");
      const head = source.substring(0, he);
      const body = source.substring(he + 1) + "\n";
      if (token.type === "block-scalar") {
        const header = token.props[0];
        if (header.type !== "block-scalar-header")
          throw new Error("Invalid block scalar header");
        header.source = head;
        token.source = body;
      } else {
        const { offset } = token;
        const indent2 = "indent" in token ? token.indent : -1;
        const props = [
          { type: "block-scalar-header", offset, indent: indent2, source: head }
        ];
        if (!addEndtoBlockProps(props, "end" in token ? token.end : void 0))
          props.push({ type: "newline", offset: -1, indent: indent2, source: "\n" });
        for (const key of Object.keys(token))
          if (key !== "type" && key !== "offset")
            delete token[key];
        Object.assign(token, { type: "block-scalar", indent: indent2, props, source: body });
      }
    }
    function addEndtoBlockProps(props, end) {
      if (end)
        for (const st of end)
          switch (st.type) {
            case "space":
            case "comment":
              props.push(st);
              break;
            case "newline":
              props.push(st);
              return true;
          }
      return false;
    }
    function setFlowScalarValue(token, source, type) {
      switch (token.type) {
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          token.type = type;
          token.source = source;
          break;
        case "block-scalar": {
          const end = token.props.slice(1);
          let oa = source.length;
          if (token.props[0].type === "block-scalar-header")
            oa -= token.props[0].source.length;
          for (const tok of end)
            tok.offset += oa;
          delete token.props;
          Object.assign(token, { type, source, end });
          break;
        }
        case "block-map":
        case "block-seq": {
          const offset = token.offset + source.length;
          const nl = { type: "newline", offset, indent: token.indent, source: "\n" };
          delete token.items;
          Object.assign(token, { type, source, end: [nl] });
          break;
        }
        default: {
          const indent2 = "indent" in token ? token.indent : -1;
          const end = "end" in token && Array.isArray(token.end) ? token.end.filter((st) => st.type === "space" || st.type === "comment" || st.type === "newline") : [];
          for (const key of Object.keys(token))
            if (key !== "type" && key !== "offset")
              delete token[key];
          Object.assign(token, { type, indent: indent2, source, end });
        }
      }
    }
    exports.createScalarToken = createScalarToken;
    exports.resolveAsScalar = resolveAsScalar;
    exports.setScalarValue = setScalarValue;
  }
});

// node_modules/yaml/dist/parse/cst-stringify.js
var require_cst_stringify = __commonJS({
  "node_modules/yaml/dist/parse/cst-stringify.js"(exports) {
    "use strict";
    var stringify = (cst) => "type" in cst ? stringifyToken(cst) : stringifyItem(cst);
    function stringifyToken(token) {
      switch (token.type) {
        case "block-scalar": {
          let res = "";
          for (const tok of token.props)
            res += stringifyToken(tok);
          return res + token.source;
        }
        case "block-map":
        case "block-seq": {
          let res = "";
          for (const item of token.items)
            res += stringifyItem(item);
          return res;
        }
        case "flow-collection": {
          let res = token.start.source;
          for (const item of token.items)
            res += stringifyItem(item);
          for (const st of token.end)
            res += st.source;
          return res;
        }
        case "document": {
          let res = stringifyItem(token);
          if (token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
        default: {
          let res = token.source;
          if ("end" in token && token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
      }
    }
    function stringifyItem({ start: start2, key, sep, value }) {
      let res = "";
      for (const st of start2)
        res += st.source;
      if (key)
        res += stringifyToken(key);
      if (sep)
        for (const st of sep)
          res += st.source;
      if (value)
        res += stringifyToken(value);
      return res;
    }
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/parse/cst-visit.js
var require_cst_visit = __commonJS({
  "node_modules/yaml/dist/parse/cst-visit.js"(exports) {
    "use strict";
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove item");
    function visit(cst, visitor) {
      if ("type" in cst && cst.type === "document")
        cst = { start: cst.start, value: cst.value };
      _visit(Object.freeze([]), cst, visitor);
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    visit.itemAtPath = (cst, path17) => {
      let item = cst;
      for (const [field, index] of path17) {
        const tok = item?.[field];
        if (tok && "items" in tok) {
          item = tok.items[index];
        } else
          return void 0;
      }
      return item;
    };
    visit.parentCollection = (cst, path17) => {
      const parent = visit.itemAtPath(cst, path17.slice(0, -1));
      const field = path17[path17.length - 1][0];
      const coll = parent?.[field];
      if (coll && "items" in coll)
        return coll;
      throw new Error("Parent collection not found");
    };
    function _visit(path17, item, visitor) {
      let ctrl = visitor(item, path17);
      if (typeof ctrl === "symbol")
        return ctrl;
      for (const field of ["key", "value"]) {
        const token = item[field];
        if (token && "items" in token) {
          for (let i = 0; i < token.items.length; ++i) {
            const ci = _visit(Object.freeze(path17.concat([[field, i]])), token.items[i], visitor);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              token.items.splice(i, 1);
              i -= 1;
            }
          }
          if (typeof ctrl === "function" && field === "key")
            ctrl = ctrl(item, path17);
        }
      }
      return typeof ctrl === "function" ? ctrl(item, path17) : ctrl;
    }
    exports.visit = visit;
  }
});

// node_modules/yaml/dist/parse/cst.js
var require_cst = __commonJS({
  "node_modules/yaml/dist/parse/cst.js"(exports) {
    "use strict";
    var cstScalar = require_cst_scalar();
    var cstStringify = require_cst_stringify();
    var cstVisit = require_cst_visit();
    var BOM = "\uFEFF";
    var DOCUMENT = "";
    var FLOW_END = "";
    var SCALAR = "";
    var isCollection2 = (token) => !!token && "items" in token;
    var isScalar3 = (token) => !!token && (token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar" || token.type === "block-scalar");
    function prettyToken(token) {
      switch (token) {
        case BOM:
          return "<BOM>";
        case DOCUMENT:
          return "<DOC>";
        case FLOW_END:
          return "<FLOW_END>";
        case SCALAR:
          return "<SCALAR>";
        default:
          return JSON.stringify(token);
      }
    }
    function tokenType(source) {
      switch (source) {
        case BOM:
          return "byte-order-mark";
        case DOCUMENT:
          return "doc-mode";
        case FLOW_END:
          return "flow-error-end";
        case SCALAR:
          return "scalar";
        case "---":
          return "doc-start";
        case "...":
          return "doc-end";
        case "":
        case "\n":
        case "\r\n":
          return "newline";
        case "-":
          return "seq-item-ind";
        case "?":
          return "explicit-key-ind";
        case ":":
          return "map-value-ind";
        case "{":
          return "flow-map-start";
        case "}":
          return "flow-map-end";
        case "[":
          return "flow-seq-start";
        case "]":
          return "flow-seq-end";
        case ",":
          return "comma";
      }
      switch (source[0]) {
        case " ":
        case "	":
          return "space";
        case "#":
          return "comment";
        case "%":
          return "directive-line";
        case "*":
          return "alias";
        case "&":
          return "anchor";
        case "!":
          return "tag";
        case "'":
          return "single-quoted-scalar";
        case '"':
          return "double-quoted-scalar";
        case "|":
        case ">":
          return "block-scalar-header";
      }
      return null;
    }
    exports.createScalarToken = cstScalar.createScalarToken;
    exports.resolveAsScalar = cstScalar.resolveAsScalar;
    exports.setScalarValue = cstScalar.setScalarValue;
    exports.stringify = cstStringify.stringify;
    exports.visit = cstVisit.visit;
    exports.BOM = BOM;
    exports.DOCUMENT = DOCUMENT;
    exports.FLOW_END = FLOW_END;
    exports.SCALAR = SCALAR;
    exports.isCollection = isCollection2;
    exports.isScalar = isScalar3;
    exports.prettyToken = prettyToken;
    exports.tokenType = tokenType;
  }
});

// node_modules/yaml/dist/parse/lexer.js
var require_lexer = __commonJS({
  "node_modules/yaml/dist/parse/lexer.js"(exports) {
    "use strict";
    var cst = require_cst();
    function isEmpty2(ch) {
      switch (ch) {
        case void 0:
        case " ":
        case "\n":
        case "\r":
        case "	":
          return true;
        default:
          return false;
      }
    }
    var hexDigits = new Set("0123456789ABCDEFabcdef");
    var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
    var flowIndicatorChars = new Set(",[]{}");
    var invalidAnchorChars = new Set(" ,[]{}\n\r	");
    var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
    var Lexer2 = class {
      constructor() {
        this.atEnd = false;
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        this.buffer = "";
        this.flowKey = false;
        this.flowLevel = 0;
        this.indentNext = 0;
        this.indentValue = 0;
        this.lineEndPos = null;
        this.next = null;
        this.pos = 0;
      }
      /**
       * Generate YAML tokens from the `source` string. If `incomplete`,
       * a part of the last line may be left as a buffer for the next call.
       *
       * @returns A generator of lexical tokens
       */
      *lex(source, incomplete = false) {
        if (source) {
          if (typeof source !== "string")
            throw TypeError("source is not a string");
          this.buffer = this.buffer ? this.buffer + source : source;
          this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? "stream";
        while (next && (incomplete || this.hasChars(1)))
          next = yield* this.parseNext(next);
      }
      atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === " " || ch === "	")
          ch = this.buffer[++i];
        if (!ch || ch === "#" || ch === "\n")
          return true;
        if (ch === "\r")
          return this.buffer[i + 1] === "\n";
        return false;
      }
      charAt(n) {
        return this.buffer[this.pos + n];
      }
      continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
          let indent2 = 0;
          while (ch === " ")
            ch = this.buffer[++indent2 + offset];
          if (ch === "\r") {
            const next = this.buffer[indent2 + offset + 1];
            if (next === "\n" || !next && !this.atEnd)
              return offset + indent2 + 1;
          }
          return ch === "\n" || indent2 >= this.indentNext || !ch && !this.atEnd ? offset + indent2 : -1;
        }
        if (ch === "-" || ch === ".") {
          const dt = this.buffer.substr(offset, 3);
          if ((dt === "---" || dt === "...") && isEmpty2(this.buffer[offset + 3]))
            return -1;
        }
        return offset;
      }
      getLine() {
        let end = this.lineEndPos;
        if (typeof end !== "number" || end !== -1 && end < this.pos) {
          end = this.buffer.indexOf("\n", this.pos);
          this.lineEndPos = end;
        }
        if (end === -1)
          return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === "\r")
          end -= 1;
        return this.buffer.substring(this.pos, end);
      }
      hasChars(n) {
        return this.pos + n <= this.buffer.length;
      }
      setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
      }
      peek(n) {
        return this.buffer.substr(this.pos, n);
      }
      *parseNext(next) {
        switch (next) {
          case "stream":
            return yield* this.parseStream();
          case "line-start":
            return yield* this.parseLineStart();
          case "block-start":
            return yield* this.parseBlockStart();
          case "doc":
            return yield* this.parseDocument();
          case "flow":
            return yield* this.parseFlowCollection();
          case "quoted-scalar":
            return yield* this.parseQuotedScalar();
          case "block-scalar":
            return yield* this.parseBlockScalar();
          case "plain-scalar":
            return yield* this.parsePlainScalar();
        }
      }
      *parseStream() {
        let line = this.getLine();
        if (line === null)
          return this.setNext("stream");
        if (line[0] === cst.BOM) {
          yield* this.pushCount(1);
          line = line.substring(1);
        }
        if (line[0] === "%") {
          let dirEnd = line.length;
          let cs = line.indexOf("#");
          while (cs !== -1) {
            const ch = line[cs - 1];
            if (ch === " " || ch === "	") {
              dirEnd = cs - 1;
              break;
            } else {
              cs = line.indexOf("#", cs + 1);
            }
          }
          while (true) {
            const ch = line[dirEnd - 1];
            if (ch === " " || ch === "	")
              dirEnd -= 1;
            else
              break;
          }
          const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
          yield* this.pushCount(line.length - n);
          this.pushNewline();
          return "stream";
        }
        if (this.atLineEnd()) {
          const sp = yield* this.pushSpaces(true);
          yield* this.pushCount(line.length - sp);
          yield* this.pushNewline();
          return "stream";
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
      }
      *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
          return this.setNext("line-start");
        if (ch === "-" || ch === ".") {
          if (!this.atEnd && !this.hasChars(4))
            return this.setNext("line-start");
          const s = this.peek(3);
          if ((s === "---" || s === "...") && isEmpty2(this.charAt(3))) {
            yield* this.pushCount(3);
            this.indentValue = 0;
            this.indentNext = 0;
            return s === "---" ? "doc" : "stream";
          }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty2(this.charAt(1)))
          this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
      }
      *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
          return this.setNext("block-start");
        if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty2(ch1)) {
          const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
          this.indentNext = this.indentValue + 1;
          this.indentValue += n;
          return "block-start";
        }
        return "doc";
      }
      *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
          return this.setNext("doc");
        let n = yield* this.pushIndicators();
        switch (line[n]) {
          case "#":
            yield* this.pushCount(line.length - n);
          // fallthrough
          case void 0:
            yield* this.pushNewline();
            return yield* this.parseLineStart();
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel = 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            return "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "doc";
          case '"':
          case "'":
            return yield* this.parseQuotedScalar();
          case "|":
          case ">":
            n += yield* this.parseBlockScalarHeader();
            n += yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - n);
            yield* this.pushNewline();
            return yield* this.parseBlockScalar();
          default:
            return yield* this.parsePlainScalar();
        }
      }
      *parseFlowCollection() {
        let nl, sp;
        let indent2 = -1;
        do {
          nl = yield* this.pushNewline();
          if (nl > 0) {
            sp = yield* this.pushSpaces(false);
            this.indentValue = indent2 = sp;
          } else {
            sp = 0;
          }
          sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
          return this.setNext("flow");
        if (indent2 !== -1 && indent2 < this.indentNext && line[0] !== "#" || indent2 === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty2(line[3])) {
          const atFlowEndMarker = indent2 === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
          if (!atFlowEndMarker) {
            this.flowLevel = 0;
            yield cst.FLOW_END;
            return yield* this.parseLineStart();
          }
        }
        let n = 0;
        while (line[n] === ",") {
          n += yield* this.pushCount(1);
          n += yield* this.pushSpaces(true);
          this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
          case void 0:
            return "flow";
          case "#":
            yield* this.pushCount(line.length - n);
            return "flow";
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel += 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            this.flowKey = true;
            this.flowLevel -= 1;
            return this.flowLevel ? "flow" : "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "flow";
          case '"':
          case "'":
            this.flowKey = true;
            return yield* this.parseQuotedScalar();
          case ":": {
            const next = this.charAt(1);
            if (this.flowKey || isEmpty2(next) || next === ",") {
              this.flowKey = false;
              yield* this.pushCount(1);
              yield* this.pushSpaces(true);
              return "flow";
            }
          }
          // fallthrough
          default:
            this.flowKey = false;
            return yield* this.parsePlainScalar();
        }
      }
      *parseQuotedScalar() {
        const quote3 = this.charAt(0);
        let end = this.buffer.indexOf(quote3, this.pos + 1);
        if (quote3 === "'") {
          while (end !== -1 && this.buffer[end + 1] === "'")
            end = this.buffer.indexOf("'", end + 2);
        } else {
          while (end !== -1) {
            let n = 0;
            while (this.buffer[end - 1 - n] === "\\")
              n += 1;
            if (n % 2 === 0)
              break;
            end = this.buffer.indexOf('"', end + 1);
          }
        }
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf("\n", this.pos);
        if (nl !== -1) {
          while (nl !== -1) {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = qb.indexOf("\n", cs);
          }
          if (nl !== -1) {
            end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
          }
        }
        if (end === -1) {
          if (!this.atEnd)
            return this.setNext("quoted-scalar");
          end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? "flow" : "doc";
      }
      *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
          const ch = this.buffer[++i];
          if (ch === "+")
            this.blockScalarKeep = true;
          else if (ch > "0" && ch <= "9")
            this.blockScalarIndent = Number(ch) - 1;
          else if (ch !== "-")
            break;
        }
        return yield* this.pushUntil((ch) => isEmpty2(ch) || ch === "#");
      }
      *parseBlockScalar() {
        let nl = this.pos - 1;
        let indent2 = 0;
        let ch;
        loop: for (let i2 = this.pos; ch = this.buffer[i2]; ++i2) {
          switch (ch) {
            case " ":
              indent2 += 1;
              break;
            case "\n":
              nl = i2;
              indent2 = 0;
              break;
            case "\r": {
              const next = this.buffer[i2 + 1];
              if (!next && !this.atEnd)
                return this.setNext("block-scalar");
              if (next === "\n")
                break;
            }
            // fallthrough
            default:
              break loop;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("block-scalar");
        if (indent2 >= this.indentNext) {
          if (this.blockScalarIndent === -1)
            this.indentNext = indent2;
          else {
            this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
          }
          do {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = this.buffer.indexOf("\n", cs);
          } while (nl !== -1);
          if (nl === -1) {
            if (!this.atEnd)
              return this.setNext("block-scalar");
            nl = this.buffer.length;
          }
        }
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === " ")
          ch = this.buffer[++i];
        if (ch === "	") {
          while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
            ch = this.buffer[++i];
          nl = i - 1;
        } else if (!this.blockScalarKeep) {
          do {
            let i2 = nl - 1;
            let ch2 = this.buffer[i2];
            if (ch2 === "\r")
              ch2 = this.buffer[--i2];
            const lastChar = i2;
            while (ch2 === " ")
              ch2 = this.buffer[--i2];
            if (ch2 === "\n" && i2 >= this.pos && i2 + 1 + indent2 > lastChar)
              nl = i2;
            else
              break;
          } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
      }
      *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while (ch = this.buffer[++i]) {
          if (ch === ":") {
            const next = this.buffer[i + 1];
            if (isEmpty2(next) || inFlow && flowIndicatorChars.has(next))
              break;
            end = i;
          } else if (isEmpty2(ch)) {
            let next = this.buffer[i + 1];
            if (ch === "\r") {
              if (next === "\n") {
                i += 1;
                ch = "\n";
                next = this.buffer[i + 1];
              } else
                end = i;
            }
            if (next === "#" || inFlow && flowIndicatorChars.has(next))
              break;
            if (ch === "\n") {
              const cs = this.continueScalar(i + 1);
              if (cs === -1)
                break;
              i = Math.max(i, cs - 2);
            }
          } else {
            if (inFlow && flowIndicatorChars.has(ch))
              break;
            end = i;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("plain-scalar");
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? "flow" : "doc";
      }
      *pushCount(n) {
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos += n;
          return n;
        }
        return 0;
      }
      *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
          yield s;
          this.pos += s.length;
          return s.length;
        } else if (allowEmpty)
          yield "";
        return 0;
      }
      *pushIndicators() {
        let n = 0;
        loop: while (true) {
          switch (this.charAt(0)) {
            case "!":
              n += yield* this.pushTag();
              n += yield* this.pushSpaces(true);
              continue loop;
            case "&":
              n += yield* this.pushUntil(isNotAnchorChar);
              n += yield* this.pushSpaces(true);
              continue loop;
            case "-":
            // this is an error
            case "?":
            // this is an error outside flow collections
            case ":": {
              const inFlow = this.flowLevel > 0;
              const ch1 = this.charAt(1);
              if (isEmpty2(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
                if (!inFlow)
                  this.indentNext = this.indentValue + 1;
                else if (this.flowKey)
                  this.flowKey = false;
                n += yield* this.pushCount(1);
                n += yield* this.pushSpaces(true);
                continue loop;
              }
            }
          }
          break loop;
        }
        return n;
      }
      *pushTag() {
        if (this.charAt(1) === "<") {
          let i = this.pos + 2;
          let ch = this.buffer[i];
          while (!isEmpty2(ch) && ch !== ">")
            ch = this.buffer[++i];
          return yield* this.pushToIndex(ch === ">" ? i + 1 : i, false);
        } else {
          let i = this.pos + 1;
          let ch = this.buffer[i];
          while (ch) {
            if (tagChars.has(ch))
              ch = this.buffer[++i];
            else if (ch === "%" && hexDigits.has(this.buffer[i + 1]) && hexDigits.has(this.buffer[i + 2])) {
              ch = this.buffer[i += 3];
            } else
              break;
          }
          return yield* this.pushToIndex(i, false);
        }
      }
      *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === "\n")
          return yield* this.pushCount(1);
        else if (ch === "\r" && this.charAt(1) === "\n")
          return yield* this.pushCount(2);
        else
          return 0;
      }
      *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
          ch = this.buffer[++i];
        } while (ch === " " || allowTabs && ch === "	");
        const n = i - this.pos;
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos = i;
        }
        return n;
      }
      *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
          ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
      }
    };
    exports.Lexer = Lexer2;
  }
});

// node_modules/yaml/dist/parse/line-counter.js
var require_line_counter = __commonJS({
  "node_modules/yaml/dist/parse/line-counter.js"(exports) {
    "use strict";
    var LineCounter2 = class {
      constructor() {
        this.lineStarts = [];
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        this.linePos = (offset) => {
          let low = 0;
          let high = this.lineStarts.length;
          while (low < high) {
            const mid = low + high >> 1;
            if (this.lineStarts[mid] < offset)
              low = mid + 1;
            else
              high = mid;
          }
          if (this.lineStarts[low] === offset)
            return { line: low + 1, col: 1 };
          if (low === 0)
            return { line: 0, col: offset };
          const start2 = this.lineStarts[low - 1];
          return { line: low, col: offset - start2 + 1 };
        };
      }
    };
    exports.LineCounter = LineCounter2;
  }
});

// node_modules/yaml/dist/parse/parser.js
var require_parser = __commonJS({
  "node_modules/yaml/dist/parse/parser.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var cst = require_cst();
    var lexer = require_lexer();
    function includesToken(list2, type) {
      for (let i = 0; i < list2.length; ++i)
        if (list2[i].type === type)
          return true;
      return false;
    }
    function findNonEmptyIndex(list2) {
      for (let i = 0; i < list2.length; ++i) {
        switch (list2[i].type) {
          case "space":
          case "comment":
          case "newline":
            break;
          default:
            return i;
        }
      }
      return -1;
    }
    function isFlowToken(token) {
      switch (token?.type) {
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "flow-collection":
          return true;
        default:
          return false;
      }
    }
    function getPrevProps(parent) {
      switch (parent.type) {
        case "document":
          return parent.start;
        case "block-map": {
          const it = parent.items[parent.items.length - 1];
          return it.sep ?? it.start;
        }
        case "block-seq":
          return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
          return [];
      }
    }
    function getFirstKeyStartProps(prev) {
      if (prev.length === 0)
        return [];
      let i = prev.length;
      loop: while (--i >= 0) {
        switch (prev[i].type) {
          case "doc-start":
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
          case "newline":
            break loop;
        }
      }
      while (prev[++i]?.type === "space") {
      }
      return prev.splice(i, prev.length);
    }
    function arrayPushArray(target, source) {
      if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
      else
        for (let i = 0; i < source.length; ++i)
          target.push(source[i]);
    }
    function fixFlowSeqItems(fc) {
      if (fc.start.type === "flow-seq-start") {
        for (const it of fc.items) {
          if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
            if (it.key)
              it.value = it.key;
            delete it.key;
            if (isFlowToken(it.value)) {
              if (it.value.end)
                arrayPushArray(it.value.end, it.sep);
              else
                it.value.end = it.sep;
            } else
              arrayPushArray(it.start, it.sep);
            delete it.sep;
          }
        }
      }
    }
    var Parser3 = class {
      /**
       * @param onNewLine - If defined, called separately with the start position of
       *   each new line (in `parse()`, including the start of input).
       */
      constructor(onNewLine) {
        this.atNewLine = true;
        this.atScalar = false;
        this.indent = 0;
        this.offset = 0;
        this.onKeyLine = false;
        this.stack = [];
        this.source = "";
        this.type = "";
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
      }
      /**
       * Parse `source` as a YAML stream.
       * If `incomplete`, a part of the last line may be left as a buffer for the next call.
       *
       * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
       *
       * @returns A generator of tokens representing each directive, document, and other structure.
       */
      *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
          this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
          yield* this.next(lexeme);
        if (!incomplete)
          yield* this.end();
      }
      /**
       * Advance the parser by the `source` of one lexical token.
       */
      *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
          console.log("|", cst.prettyToken(source));
        if (this.atScalar) {
          this.atScalar = false;
          yield* this.step();
          this.offset += source.length;
          return;
        }
        const type = cst.tokenType(source);
        if (!type) {
          const message = `Not a YAML token: ${source}`;
          yield* this.pop({ type: "error", offset: this.offset, message, source });
          this.offset += source.length;
        } else if (type === "scalar") {
          this.atNewLine = false;
          this.atScalar = true;
          this.type = "scalar";
        } else {
          this.type = type;
          yield* this.step();
          switch (type) {
            case "newline":
              this.atNewLine = true;
              this.indent = 0;
              if (this.onNewLine)
                this.onNewLine(this.offset + source.length);
              break;
            case "space":
              if (this.atNewLine && source[0] === " ")
                this.indent += source.length;
              break;
            case "explicit-key-ind":
            case "map-value-ind":
            case "seq-item-ind":
              if (this.atNewLine)
                this.indent += source.length;
              break;
            case "doc-mode":
            case "flow-error-end":
              return;
            default:
              this.atNewLine = false;
          }
          this.offset += source.length;
        }
      }
      /** Call at end of input to push out any remaining constructions */
      *end() {
        while (this.stack.length > 0)
          yield* this.pop();
      }
      get sourceToken() {
        const st = {
          type: this.type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
        return st;
      }
      *step() {
        const top = this.peek(1);
        if (this.type === "doc-end" && top?.type !== "doc-end") {
          while (this.stack.length > 0)
            yield* this.pop();
          this.stack.push({
            type: "doc-end",
            offset: this.offset,
            source: this.source
          });
          return;
        }
        if (!top)
          return yield* this.stream();
        switch (top.type) {
          case "document":
            return yield* this.document(top);
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return yield* this.scalar(top);
          case "block-scalar":
            return yield* this.blockScalar(top);
          case "block-map":
            return yield* this.blockMap(top);
          case "block-seq":
            return yield* this.blockSequence(top);
          case "flow-collection":
            return yield* this.flowCollection(top);
          case "doc-end":
            return yield* this.documentEnd(top);
        }
        yield* this.pop();
      }
      peek(n) {
        return this.stack[this.stack.length - n];
      }
      *pop(error) {
        const token = error ?? this.stack.pop();
        if (!token) {
          const message = "Tried to pop an empty stack";
          yield { type: "error", offset: this.offset, source: "", message };
        } else if (this.stack.length === 0) {
          yield token;
        } else {
          const top = this.peek(1);
          if (token.type === "block-scalar") {
            token.indent = "indent" in top ? top.indent : 0;
          } else if (token.type === "flow-collection" && top.type === "document") {
            token.indent = 0;
          }
          if (token.type === "flow-collection")
            fixFlowSeqItems(token);
          switch (top.type) {
            case "document":
              top.value = token;
              break;
            case "block-scalar":
              top.props.push(token);
              break;
            case "block-map": {
              const it = top.items[top.items.length - 1];
              if (it.value) {
                top.items.push({ start: [], key: token, sep: [] });
                this.onKeyLine = true;
                return;
              } else if (it.sep) {
                it.value = token;
              } else {
                Object.assign(it, { key: token, sep: [] });
                this.onKeyLine = !it.explicitKey;
                return;
              }
              break;
            }
            case "block-seq": {
              const it = top.items[top.items.length - 1];
              if (it.value)
                top.items.push({ start: [], value: token });
              else
                it.value = token;
              break;
            }
            case "flow-collection": {
              const it = top.items[top.items.length - 1];
              if (!it || it.value)
                top.items.push({ start: [], key: token, sep: [] });
              else if (it.sep)
                it.value = token;
              else
                Object.assign(it, { key: token, sep: [] });
              return;
            }
            /* istanbul ignore next should not happen */
            default:
              yield* this.pop();
              yield* this.pop(token);
          }
          if ((top.type === "document" || top.type === "block-map" || top.type === "block-seq") && (token.type === "block-map" || token.type === "block-seq")) {
            const last = token.items[token.items.length - 1];
            if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token.indent === 0 || last.start.every((st) => st.type !== "comment" || st.indent < token.indent))) {
              if (top.type === "document")
                top.end = last.start;
              else
                top.items.push({ start: last.start });
              token.items.splice(-1, 1);
            }
          }
        }
      }
      *stream() {
        switch (this.type) {
          case "directive-line":
            yield { type: "directive", offset: this.offset, source: this.source };
            return;
          case "byte-order-mark":
          case "space":
          case "comment":
          case "newline":
            yield this.sourceToken;
            return;
          case "doc-mode":
          case "doc-start": {
            const doc = {
              type: "document",
              offset: this.offset,
              start: []
            };
            if (this.type === "doc-start")
              doc.start.push(this.sourceToken);
            this.stack.push(doc);
            return;
          }
        }
        yield {
          type: "error",
          offset: this.offset,
          message: `Unexpected ${this.type} token in YAML stream`,
          source: this.source
        };
      }
      *document(doc) {
        if (doc.value)
          return yield* this.lineEnd(doc);
        switch (this.type) {
          case "doc-start": {
            if (findNonEmptyIndex(doc.start) !== -1) {
              yield* this.pop();
              yield* this.step();
            } else
              doc.start.push(this.sourceToken);
            return;
          }
          case "anchor":
          case "tag":
          case "space":
          case "comment":
          case "newline":
            doc.start.push(this.sourceToken);
            return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
          this.stack.push(bv);
        else {
          yield {
            type: "error",
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML document`,
            source: this.source
          };
        }
      }
      *scalar(scalar) {
        if (this.type === "map-value-ind") {
          const prev = getPrevProps(this.peek(2));
          const start2 = getFirstKeyStartProps(prev);
          let sep;
          if (scalar.end) {
            sep = scalar.end;
            sep.push(this.sourceToken);
            delete scalar.end;
          } else
            sep = [this.sourceToken];
          const map = {
            type: "block-map",
            offset: scalar.offset,
            indent: scalar.indent,
            items: [{ start: start2, key: scalar, sep }]
          };
          this.onKeyLine = true;
          this.stack[this.stack.length - 1] = map;
        } else
          yield* this.lineEnd(scalar);
      }
      *blockScalar(scalar) {
        switch (this.type) {
          case "space":
          case "comment":
          case "newline":
            scalar.props.push(this.sourceToken);
            return;
          case "scalar":
            scalar.source = this.source;
            this.atNewLine = true;
            this.indent = 0;
            if (this.onNewLine) {
              let nl = this.source.indexOf("\n") + 1;
              while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf("\n", nl) + 1;
              }
            }
            yield* this.pop();
            break;
          /* istanbul ignore next should not happen */
          default:
            yield* this.pop();
            yield* this.step();
        }
      }
      *blockMap(map) {
        const it = map.items[map.items.length - 1];
        switch (this.type) {
          case "newline":
            this.onKeyLine = false;
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              it.start.push(this.sourceToken);
            }
            return;
          case "space":
          case "comment":
            if (it.value) {
              map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              if (this.atIndentedComment(it.start, map.indent)) {
                const prev = map.items[map.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  map.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
        }
        if (this.indent >= map.indent) {
          const atMapIndent = !this.onKeyLine && this.indent === map.indent;
          const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== "seq-item-ind";
          let start2 = [];
          if (atNextItem && it.sep && !it.value) {
            const nl = [];
            for (let i = 0; i < it.sep.length; ++i) {
              const st = it.sep[i];
              switch (st.type) {
                case "newline":
                  nl.push(i);
                  break;
                case "space":
                  break;
                case "comment":
                  if (st.indent > map.indent)
                    nl.length = 0;
                  break;
                default:
                  nl.length = 0;
              }
            }
            if (nl.length >= 2)
              start2 = it.sep.splice(nl[1]);
          }
          switch (this.type) {
            case "anchor":
            case "tag":
              if (atNextItem || it.value) {
                start2.push(this.sourceToken);
                map.items.push({ start: start2 });
                this.onKeyLine = true;
              } else if (it.sep) {
                it.sep.push(this.sourceToken);
              } else {
                it.start.push(this.sourceToken);
              }
              return;
            case "explicit-key-ind":
              if (!it.sep && !it.explicitKey) {
                it.start.push(this.sourceToken);
                it.explicitKey = true;
              } else if (atNextItem || it.value) {
                start2.push(this.sourceToken);
                map.items.push({ start: start2, explicitKey: true });
              } else {
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: [this.sourceToken], explicitKey: true }]
                });
              }
              this.onKeyLine = true;
              return;
            case "map-value-ind":
              if (it.explicitKey) {
                if (!it.sep) {
                  if (includesToken(it.start, "newline")) {
                    Object.assign(it, { key: null, sep: [this.sourceToken] });
                  } else {
                    const start3 = getFirstKeyStartProps(it.start);
                    this.stack.push({
                      type: "block-map",
                      offset: this.offset,
                      indent: this.indent,
                      items: [{ start: start3, key: null, sep: [this.sourceToken] }]
                    });
                  }
                } else if (it.value) {
                  map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                  });
                } else if (isFlowToken(it.key) && !includesToken(it.sep, "newline")) {
                  const start3 = getFirstKeyStartProps(it.start);
                  const key = it.key;
                  const sep = it.sep;
                  sep.push(this.sourceToken);
                  delete it.key;
                  delete it.sep;
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start3, key, sep }]
                  });
                } else if (start2.length > 0) {
                  it.sep = it.sep.concat(start2, this.sourceToken);
                } else {
                  it.sep.push(this.sourceToken);
                }
              } else {
                if (!it.sep) {
                  Object.assign(it, { key: null, sep: [this.sourceToken] });
                } else if (it.value || atNextItem) {
                  map.items.push({ start: start2, key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [], key: null, sep: [this.sourceToken] }]
                  });
                } else {
                  it.sep.push(this.sourceToken);
                }
              }
              this.onKeyLine = true;
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (atNextItem || it.value) {
                map.items.push({ start: start2, key: fs, sep: [] });
                this.onKeyLine = true;
              } else if (it.sep) {
                this.stack.push(fs);
              } else {
                Object.assign(it, { key: fs, sep: [] });
                this.onKeyLine = true;
              }
              return;
            }
            default: {
              const bv = this.startBlockValue(map);
              if (bv) {
                if (bv.type === "block-seq") {
                  if (!it.explicitKey && it.sep && !includesToken(it.sep, "newline")) {
                    yield* this.pop({
                      type: "error",
                      offset: this.offset,
                      message: "Unexpected block-seq-ind on same line with key",
                      source: this.source
                    });
                    return;
                  }
                } else if (atMapIndent) {
                  map.items.push({ start: start2 });
                }
                this.stack.push(bv);
                return;
              }
            }
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
          case "newline":
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                seq.items.push({ start: [this.sourceToken] });
            } else
              it.start.push(this.sourceToken);
            return;
          case "space":
          case "comment":
            if (it.value)
              seq.items.push({ start: [this.sourceToken] });
            else {
              if (this.atIndentedComment(it.start, seq.indent)) {
                const prev = seq.items[seq.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  seq.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
          case "anchor":
          case "tag":
            if (it.value || this.indent <= seq.indent)
              break;
            it.start.push(this.sourceToken);
            return;
          case "seq-item-ind":
            if (this.indent !== seq.indent)
              break;
            if (it.value || includesToken(it.start, "seq-item-ind"))
              seq.items.push({ start: [this.sourceToken] });
            else
              it.start.push(this.sourceToken);
            return;
        }
        if (this.indent > seq.indent) {
          const bv = this.startBlockValue(seq);
          if (bv) {
            this.stack.push(bv);
            return;
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === "flow-error-end") {
          let top;
          do {
            yield* this.pop();
            top = this.peek(1);
          } while (top?.type === "flow-collection");
        } else if (fc.end.length === 0) {
          switch (this.type) {
            case "comma":
            case "explicit-key-ind":
              if (!it || it.sep)
                fc.items.push({ start: [this.sourceToken] });
              else
                it.start.push(this.sourceToken);
              return;
            case "map-value-ind":
              if (!it || it.value)
                fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                Object.assign(it, { key: null, sep: [this.sourceToken] });
              return;
            case "space":
            case "comment":
            case "newline":
            case "anchor":
            case "tag":
              if (!it || it.value)
                fc.items.push({ start: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                it.start.push(this.sourceToken);
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (!it || it.value)
                fc.items.push({ start: [], key: fs, sep: [] });
              else if (it.sep)
                this.stack.push(fs);
              else
                Object.assign(it, { key: fs, sep: [] });
              return;
            }
            case "flow-map-end":
            case "flow-seq-end":
              fc.end.push(this.sourceToken);
              return;
          }
          const bv = this.startBlockValue(fc);
          if (bv)
            this.stack.push(bv);
          else {
            yield* this.pop();
            yield* this.step();
          }
        } else {
          const parent = this.peek(2);
          if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
            yield* this.pop();
            yield* this.step();
          } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
            const prev = getPrevProps(parent);
            const start2 = getFirstKeyStartProps(prev);
            fixFlowSeqItems(fc);
            const sep = fc.end.splice(1, fc.end.length);
            sep.push(this.sourceToken);
            const map = {
              type: "block-map",
              offset: fc.offset,
              indent: fc.indent,
              items: [{ start: start2, key: fc, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
          } else {
            yield* this.lineEnd(fc);
          }
        }
      }
      flowScalar(type) {
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        return {
          type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
      }
      startBlockValue(parent) {
        switch (this.type) {
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return this.flowScalar(this.type);
          case "block-scalar-header":
            return {
              type: "block-scalar",
              offset: this.offset,
              indent: this.indent,
              props: [this.sourceToken],
              source: ""
            };
          case "flow-map-start":
          case "flow-seq-start":
            return {
              type: "flow-collection",
              offset: this.offset,
              indent: this.indent,
              start: this.sourceToken,
              items: [],
              end: []
            };
          case "seq-item-ind":
            return {
              type: "block-seq",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken] }]
            };
          case "explicit-key-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start2 = getFirstKeyStartProps(prev);
            start2.push(this.sourceToken);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: start2, explicitKey: true }]
            };
          }
          case "map-value-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start2 = getFirstKeyStartProps(prev);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: start2, key: null, sep: [this.sourceToken] }]
            };
          }
        }
        return null;
      }
      atIndentedComment(start2, indent2) {
        if (this.type !== "comment")
          return false;
        if (this.indent <= indent2)
          return false;
        return start2.every((st) => st.type === "newline" || st.type === "space");
      }
      *documentEnd(docEnd) {
        if (this.type !== "doc-mode") {
          if (docEnd.end)
            docEnd.end.push(this.sourceToken);
          else
            docEnd.end = [this.sourceToken];
          if (this.type === "newline")
            yield* this.pop();
        }
      }
      *lineEnd(token) {
        switch (this.type) {
          case "comma":
          case "doc-start":
          case "doc-end":
          case "flow-seq-end":
          case "flow-map-end":
          case "map-value-ind":
            yield* this.pop();
            yield* this.step();
            break;
          case "newline":
            this.onKeyLine = false;
          // fallthrough
          case "space":
          case "comment":
          default:
            if (token.end)
              token.end.push(this.sourceToken);
            else
              token.end = [this.sourceToken];
            if (this.type === "newline")
              yield* this.pop();
        }
      }
    };
    exports.Parser = Parser3;
  }
});

// node_modules/yaml/dist/public-api.js
var require_public_api = __commonJS({
  "node_modules/yaml/dist/public-api.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var errors = require_errors();
    var log = require_log();
    var identity = require_identity();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    function parseOptions(options) {
      const prettyErrors = options.prettyErrors !== false;
      const lineCounter$1 = options.lineCounter || prettyErrors && new lineCounter.LineCounter() || null;
      return { lineCounter: lineCounter$1, prettyErrors };
    }
    function parseAllDocuments(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      const docs = Array.from(composer$1.compose(parser$1.parse(source)));
      if (prettyErrors && lineCounter2)
        for (const doc of docs) {
          doc.errors.forEach(errors.prettifyError(source, lineCounter2));
          doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
        }
      if (docs.length > 0)
        return docs;
      return Object.assign([], { empty: true }, composer$1.streamInfo());
    }
    function parseDocument(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      let doc = null;
      for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
          doc = _doc;
        else if (doc.options.logLevel !== "silent") {
          doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
          break;
        }
      }
      if (prettyErrors && lineCounter2) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter2));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
      }
      return doc;
    }
    function parse(src, reviver, options) {
      let _reviver = void 0;
      if (typeof reviver === "function") {
        _reviver = reviver;
      } else if (options === void 0 && reviver && typeof reviver === "object") {
        options = reviver;
      }
      const doc = parseDocument(src, options);
      if (!doc)
        return null;
      doc.warnings.forEach((warning) => log.warn(doc.options.logLevel, warning));
      if (doc.errors.length > 0) {
        if (doc.options.logLevel !== "silent")
          throw doc.errors[0];
        else
          doc.errors = [];
      }
      return doc.toJS(Object.assign({ reviver: _reviver }, options));
    }
    function stringify(value, replacer, options) {
      let _replacer = null;
      if (typeof replacer === "function" || Array.isArray(replacer)) {
        _replacer = replacer;
      } else if (options === void 0 && replacer) {
        options = replacer;
      }
      if (typeof options === "string")
        options = options.length;
      if (typeof options === "number") {
        const indent2 = Math.round(options);
        options = indent2 < 1 ? void 0 : indent2 > 8 ? { indent: 8 } : { indent: indent2 };
      }
      if (value === void 0) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
          return void 0;
      }
      if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
      return new Document.Document(value, _replacer, options).toString(options);
    }
    exports.parse = parse;
    exports.parseAllDocuments = parseAllDocuments;
    exports.parseDocument = parseDocument;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/index.js
var require_dist = __commonJS({
  "node_modules/yaml/dist/index.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var Schema = require_Schema();
    var errors = require_errors();
    var Alias = require_Alias();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var cst = require_cst();
    var lexer = require_lexer();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    var publicApi = require_public_api();
    var visit = require_visit();
    exports.Composer = composer.Composer;
    exports.Document = Document.Document;
    exports.Schema = Schema.Schema;
    exports.YAMLError = errors.YAMLError;
    exports.YAMLParseError = errors.YAMLParseError;
    exports.YAMLWarning = errors.YAMLWarning;
    exports.Alias = Alias.Alias;
    exports.isAlias = identity.isAlias;
    exports.isCollection = identity.isCollection;
    exports.isDocument = identity.isDocument;
    exports.isMap = identity.isMap;
    exports.isNode = identity.isNode;
    exports.isPair = identity.isPair;
    exports.isScalar = identity.isScalar;
    exports.isSeq = identity.isSeq;
    exports.Pair = Pair.Pair;
    exports.Scalar = Scalar.Scalar;
    exports.YAMLMap = YAMLMap.YAMLMap;
    exports.YAMLSeq = YAMLSeq.YAMLSeq;
    exports.CST = cst;
    exports.Lexer = lexer.Lexer;
    exports.LineCounter = lineCounter.LineCounter;
    exports.Parser = parser.Parser;
    exports.parse = publicApi.parse;
    exports.parseAllDocuments = publicApi.parseAllDocuments;
    exports.parseDocument = publicApi.parseDocument;
    exports.stringify = publicApi.stringify;
    exports.visit = visit.visit;
    exports.visitAsync = visit.visitAsync;
  }
});

// node_modules/dotenv/package.json
var require_package = __commonJS({
  "node_modules/dotenv/package.json"(exports, module) {
    module.exports = {
      name: "dotenv",
      version: "16.6.1",
      description: "Loads environment variables from .env file",
      main: "lib/main.js",
      types: "lib/main.d.ts",
      exports: {
        ".": {
          types: "./lib/main.d.ts",
          require: "./lib/main.js",
          default: "./lib/main.js"
        },
        "./config": "./config.js",
        "./config.js": "./config.js",
        "./lib/env-options": "./lib/env-options.js",
        "./lib/env-options.js": "./lib/env-options.js",
        "./lib/cli-options": "./lib/cli-options.js",
        "./lib/cli-options.js": "./lib/cli-options.js",
        "./package.json": "./package.json"
      },
      scripts: {
        "dts-check": "tsc --project tests/types/tsconfig.json",
        lint: "standard",
        pretest: "npm run lint && npm run dts-check",
        test: "tap run --allow-empty-coverage --disable-coverage --timeout=60000",
        "test:coverage": "tap run --show-full-coverage --timeout=60000 --coverage-report=text --coverage-report=lcov",
        prerelease: "npm test",
        release: "standard-version"
      },
      repository: {
        type: "git",
        url: "git://github.com/motdotla/dotenv.git"
      },
      homepage: "https://github.com/motdotla/dotenv#readme",
      funding: "https://dotenvx.com",
      keywords: [
        "dotenv",
        "env",
        ".env",
        "environment",
        "variables",
        "config",
        "settings"
      ],
      readmeFilename: "README.md",
      license: "BSD-2-Clause",
      devDependencies: {
        "@types/node": "^18.11.3",
        decache: "^4.6.2",
        sinon: "^14.0.1",
        standard: "^17.0.0",
        "standard-version": "^9.5.0",
        tap: "^19.2.0",
        typescript: "^4.8.4"
      },
      engines: {
        node: ">=12"
      },
      browser: {
        fs: false
      }
    };
  }
});

// node_modules/dotenv/lib/main.js
var require_main = __commonJS({
  "node_modules/dotenv/lib/main.js"(exports, module) {
    var fs = __require("fs");
    var path17 = __require("path");
    var os = __require("os");
    var crypto = __require("crypto");
    var packageJson = require_package();
    var version2 = packageJson.version;
    var LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/mg;
    function parse(src) {
      const obj = {};
      let lines = src.toString();
      lines = lines.replace(/\r\n?/mg, "\n");
      let match;
      while ((match = LINE.exec(lines)) != null) {
        const key = match[1];
        let value = match[2] || "";
        value = value.trim();
        const maybeQuote = value[0];
        value = value.replace(/^(['"`])([\s\S]*)\1$/mg, "$2");
        if (maybeQuote === '"') {
          value = value.replace(/\\n/g, "\n");
          value = value.replace(/\\r/g, "\r");
        }
        obj[key] = value;
      }
      return obj;
    }
    function _parseVault(options) {
      options = options || {};
      const vaultPath = _vaultPath(options);
      options.path = vaultPath;
      const result = DotenvModule.configDotenv(options);
      if (!result.parsed) {
        const err = new Error(`MISSING_DATA: Cannot parse ${vaultPath} for an unknown reason`);
        err.code = "MISSING_DATA";
        throw err;
      }
      const keys = _dotenvKey(options).split(",");
      const length = keys.length;
      let decrypted;
      for (let i = 0; i < length; i++) {
        try {
          const key = keys[i].trim();
          const attrs = _instructions(result, key);
          decrypted = DotenvModule.decrypt(attrs.ciphertext, attrs.key);
          break;
        } catch (error) {
          if (i + 1 >= length) {
            throw error;
          }
        }
      }
      return DotenvModule.parse(decrypted);
    }
    function _warn(message) {
      console.log(`[dotenv@${version2}][WARN] ${message}`);
    }
    function _debug(message) {
      console.log(`[dotenv@${version2}][DEBUG] ${message}`);
    }
    function _log(message) {
      console.log(`[dotenv@${version2}] ${message}`);
    }
    function _dotenvKey(options) {
      if (options && options.DOTENV_KEY && options.DOTENV_KEY.length > 0) {
        return options.DOTENV_KEY;
      }
      if (process.env.DOTENV_KEY && process.env.DOTENV_KEY.length > 0) {
        return process.env.DOTENV_KEY;
      }
      return "";
    }
    function _instructions(result, dotenvKey) {
      let uri;
      try {
        uri = new URL(dotenvKey);
      } catch (error) {
        if (error.code === "ERR_INVALID_URL") {
          const err = new Error("INVALID_DOTENV_KEY: Wrong format. Must be in valid uri format like dotenv://:key_1234@dotenvx.com/vault/.env.vault?environment=development");
          err.code = "INVALID_DOTENV_KEY";
          throw err;
        }
        throw error;
      }
      const key = uri.password;
      if (!key) {
        const err = new Error("INVALID_DOTENV_KEY: Missing key part");
        err.code = "INVALID_DOTENV_KEY";
        throw err;
      }
      const environment = uri.searchParams.get("environment");
      if (!environment) {
        const err = new Error("INVALID_DOTENV_KEY: Missing environment part");
        err.code = "INVALID_DOTENV_KEY";
        throw err;
      }
      const environmentKey = `DOTENV_VAULT_${environment.toUpperCase()}`;
      const ciphertext = result.parsed[environmentKey];
      if (!ciphertext) {
        const err = new Error(`NOT_FOUND_DOTENV_ENVIRONMENT: Cannot locate environment ${environmentKey} in your .env.vault file.`);
        err.code = "NOT_FOUND_DOTENV_ENVIRONMENT";
        throw err;
      }
      return { ciphertext, key };
    }
    function _vaultPath(options) {
      let possibleVaultPath = null;
      if (options && options.path && options.path.length > 0) {
        if (Array.isArray(options.path)) {
          for (const filepath of options.path) {
            if (fs.existsSync(filepath)) {
              possibleVaultPath = filepath.endsWith(".vault") ? filepath : `${filepath}.vault`;
            }
          }
        } else {
          possibleVaultPath = options.path.endsWith(".vault") ? options.path : `${options.path}.vault`;
        }
      } else {
        possibleVaultPath = path17.resolve(process.cwd(), ".env.vault");
      }
      if (fs.existsSync(possibleVaultPath)) {
        return possibleVaultPath;
      }
      return null;
    }
    function _resolveHome(envPath) {
      return envPath[0] === "~" ? path17.join(os.homedir(), envPath.slice(1)) : envPath;
    }
    function _configVault(options) {
      const debug = Boolean(options && options.debug);
      const quiet = options && "quiet" in options ? options.quiet : true;
      if (debug || !quiet) {
        _log("Loading env from encrypted .env.vault");
      }
      const parsed = DotenvModule._parseVault(options);
      let processEnv = process.env;
      if (options && options.processEnv != null) {
        processEnv = options.processEnv;
      }
      DotenvModule.populate(processEnv, parsed, options);
      return { parsed };
    }
    function configDotenv(options) {
      const dotenvPath = path17.resolve(process.cwd(), ".env");
      let encoding = "utf8";
      const debug = Boolean(options && options.debug);
      const quiet = options && "quiet" in options ? options.quiet : true;
      if (options && options.encoding) {
        encoding = options.encoding;
      } else {
        if (debug) {
          _debug("No encoding is specified. UTF-8 is used by default");
        }
      }
      let optionPaths = [dotenvPath];
      if (options && options.path) {
        if (!Array.isArray(options.path)) {
          optionPaths = [_resolveHome(options.path)];
        } else {
          optionPaths = [];
          for (const filepath of options.path) {
            optionPaths.push(_resolveHome(filepath));
          }
        }
      }
      let lastError;
      const parsedAll = {};
      for (const path18 of optionPaths) {
        try {
          const parsed = DotenvModule.parse(fs.readFileSync(path18, { encoding }));
          DotenvModule.populate(parsedAll, parsed, options);
        } catch (e) {
          if (debug) {
            _debug(`Failed to load ${path18} ${e.message}`);
          }
          lastError = e;
        }
      }
      let processEnv = process.env;
      if (options && options.processEnv != null) {
        processEnv = options.processEnv;
      }
      DotenvModule.populate(processEnv, parsedAll, options);
      if (debug || !quiet) {
        const keysCount = Object.keys(parsedAll).length;
        const shortPaths = [];
        for (const filePath of optionPaths) {
          try {
            const relative = path17.relative(process.cwd(), filePath);
            shortPaths.push(relative);
          } catch (e) {
            if (debug) {
              _debug(`Failed to load ${filePath} ${e.message}`);
            }
            lastError = e;
          }
        }
        _log(`injecting env (${keysCount}) from ${shortPaths.join(",")}`);
      }
      if (lastError) {
        return { parsed: parsedAll, error: lastError };
      } else {
        return { parsed: parsedAll };
      }
    }
    function config(options) {
      if (_dotenvKey(options).length === 0) {
        return DotenvModule.configDotenv(options);
      }
      const vaultPath = _vaultPath(options);
      if (!vaultPath) {
        _warn(`You set DOTENV_KEY but you are missing a .env.vault file at ${vaultPath}. Did you forget to build it?`);
        return DotenvModule.configDotenv(options);
      }
      return DotenvModule._configVault(options);
    }
    function decrypt(encrypted, keyStr) {
      const key = Buffer.from(keyStr.slice(-64), "hex");
      let ciphertext = Buffer.from(encrypted, "base64");
      const nonce = ciphertext.subarray(0, 12);
      const authTag = ciphertext.subarray(-16);
      ciphertext = ciphertext.subarray(12, -16);
      try {
        const aesgcm = crypto.createDecipheriv("aes-256-gcm", key, nonce);
        aesgcm.setAuthTag(authTag);
        return `${aesgcm.update(ciphertext)}${aesgcm.final()}`;
      } catch (error) {
        const isRange = error instanceof RangeError;
        const invalidKeyLength = error.message === "Invalid key length";
        const decryptionFailed = error.message === "Unsupported state or unable to authenticate data";
        if (isRange || invalidKeyLength) {
          const err = new Error("INVALID_DOTENV_KEY: It must be 64 characters long (or more)");
          err.code = "INVALID_DOTENV_KEY";
          throw err;
        } else if (decryptionFailed) {
          const err = new Error("DECRYPTION_FAILED: Please check your DOTENV_KEY");
          err.code = "DECRYPTION_FAILED";
          throw err;
        } else {
          throw error;
        }
      }
    }
    function populate(processEnv, parsed, options = {}) {
      const debug = Boolean(options && options.debug);
      const override = Boolean(options && options.override);
      if (typeof parsed !== "object") {
        const err = new Error("OBJECT_REQUIRED: Please check the processEnv argument being passed to populate");
        err.code = "OBJECT_REQUIRED";
        throw err;
      }
      for (const key of Object.keys(parsed)) {
        if (Object.prototype.hasOwnProperty.call(processEnv, key)) {
          if (override === true) {
            processEnv[key] = parsed[key];
          }
          if (debug) {
            if (override === true) {
              _debug(`"${key}" is already defined and WAS overwritten`);
            } else {
              _debug(`"${key}" is already defined and was NOT overwritten`);
            }
          }
        } else {
          processEnv[key] = parsed[key];
        }
      }
    }
    var DotenvModule = {
      configDotenv,
      _configVault,
      _parseVault,
      config,
      decrypt,
      parse,
      populate
    };
    module.exports.configDotenv = DotenvModule.configDotenv;
    module.exports._configVault = DotenvModule._configVault;
    module.exports._parseVault = DotenvModule._parseVault;
    module.exports.config = DotenvModule.config;
    module.exports.decrypt = DotenvModule.decrypt;
    module.exports.parse = DotenvModule.parse;
    module.exports.populate = DotenvModule.populate;
    module.exports = DotenvModule;
  }
});

// src/config/types.ts
var ConfigError = class extends Error {
  constructor(problems, secretValues = []) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
    this.secretValues = secretValues;
    this.name = "ConfigError";
  }
  problems;
  secretValues;
};
function formatProblem(problem) {
  const where3 = problem.position ? `${problem.position.file}:${problem.position.line}:${problem.position.col}` : void 0;
  const key = problem.path.length > 0 ? problem.path.join(".") : void 0;
  return [where3, key, problem.message].filter(Boolean).join(": ");
}

// src/errors.ts
function failureMessage(error) {
  if (error instanceof ConfigError) {
    const errors = error.problems.filter((problem) => problem.severity === "error").length;
    return `The configuration has ${errors} problem${errors === 1 ? "" : "s"}; each is reported above.`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

// src/agentrun/client.ts
var import_openapi_client = __toESM(require_client2(), 1);
var import_tea_util = __toESM(require_client(), 1);

// src/system/clock.ts
var systemClock = {
  now: () => Date.now(),
  sleep: (ms2) => new Promise((resolve2) => setTimeout(resolve2, ms2))
};

// src/agentrun/compare.ts
var EXACT_MAPS = /* @__PURE__ */ new Set(["environmentVariables"]);
function changedFields(desired, remote, prefix = "") {
  return Object.entries(desired).flatMap(([key, want]) => {
    const path17 = prefix ? `${prefix}.${key}` : key;
    if (want === void 0 || !isEchoed(path17)) return [];
    const have = remote[key];
    if (isPlainObject(want) && isPlainObject(have) && !EXACT_MAPS.has(key)) {
      return changedFields(want, have, path17);
    }
    return sameValue(want, have) ? [] : [path17];
  });
}
function sameValue(a, b) {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = /* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}
function isEmpty(value) {
  if (value === void 0 || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.values(value).every(isEmpty);
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/agentrun/retry.ts
var DEFAULT_RETRY = { attempts: 6, baseDelayMs: 500, maxDelayMs: 15e3 };
function backoffDelay(policy, retry, random) {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}
async function withRetry(call, policy, deps, hooks = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AgentRunError) || !error.retryable || attempt >= policy.attempts) throw error;
      const delay = backoffDelay(policy, attempt - 1, deps.random);
      hooks.onRetry?.(error, delay);
      await deps.clock.sleep(delay);
      const found = await hooks.beforeRetry?.();
      if (found !== void 0) return found;
    }
  }
}

// src/agentrun/client.ts
var API_VERSION = "2025-09-10";
var BASE = `/${API_VERSION}/agents/runtimes`;
var WORKSPACES = `/${API_VERSION}/workspaces`;
var DEFAULT_REQUEST_TIMEOUT_MS = 6e4;
function regionEndpoint(region) {
  return `agentrun.${region}.aliyuncs.com`;
}
var AgentRunClient = class {
  constructor(options) {
    this.options = options;
    const { protocol, host } = parseEndpoint(options.endpoint);
    this.sdk = new import_openapi_client.default.default(
      new import_openapi_client.default.Config({
        accessKeyId: options.credentials.accessKeyId,
        accessKeySecret: options.credentials.accessKeySecret,
        securityToken: options.credentials.securityToken,
        endpoint: host,
        protocol,
        // The SDK's HTTP layer also uses the connect timeout as the socket's idle timeout, so a shorter
        // one would cut off any answer the service takes longer than that to send (a large upload).
        connectTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        readTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        userAgent: "agentrun-deploy"
      })
    );
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.deps = { clock: options.clock ?? systemClock, random: options.random ?? Math.random };
  }
  options;
  sdk;
  retry;
  deps;
  /** `lastUpdatedAt` of each runtime as this client last read it. */
  lastUpdated = /* @__PURE__ */ new Map();
  /** Workspaces resolved so far, by reference: a deploy asks for the same one many times. */
  workspaces = /* @__PURE__ */ new Map();
  async getRuntime(runtimeId) {
    return this.seen(
      runtime(
        await this.data({ action: "GetAgentRuntime", method: "GET", pathname: runtimePath(runtimeId) })
      )
    );
  }
  /** The runtime named exactly `name` in the workspace, or undefined. (Other search modes match loosely.) */
  async findRuntime(name, workspace) {
    const found = await this.resolveWorkspace(workspace, false);
    if (!found) return void 0;
    const items = await this.listAll("ListAgentRuntimes", BASE, {
      agentRuntimeName: name,
      searchMode: "exact",
      [SERVICE.workspaces.listFilter]: found.workspaceId
    });
    const match = items.find((item) => item.agentRuntimeName === name);
    return match && this.seen(runtime(match));
  }
  /**
   * See {@link AgentRunApi.resolveWorkspace}. Each reference is looked up once per client, so resources
   * deploying side by side into a workspace that does not exist yet create it once.
   */
  resolveWorkspace(ref, create) {
    const key = JSON.stringify([ref?.id, ref?.name, create]);
    let found = this.workspaces.get(key);
    if (!found) {
      found = this.lookUpWorkspace(ref, create);
      this.workspaces.set(key, found);
      const forget = () => this.workspaces.delete(key);
      found.then((workspace) => workspace ?? forget(), forget);
    }
    return found;
  }
  async lookUpWorkspace(ref, create) {
    if (ref?.id) {
      return foundWorkspace(
        await this.data({
          action: "GetWorkspace",
          method: "GET",
          pathname: `${WORKSPACES}/${encodeURIComponent(ref.id)}`
        })
      );
    }
    const name = ref?.name;
    const listed = await this.listWorkspaces(name);
    const found = listed.find((item) => name ? item.name === name : item.isDefault === true);
    if (found) return foundWorkspace(found);
    if (!name) {
      throw new AgentRunError(
        "NotFound",
        "ListWorkspaces",
        "the account has no default workspace: name one under `agent.workspace` (`id` or `name`)"
      );
    }
    if (!create || !SERVICE.workspaces.createMissingByName) return void 0;
    const input = {
      name,
      ...ref.description !== void 0 && { description: ref.description },
      ...ref.resourceGroupId !== void 0 && { resourceGroupId: ref.resourceGroupId }
    };
    return foundWorkspace(
      await this.data(
        { action: "CreateWorkspace", method: "POST", pathname: WORKSPACES, body: input },
        async () => (await this.listWorkspaces(name)).find((item) => item.name === name)
      )
    );
  }
  async listWorkspaces(name) {
    const items = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.data({
        action: "ListWorkspaces",
        method: "GET",
        pathname: WORKSPACES,
        query: {
          ...name !== void 0 && { name },
          pageNumber: String(pageNumber),
          pageSize: String(SERVICE.maxPageSize)
        }
      });
      const workspaces = page.workspaces ?? [];
      items.push(...workspaces.map(foundWorkspace));
      if (workspaces.length < SERVICE.maxPageSize || items.length >= (page.total ?? items.length))
        return items;
    }
  }
  async createRuntime(input) {
    return runtime(
      await this.data(
        { action: "CreateAgentRuntime", method: "POST", pathname: BASE, body: input },
        () => this.findRuntime(input.agentRuntimeName, input.workspaceId ? { id: input.workspaceId } : void 0)
      )
    );
  }
  /**
   * A GET does not show whether new code arrived, so a lost attempt counts as applied only when the
   * runtime is busy with it, or was changed since this client last saw it and shows every field sent.
   * Otherwise the same update is sent again, which is harmless.
   */
  async updateRuntime(runtimeId, input) {
    const before = this.lastUpdated.get(runtimeId);
    return runtime(
      await this.data(
        { action: "UpdateAgentRuntime", method: "PUT", pathname: runtimePath(runtimeId), body: input },
        async () => {
          const current = await this.getRuntime(runtimeId);
          const changedSince = before !== void 0 && current.lastUpdatedAt !== before;
          const applied = current.status === "UPDATING" || changedSince && changedFields(input, current).length === 0;
          return applied ? current : void 0;
        }
      )
    );
  }
  async deleteRuntime(runtimeId) {
    await this.data({ action: "DeleteAgentRuntime", method: "DELETE", pathname: runtimePath(runtimeId) });
  }
  /**
   * Publishes the current configuration as a new immutable version. `description` should be unique to
   * this deploy: a retry first looks for a version with it, so a lost response never publishes twice.
   */
  async publishVersion(runtimeId, description) {
    return version(
      await this.data(
        {
          action: "PublishRuntimeVersion",
          method: "POST",
          pathname: `${runtimePath(runtimeId)}/versions`,
          body: { description }
        },
        async () => (await this.listVersions(runtimeId)).find((found) => found.description === description)
      )
    );
  }
  async listVersions(runtimeId) {
    return (await this.listAll("ListAgentRuntimeVersions", `${runtimePath(runtimeId)}/versions`)).map(
      version
    );
  }
  async listEndpoints(runtimeId) {
    return (await this.listAll("ListAgentRuntimeEndpoints", `${runtimePath(runtimeId)}/endpoints`)).map(
      endpoint
    );
  }
  async getEndpoint(runtimeId, endpointId) {
    return endpoint(
      await this.data({
        action: "GetAgentRuntimeEndpoint",
        method: "GET",
        pathname: endpointPath(runtimeId, endpointId)
      })
    );
  }
  async createEndpoint(runtimeId, input) {
    return endpoint(
      await this.data(
        {
          action: "CreateAgentRuntimeEndpoint",
          method: "POST",
          pathname: `${runtimePath(runtimeId)}/endpoints`,
          body: input
        },
        async () => (await this.listEndpoints(runtimeId)).find(
          (found) => found.agentRuntimeEndpointName === input.agentRuntimeEndpointName
        )
      )
    );
  }
  async updateEndpoint(runtimeId, endpointId, input) {
    return endpoint(
      await this.data(
        {
          action: "UpdateAgentRuntimeEndpoint",
          method: "PUT",
          pathname: endpointPath(runtimeId, endpointId),
          body: input
        },
        async () => {
          const current = await this.getEndpoint(runtimeId, endpointId);
          return changedFields(input, current).length === 0 ? current : void 0;
        }
      )
    );
  }
  async deleteEndpoint(runtimeId, endpointId) {
    await this.data({
      action: "DeleteAgentRuntimeEndpoint",
      method: "DELETE",
      pathname: endpointPath(runtimeId, endpointId)
    });
  }
  /** Remembers when the service last changed `found`, so a lost update can be recognised. */
  seen(found) {
    this.lastUpdated.set(found.agentRuntimeId, found.lastUpdatedAt);
    return found;
  }
  async listAll(action, pathname, filter = {}) {
    const items = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.data({
        action,
        method: "GET",
        pathname,
        query: { ...filter, pageNumber: String(pageNumber), pageSize: String(SERVICE.maxPageSize) }
      });
      items.push(...page.items ?? []);
      const total = page.total ?? items.length;
      if ((page.items ?? []).length < SERVICE.maxPageSize || items.length >= total) return items;
    }
  }
  /** One API call with retries; returns the envelope's `data`. */
  async data(call, lookupBeforeRetry) {
    return withRetry(() => this.send(call), this.retry, this.deps, {
      beforeRetry: lookupBeforeRetry,
      onRetry: (error, delayMs) => this.options.onRetry?.(
        `${call.action}: ${error.kind.toLowerCase()}, retrying in ${(delayMs / 1e3).toFixed(1)} s`
      )
    });
  }
  async send(call) {
    let response;
    try {
      response = await this.sdk.callApi(
        new import_openapi_client.default.Params({
          action: call.action,
          version: API_VERSION,
          protocol: "HTTPS",
          pathname: call.pathname,
          method: call.method,
          authType: "AK",
          style: "ROA",
          reqBodyType: "json",
          bodyType: "json"
        }),
        new import_openapi_client.default.OpenApiRequest({ query: call.query, body: call.body }),
        new import_tea_util.default.RuntimeOptions({})
      );
    } catch (error) {
      throw toAgentRunError(call.action, error);
    }
    const data = response.body?.data;
    if (data === void 0 && call.method !== "DELETE") {
      throw new AgentRunError("Server", call.action, "the response has no data");
    }
    return data;
  }
};
var runtimePath = (runtimeId) => `${BASE}/${encodeURIComponent(runtimeId)}`;
var endpointPath = (runtimeId, endpointId) => `${runtimePath(runtimeId)}/endpoints/${encodeURIComponent(endpointId)}`;
function withFields(kind, fields) {
  return (data) => {
    const record = data ?? {};
    const missing = fields.filter((field) => typeof record[field] !== "string" || record[field] === "");
    if (missing.length) {
      throw new AgentRunError("Server", kind, `the answer has no ${missing.join(", ")}`);
    }
    return record;
  };
}
var runtime = withFields("AgentRuntime", ["agentRuntimeId", "agentRuntimeName", "status"]);
var endpoint = withFields("AgentRuntimeEndpoint", [
  "agentRuntimeEndpointId",
  "agentRuntimeEndpointName"
]);
var version = withFields("AgentRuntimeVersion", ["agentRuntimeVersion"]);
var foundWorkspace = withFields("Workspace", ["workspaceId"]);

// src/github/api.ts
var GitHubError = class extends Error {
  constructor(message, status2, permission) {
    super(message);
    this.status = status2;
    this.permission = permission;
    this.name = "GitHubError";
  }
  status;
  permission;
  /** A 403 for a missing permission (as opposed to a rate limit). */
  get forbidden() {
    return this.status === 403 || this.status === 401;
  }
};

// src/github/client.ts
var RETRIES = 3;
var MAX_WAIT_MS = 6e4;
var SERVER_ERROR_WAIT_MS = 1e3;
var Permission = {
  PullRequests: "pull-requests: write",
  PullRequestsRead: "pull-requests: read",
  Deployments: "deployments: write"
};
var OctokitGitHub = class {
  constructor(options) {
    this.options = options;
    const [owner, repo] = options.repository.split("/");
    if (!owner || !repo)
      throw new Error(`GITHUB_REPOSITORY must be owner/name, not "${options.repository}".`);
    this.owner = owner;
    this.repo = repo;
    this.octokit = import("./github-TKKHPGNP.js").then(
      ({ getOctokit }) => getOctokit(options.token, { baseUrl: options.apiUrl.replace(/\/+$/, "") })
    );
  }
  options;
  /** Loaded on first use: most runs never talk to GitHub, and Octokit is a large part of the bundle. */
  octokit;
  owner;
  repo;
  get where() {
    return { owner: this.owner, repo: this.repo };
  }
  listIssueComments(issue) {
    return this.call(Permission.PullRequestsRead, async (octokit) => {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...this.where,
        issue_number: issue,
        per_page: 100
      });
      return comments.map(toComment);
    });
  }
  createIssueComment(issue, body) {
    return this.call(Permission.PullRequests, async (octokit) => {
      const { data } = await octokit.rest.issues.createComment({
        ...this.where,
        issue_number: issue,
        body
      });
      return toComment(data);
    });
  }
  updateIssueComment(commentId, body) {
    return this.call(Permission.PullRequests, async (octokit) => {
      const { data } = await octokit.rest.issues.updateComment({
        ...this.where,
        comment_id: commentId,
        body
      });
      return toComment(data);
    });
  }
  getPull(pull) {
    return this.call(Permission.PullRequestsRead, async (octokit) => {
      const { data } = await octokit.rest.pulls.get({ ...this.where, pull_number: pull });
      return {
        number: data.number,
        state: data.state === "closed" ? "closed" : "open",
        merged: data.merged,
        headSha: data.head.sha,
        headRepo: data.head.repo?.full_name ?? null,
        baseRepo: data.base.repo.full_name,
        closedAt: data.closed_at
      };
    });
  }
  createDeployment(request) {
    return this.call(Permission.Deployments, async (octokit) => {
      const response = await octokit.rest.repos.createDeployment({
        ...this.where,
        ref: request.ref,
        environment: request.environment,
        description: request.description,
        transient_environment: request.transientEnvironment,
        production_environment: request.productionEnvironment,
        payload: request.payload,
        // A deployment records what ran; it must neither merge the base branch into the ref
        // (GitHub pushes a merge commit and answers 202) nor wait for the PR's own checks (409).
        auto_merge: false,
        required_contexts: []
      });
      if (!("id" in response.data)) {
        throw new GitHubError(
          `GitHub did not create the deployment: ${response.data.message ?? ""}`,
          response.status
        );
      }
      return toDeployment(response.data);
    });
  }
  listDeployments(environment) {
    return this.call(Permission.Deployments, async (octokit) => {
      const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, {
        ...this.where,
        ...environment === void 0 ? {} : { environment },
        per_page: 100
      });
      return deployments.map(toDeployment);
    });
  }
  createDeploymentStatus(deploymentId, status2) {
    return this.call(Permission.Deployments, async (octokit) => {
      await octokit.rest.repos.createDeploymentStatus({
        ...this.where,
        deployment_id: deploymentId,
        state: status2.state,
        description: status2.description.slice(0, MAX_STATUS_DESCRIPTION),
        ...status2.logUrl ? { log_url: status2.logUrl } : {},
        ...status2.environmentUrl ? { environment_url: status2.environmentUrl } : {},
        // Older deployments of a preview are deactivated by us: GitHub's own auto_inactive skips
        // transient environments.
        auto_inactive: false
      });
    });
  }
  latestDeploymentState(deploymentId) {
    return this.call(Permission.Deployments, async (octokit) => {
      const { data } = await octokit.rest.repos.listDeploymentStatuses({
        ...this.where,
        deployment_id: deploymentId,
        per_page: 1
      });
      return data[0]?.state;
    });
  }
  /**
   * Runs `request`, waiting out secondary rate limits (403/429 with `retry-after`, or an exhausted
   * quota) and 5xx answers a bounded number of times; any other failure becomes a GitHubError.
   */
  async call(permission, request) {
    const octokit = await this.octokit;
    for (let retry = 0; ; retry++) {
      try {
        return await request(octokit);
      } catch (error) {
        const failure = asHttpFailure(error);
        if (!failure) throw error;
        const waitMs = retryDelay(failure, retry, this.options.clock.now());
        if (waitMs === void 0 || retry >= RETRIES) throw toGitHubError(failure, permission);
        this.options.onRetry?.(
          `GitHub answered ${failure.status} (${failure.message}); retrying in ${Math.ceil(waitMs / 1e3)} s.`
        );
        await this.options.clock.sleep(waitMs);
      }
    }
  }
};
var MAX_STATUS_DESCRIPTION = 140;
function asHttpFailure(error) {
  if (!(error instanceof Error) || !("status" in error) || typeof error.status !== "number") return void 0;
  const response = "response" in error ? error.response : void 0;
  const data = response?.data;
  return {
    status: error.status,
    message: typeof data?.message === "string" ? data.message : error.message,
    headers: response?.headers ?? {}
  };
}
function retryDelay({ status: status2, message, headers }, retry, now) {
  if (status2 >= 500) return SERVER_ERROR_WAIT_MS * 2 ** retry;
  if (status2 !== 403 && status2 !== 429) return void 0;
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && headers["retry-after"] !== void 0)
    return Math.min(retryAfter * 1e3, MAX_WAIT_MS);
  if (String(headers["x-ratelimit-remaining"]) === "0") {
    const resetMs = Number(headers["x-ratelimit-reset"]) * 1e3 - now;
    return Math.min(Math.max(resetMs, 1e3), MAX_WAIT_MS);
  }
  if (/secondary rate limit/i.test(message)) return MAX_WAIT_MS;
  return void 0;
}
function toGitHubError({ status: status2, message }, permission) {
  if (status2 === 403 && !/rate limit/i.test(message)) {
    return new GitHubError(
      `GitHub refused the token (${message}). Give the workflow \`permissions: ${permission}\`.`,
      status2,
      permission
    );
  }
  if (status2 === 401) {
    return new GitHubError(
      `GitHub rejected the token (${message}); check the github-token input.`,
      status2,
      permission
    );
  }
  return new GitHubError(`GitHub answered ${status2}: ${message}`, status2);
}
function toComment(data) {
  return { id: data.id, body: data.body ?? "", htmlUrl: data.html_url };
}
function toDeployment(data) {
  return {
    id: data.id,
    sha: data.sha,
    environment: data.environment,
    createdAt: data.created_at,
    payload: typeof data.payload === "string" ? parsePayload(data.payload) : data.payload
  };
}
function parsePayload(text2) {
  try {
    const value = JSON.parse(text2);
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

// src/secrets.ts
var SECRET_WORDS = new Set(
  [
    ["KEY", "KEYS", "APIKEY", "ACCESSKEY", "SECRETKEY", "PRIVATEKEY", "AK", "SK"],
    ["TOKEN", "TOKENS", "AUTHTOKEN", "ACCESSTOKEN", "SECRET", "SECRETS"],
    ["PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PASSPHRASE"],
    ["CREDENTIAL", "CREDENTIALS", "CREDS", "AUTH", "PRIVATE", "DSN", "CERT", "CERTIFICATE", "SIGNATURE"],
    ["COOKIE", "SALT"]
  ].flat()
);
function looksSecret(name) {
  return name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).some((word) => SECRET_WORDS.has(word.toUpperCase()));
}
var URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;
function isSecretVariable(name, value, listed) {
  return listed.has(name) || looksSecret(name) || URL_WITH_PASSWORD.test(value);
}
function isMaskable(value) {
  const trimmed = value.trim();
  if (trimmed.length < 4) return false;
  if (/^(true|false|null|yes|no|on|off)$/i.test(trimmed)) return false;
  return !/^[+-]?\d{1,5}(\.\d+)?$/.test(trimmed);
}
function redact(text2, secrets) {
  const ordered = [...new Set(secrets)].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  return ordered.reduce((out, secret) => out.split(secret).join("***"), text2);
}
function maskableSecrets(values) {
  return [...new Set(values)].filter(isMaskable);
}
function redactDeep(value, secrets) {
  if (typeof value === "string") return redact(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
  }
  return value;
}

// src/build/cache.ts
import { createHash } from "node:crypto";
import { cp, mkdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
function cacheKey({ language, arch, builder, builderId, inputs }) {
  const hash = createHash("sha256").update(`${builder}
${builderId ?? ""}
`);
  for (const [name, content] of Object.entries(inputs).sort(([a], [b]) => a < b ? -1 : 1)) {
    hash.update(`${name}
${content.length}
${content}`);
  }
  const readable = builder.replace(/[^\w.-]+/g, "_").slice(0, 80);
  return `agentrun-deps-${language}-${arch}-${readable}-${hash.digest("hex").slice(0, 32)}`;
}
var githubCache = {
  description: "GitHub Actions cache",
  // Loaded when a build first uses it: the toolkit and its storage client weigh on every start-up.
  restore: async (key, dir) => await (await import("./cache-XA6TS5MG.js")).restoreCache([dir], key) === key,
  save: async (key, dir) => {
    await (await import("./cache-XA6TS5MG.js")).saveCache([dir], key);
  }
};
function directoryCache(root) {
  const entry = (key) => path.join(root, key);
  return {
    description: root,
    restore: async (key, dir) => {
      const stats = await stat(entry(key)).catch(() => void 0);
      if (!stats?.isDirectory()) return false;
      await cp(entry(key), dir, { recursive: true, verbatimSymlinks: true });
      return true;
    },
    save: async (key, dir) => {
      await mkdir(root, { recursive: true });
      const partial = `${entry(key)}.partial-${process.pid}`;
      await cp(dir, partial, { recursive: true, verbatimSymlinks: true });
      await rm(entry(key), { recursive: true, force: true });
      await rename(partial, entry(key));
    }
  };
}
function defaultBuildCache(env) {
  return hasCacheService(env) ? githubCache : directoryCache(localCacheDir(env));
}
function hasCacheService(env) {
  return Boolean(env.ACTIONS_CACHE_SERVICE_V2 ? env.ACTIONS_RESULTS_URL : env.ACTIONS_CACHE_URL);
}
function localCacheDir(env) {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), ".cache");
  return env.AGENTRUN_DEPLOY_CACHE_DIR || path.join(base, "agentrun-deploy", "builds");
}

// src/logs/client.ts
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";

// src/logs/api.ts
var SlsError = class extends Error {
  constructor(action, detail, status2, code2, requestId) {
    const facts = [status2 && `HTTP ${status2}`, code2, requestId && `request id ${requestId}`].filter(Boolean);
    super(
      `SLS ${action} failed: ${detail}${facts.length ? ` (${facts.join(", ")})` : ""}.${remedy(status2, code2)}`
    );
    this.action = action;
    this.detail = detail;
    this.status = status2;
    this.code = code2;
    this.requestId = requestId;
    this.name = "SlsError";
  }
  action;
  detail;
  status;
  code;
  requestId;
  /** Worth repeating as is: throttling, a server error or a dropped connection (not a name that does not resolve). */
  get retryable() {
    if (this.status === void 0) return this.code !== "ENOTFOUND";
    return this.status === 429 || this.status >= 500;
  }
};
function remedy(status2, code2) {
  if (status2 === 401 || status2 === 403 || code2 === "Unauthorized" || code2 === "SignatureNotMatch") {
    return " Check the credentials and that the RAM identity may call SLS (docs/permissions.md lists the log:* actions).";
  }
  if (status2 === void 0) return " Check the network and the `sls-endpoint` input.";
  if (code2 === "ProjectNotExist" || code2 === "LogStoreNotExist") {
    return " Check the runtime\u2019s logConfig, or use `logConfig: auto`, which creates them.";
  }
  return "";
}

// src/logs/client.ts
var SlsClient = class {
  constructor(options) {
    this.options = options;
    this.endpoint = parseEndpoint(options.endpoint);
    this.clock = options.clock ?? systemClock;
  }
  options;
  endpoint;
  clock;
  getProject(project) {
    return this.orMissing(
      SlsCodes.projectNotExist,
      () => this.call({ action: "GetProject", method: "GET", path: "/", project })
    );
  }
  createProject(input) {
    return this.create(SlsCodes.projectAlreadyExist, {
      action: "CreateProject",
      method: "POST",
      path: "/",
      body: input
    });
  }
  getLogStore(project, logstore) {
    return this.orMissing(
      SlsCodes.logStoreNotExist,
      () => this.call({ action: "GetLogStore", method: "GET", path: `/logstores/${logstore}`, project })
    );
  }
  createLogStore(project, input) {
    return this.create(SlsCodes.logStoreAlreadyExist, {
      action: "CreateLogStore",
      method: "POST",
      path: "/logstores",
      project,
      body: input
    });
  }
  getIndex(project, logstore) {
    return this.orMissing(
      SlsCodes.indexNotExist,
      () => this.call({ action: "GetIndex", method: "GET", path: `/logstores/${logstore}/index`, project })
    );
  }
  createIndex(project, logstore, index) {
    return this.create(SlsCodes.indexAlreadyExist, {
      action: "CreateIndex",
      method: "POST",
      path: `/logstores/${logstore}/index`,
      project,
      body: index
    });
  }
  getLogs(project, logstore, input) {
    return this.call({
      action: "GetLogsV2",
      method: "POST",
      path: `/logstores/${logstore}/logs`,
      project,
      body: input
    });
  }
  async orMissing(code2, read) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof SlsError && error.code === code2) return void 0;
      throw error;
    }
  }
  /** A create that another job may win: its "already exists" counts as done. */
  async create(code2, call) {
    try {
      await this.call(call);
      return "created";
    } catch (error) {
      if (error instanceof SlsError && error.code === code2) return "exists";
      throw error;
    }
  }
  async call(call) {
    const policy = this.options.retry ?? DEFAULT_RETRY;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(call);
      } catch (error) {
        if (!(error instanceof SlsError) || !error.retryable || attempt >= policy.attempts) throw error;
        const delay = backoffDelay(policy, attempt - 1, Math.random);
        this.options.onRetry?.(`${error.message} Retrying in ${(delay / 1e3).toFixed(1)} s.`);
        await this.clock.sleep(delay);
      }
    }
  }
  send(call) {
    const { protocol, host } = this.endpoint;
    const [endpointHost, port] = splitHost(host);
    const bare = endpointHost.replace(/^\[|\]$/g, "");
    const direct = isIP(bare) !== 0 || bare === "localhost";
    const hostName = call.project === void 0 ? endpointHost : `${call.project}.${endpointHost}`;
    const hostHeader = port === void 0 ? hostName : `${hostName}:${port}`;
    const body = call.body === void 0 ? Buffer.alloc(0) : Buffer.from(JSON.stringify(call.body));
    const headers = {
      accept: "application/json",
      host: hostHeader,
      date: new Date(this.clock.now()).toUTCString(),
      "x-log-apiversion": SLS_API_VERSION,
      "x-log-bodyrawsize": String(body.length),
      "x-log-signaturemethod": SIGNATURE_METHOD
    };
    if (body.length) {
      headers["content-type"] = "application/json";
      headers["content-md5"] = contentMd5(body);
    }
    const { accessKeyId, accessKeySecret, securityToken } = this.options.credentials;
    if (securityToken) headers["x-acs-security-token"] = securityToken;
    const signature = sign(stringToSign(call.method, call.path, {}, headers), accessKeySecret);
    headers.authorization = `LOG ${accessKeyId}:${signature}`;
    headers["content-length"] = String(body.length);
    const request = protocol === "https" ? httpsRequest : httpRequest;
    const timeoutMs = this.options.requestTimeoutMs ?? 6e4;
    return new Promise((resolve2, reject) => {
      const req = request(
        {
          host: direct ? bare : hostName,
          port: port ?? (protocol === "https" ? 443 : 80),
          ...!direct && { servername: hostName },
          method: call.method,
          path: call.path,
          headers,
          timeout: timeoutMs
        },
        (res) => void readAnswer(call.action, res).then(resolve2, reject)
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on(
        "error",
        (error) => reject(new SlsError(call.action, error.message, void 0, error.code))
      );
      req.end(body);
    });
  }
};
async function readAnswer(action, res) {
  const chunks = [];
  for await (const chunk of res) chunks.push(chunk);
  const text2 = Buffer.concat(chunks).toString("utf8");
  const status2 = res.statusCode ?? 0;
  const requestId = res.headers["x-log-requestid"];
  let json;
  try {
    json = text2 ? JSON.parse(text2) : void 0;
  } catch {
    throw new SlsError(
      action,
      `an answer that is not JSON: ${text2.slice(0, 200)}`,
      status2,
      void 0,
      requestId
    );
  }
  if (status2 >= 400) {
    const error = json ?? {};
    throw new SlsError(action, error.errorMessage ?? `HTTP ${status2}`, status2, error.errorCode, requestId);
  }
  return json;
}
function splitHost(host) {
  const match = /^(.*?)(?::(\d+))?$/.exec(host);
  return [match[1], match[2] === void 0 ? void 0 : Number(match[2])];
}

// src/system/runner.ts
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
var processRunner = {
  run: ([file, ...args], options) => {
    if (file === void 0) return Promise.reject(new Error("No program to run: the command is empty."));
    return start(file, args, false, options);
  },
  shell: (command, options) => start(command, [], true, options)
};
function start(file, args, shell, options) {
  return new Promise((done, fail4) => {
    const timed = options.timeoutMs !== void 0;
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      shell,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a timeout also ends what it started (pip's build backends, npm scripts).
      detached: timed
    });
    const streams = [
      [child.stdout, "stdout"],
      [child.stderr, "stderr"]
    ];
    for (const [stream, name] of streams) {
      createInterface({ input: stream }).on("line", (line) => options.onLine?.(line, name));
    }
    let timedOut = false;
    const timer = timed ? setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
      }
    }, options.timeoutMs) : void 0;
    child.on("error", (error) => {
      clearTimeout(timer);
      fail4(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      done(timed ? { exitCode, signal, timedOut } : { exitCode, signal });
    });
  });
}

// src/inputs.ts
var InputError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "InputError";
  }
};
var DURATION_UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 };
function parseDuration(name, value) {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  const ms2 = match ? Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? "s"]) : 0;
  if (ms2 <= 0)
    throw new InputError(`Input ${name} must be a duration such as 900, 90s or 15m, not "${value}".`);
  return ms2;
}
function parseBoolean(name, value) {
  if (/^(true|True|TRUE)$/.test(value.trim())) return true;
  if (/^(false|False|FALSE)$/.test(value.trim())) return false;
  throw new InputError(`Input ${name} must be true or false, not "${value}".`);
}
function parsePositiveInteger(name, value) {
  const number = Number(value.trim());
  if (!Number.isInteger(number) || number < 1) {
    throw new InputError(`Input ${name} must be a whole number of 1 or more, not "${value}".`);
  }
  return number;
}
function parseList(value) {
  return value.split(/[,\n]/).map((item) => item.trim()).filter(Boolean);
}
function parseEndpointInput(name, value) {
  if (value === void 0) return void 0;
  try {
    parseEndpoint(value);
  } catch (error) {
    if (!(error instanceof EndpointError)) throw error;
    const shown = value.includes("@") ? "" : ` "${value}"`;
    throw new InputError(
      `Input ${name}${shown} ${error.message}: expected a host name such as agentrun.cn-hangzhou.aliyuncs.com, a host:port, or an http(s) URL such as http://127.0.0.1:9000.`
    );
  }
  return value.trim();
}

// src/github/context.ts
import { readFile } from "node:fs/promises";
function isFork(pull) {
  return pull.headRepo !== pull.baseRepo;
}
async function readGitHubContext(env) {
  const repository = env.GITHUB_REPOSITORY;
  if (!repository) return void 0;
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const payload = env.GITHUB_EVENT_PATH ? await readPayload(env.GITHUB_EVENT_PATH) : {};
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
  return {
    repository,
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    serverUrl,
    sha: env.GITHUB_SHA ?? "",
    eventName: env.GITHUB_EVENT_NAME ?? "",
    action: typeof payload.action === "string" ? payload.action : void 0,
    runUrl: env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}${attempt}` : void 0,
    pullRequest: pullRequestOf(payload.pull_request),
    comment: commentOf(payload),
    deleted: payload.deleted === true ? true : void 0
  };
}
async function readPayload(path17) {
  let text2;
  try {
    text2 = await readFile(path17, "utf8");
  } catch (error) {
    throw new Error(
      `Cannot read the event payload at GITHUB_EVENT_PATH (${path17}): ${error.message}`
    );
  }
  const value = JSON.parse(text2);
  return value && typeof value === "object" ? value : {};
}
function pullRequestOf(value) {
  const pull = value;
  if (!pull || typeof pull.number !== "number" || typeof pull.head?.sha !== "string") return void 0;
  return {
    number: pull.number,
    headSha: pull.head.sha,
    headRepo: pull.head.repo?.full_name ?? null,
    baseRepo: pull.base?.repo?.full_name ?? "",
    merged: pull.merged === true,
    state: pull.state === "closed" ? "closed" : "open"
  };
}
function commentOf(payload) {
  const { issue, comment } = payload;
  if (typeof issue?.number !== "number" || !comment) return void 0;
  return {
    issue: issue.number,
    onPullRequest: !!issue.pull_request,
    authorAssociation: typeof comment.author_association === "string" ? comment.author_association : "NONE"
  };
}

// src/github/events.ts
var PULL_EVENTS = ["pull_request", "pull_request_target"];
var PREVIEW_ACTIONS = ["opened", "synchronize", "reopened", "labeled", "edited", "ready_for_review"];
var WRITE_ASSOCIATIONS = ["OWNER", "MEMBER", "COLLABORATOR"];
var DISPATCH_EVENTS = ["workflow_dispatch", "repository_dispatch"];
var DEPLOY_EVENTS = ["push", "release", "schedule", "deployment", ...DISPATCH_EVENTS];
var ALLOW_FORKS_INPUT = "allow-fork-previews";
var isPullEvent = ({ context }) => PULL_EVENTS.includes(context.eventName);
var forkPull = (facts) => !!facts.context.pullRequest && isFork(facts.context.pullRequest);
function forkRefusal(eventName, pull, allowForks) {
  if (!isFork(pull)) return void 0;
  const from = `Pull request #${pull.number} comes from ${pull.headRepo ?? "a deleted fork"}`;
  if (eventName === "pull_request") {
    return `${from}: GitHub gives its runs a read-only token and no secrets, so no preview is deployed. A maintainer can push the branch to this repository to preview it.`;
  }
  if (allowForks) return void 0;
  return `${from}, and \`${eventName}\` runs with this repository's secrets and a write token: deploying the pull request\u2019s code would hand both to its author (a "pwn request"), so nothing is deployed. To preview pull requests from forks, have a maintainer review the code and set a label only maintainers can set, gate the job on it (\`if: contains(github.event.pull_request.labels.*.name, 'safe-to-preview')\`), and set \`${ALLOW_FORKS_INPUT}: true\`.`;
}
var AUTO_RULES = [
  {
    events: ["pull_request"],
    when: "from another repository (a fork)",
    outcome: "nothing",
    applies: (facts) => facts.context.eventName === "pull_request" && forkPull(facts),
    message: (facts) => forkRefusal("pull_request", facts.context.pullRequest, facts.allowForks)
  },
  {
    events: ["pull_request_target"],
    when: `from another repository (a fork), unless \`${ALLOW_FORKS_INPUT}: true\``,
    outcome: "nothing",
    applies: (facts) => facts.context.eventName === "pull_request_target" && forkPull(facts) && !facts.allowForks,
    message: (facts) => forkRefusal("pull_request_target", facts.context.pullRequest, false)
  },
  {
    events: PULL_EVENTS,
    when: PREVIEW_ACTIONS.map((action) => `\`${action}\``).join(", "),
    outcome: "preview",
    applies: (facts) => isPullEvent(facts) && PREVIEW_ACTIONS.includes(facts.context.action ?? "")
  },
  {
    events: PULL_EVENTS,
    when: "`closed`",
    outcome: "preview-cleanup",
    applies: (facts) => isPullEvent(facts) && facts.context.action === "closed"
  },
  {
    events: PULL_EVENTS,
    when: "any other activity (`assigned`, `unlabeled`, \u2026)",
    outcome: "nothing",
    applies: isPullEvent,
    message: ({ context }) => `${context.eventName} \`${context.action ?? "without an action"}\` changes nothing a preview shows: nothing to do.`
  },
  {
    events: ["issue_comment"],
    when: `\`created\` on a pull request by someone with write access (${WRITE_ASSOCIATIONS.join(", ")})`,
    outcome: "preview",
    applies: ({ context: { eventName, action, comment } }) => eventName === "issue_comment" && action === "created" && !!comment?.onPullRequest && WRITE_ASSOCIATIONS.includes(comment.authorAssociation)
  },
  {
    events: ["issue_comment"],
    when: "on a pull request, by anyone else, or edited or deleted",
    outcome: "nothing",
    applies: ({ context }) => context.eventName === "issue_comment" && !!context.comment?.onPullRequest,
    message: ({ context: { action, comment } }) => action === "created" ? `The comment on pull request #${comment.issue} is by someone without write access (author_association ${comment.authorAssociation}): only ${WRITE_ASSOCIATIONS.join(", ")} can ask for a preview.` : `A comment on pull request #${comment.issue} was ${action ?? "changed"}: only a new comment asks for a preview.`
  },
  {
    events: ["issue_comment"],
    when: "on an issue",
    outcome: "nothing",
    applies: ({ context }) => context.eventName === "issue_comment",
    message: ({ context }) => `The comment is on issue #${context.comment?.issue ?? "?"}, not on a pull request: nothing to preview.`
  },
  {
    events: DISPATCH_EVENTS,
    when: "with the `pr-number` input",
    outcome: "preview",
    applies: ({ context, prNumber }) => DISPATCH_EVENTS.includes(context.eventName) && prNumber !== void 0
  },
  {
    events: ["push"],
    when: "that deletes a branch or tag (`deleted: true`)",
    outcome: "nothing",
    applies: ({ context }) => context.eventName === "push" && context.deleted === true,
    message: () => "The push deleted a branch or tag: there is nothing to deploy."
  },
  {
    events: DEPLOY_EVENTS,
    when: "otherwise (a push to a branch or a new tag, a dispatch without `pr-number`, \u2026)",
    outcome: "deploy",
    applies: ({ context }) => DEPLOY_EVENTS.includes(context.eventName)
  },
  {
    events: ["any other"],
    when: "",
    outcome: "error",
    applies: () => true,
    message: ({ context }) => (context.eventName ? `command: auto does not know what to do on a \`${context.eventName}\` event.` : "command: auto picks from the GitHub event, and this run has none (GITHUB_EVENT_NAME is not set).") + " Set `command:` to deploy, preview, preview-cleanup or plan explicitly for this workflow."
  }
];
function chooseForEvent(facts) {
  const rule = AUTO_RULES.find((candidate) => candidate.applies(facts));
  const onComment = facts.context.eventName === "issue_comment" && rule.outcome === "preview";
  return {
    rule,
    pr: onComment ? facts.context.comment?.issue : void 0,
    message: rule.message?.(facts)
  };
}

// src/diagnose/decisive.ts
var PYTHON_EXCEPTION = /^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Interrupt)(?::|$)/;
var NODE_ERROR = /^(?:Uncaught )?(?:[A-Z]\w*)?Error(?: \[\w+\])?: /;
var STACK_FRAME = /^(?:at |File "|Traceback \(most recent call last\)|\^+$|~+$|During handling of|The above exception)/;
var OUTPUT_PREFIX = /^.*?\bstderr:\s*/;
function decisiveLine(lines) {
  const candidates = lines.map((line) => line.replace(OUTPUT_PREFIX, "").trim()).filter((line) => line !== "");
  const last = (test) => candidates.findLast(test);
  return last((line) => PYTHON_EXCEPTION.test(line)) ?? last((line) => NODE_ERROR.test(line)) ?? last((line) => !STACK_FRAME.test(line)) ?? candidates.at(-1) ?? "";
}
function linesOf(text2) {
  return text2.split(/\r\n|\r|\n/);
}
function decisiveReason(text2) {
  const lines = linesOf(text2).filter((line) => line.trim() !== "");
  return lines.length <= 1 ? text2.trim() : decisiveLine(lines);
}

// src/agentrun/wait.ts
var WaitError = class extends Error {
  constructor(message, status2, statusReason, timedOut, subject) {
    super(message);
    this.status = status2;
    this.statusReason = statusReason;
    this.timedOut = timedOut;
    this.subject = subject;
    this.name = "WaitError";
  }
  status;
  statusReason;
  timedOut;
  subject;
};
var POLL = { intervalMs: 250, fastForMs: 15e3, growth: 1.5, maxIntervalMs: 5e3, jitter: 0.2 };
function pollInterval(elapsedMs, previousMs, random) {
  const base = elapsedMs < POLL.fastForMs ? POLL.intervalMs : Math.min(POLL.maxIntervalMs, previousMs * POLL.growth);
  return base * (1 + POLL.jitter * (2 * random() - 1));
}
var isFailed = (status2) => status2 !== void 0 && /(^|_)FAILED$/.test(status2);
async function waitForRuntime(client, runtimeId, options) {
  return poll(
    () => client.getRuntime(runtimeId),
    (runtime2) => runtime2.status === "READY",
    (runtime2) => `Agent runtime ${runtime2.agentRuntimeName}`,
    options
  );
}
function isEndpointServing(endpoint2) {
  const serving = SERVICE.endpointServing;
  return serving.includes(endpoint2.status ?? "") && Boolean(endpoint2.endpointPublicUrl);
}
async function waitForEndpoint(client, runtimeId, endpointId, options) {
  return poll(
    () => client.getEndpoint(runtimeId, endpointId),
    isEndpointServing,
    (endpoint2) => `Endpoint ${endpoint2.agentRuntimeEndpointName}`,
    options
  );
}
async function poll(fetch2, isReady, describe5, { timeoutMs, clock = systemClock, random = Math.random, onProgress }) {
  const start2 = clock.now();
  for (let interval = POLL.intervalMs; ; ) {
    const value = await fetch2();
    const status2 = value.status ?? "UNKNOWN";
    const elapsed = clock.now() - start2;
    onProgress?.(describe5(value), status2, elapsed);
    if (isReady(value)) return value;
    if (isFailed(value.status)) {
      throw new WaitError(
        `${describe5(value)} is ${status2}: ${value.statusReason ? decisiveReason(value.statusReason) : "no reason given"}`,
        status2,
        value.statusReason,
        false,
        describe5(value)
      );
    }
    if (elapsed >= timeoutMs) {
      throw new WaitError(
        `${describe5(value)} is still ${status2} after ${Math.round(elapsed / 1e3)} s (timeout ${Math.round(timeoutMs / 1e3)} s). Raise the \`wait-timeout\` input, or check the runtime in the AgentRun console.`,
        status2,
        value.statusReason,
        true,
        describe5(value)
      );
    }
    interval = pollInterval(elapsed, interval, random);
    await clock.sleep(Math.min(interval, Math.max(0, timeoutMs - elapsed)));
  }
}

// src/rollout/marker.ts
var Phase = {
  /** Moving through the stages on its own. */
  progressing: "progressing",
  /** `canary-mode: manual`: waits at its stage for `promote`. */
  paused: "paused",
  /** Stopped where it was by `abort`: weights kept, only `promote` or `rollback` move it. */
  aborted: "aborted",
  promoted: "promoted",
  rolledBack: "rolled-back"
};
var TAG = "agentrun-rollout";
var PATTERN = new RegExp(`\\s*\\[${TAG} (\\{.*\\})\\]\\s*$`);
var MAX_REASON = 60;
function inProgress(marker2) {
  return marker2 !== void 0 && [Phase.progressing, Phase.paused, Phase.aborted].includes(marker2.phase);
}
function readMarker(description) {
  const match = PATTERN.exec(description ?? "");
  if (!match) return void 0;
  try {
    const raw = JSON.parse(match[1]);
    const marker2 = {
      phase: raw.p,
      candidate: String(raw.c),
      stable: String(raw.b),
      stage: Number(raw.s),
      steps: String(raw.w).split(",").map(Number),
      since: Number(raw.t) * 1e3,
      reason: typeof raw.r === "string" ? raw.r : void 0,
      ...typeof raw.o === "string" ? { owner: raw.o } : {}
    };
    const valid = Object.values(Phase).includes(marker2.phase) && Number.isInteger(marker2.stage) && marker2.stage >= 0 && marker2.stage < marker2.steps.length && marker2.steps.every(Number.isInteger) && Number.isFinite(marker2.since);
    return valid ? marker2 : void 0;
  } catch {
    return void 0;
  }
}
function userDescription(description) {
  return (description ?? "").replace(PATTERN, "");
}
function writeMarker(description, marker2) {
  const compact = {
    p: marker2.phase,
    c: marker2.candidate,
    b: marker2.stable,
    s: marker2.stage,
    w: marker2.steps.join(","),
    t: Math.floor(marker2.since / 1e3),
    ...marker2.reason ? { r: marker2.reason.slice(0, MAX_REASON) } : {},
    ...marker2.owner ? { o: marker2.owner } : {}
  };
  const text2 = userDescription(description);
  return `${text2}${text2 ? " " : ""}[${TAG} ${JSON.stringify(compact)}]`;
}

// src/rollout/lease.ts
var TAG2 = "agentrun-lease";
var PATTERN2 = new RegExp(`\\[${TAG2} (\\{.*\\})\\]\\s*$`);
var PREFIX = "Canary candidate";
function readLease(description) {
  const match = PATTERN2.exec(description ?? "");
  if (!match) return void 0;
  try {
    const raw = JSON.parse(match[1]);
    const gates = raw.g && typeof raw.g === "object" ? raw.g : {};
    const lease = {
      owner: String(raw.o),
      start: Number(raw.t) * 1e3,
      token: String(raw.k),
      candidate: typeof raw.c === "string" ? raw.c : void 0,
      gates
    };
    return Number.isFinite(lease.start) ? lease : void 0;
  } catch {
    return void 0;
  }
}
function leaseDescription(lease) {
  const compact = {
    o: lease.owner,
    t: Math.floor(lease.start / 1e3),
    k: lease.token,
    ...lease.candidate ? { c: lease.candidate } : {},
    g: lease.gates
  };
  return `${PREFIX} [${TAG2} ${JSON.stringify(compact)}]`;
}
function leaseHeld(lease, marker2) {
  if (!lease) return inProgress(marker2);
  if (!marker2 || inProgress(marker2)) return true;
  return !(marker2.candidate === lease.candidate && marker2.since >= lease.start);
}
function runOwner(env) {
  return env.GITHUB_RUN_ID || "local";
}

// src/rollout/context.ts
var RolloutError = class extends Error {
  constructor(report2) {
    super(
      `Canary of version ${report2.candidate} rolled back: ${report2.reason} Production serves ${report2.serving}.`
    );
    this.report = report2;
    this.name = "RolloutError";
  }
  report;
};
async function readRollout(ctx) {
  const endpoints = await ctx.api.listEndpoints(ctx.runtimeId);
  const named = (name) => endpoints.find((e) => e.agentRuntimeEndpointName === name);
  const endpoint2 = named(ctx.productionEndpoint);
  if (!endpoint2) {
    throw new Error(
      `Agent runtime ${ctx.runtimeName} has no endpoint ${ctx.productionEndpoint} to roll out to.`
    );
  }
  return {
    endpoint: endpoint2,
    marker: readMarker(endpoint2.description),
    lease: readLease(named(ctx.options.canaryEndpoint)?.description)
  };
}
async function settledRollout(ctx) {
  const state = await readRollout(ctx);
  const busy = SERVICE.busyStatuses;
  if (!busy.includes(state.endpoint.status ?? "")) return state;
  await waitForEndpoint(ctx.api, ctx.runtimeId, state.endpoint.agentRuntimeEndpointId, ctx.wait);
  return readRollout(ctx);
}

// src/rollout/options.ts
var Strategy = { direct: "direct", canary: "canary" };
var CanaryMode = { auto: "auto", manual: "manual" };
var ROLLOUT_INPUT_DEFAULTS = {
  strategy: "direct",
  "canary-steps": "10,30,50,100",
  "canary-interval": "60s",
  "canary-mode": "auto",
  "canary-endpoint": "canary",
  "production-endpoint": "",
  "promote-to": "next",
  "probe-path": "/",
  "probe-method": "POST",
  "probe-body": "{}",
  "probe-headers": "",
  "probe-expect-status": "2xx",
  "probe-expect-body": "",
  "probe-rps": "5",
  "probe-timeout": "10s",
  "min-success-rate": "0.99",
  "max-latency": "2s",
  "max-consecutive-failures": "3",
  "gate-command": "",
  // Python's `Traceback (most recent call last):` and logging's `ERROR:`, Node's `Error:` and `Uncaught`.
  // UNCONFIRMED: no source read here states how SLS splits a line into words; if `ValueError` is one
  // word it does not match `Error`, but the Traceback line before it does.
  "gate-logs-query": "Traceback or Error or Exception or Uncaught",
  "max-error-logs": "0"
};
var ENDPOINT_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
function parseRolloutOptions(get, given2 = () => false) {
  const names = Object.keys(ROLLOUT_INPUT_DEFAULTS);
  return {
    strategy: oneOf("strategy", get("strategy"), Object.values(Strategy)),
    steps: parseSteps(get("canary-steps")),
    intervalMs: parseDuration("canary-interval", get("canary-interval")),
    mode: oneOf("canary-mode", get("canary-mode"), Object.values(CanaryMode)),
    canaryEndpoint: endpointName("canary-endpoint", get("canary-endpoint")),
    productionEndpoint: get("production-endpoint") ? endpointName("production-endpoint", get("production-endpoint")) : void 0,
    promoteTo: parsePromoteTo(get("promote-to")),
    probe: {
      path: parseProbePath(get("probe-path")),
      method: oneOf("probe-method", get("probe-method").toUpperCase(), [
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD"
      ]),
      body: get("probe-body") || void 0,
      headers: parseHeaders(get("probe-headers")),
      expectStatus: parseExpectStatus(get("probe-expect-status")),
      expectBody: get("probe-expect-body") || void 0,
      rps: parsePositiveNumber("probe-rps", get("probe-rps"), 100),
      timeoutMs: parseDuration("probe-timeout", get("probe-timeout"))
    },
    gates: {
      minSuccessRate: parseRate(get("min-success-rate")),
      maxLatencyMs: parseDuration("max-latency", get("max-latency")),
      maxConsecutiveFailures: parsePositiveInteger(
        "max-consecutive-failures",
        get("max-consecutive-failures")
      ),
      command: get("gate-command") || void 0,
      logsQuery: get("gate-logs-query"),
      maxErrorLogs: parseCount("max-error-logs", get("max-error-logs"))
    },
    inputs: Object.fromEntries(names.map((name) => [name, get(name)])),
    given: new Set(names.filter(given2))
  };
}
function parseCount(name, value) {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new InputError(`Input ${name} must be a whole number from 0, not "${value}".`);
  }
  return number;
}
function parseSteps(value) {
  const steps = parseList(value).map(Number);
  const valid = steps.length > 0 && steps.every(
    (step, i) => Number.isInteger(step) && step >= 1 && step <= 100 && (i === 0 || step > steps[i - 1])
  ) && steps.at(-1) === 100;
  if (!valid) {
    throw new InputError(
      `Input canary-steps must be ascending whole percents from 1 to 100 that end at 100, such as 10,30,50,100, not "${value}".`
    );
  }
  return steps;
}
function parsePromoteTo(value) {
  if (value === "next" || value === "full") return value;
  const percent2 = Number(value.replace(/%$/, ""));
  if (!Number.isInteger(percent2) || percent2 < 1 || percent2 > 100) {
    throw new InputError(`Input promote-to must be next, full or a percent from 1 to 100, not "${value}".`);
  }
  return percent2;
}
function parseProbePath(value) {
  if (!value.startsWith("/")) throw new InputError(`Input probe-path must start with /, not "${value}".`);
  return value;
}
function parseHeaders(value) {
  if (!value.trim()) return {};
  if (value.trim().startsWith("{")) {
    let parsed;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = void 0;
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
    throw new InputError("Input probe-headers must be a JSON object or `Name: value` lines.");
  }
  const headers = {};
  for (const line of value.split("\n").filter((l) => l.trim())) {
    const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) throw new InputError(`Input probe-headers: "${line.trim()}" is not a \`Name: value\` line.`);
    headers[match[1]] = match[2];
  }
  return headers;
}
function parseExpectStatus(value) {
  const codes = [];
  const classes = [];
  for (const item of parseList(value)) {
    const cls = /^([1-5])xx$/i.exec(item);
    if (cls) classes.push(Number(cls[1]));
    else if (/^[1-5]\d\d$/.test(item)) codes.push(Number(item));
    else {
      throw new InputError(
        `Input probe-expect-status must be statuses or classes such as 200 or 2xx, not "${value}".`
      );
    }
  }
  if (codes.length + classes.length === 0) throw new InputError("Input probe-expect-status is empty.");
  return { codes, classes };
}
function parseRate(value) {
  const rate = value.trim().endsWith("%") ? Number(value.trim().slice(0, -1)) / 100 : Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1) {
    throw new InputError(
      `Input min-success-rate must be a share from 0 to 1 (or a percent), such as 0.99, not "${value}".`
    );
  }
  return rate;
}
function parsePositiveNumber(name, value, max) {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > max) {
    throw new InputError(`Input ${name} must be a number above 0 and at most ${max}, not "${value}".`);
  }
  return number;
}
function endpointName(name, value) {
  if (!ENDPOINT_NAME.test(value)) {
    throw new InputError(
      `Input ${name} must be an endpoint name (a letter, then up to 63 letters, digits, _ or -), not "${value}".`
    );
  }
  return value;
}
function oneOf(name, value, allowed) {
  if (!allowed.includes(value)) {
    throw new InputError(`Input ${name} must be one of ${allowed.join(", ")}, not "${value}".`);
  }
  return value;
}

// src/rollout/recorded.ts
var RECORDED = {
  "canary-interval": "i",
  "probe-path": "pp",
  "probe-method": "pm",
  "probe-body": "pb",
  "probe-expect-status": "ps",
  "probe-expect-body": "pe",
  "probe-rps": "pr",
  "probe-timeout": "pt",
  "min-success-rate": "sr",
  "max-latency": "l",
  "max-consecutive-failures": "cf",
  "gate-command": "gc",
  "gate-logs-query": "lq",
  "max-error-logs": "le"
};
var recordedNames = Object.keys(RECORDED);
function recordGates(options) {
  return Object.fromEntries(
    recordedNames.filter((name) => options.inputs[name] !== ROLLOUT_INPUT_DEFAULTS[name]).map((name) => [RECORDED[name], options.inputs[name]])
  );
}
function withRecordedGates(options, recorded2, logger) {
  const recordedValue = (name) => recorded2[RECORDED[name]] ?? ROLLOUT_INPUT_DEFAULTS[name];
  for (const name of recordedNames) {
    const value = options.inputs[name];
    if (options.given.has(name) && value !== recordedValue(name)) {
      logger.info(
        `Input ${name} is given as ${JSON.stringify(value)}: it overrides ${JSON.stringify(recordedValue(name))}, which the rollout began with.`
      );
    }
  }
  const isRecorded = (name) => Object.hasOwn(RECORDED, name);
  return parseRolloutOptions(
    (name) => isRecorded(name) && !options.given.has(name) ? recordedValue(name) : options.inputs[name],
    (name) => options.given.has(name)
  );
}

// src/markdown.ts
var Mark = {
  done: "\u2705",
  failed: "\u274C",
  paused: "\u23F8\uFE0F",
  working: "\u23F3",
  removed: "\u{1F5D1}\uFE0F",
  /** Nothing to do, or a plan: neither good nor bad news. */
  info: "\u2139\uFE0F"
};
function headline(mark, sentence) {
  return `### ${Mark[mark]} ${sentence}`;
}
function servedVersion(version2, weights = [], latestIs) {
  const main = version2 !== LATEST ? `version ${version2}` : latestIs ? `LATEST (version ${latestIs})` : "LATEST";
  if (!weights.length) return main;
  const rest = 1 - weights.reduce((sum, w) => sum + (w.weight ?? 0), 0);
  const share = (weight) => `${Math.round(weight * 100)}%`;
  return [
    `${main} (${share(rest)})`,
    ...weights.map((w) => `version ${w.version} (${share(w.weight ?? 0)})`)
  ].join(" and ");
}
function liveAt(endpoint2, served, url) {
  return `${code(endpoint2)} serves ${served}${url ? ` at ${autolink(url)}` : ""}`;
}
function autolink(url) {
  return `<${url.replace(/[<>\s]/g, encodeURIComponent)}>`;
}
function link(text2, url) {
  return `[${escapeMarkdown(text2)}](${autolink(url)})`;
}
function escapeMarkdown(text2) {
  return text2.replace(/[\\`*_[\]~]/g, "\\$&").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function code(text2) {
  const longest = Math.max(0, ...[...text2.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return longest ? `${ticks} ${text2} ${ticks}` : `${ticks}${text2}${ticks}`;
}
function quote(text2, max = 1500) {
  const cut2 = text2.length > max ? `${text2.slice(0, max)}\u2026` : text2;
  return cut2.split("\n").map((line) => `> ${escapeMarkdown(line)}`.trimEnd()).join("\n>\n");
}
var cells = (values) => `| ${values.map((v) => v.replace(/\|/g, "\\|").replace(/\n/g, " ")).join(" | ")} |`;
function table(header, rows2) {
  return [cells(header), cells(header.map(() => "---")), ...rows2.map(cells)].join("\n");
}

// src/rollout/gates.ts
var Gate = {
  samples: "probes-completed",
  successRate: "min-success-rate",
  latency: "max-latency",
  consecutiveFailures: "max-consecutive-failures",
  errorLogs: "max-error-logs",
  command: "gate-command"
};
function describeGate(result) {
  const verdict = result.skipped ? `skipped, ${result.skipped}` : `${result.measured}, needs ${result.threshold}`;
  return `${result.gate} on ${result.subject}: ${verdict}`;
}

// src/rollout/stages.ts
function routingAt(stable, candidate, percent2) {
  if (percent2 >= 100) return { targetVersion: candidate, routingConfiguration: { versionWeights: [] } };
  if (percent2 <= 0) return { targetVersion: stable, routingConfiguration: { versionWeights: [] } };
  return {
    targetVersion: stable,
    routingConfiguration: { versionWeights: [{ version: candidate, weight: percent2 / 100 }] }
  };
}
function describeSplit(routing) {
  const weights = splitWeights(routing);
  const rest = Math.round((1 - weights.reduce((sum, w) => sum + (w.weight ?? 0), 0)) * 100);
  return [
    `${routing.targetVersion}: ${rest}%`,
    ...weights.map((w) => `${w.version}: ${Math.round((w.weight ?? 0) * 100)}%`)
  ].join(", ");
}
function promotionTarget(steps, stage, to) {
  if (to === "next") return Math.min(stage + 1, steps.length - 1);
  if (to === "full") return steps.length - 1;
  const index = steps.findIndex((step) => step >= to);
  return Math.max(stage, index < 0 ? steps.length - 1 : index);
}

// src/rollout/report.ts
var CanaryResult = {
  promoted: "promoted",
  rolledBack: "rolled-back",
  paused: "paused",
  aborted: "aborted",
  /** Another rollout holds the agent: this one never started. */
  refused: "refused"
};
var RESULT_OF_PHASE = {
  [Phase.progressing]: CanaryResult.paused,
  [Phase.paused]: CanaryResult.paused,
  [Phase.aborted]: CanaryResult.aborted,
  [Phase.promoted]: CanaryResult.promoted,
  [Phase.rolledBack]: CanaryResult.rolledBack
};
function routingOf(marker2) {
  if (marker2.phase === Phase.rolledBack) return routingAt(marker2.stable, marker2.candidate, 0);
  if (marker2.phase === Phase.promoted) return routingAt(marker2.stable, marker2.candidate, 100);
  return routingAt(marker2.stable, marker2.candidate, marker2.steps[marker2.stage]);
}
function reportOf(runtime2, marker2, stages2, reason, failed = []) {
  return {
    runtime: runtime2,
    candidate: marker2.candidate,
    stable: marker2.stable,
    result: RESULT_OF_PHASE[marker2.phase],
    stages: stages2,
    failedGates: failed,
    reason,
    serving: describeSplit(routingOf(marker2))
  };
}
var pct = (share) => `${(share * 100).toFixed(1)}%`;
var ms = (value) => `${Math.round(value)} ms`;
function rows(report2) {
  return report2.stages.flatMap(
    (stage) => stage.probes.map((probe) => [
      `${stage.stage}`,
      `${stage.weight}%`,
      probe.endpoint,
      `${probe.count}`,
      probe.count ? pct(probe.successRate) : "\u2014",
      probe.count ? ms(probe.p50Ms) : "\u2014",
      probe.count ? ms(probe.p95Ms) : "\u2014",
      stage.verdict
    ])
  );
}
var HEADER = ["stage", "weight", "endpoint", "probes", "success", "p50", "p95", "verdict"];
function stageTable(report2) {
  const table2 = [HEADER, ...rows(report2)];
  const widths = HEADER.map((_, i) => Math.max(...table2.map((row) => row[i].length)));
  return table2.map(
    (row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()
  ).join("\n");
}
function reportLines(report2) {
  const failures = report2.stages.flatMap(
    (stage) => stage.probes.flatMap((probe) => probe.sampleFailures.map((f) => `  ${probe.endpoint}: ${f}`))
  );
  return [
    ...report2.stages.length ? [stageTable(report2)] : [],
    ...report2.failedGates.flatMap((gate) => [
      `Failed gate ${describeGate(gate)}`,
      ...(gate.samples ?? []).map((sample) => `  ${sample}`)
    ]),
    ...failures.length && report2.result === CanaryResult.rolledBack ? ["Sample failing responses:", ...failures] : []
  ];
}
function logReport(logger, report2) {
  for (const line of reportLines(report2)) logger.info(line);
  logger.info(`Canary ${report2.result}: ${report2.reason} Production serves ${report2.serving}.`);
}
var who = (owner) => owner === void 0 ? "an earlier run" : owner === "local" ? "a run outside GitHub Actions" : `workflow run ${owner}`;
var at = (ms2) => new Date(ms2).toISOString();
function describeInProgress(runtime2, canaryEndpoint, { marker: marker2, lease }) {
  const todo = "See it with the status command; end it with promote, rollback or abort, or wait for it to end.";
  if (!marker2 || !inProgress(marker2)) {
    return `A rollout of ${runtime2} is starting: ${who(lease?.owner)} took its lease${lease ? ` at ${at(lease.start)}` : ""}${lease?.candidate ? ` for version ${lease.candidate}` : ""}. If that run is gone, deleting endpoint ${canaryEndpoint} releases it. ` + todo;
  }
  return `A rollout of ${runtime2} is in progress: version ${marker2.candidate} at ${marker2.steps[marker2.stage]}% (stage ${marker2.stage + 1}/${marker2.steps.length}, ${marker2.phase} since ${at(marker2.since)}), stable version ${marker2.stable}, owned by ${who(marker2.owner ?? lease?.owner)}${lease ? `, started at ${at(lease.start)}` : ""}. ${todo}`;
}
function statusText(about, marker2, lease) {
  if (!marker2)
    return `No rollout of ${about.runtime} recorded on ${about.production}. Production: ${about.split}.`;
  const elapsed = Math.max(0, about.now - marker2.since);
  const remaining = Math.max(0, about.intervalMs - elapsed);
  const next = {
    [Phase.progressing]: "advance, promote, abort or rollback",
    [Phase.paused]: "promote, advance, abort or rollback",
    [Phase.aborted]: "promote or rollback",
    [Phase.promoted]: "rollback (reverts to the stable version)",
    [Phase.rolledBack]: "a new deploy"
  }[marker2.phase];
  const wanted = describeSplit(routingOf(marker2));
  const baking = marker2.phase === Phase.progressing || marker2.phase === Phase.paused;
  return [
    `Rollout of ${about.runtime}: ${marker2.phase}`,
    `  candidate ${marker2.candidate}, stable ${marker2.stable}`,
    `  stage ${marker2.stage + 1}/${marker2.steps.length} (${marker2.steps.join(", ")}%): ${marker2.steps[marker2.stage]}% wanted`,
    `  production ${about.production}: ${about.split}`,
    ...wanted === about.split ? [] : [`  drift: the marker stands for ${wanted}; someone changed the endpoint by hand`],
    ...baking ? [
      `  stage started ${at(marker2.since)}: ${Math.round(elapsed / 1e3)} s baked, ${Math.ceil(remaining / 1e3)} s to go`
    ] : marker2.phase === Phase.aborted ? [`  stopped ${at(marker2.since)} by abort: nothing bakes until promote or rollback`] : [],
    ...inProgress(marker2) ? [`  owned by ${who(marker2.owner ?? lease?.owner)}`] : [],
    ...marker2.reason ? [`  reason: ${marker2.reason}`] : [],
    `  next: ${next}`
  ].join("\n");
}
function servingWords(serving) {
  const parts = serving.split(", ").map((part) => part.split(": "));
  if (parts.length === 1) return `version ${parts[0][0]}`;
  return parts.map(([version2, share]) => `version ${version2} (${share})`).join(" and ");
}
var HEADLINE = {
  [CanaryResult.promoted]: { mark: "done", lead: "Canary promoted" },
  [CanaryResult.rolledBack]: { mark: "failed", lead: "Canary rolled back" },
  [CanaryResult.paused]: { mark: "paused", lead: "Canary paused" },
  [CanaryResult.aborted]: { mark: "paused", lead: "Canary aborted" },
  [CanaryResult.refused]: { mark: "failed", lead: "Canary refused" }
};
function reportMarkdown(report2, places, deployed = "") {
  const { mark, lead } = HEADLINE[report2.result];
  const failed = report2.result === CanaryResult.rolledBack ? ` version ${report2.candidate} failed` : "";
  const gate = report2.failedGates[0];
  const why = gate ? `: ${gate.gate} on ${gate.subject} ${gate.measured}, needs ${gate.threshold}` : "";
  const first = headline(
    mark,
    `${lead}${failed}${escapeMarkdown(why)} \u2014 ${code(report2.runtime)}: ${liveAt(places.production, servingWords(report2.serving), places.productionUrl)}`
  );
  const samples = report2.stages.flatMap(
    (stage) => stage.probes.flatMap((probe) => probe.sampleFailures.map((f) => `${probe.endpoint}: ${f}`))
  );
  const lines = [
    first,
    "",
    `Candidate version ${report2.candidate} on ${code(places.candidateEndpoint)}${places.candidateUrl ? ` at ${autolink(places.candidateUrl)}` : ""}; stable version ${report2.stable}. ${escapeMarkdown(report2.reason)}`,
    ""
  ];
  if (report2.failedGates.length) {
    lines.push(
      table(
        ["failed gate", "on", "measured", "threshold"],
        report2.failedGates.map((g) => [g.gate, escapeMarkdown(g.subject), g.measured, g.threshold])
      ),
      ""
    );
  }
  if (samples.length && report2.result === CanaryResult.rolledBack) {
    lines.push(
      "**Sample failing responses**",
      "",
      ...samples.slice(0, SAMPLES).map((f) => `- ${escapeMarkdown(cut(f))}`),
      ""
    );
  }
  if (report2.stages.length) {
    lines.push(stageMarkdown(report2), "");
    if (showsTrend(report2)) lines.push(errorChart(report2), "");
  }
  if (deployed) lines.push(deployed, "");
  return lines.join("\n");
}
var SAMPLES = 5;
var SAMPLE_LENGTH = 160;
var CHART_FROM_STAGES = 3;
function showsTrend(report2) {
  return report2.stages.length >= CHART_FROM_STAGES && report2.stages.some((stage) => stage.probes.some((p) => p.endpoint === "candidate" && p.successRate < 1));
}
var cut = (text2) => text2.length > SAMPLE_LENGTH ? `${text2.slice(0, SAMPLE_LENGTH)}\u2026` : text2;
function stageMarkdown(report2) {
  const measured = (probe) => probe?.count ? `${pct(probe.successRate)} \xB7 p95 ${ms(probe.p95Ms)} \xB7 ${probe.count} probe${probe.count === 1 ? "" : "s"}` : "\u2014";
  return table(
    [
      "stage",
      "candidate share",
      `candidate (v${report2.candidate})`,
      `production (v${report2.stable} with v${report2.candidate}'s share)`,
      "verdict"
    ],
    report2.stages.map((stage) => [
      `${stage.stage}`,
      `${stage.weight}%`,
      measured(stage.probes.find((p) => p.endpoint === "candidate")),
      measured(stage.probes.find((p) => p.endpoint !== "candidate")),
      stage.verdict === "failed" ? `${Mark.failed} failed` : `${Mark.done} passed`
    ])
  );
}
function errorChart(report2) {
  const errors = report2.stages.map((stage) => {
    const probe = stage.probes.find((p) => p.endpoint === "candidate");
    return probe?.count ? Number(((1 - probe.successRate) * 100).toFixed(1)) : 100;
  });
  const threshold = report2.stages.flatMap((stage) => stage.gates).find((g) => g.gate === "min-success-rate")?.threshold;
  const allowed = threshold ? 100 - Number(/([\d.]+)%/.exec(threshold)?.[1] ?? 100) : void 0;
  const top = Math.max(5, Math.ceil(Math.max(...errors, allowed ?? 0) * 1.2));
  return [
    "```mermaid",
    "---",
    "config:",
    "  xyChart:",
    "    width: 560",
    "    height: 200",
    "    titleFontSize: 14",
    "    xAxis:",
    "      labelFontSize: 12",
    "    yAxis:",
    "      labelFontSize: 10",
    "      titleFontSize: 12",
    "---",
    "xychart-beta",
    `  title "Candidate error rate per stage (%)${allowed !== void 0 ? `, line: ${allowed.toFixed(1)}% allowed` : ""}"`,
    `  x-axis [${report2.stages.map((stage) => `"${stage.stage}: ${stage.weight}%"`).join(", ")}]`,
    `  y-axis "errors %" 0 --> ${top}`,
    `  bar [${errors.join(", ")}]`,
    ...allowed !== void 0 ? [`  line [${errors.map(() => allowed.toFixed(1)).join(", ")}]`] : [],
    "```"
  ].join("\n");
}
function reportJson(report2) {
  return JSON.stringify(report2);
}

// src/diagnose/output.ts
async function logFailureOutput(logger, error) {
  if (!(error instanceof WaitError) || !error.statusReason) return;
  const lines = linesOf(error.statusReason.trimEnd());
  if (lines.length <= 1) return;
  await logger.group(`${error.subject}: its last output`, async () => {
    for (const line of lines) logger.info(line);
  });
}

// src/rollout/probe.ts
var SAMPLE_FAILURES = 3;
var BODY_EXCERPT = 200;
async function probeEndpoint(endpoint2, url, options, durationMs, clock, stop = () => false) {
  const target = `${url.replace(/\/$/, "")}${options.path === "/" ? "" : options.path}`;
  const intervalMs = 1e3 / options.rps;
  const started = clock.now();
  const samples = [];
  const inFlight = [];
  for (let i = 0; ; i++) {
    const due = started + i * intervalMs;
    if (due - started >= durationMs || stop(samples)) break;
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait);
    const index = i;
    inFlight.push(
      sendProbe(target, options).then((sample) => {
        samples[index] = sample;
      })
    );
  }
  await Promise.all(inFlight);
  return summarize(endpoint2, url, samples.filter(Boolean));
}
async function sendProbe(url, options) {
  const begin = performance.now();
  const elapsed = () => Math.round((performance.now() - begin) * 10) / 10;
  try {
    const response = await fetch(url, {
      method: options.method,
      headers: { ...options.body ? { "content-type": "application/json" } : {}, ...options.headers },
      body: options.method === "GET" || options.method === "HEAD" ? void 0 : options.body,
      signal: AbortSignal.timeout(options.timeoutMs)
    });
    const body = await response.text();
    const latencyMs = elapsed();
    const problem = judge(response.status, body, options);
    return problem ? { ok: false, latencyMs, status: response.status, failure: problem } : { ok: true, latencyMs, status: response.status };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return {
      ok: false,
      latencyMs: elapsed(),
      failure: timedOut ? `no answer within ${options.timeoutMs} ms` : `request failed: ${describe(error)}`
    };
  }
}
function judge(status2, body, options) {
  const { codes, classes } = options.expectStatus;
  const excerpt = body.length > BODY_EXCERPT ? `${body.slice(0, BODY_EXCERPT)}\u2026` : body;
  if (!codes.includes(status2) && !classes.includes(Math.floor(status2 / 100))) {
    return `HTTP ${status2}: ${excerpt}`;
  }
  const expected2 = options.expectBody;
  if (expected2 === void 0) return void 0;
  if (expected2.startsWith("$")) {
    const problem = checkJsonPath(body, expected2);
    return problem && `HTTP ${status2}, ${problem}: ${excerpt}`;
  }
  return body.includes(expected2) ? void 0 : `HTTP ${status2}, body lacks ${JSON.stringify(expected2)}: ${excerpt}`;
}
function checkJsonPath(body, expression) {
  const [path17 = "", expected2] = expression.split(/=(.*)/s, 2);
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    return `body is not JSON for ${path17}`;
  }
  for (const key of path17.replace(/^\$\.?/, "").match(/[^.[\]]+/g) ?? []) {
    value = value !== null && typeof value === "object" ? value[key] : void 0;
  }
  if (value === void 0 || value === null) return `${path17} is missing`;
  if (expected2 === void 0) return void 0;
  const text2 = typeof value === "string" ? value : JSON.stringify(value);
  return text2 === expected2 ? void 0 : `${path17} is ${text2}, not ${expected2}`;
}
function summarize(endpoint2, url, samples) {
  const successes = samples.filter((s) => s.ok).length;
  const latencies = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  let run3 = 0;
  let maxRun = 0;
  for (const sample of samples) {
    run3 = sample.ok ? 0 : run3 + 1;
    maxRun = Math.max(maxRun, run3);
  }
  return {
    endpoint: endpoint2,
    url,
    count: samples.length,
    successes,
    successRate: samples.length ? successes / samples.length : 0,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxConsecutiveFailures: maxRun,
    sampleFailures: samples.flatMap((s) => s.failure ?? []).slice(0, SAMPLE_FAILURES)
  };
}
function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

// src/rollout/providers/command.ts
var gateCommand = (options, deps) => {
  const command = options.gates.command;
  if (!command) return void 0;
  return {
    evaluate: async (window) => {
      if (!window.earlier.every((g) => g.passed)) return [];
      const result = await deps.runner.shell(command, {
        cwd: deps.cwd,
        env: {
          ...deps.env,
          CANARY_URL: window.candidateUrl,
          PRODUCTION_URL: window.productionUrl,
          CANARY_VERSION: window.marker.candidate,
          STABLE_VERSION: window.marker.stable,
          CANARY_WEIGHT: String(window.weight)
        },
        onLine: (line) => deps.logger.info(`  gate-command: ${line}`)
      });
      return [commandGate(command, result.exitCode, result.signal)];
    }
  };
};
function commandGate(command, exitCode, signal) {
  return {
    gate: Gate.command,
    subject: command,
    passed: exitCode === 0,
    measured: exitCode === null ? `killed by ${signal ?? "a signal"}` : `exit code ${exitCode}`,
    threshold: "exit code 0"
  };
}

// src/rollout/providers/provider.ts
function probed(window) {
  return [window.probes.candidate, window.probes.production].filter((s) => s.count > 0);
}

// src/rollout/providers/consecutive-failures.ts
var consecutiveFailures = (options) => ({
  evaluate: (window) => Promise.resolve(
    probed(window).map((stats) => ({
      gate: Gate.consecutiveFailures,
      subject: stats.endpoint,
      passed: stats.maxConsecutiveFailures < options.gates.maxConsecutiveFailures,
      measured: `${stats.maxConsecutiveFailures} in a row`,
      threshold: `< ${options.gates.maxConsecutiveFailures}`
    }))
  )
});

// src/rollout/providers/error-logs.ts
var errorLogs = (options, deps) => {
  const { logsQuery: query, maxErrorLogs: max } = options.gates;
  let noticed = false;
  return {
    evaluate: async (window) => {
      const version2 = window.marker.candidate;
      const found = await deps.errorLogs?.({
        runtime: window.runtime,
        version: version2,
        from: window.from,
        to: window.to,
        query
      });
      const gate = { gate: Gate.errorLogs, subject: "candidate", threshold: `\u2264 ${max} error lines` };
      if (!found) {
        if (!noticed) {
          deps.logger.notice(
            `Gate max-error-logs is skipped: no logstore holds the logs of ${window.runtime}. Give the runtime a logConfig in the s.yaml to gate on its error lines.`
          );
          noticed = true;
        }
        return [{ ...gate, passed: true, measured: "not measured", skipped: "no logstore" }];
      }
      return [
        {
          ...gate,
          passed: found.count <= max,
          measured: `${found.count} lines matching ${JSON.stringify(query)}`,
          samples: found.samples
        }
      ];
    }
  };
};

// src/rollout/providers/latency.ts
var latency = (options) => ({
  evaluate: (window) => Promise.resolve(
    probed(window).map((stats) => ({
      gate: Gate.latency,
      subject: stats.endpoint,
      passed: stats.p95Ms <= options.gates.maxLatencyMs,
      measured: `p95 ${Math.round(stats.p95Ms)} ms`,
      threshold: `\u2264 ${options.gates.maxLatencyMs} ms`
    }))
  )
});

// src/rollout/providers/success-rate.ts
var percent = (share) => `${(share * 100).toFixed(1)}%`;
var successRate = (options) => ({
  evaluate: ({ probes }) => Promise.resolve(
    [probes.candidate, probes.production].map(
      (stats) => stats.count === 0 ? {
        gate: Gate.samples,
        subject: stats.endpoint,
        passed: false,
        measured: "no probe completed",
        threshold: "\u2265 1 probe"
      } : {
        gate: Gate.successRate,
        subject: stats.endpoint,
        passed: stats.successRate >= options.gates.minSuccessRate,
        measured: `${percent(stats.successRate)} (${stats.successes}/${stats.count})`,
        threshold: `\u2265 ${percent(options.gates.minSuccessRate)}`
      }
    )
  )
});

// src/rollout/providers/index.ts
var REGISTRY = [
  successRate,
  latency,
  consecutiveFailures,
  errorLogs,
  // Last: it runs only when every gate above passed.
  gateCommand
];
function gateProviders(options, deps) {
  return REGISTRY.flatMap((factory) => factory(options, deps) ?? []);
}

// src/rollout/step.ts
function rolloutRun(ctx, at2) {
  return { ctx, providers: gateProviders(ctx.options, ctx), at: at2 };
}
async function stepRollout(run3, marker2, windowMs, stages2, once) {
  const { ctx } = run3;
  run3.at = marker2;
  const stage = await bakeStage(run3, marker2, windowMs);
  stages2.push(stage);
  const current = await readRollout(ctx);
  if (!sameRollout(current.marker, marker2)) return { done: interrupted(ctx, marker2, current, stages2) };
  if (stage.verdict === "failed") return failStage(ctx, current, marker2, stages2, stage.gates);
  const last = marker2.steps.length - 1;
  if (marker2.stage === last) return { done: await finish(ctx, current.endpoint, marker2, stages2) };
  const next = { ...marker2, stage: marker2.stage + 1, since: ctx.clock.now(), owner: ctx.owner };
  if (!once && marker2.phase !== Phase.progressing) {
    return { done: reportOf(ctx.runtimeName, marker2, stages2, "Waiting for promote or advance.") };
  }
  run3.at = next;
  if (once && next.stage === last) return { done: await finish(ctx, current.endpoint, next, stages2) };
  await writeProduction(ctx, current.endpoint, next);
  if (!once) return { next };
  return {
    done: reportOf(
      ctx.runtimeName,
      next,
      stages2,
      `Moved to stage ${next.stage + 1}; the next advance after its bake.`
    )
  };
}
async function bakeStage(run3, marker2, windowMs) {
  const { ctx } = run3;
  const endpoints = await ctx.api.listEndpoints(ctx.runtimeId);
  const urlOf = (name) => {
    const url = endpoints.find((e) => e.agentRuntimeEndpointName === name)?.endpointPublicUrl;
    if (!url) throw new Error(`Endpoint ${name} of ${ctx.runtimeName} has no public URL to probe.`);
    return url;
  };
  const candidateUrl = urlOf(ctx.options.canaryEndpoint);
  const productionUrl = urlOf(ctx.productionEndpoint);
  const weight = marker2.steps[marker2.stage];
  const { gates: limits, probe } = ctx.options;
  ctx.logger.info(
    `Stage ${marker2.stage + 1}/${marker2.steps.length}: ${weight}% on version ${marker2.candidate}; probing for ${(windowMs / 1e3).toFixed(1)} s at ${probe.rps}/s per endpoint`
  );
  let failedEarly = false;
  const stop = (samples) => {
    let run4 = 0;
    for (const sample of samples) if (sample) run4 = sample.ok ? 0 : run4 + 1;
    failedEarly ||= run4 >= limits.maxConsecutiveFailures;
    return failedEarly;
  };
  const from = new Date(ctx.clock.now());
  const [candidate, production] = await Promise.all([
    probeEndpoint("candidate", candidateUrl, probe, windowMs, ctx.clock, stop),
    probeEndpoint("production", productionUrl, probe, windowMs, ctx.clock, stop)
  ]);
  const window = {
    from,
    to: new Date(ctx.clock.now()),
    runtime: ctx.runtimeName,
    marker: marker2,
    weight,
    candidateUrl,
    productionUrl,
    probes: { candidate, production }
  };
  const gates = [];
  for (const provider of run3.providers)
    gates.push(...await provider.evaluate({ ...window, earlier: gates }));
  const verdict = gates.every((g) => g.passed) ? "passed" : "failed";
  for (const s of [candidate, production]) {
    ctx.logger.info(
      `  ${s.endpoint}: ${s.count} probes, ${(s.successRate * 100).toFixed(1)}% ok, p50 ${Math.round(s.p50Ms)} ms, p95 ${Math.round(s.p95Ms)} ms, ${s.maxConsecutiveFailures} failures in a row at most`
    );
  }
  for (const gate of gates.filter((g) => g.skipped)) ctx.logger.info(`  ${describeGate(gate)}`);
  ctx.logger.info(`  stage ${marker2.stage + 1}: ${verdict}`);
  return {
    stage: marker2.stage + 1,
    weight,
    bakeMs: windowMs,
    probes: [candidate, production],
    gates,
    verdict
  };
}
async function writeProduction(ctx, endpoint2, marker2) {
  const routing = routingOf(marker2);
  await ctx.api.updateEndpoint(ctx.runtimeId, endpoint2.agentRuntimeEndpointId, {
    agentRuntimeEndpointName: endpoint2.agentRuntimeEndpointName,
    description: writeMarker(endpoint2.description, marker2),
    ...routingWrite(routing, endpoint2)
  });
  const written = await waitForEndpoint(ctx.api, ctx.runtimeId, endpoint2.agentRuntimeEndpointId, ctx.wait);
  ctx.logger.info(
    `Production endpoint ${ctx.productionEndpoint}: ${describeSplit(routing)} (${marker2.phase})`
  );
  return written;
}
function sameRollout(now, before) {
  return now?.candidate === before.candidate && now.phase === before.phase && now.stage === before.stage;
}
async function rollBack(ctx, state, marker2, stages2, failed, reason) {
  const rolledBack = { ...marker2, phase: Phase.rolledBack, reason, owner: ctx.owner };
  await writeProduction(ctx, state.endpoint, rolledBack);
  return reportOf(ctx.runtimeName, rolledBack, stages2, reason, failed);
}
async function failStage(ctx, state, marker2, stages2, gates) {
  const failed = gates.filter((g) => !g.passed);
  const said = await ctx.diagnose?.(marker2.candidate);
  const reason = `Stage ${marker2.stage + 1} (${marker2.steps[marker2.stage]}%) failed ${failed.map(describeGate).join("; ")}.` + (said === void 0 ? "" : ` ${said.replace(/[^.!?]$/, "$&.")}`);
  throw new RolloutError(await rollBack(ctx, state, marker2, stages2, failed, reason));
}
async function finish(ctx, endpoint2, marker2, stages2) {
  const promoted = { ...marker2, phase: Phase.promoted, since: ctx.clock.now(), owner: ctx.owner };
  await writeProduction(ctx, endpoint2, promoted);
  return reportOf(ctx.runtimeName, promoted, stages2, "Every stage passed its gates.");
}
function interrupted(ctx, marker2, current, stages2) {
  const now = current.marker ?? marker2;
  return reportOf(
    ctx.runtimeName,
    now,
    stages2,
    `Another run changed the rollout to ${now.phase}; this run stopped.`
  );
}
async function rollingBackOnError(ctx, marker2, stages2, step) {
  try {
    return await step();
  } catch (error) {
    if (error instanceof RolloutError) throw error;
    await logFailureOutput(ctx.logger, error);
    const at2 = marker2();
    const message = error instanceof Error ? error.message : String(error);
    let report2;
    try {
      const state = await settledRollout(ctx);
      const now = state.marker;
      if (!now || now.candidate !== at2.candidate || !inProgress(now)) throw error;
      if (now.phase !== at2.phase) return interrupted(ctx, at2, state, stages2);
      const reason = `Error at stage ${at2.stage + 1} (${at2.steps[at2.stage]}%): ${message}`;
      report2 = await rollBack(ctx, state, now, stages2, [], reason);
    } catch (rollbackError) {
      if (rollbackError === error) throw error;
      throw new Error(
        `${message}
Rolling production back to version ${at2.stable} failed too: ${rollbackError.message}. Run the rollback command once AgentRun answers again.`
      );
    }
    throw new RolloutError(report2);
  }
}

// src/rollout/take.ts
import { randomBytes } from "node:crypto";

// src/preview/names.ts
function previewEndpointName(pattern, pr) {
  return pattern.replaceAll("{number}", String(pr));
}
function previewNumberOf(pattern, endpointName2) {
  const [before, after] = pattern.split("{number}");
  if (!endpointName2.startsWith(before) || !endpointName2.endsWith(after)) return void 0;
  const digits = endpointName2.slice(before.length, endpointName2.length - after.length);
  return /^[1-9]\d*$/.test(digits) ? Number(digits) : void 0;
}
function previewRuntimeName(runtimeName, pr) {
  return `${runtimeName}-pr-${pr}`;
}
function previewVersionNote(pr) {
  return `Preview of #${pr}.`;
}
function previewOfVersion(description) {
  const match = /^Preview of #(\d+)\./.exec(description ?? "");
  return match ? Number(match[1]) : void 0;
}

// src/preview/remove.ts
async function removePreviews(targets, options) {
  const removals = [];
  for (const target of targets) {
    const client = options.api(target.region);
    const removed = [];
    const endpointName2 = previewEndpointName(options.endpointPattern, options.pr);
    const runtime2 = await client.findRuntime(target.runtime.agentRuntimeName, target.workspace);
    if (runtime2) {
      const endpoint2 = (await client.listEndpoints(runtime2.agentRuntimeId)).find(
        (e) => e.agentRuntimeEndpointName === endpointName2
      );
      if (endpoint2) {
        await deleteEndpoint(client, runtime2.agentRuntimeId, endpoint2.agentRuntimeEndpointId, options);
        removed.push(`endpoint ${endpointName2} of ${runtime2.agentRuntimeName}`);
      }
    }
    const preview2 = await client.findRuntime(
      previewRuntimeName(target.runtime.agentRuntimeName, options.pr),
      target.workspace
    );
    let runtimeName = target.runtime.agentRuntimeName;
    if (preview2) {
      runtimeName = preview2.agentRuntimeName;
      for (const endpoint2 of await client.listEndpoints(preview2.agentRuntimeId)) {
        await deleteEndpoint(client, preview2.agentRuntimeId, endpoint2.agentRuntimeEndpointId, options);
      }
      await ignoringNotFound(client.deleteRuntime(preview2.agentRuntimeId));
      await waitGone(
        () => client.getRuntime(preview2.agentRuntimeId),
        `runtime ${preview2.agentRuntimeName}`,
        options
      );
      removed.push(`runtime ${preview2.agentRuntimeName}`);
    }
    removals.push({ target, removed, runtimeName });
  }
  return removals;
}
async function deleteEndpoint(client, runtimeId, endpointId, options) {
  await ignoringNotFound(client.deleteEndpoint(runtimeId, endpointId));
  await waitGone(() => client.getEndpoint(runtimeId, endpointId), `endpoint ${endpointId}`, options);
}
async function ignoringNotFound(call) {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof AgentRunError && error.kind === "NotFound")) throw error;
  }
}
async function waitGone(get, what, { clock, timeoutMs }) {
  const start2 = clock.now();
  let pause = 0;
  for (; ; ) {
    let status2;
    try {
      const found = await get();
      status2 = found.status;
      if (status2 === "DELETE_FAILED")
        throw new Error(
          `Deleting ${what} failed: ${found.statusReason ? decisiveReason(found.statusReason) : "no reason given"}`
        );
    } catch (error) {
      if (error instanceof AgentRunError && error.kind === "NotFound") return;
      throw error;
    }
    if (clock.now() - start2 >= timeoutMs)
      throw new Error(`${what} is still ${status2 ?? "there"} after the timeout.`);
    pause = pollInterval(clock.now() - start2, pause, Math.random);
    await clock.sleep(pause);
  }
}

// src/rollout/take.ts
var MAX_ROUNDS = 4;
function holderGone(ctx, marker2) {
  return marker2.phase !== Phase.progressing || ctx.clock.now() >= marker2.since + ctx.options.intervalMs + ctx.wait.timeoutMs;
}
var RolloutRefused = class extends Error {
  constructor(message) {
    super(message);
    this.name = "RolloutRefused";
  }
};
async function takeLease(ctx, lease, version2, marker2) {
  const description = leaseDescription(lease);
  if (description.length > SERVICE.limits.description.maxLength) {
    throw new InputError(
      `The rollout records its gate settings on endpoint ${ctx.options.canaryEndpoint}, whose description holds ${SERVICE.limits.description.maxLength} characters; these need ${description.length}. Shorten gate-command (a script file), probe-body or gate-logs-query.`
    );
  }
  const name = ctx.options.canaryEndpoint;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const existing2 = (await ctx.api.listEndpoints(ctx.runtimeId)).find(
      (e) => e.agentRuntimeEndpointName === name
    );
    if (existing2) {
      const held = readLease(existing2.description);
      const production2 = await marker2();
      if (leaseHeld(held, production2) || round === MAX_ROUNDS) {
        return { holder: { lease: held, marker: production2 } };
      }
      ctx.logger.info(`Endpoint ${name} is left from an ended rollout: deleting it to start a new one.`);
      await deleteEndpoint(ctx.api, ctx.runtimeId, existing2.agentRuntimeEndpointId, {
        clock: ctx.clock,
        timeoutMs: ctx.wait.timeoutMs
      });
      continue;
    }
    let created;
    try {
      created = await ctx.api.createEndpoint(ctx.runtimeId, {
        agentRuntimeEndpointName: name,
        description,
        targetVersion: version2
      });
    } catch (error) {
      if (error instanceof AgentRunError && error.kind === "Conflict") continue;
      throw error;
    }
    if (created.description !== description) continue;
    return {
      endpoint: await waitForEndpoint(ctx.api, ctx.runtimeId, created.agentRuntimeEndpointId, ctx.wait)
    };
  }
  const production = await marker2();
  return { holder: { marker: production } };
}
function newLease(ctx, gates) {
  return {
    owner: ctx.owner,
    start: Math.floor(ctx.clock.now() / 1e3) * 1e3,
    token: randomBytes(4).toString("hex"),
    gates
  };
}
async function dropLease(ctx, endpoint2) {
  await deleteEndpoint(ctx.api, ctx.runtimeId, endpoint2.agentRuntimeEndpointId, {
    clock: ctx.clock,
    timeoutMs: ctx.wait.timeoutMs
  });
}

// src/rollout/controller.ts
var CHECK_WINDOW_MS = 3e4;
var checkWindow = (ctx) => Math.min(ctx.options.intervalMs, CHECK_WINDOW_MS);
async function recordedContext(ctx) {
  const { lease } = await readRollout(ctx);
  if (!lease) return ctx;
  return { ...ctx, options: withRecordedGates(ctx.options, lease.gates, ctx.logger) };
}
async function beginRollout(ctx, lease, stable, candidate) {
  const name = ctx.options.canaryEndpoint;
  await ctx.api.updateEndpoint(ctx.runtimeId, lease.endpoint.agentRuntimeEndpointId, {
    agentRuntimeEndpointName: name,
    description: leaseDescription({ ...lease.lease, candidate }),
    targetVersion: candidate
  });
  const ready = await waitForEndpoint(
    ctx.api,
    ctx.runtimeId,
    lease.endpoint.agentRuntimeEndpointId,
    ctx.wait
  );
  ctx.logger.info(`Endpoint ${name} serves version ${candidate} alone: ${ready.endpointPublicUrl}`);
  const { endpoint: endpoint2 } = await readRollout(ctx);
  const marker2 = {
    phase: ctx.options.mode === "manual" ? Phase.paused : Phase.progressing,
    candidate,
    stable,
    stage: 0,
    steps: ctx.options.steps,
    since: ctx.clock.now(),
    owner: ctx.owner
  };
  await writeProduction(ctx, endpoint2, marker2);
  return marker2;
}
async function driveRollout(ctx, start2, firstWindowMs) {
  const run3 = rolloutRun(ctx, start2);
  const stages2 = [];
  let marker2 = start2;
  let window = firstWindowMs;
  return rollingBackOnError(
    ctx,
    () => run3.at,
    stages2,
    async () => {
      for (; ; ) {
        const remaining = marker2.since + ctx.options.intervalMs - ctx.clock.now();
        const tick = await stepRollout(
          run3,
          marker2,
          window ?? Math.max(remaining, checkWindow(ctx)),
          stages2,
          false
        );
        window = void 0;
        if ("done" in tick) return tick.done;
        marker2 = tick.next;
      }
    }
  );
}
async function advanceRollout(ctx) {
  const { marker: marker2 } = await requireRollout(ctx);
  const stay = (reason) => reportOf(ctx.runtimeName, marker2, [], reason);
  if (marker2.phase === Phase.aborted)
    return stay("The rollout was aborted: only promote or rollback move it.");
  const remaining = marker2.since + ctx.options.intervalMs - ctx.clock.now();
  if (remaining > 0) return stay(`Stage ${marker2.stage + 1} bakes ${Math.ceil(remaining / 1e3)} s more.`);
  if (marker2.owner !== ctx.owner && !holderGone(ctx, marker2)) {
    return stay(
      `Workflow run ${marker2.owner ?? "unknown"} drives the rollout; advance takes over only once it is gone.`
    );
  }
  const stages2 = [];
  const run3 = rolloutRun(ctx, marker2);
  return rollingBackOnError(
    ctx,
    () => run3.at,
    stages2,
    async () => {
      const tick = await stepRollout(run3, marker2, checkWindow(ctx), stages2, true);
      if ("done" in tick) return tick.done;
      throw new Error("A single advance moves at most one stage.");
    }
  );
}
async function promoteRollout(ctx) {
  const { marker: from, endpoint: endpoint2 } = await requireRollout(ctx);
  const to = ctx.options.promoteTo;
  const steps = typeof to === "number" && !from.steps.includes(to) ? [...from.steps, to].sort((a, b) => a - b) : from.steps;
  const stage = promotionTarget(steps, steps.indexOf(from.steps[from.stage]), to);
  ctx.logger.info(`Promoting version ${from.candidate} from ${from.steps[from.stage]}% to ${steps[stage]}%.`);
  const marker2 = {
    ...from,
    phase: Phase.paused,
    steps,
    stage,
    since: ctx.clock.now(),
    owner: ctx.owner
  };
  await rollingBackOnError(
    ctx,
    () => from,
    [],
    async () => {
      await writeProduction(ctx, endpoint2, marker2);
      return reportOf(ctx.runtimeName, marker2, [], "Promoted.");
    }
  );
  return driveRollout(ctx, marker2, checkWindow(ctx));
}
async function rollbackRollout(ctx) {
  const state = await settledRollout(ctx);
  const marker2 = state.marker;
  if (!marker2 || !inProgress(marker2) && marker2.phase !== Phase.promoted) {
    throw new Error(
      `There is no rollout of ${ctx.runtimeName} to roll back on endpoint ${ctx.productionEndpoint}.`
    );
  }
  return rollBack(ctx, state, marker2, [], [], "Rolled back on request.");
}
async function abortRollout(ctx) {
  const { marker: marker2, endpoint: endpoint2 } = await requireRollout(ctx);
  const aborted = { ...marker2, phase: Phase.aborted, since: ctx.clock.now(), owner: ctx.owner };
  await writeProduction(ctx, endpoint2, aborted);
  return reportOf(
    ctx.runtimeName,
    aborted,
    [],
    "Aborted on request: the weights stay; promote or rollback move it on."
  );
}
async function rolloutStatus(ctx) {
  const { endpoint: endpoint2, marker: marker2, lease } = await readRollout(ctx);
  const split2 = describeSplit({
    targetVersion: endpoint2.targetVersion ?? LATEST,
    routingConfiguration: endpoint2.routingConfiguration
  });
  const about = {
    runtime: ctx.runtimeName,
    production: ctx.productionEndpoint,
    split: split2,
    now: ctx.clock.now(),
    intervalMs: ctx.options.intervalMs
  };
  return { text: statusText(about, marker2, lease), marker: marker2 };
}
async function requireRollout(ctx) {
  const state = await settledRollout(ctx);
  if (!state.marker || !inProgress(state.marker)) {
    throw new Error(
      `There is no rollout of ${ctx.runtimeName} in progress on endpoint ${ctx.productionEndpoint}.`
    );
  }
  return { ...state, marker: state.marker };
}

// src/deploy/code.ts
import { createHash as createHash3 } from "node:crypto";
import { rm as rm3 } from "node:fs/promises";
import { dirname } from "node:path";

// src/package/index.ts
import { mkdtemp, realpath as realpath2, rm as rm2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import path6 from "node:path";

// src/package/errors.ts
var PackageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "PackageError";
  }
};
var PackageTooLargeError = class extends PackageError {
  constructor(bytes, limit) {
    super(
      `The code package is ${formatBytes(bytes)} (${bytes} bytes), over Function Compute's code size limit of ${formatBytes(limit)} (${limit} bytes). Shrink it (exclude files with .arignore / .fcignore), or deploy it as a container image (customContainerConfig).`
    );
    this.bytes = bytes;
    this.limit = limit;
    this.name = "PackageTooLargeError";
  }
  bytes;
  limit;
};
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
function readError(file, error) {
  if (error instanceof PackageError) return error;
  const { code: code2, message } = error;
  return new PackageError(`Cannot read ${JSON.stringify(file.name)} (${file.source}): ${code2 ?? message}.`);
}

// src/package/rules.ts
var import_ignore = __toESM(require_ignore(), 1);
import { readFile as readFile2, stat as stat2 } from "node:fs/promises";
import path2 from "node:path";
var IGNORE_FILES = [".arignore", ".fcignore"];
var ALWAYS_EXCLUDED = [".git", ".env*", "**/node_modules/.cache/", ...IGNORE_FILES];
async function loadExclusionRules(root) {
  const always = (0, import_ignore.default)({ ignorecase: true }).add(ALWAYS_EXCLUDED);
  const user = (0, import_ignore.default)();
  for (const name of IGNORE_FILES) user.add(await readIgnoreFile(path2.join(root, name)));
  return {
    isAlwaysExcluded: (relPath) => always.ignores(relPath),
    isExcluded: (relPath) => always.ignores(relPath) || user.ignores(relPath)
  };
}
var MAX_IGNORE_FILE_BYTES = 1024 * 1024;
async function readIgnoreFile(file) {
  const stats = await stat2(file).catch((error) => {
    if (error.code === "ENOENT") return void 0;
    throw new PackageError(`Cannot read ${file}: ${error.code}.`);
  });
  if (!stats) return "";
  if (!stats.isFile()) throw new PackageError(`${file} must be a regular file of ignore patterns.`);
  if (stats.size > MAX_IGNORE_FILE_BYTES) {
    throw new PackageError(
      `${file} is over ${MAX_IGNORE_FILE_BYTES} bytes; an ignore file is a list of patterns.`
    );
  }
  return readFile2(file, "utf8");
}

// src/package/ready.ts
var import_yauzl = __toESM(require_yauzl(), 1);
import { createReadStream } from "node:fs";
import path3 from "node:path";
var S_IFMT = 61440;
var S_IFLNK = 40960;
var MADE_BY_UNIX = 3;
var MAX_LINK_TARGET = 4096;
function unsafeEntryName(name) {
  if (name.includes("\\")) return "contains a backslash, which unzippers on Windows read as a separator";
  if (path3.posix.isAbsolute(name) || /^[a-zA-Z]:/.test(name)) return "is an absolute path";
  if (name.split("/").includes("..")) return "climbs out of the code directory with ..";
  return void 0;
}
async function inspectZip(zipPath) {
  const refuse2 = (detail) => {
    throw new PackageError(`code.src ${zipPath} ${detail}`);
  };
  const zip = await import_yauzl.default.openPromise(zipPath, { lazyEntries: true, decodeStrings: false }).catch((error) => refuse2(`is not a usable zip: ${error.message}.`));
  let files = 0;
  const envFiles = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const name = import_yauzl.default.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true
      );
      const problem = unsafeEntryName(name);
      if (problem)
        refuse2(`has an entry ${JSON.stringify(name)} that ${problem}; rebuild the zip without it.`);
      if (name.endsWith("/")) continue;
      files++;
      if (path3.posix.basename(name).startsWith(".env")) envFiles.push(name);
      if (isSymlink(entry)) {
        if (entry.uncompressedSize > MAX_LINK_TARGET) {
          refuse2(`has a symlink ${JSON.stringify(name)} whose target is over ${MAX_LINK_TARGET} bytes.`);
        }
        const target = await readEntry(zip, entry);
        const resolved = path3.posix.normalize(path3.posix.join(path3.posix.dirname(name), target));
        if (path3.posix.isAbsolute(target) || resolved === ".." || resolved.startsWith("../")) {
          refuse2(
            `has a symlink ${JSON.stringify(name)} -> ${JSON.stringify(target)} pointing outside the code directory; rebuild the zip with the file itself.`
          );
        }
      }
    }
  } catch (error) {
    if (error instanceof PackageError) throw error;
    refuse2(`is not a usable zip: ${error.message}.`);
  } finally {
    zip.close();
  }
  const crc = new Crc64();
  let bytes = 0;
  for await (const chunk of createReadStream(zipPath)) {
    crc.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, files, checksum: crc.digest(), envFiles };
}
function isSymlink(entry) {
  return entry.versionMadeBy >> 8 === MADE_BY_UNIX && (entry.externalFileAttributes >>> 16 & S_IFMT) === S_IFLNK;
}
async function readEntry(zip, entry) {
  const chunks = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

// src/package/source.ts
import { realpath, stat as stat3 } from "node:fs/promises";
import path4 from "node:path";
var ALLOW_OUTSIDE_WORKSPACE = "allow-code-outside-workspace";
async function resolveCodeSource(options) {
  const quoted = JSON.stringify(options.src);
  const srcPath = path4.resolve(options.baseDir, options.src);
  const stats = await stat3(srcPath).catch((error) => {
    if (error.code === "ELOOP")
      throw new PackageError(`code.src ${quoted} is a loop of symlinks (${srcPath}).`);
    throw new PackageError(`code.src ${quoted} does not exist (looked for ${srcPath}).`);
  });
  const real = await realpath(srcPath);
  if (!options.allowOutsideWorkspace) {
    const given2 = options.workspace ?? options.baseDir;
    const workspace = await realpath(given2).catch(() => {
      throw new PackageError(`The workspace ${given2} does not exist.`);
    });
    const relative = path4.relative(workspace, real);
    if (relative === ".." || relative.startsWith(`..${path4.sep}`) || path4.isAbsolute(relative)) {
      const via = real === srcPath ? "" : " through a symlink";
      throw new PackageError(
        `code.src ${quoted} resolves${via} to ${real}, outside the workspace ${workspace}. Move the code into the workspace, or set ${ALLOW_OUTSIDE_WORKSPACE} to true if shipping it is intended.`
      );
    }
  }
  if (stats.isDirectory()) return { kind: "directory", path: real };
  if (stats.isFile() && srcPath.toLowerCase().endsWith(".zip")) return { kind: "zip", path: srcPath };
  throw new PackageError(`code.src ${quoted} must be a directory or a .zip file.`);
}

// src/package/walk.ts
import { readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import path5 from "node:path";
async function listCodeFiles(root) {
  const result = listFiles(root, await loadExclusionRules(root));
  if (result.files.length === 0) throw new PackageError(`code.src ${root} contains no files to package.`);
  return result;
}
function listFiles(root, rules) {
  const result = { files: [], excluded: [], skipped: [] };
  walkDirectory(root, "", /* @__PURE__ */ new Set([root]), rules, result);
  const keyed = result.files.map((file) => ({ file, key: Buffer.from(file.name, "utf8") }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  result.files = keyed.map(({ file }) => file);
  return result;
}
function walkDirectory(root, relDir, ancestors, rules, result) {
  let dirents;
  try {
    dirents = readdirSync(path5.join(root, relDir), { withFileTypes: true });
  } catch (error) {
    const { code: code2 } = error;
    throw new PackageError(`Cannot list ${JSON.stringify(relDir || ".")} in ${root}: ${code2}.`);
  }
  for (const dirent of dirents) {
    const listed = classify(root, relDir, dirent, rules);
    if (listed.kind === "file") result.files.push(listed.entry);
    else if (listed.kind === "excluded") result.excluded.push(listed.relPath);
    else if (listed.kind === "skipped") result.skipped.push(listed.relPath);
    else {
      if (ancestors.has(listed.source)) {
        throw new PackageError(
          `Symlink ${path5.join(root, listed.relPath)} points at ${listed.source}, one of its own parent directories; remove it.`
        );
      }
      walkDirectory(root, listed.relPath, /* @__PURE__ */ new Set([...ancestors, listed.source]), rules, result);
    }
  }
}
function classify(root, relDir, dirent, rules) {
  const relPath = relDir ? `${relDir}/${dirent.name}` : dirent.name;
  assertSafeName(relPath);
  const excluded = dirent.isSymbolicLink() ? rules.isExcluded(relPath) || rules.isExcluded(`${relPath}/`) : rules.isExcluded(dirent.isDirectory() ? `${relPath}/` : relPath);
  if (excluded) return { kind: "excluded", relPath };
  const fullPath = path5.join(root, relPath);
  const { source, stats } = dirent.isSymbolicLink() ? resolveLink(root, fullPath, rules) : { source: fullPath, stats: statEntry(fullPath, relPath) };
  if (stats.isDirectory()) return { kind: "directory", relPath, source };
  if (!stats.isFile()) return { kind: "skipped", relPath };
  return {
    kind: "file",
    entry: { name: relPath, source, size: stats.size, mode: stats.mode & 73 ? 493 : 420 }
  };
}
function statEntry(fullPath, relPath) {
  try {
    return statSync(fullPath);
  } catch (error) {
    const { code: code2 } = error;
    if (code2 === "ENOENT" && relPath.includes("\uFFFD")) {
      throw new PackageError(
        `Cannot package ${JSON.stringify(relPath)} in ${path5.dirname(fullPath)}: its name is not valid UTF-8. Rename it, or exclude it with .arignore.`
      );
    }
    throw readError({ name: relPath, source: fullPath }, error);
  }
}
function resolveLink(root, link2, rules) {
  const target = readlinkSync(link2);
  const refuse2 = (why) => {
    throw new PackageError(`Symlink ${link2} -> ${target} ${why}; replace it with a copy or remove it.`);
  };
  let source;
  try {
    source = realpathSync(link2);
  } catch (error) {
    const { code: code2 } = error;
    return refuse2(code2 === "ELOOP" ? "is a loop of symlinks" : "is broken (its target does not exist)");
  }
  const inside = path5.relative(root, source);
  if (inside === ".." || inside.startsWith(`..${path5.sep}`) || path5.isAbsolute(inside)) {
    refuse2(`resolves to ${source}, outside the code directory ${root}`);
  }
  const stats = statSync(source);
  const insideName = inside.split(path5.sep).join("/") + (stats.isDirectory() ? "/" : "");
  if (inside !== "" && rules.isAlwaysExcluded(insideName)) {
    refuse2("points at a path that is never packaged (.git, .env*, node_modules/.cache)");
  }
  return { source, stats };
}
function assertSafeName(relPath) {
  if (relPath.includes("\\")) {
    throw new PackageError(
      `Cannot package ${JSON.stringify(relPath)}: backslashes in file names are not portable; rename it.`
    );
  }
}

// src/package/zip.ts
import { createReadStream as createReadStream2 } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

// src/package/ahead.ts
var Lookahead = class {
  /**
   * @param start the work for one item, or undefined for an item the consumer handles itself.
   * @param weight what an item in flight costs against `limits.weight` (bytes held, typically).
   */
  constructor(items, start2, weight, limits) {
    this.items = items;
    this.start = start2;
    this.weight = weight;
    this.limits = limits;
  }
  items;
  start;
  weight;
  limits;
  started = /* @__PURE__ */ new Map();
  next = 0;
  inFlight = 0;
  /** The result for item `index` (taken in increasing order), or undefined if `start` declined it. */
  async take(index) {
    this.fill(index);
    const pending = this.started.get(index);
    if (!pending) return void 0;
    this.started.delete(index);
    try {
      return await pending;
    } finally {
      this.inFlight -= this.weight(this.items[index]);
      this.fill(index + 1);
    }
  }
  fill(from) {
    this.next = Math.max(this.next, from);
    const busy = this.started.size > this.limits.items / 2 || this.inFlight > this.limits.weight / 2;
    if (this.next > from && busy) return;
    while (this.next < this.items.length && this.next < from + this.limits.items) {
      const item = this.items[this.next];
      const weight = this.weight(item);
      if (this.started.size > 0 && this.inFlight + weight > this.limits.weight) return;
      const pending = this.start(item);
      if (pending) {
        pending.catch(() => void 0);
        this.started.set(this.next, pending);
        this.inFlight += weight;
      }
      this.next++;
    }
  }
};

// src/package/pool.ts
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { gzipSync } from "node:zlib";
import { Worker } from "node:worker_threads";

// src/package/deflate.ts
var PROBE = { probeBytes: 4096, sampleBytes: 64 * 1024, maxEntropy: 7.5 };
function incompressible(content, probe, counts, gzip, level) {
  counts.fill(0);
  const measured = Math.min(probe.probeBytes, content.length);
  for (let i = 0; i < measured; i++) counts[content[i]]++;
  let entropy = 0;
  for (let value = 0; value < 256; value++) {
    const share = counts[value] / measured;
    if (share > 0) entropy -= share * Math.log2(share);
  }
  if (entropy <= probe.maxEntropy) return false;
  const sample = content.subarray(0, probe.sampleBytes);
  return gzip(sample, { level }).length - 18 >= sample.length;
}
function deflateWhole(content, level, probe, counts, gzip, isIncompressible) {
  if (content.length > probe.sampleBytes && isIncompressible(content, probe, counts, gzip, level)) {
    const copy = gzip(content, { level: 0 });
    return { stored: true, crc32: copy.readUInt32LE(copy.length - 8), size: content.length, data: content };
  }
  const gz = gzip(content, { level });
  const crc32 = gz.readUInt32LE(gz.length - 8);
  const deflated = gz.subarray(10, gz.length - 8);
  const stored = deflated.length >= content.length;
  return { stored, crc32, size: content.length, data: stored ? content : deflated };
}

// src/package/pool.ts
var WORKERS_MIN_BYTES = 4 * 1024 * 1024;
function deflaterFor(bytes, level) {
  return bytes < WORKERS_MIN_BYTES ? new InlineDeflater(level) : new DeflatePool(level);
}
var InlineDeflater = class {
  constructor(level) {
    this.level = level;
  }
  level;
  counts = new Uint32Array(256);
  deflate(source) {
    try {
      const content = readFileSync(source);
      return Promise.resolve(deflateWhole(content, this.level, PROBE, this.counts, gzipSync, incompressible));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  close() {
    return Promise.resolve();
  }
};
var BATCH_FILES = 64;
var BATCH_BYTES = 1024 * 1024;
var WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { gzipSync } = require('node:zlib');
const { level, probe } = workerData;
const counts = new Uint32Array(256);
const incompressible = (${incompressible.toString()});
const deflateWhole = (${deflateWhole.toString()});
// One buffer for the content read and one for the batch's answer, reused: a fresh allocation per file
// leaves the thread's heap holding the peak of every size seen.
let scratch = Buffer.allocUnsafe(1 << 20);
let answer = Buffer.allocUnsafe(1 << 20);
function read(source) {
  const fd = openSync(source, 'r');
  try {
    let size = 0;
    for (;;) {
      if (size === scratch.length) {
        const grown = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(grown);
        scratch = grown;
      }
      const read = readSync(fd, scratch, size, scratch.length - size, null);
      if (read === 0) return scratch.subarray(0, size);
      size += read;
    }
  } finally {
    closeSync(fd);
  }
}
parentPort.on('message', ({ id, sources }) => {
  const results = [];
  let total = 0;
  for (const source of sources) {
    try {
      const content = read(source);
      const { stored, crc32, data } = deflateWhole(content, level, probe, counts, gzipSync, incompressible);
      if (total + data.length > answer.length) {
        const grown = Buffer.allocUnsafe(Math.max(answer.length * 2, total + data.length));
        answer.copy(grown, 0, 0, total);
        answer = grown;
      }
      data.copy(answer, total);
      results.push({ stored, crc32, size: content.length, length: data.length });
      total += data.length;
    } catch (error) {
      results.push({ error: { code: error.code, message: error.message } });
    }
  }
  // A copy of the filled part, transferred: cloning a view would copy the whole answer buffer, which
  // stays here for the next batch.
  const bytes = new Uint8Array(total);
  bytes.set(answer.subarray(0, total));
  parentPort.postMessage({ id, results, bytes }, [bytes.buffer]);
});
`;
var DeflatePool = class {
  workers;
  batches = /* @__PURE__ */ new Map();
  queue = [];
  nextId = 0;
  failure;
  constructor(level, size = availableParallelism()) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { level, probe: PROBE },
        resourceLimits: { maxYoungGenerationSizeMb: 2 }
      });
      worker.on("message", (message) => this.settle(message));
      worker.on("error", (error) => this.fail(error));
      return { worker, load: 0 };
    });
  }
  /** Reads and deflates the file at `source` (`size` as listed, to balance the load). */
  deflate(source, size) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve2, reject) => {
      if (this.queue.length === 0) queueMicrotask(() => this.dispatch());
      this.queue.push({ source, size, resolve: resolve2, reject });
    });
  }
  async close() {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
  dispatch() {
    const queue = this.queue;
    this.queue = [];
    for (let start2 = 0; start2 < queue.length; ) {
      let end = start2;
      let bytes = 0;
      while (end < queue.length && end - start2 < BATCH_FILES && (end === start2 || bytes < BATCH_BYTES)) {
        bytes += queue[end++].size;
      }
      const pending = queue.slice(start2, end);
      const to = this.workers.reduce((least, candidate) => candidate.load < least.load ? candidate : least);
      const id = this.nextId++;
      this.batches.set(id, { pending, to, bytes });
      to.load += bytes + pending.length;
      to.worker.postMessage({ id, sources: pending.map((p) => p.source) });
      start2 = end;
    }
  }
  settle({ id, results, bytes }) {
    const batch = this.batches.get(id);
    this.batches.delete(id);
    batch.to.load -= batch.bytes + batch.pending.length;
    let offset = 0;
    results.forEach((result, i) => {
      const { resolve: resolve2, reject } = batch.pending[i];
      if ("error" in result) return reject(result.error);
      const { stored, crc32, size, length } = result;
      resolve2({ stored, crc32, size, data: Buffer.from(bytes.buffer, bytes.byteOffset + offset, length) });
      offset += length;
    });
  }
  /** A worker that dies takes its batches with it: everything still waiting fails. */
  fail(error) {
    this.failure = error;
    for (const { pending } of this.batches.values()) for (const p of pending) p.reject(error);
    this.batches.clear();
  }
};

// src/package/zip.ts
var COMPRESSION_LEVEL = 6;
var DOS_DATE = 2e3 - 1980 << 9 | 1 << 5 | 1;
var DOS_TIME = 0;
var WHOLE_FILE_LIMIT = 4 * 1024 * 1024;
var AHEAD = { items: 256, weight: 8 * 1024 * 1024 };
var WRITE_BATCH = 1024 * 1024;
var VERSION_DEFLATE = 20;
var VERSION_ZIP64 = 45;
var MADE_BY_UNIX2 = 3 << 8 | VERSION_ZIP64;
var FLAG_DATA_DESCRIPTOR = 8;
var FLAG_UTF8_NAME = 2048;
var METHOD_STORE = 0;
var METHOD_DEFLATE = 8;
var S_IFREG = 32768;
var UINT32_MAX = 4294967295;
var UINT16_MAX = 65535;
var GZIP_HEADER = 10;
var GZIP_TRAILER = 8;
async function writeZip(files, outPath) {
  const out = new ZipOutput(await open(outPath, "wx"));
  const pool = deflaterFor(
    files.reduce((sum, file) => sum + file.size, 0),
    COMPRESSION_LEVEL
  );
  try {
    const central = [];
    const ahead = new Lookahead(
      files,
      (file) => file.size <= WHOLE_FILE_LIMIT ? pool.deflate(file.source, file.size).catch((error) => {
        throw readError(file, error);
      }) : void 0,
      (file) => file.size <= WHOLE_FILE_LIMIT ? file.size : 0,
      AHEAD
    );
    for (const [index, file] of files.entries()) {
      const { name, mode } = file;
      const offset = out.offset;
      const deflated = await ahead.take(index);
      if (deflated) {
        const { data, crc32, size } = deflated;
        const method = deflated.stored ? METHOD_STORE : METHOD_DEFLATE;
        const header = { name, flags: FLAG_UTF8_NAME, method, crc32, size, compressedSize: data.length };
        out.push(localHeader(header));
        out.push(data);
        central.push({ ...header, mode, offset });
      } else {
        const flags = FLAG_UTF8_NAME | FLAG_DATA_DESCRIPTOR;
        out.push(localHeader({ name, flags, method: METHOD_DEFLATE, crc32: 0, compressedSize: 0, size: 0 }));
        const streamed = await streamDeflate(file, out);
        central.push({ name, flags, method: METHOD_DEFLATE, ...streamed, mode, offset });
        out.push(dataDescriptor(streamed));
      }
      await out.flushIfFull();
    }
    const centralOffset = out.offset;
    for (const record of central) out.push(centralHeader(record));
    out.push(endOfCentralDirectory(central.length, out.offset - centralOffset, centralOffset));
    await out.flush();
    return { bytes: out.offset, checksum: out.crc.digest() };
  } finally {
    await Promise.all([out.close(), pool.close()]);
  }
}
async function streamDeflate(file, out) {
  const start2 = out.offset;
  const gz = createGzip({ level: COMPRESSION_LEVEL });
  let header = GZIP_HEADER;
  let tail = Buffer.alloc(0);
  await pipeline(createReadStream2(file.source), gz, async (deflated) => {
    for await (const chunk of deflated) {
      const bytes = Buffer.concat([tail, chunk.subarray(Math.min(header, chunk.length))]);
      header -= Math.min(header, chunk.length);
      tail = bytes.subarray(Math.max(0, bytes.length - GZIP_TRAILER));
      if (bytes.length > tail.length) out.push(bytes.subarray(0, bytes.length - tail.length));
      await out.flushIfFull();
    }
  }).catch((error) => {
    throw readError(file, error);
  });
  if (gz.bytesWritten > UINT32_MAX) throw tooLarge(`${file.name} is over 4 GiB`);
  return { crc32: tail.readUInt32LE(0), compressedSize: out.offset - start2, size: gz.bytesWritten };
}
function tooLarge(what) {
  return new PackageError(
    `Cannot package: ${what}, more than a zip without ZIP64 sizes holds and far more than can be uploaded inline. Exclude files with .arignore / .fcignore.`
  );
}
function localHeader(entry) {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(67324752, 0);
  header.writeUInt16LE(VERSION_DEFLATE, 4);
  writeCommonFields(header, 6, entry);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, Buffer.from(entry.name)]);
}
function centralHeader(entry) {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(33639248, 0);
  header.writeUInt16LE(MADE_BY_UNIX2, 4);
  header.writeUInt16LE(VERSION_DEFLATE, 6);
  writeCommonFields(header, 8, entry);
  header.writeUInt32LE((S_IFREG | entry.mode) << 16 >>> 0, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, Buffer.from(entry.name)]);
}
function writeCommonFields(header, at2, entry) {
  header.writeUInt16LE(entry.flags, at2);
  header.writeUInt16LE(entry.method, at2 + 2);
  header.writeUInt16LE(DOS_TIME, at2 + 4);
  header.writeUInt16LE(DOS_DATE, at2 + 6);
  header.writeUInt32LE(entry.crc32, at2 + 8);
  header.writeUInt32LE(entry.compressedSize, at2 + 12);
  header.writeUInt32LE(entry.size, at2 + 16);
  header.writeUInt16LE(Buffer.byteLength(entry.name), at2 + 20);
}
function dataDescriptor(entry) {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(134695760, 0);
  descriptor.writeUInt32LE(entry.crc32, 4);
  descriptor.writeUInt32LE(entry.compressedSize, 8);
  descriptor.writeUInt32LE(entry.size, 12);
  return descriptor;
}
function endOfCentralDirectory(entries, size, offset) {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(101010256, 0);
  end.writeUInt16LE(Math.min(entries, UINT16_MAX), 8);
  end.writeUInt16LE(Math.min(entries, UINT16_MAX), 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  if (entries < UINT16_MAX) return end;
  const zip64 = Buffer.alloc(56 + 20);
  zip64.writeUInt32LE(101075792, 0);
  zip64.writeBigUInt64LE(44n, 4);
  zip64.writeUInt16LE(MADE_BY_UNIX2, 12);
  zip64.writeUInt16LE(VERSION_ZIP64, 14);
  zip64.writeBigUInt64LE(BigInt(entries), 24);
  zip64.writeBigUInt64LE(BigInt(entries), 32);
  zip64.writeBigUInt64LE(BigInt(size), 40);
  zip64.writeBigUInt64LE(BigInt(offset), 48);
  zip64.writeUInt32LE(117853008, 56);
  zip64.writeBigUInt64LE(BigInt(offset + size), 64);
  zip64.writeUInt32LE(1, 72);
  return Buffer.concat([zip64, end]);
}
var ZipOutput = class {
  constructor(handle) {
    this.handle = handle;
  }
  handle;
  crc = new Crc64();
  offset = 0;
  batch = [];
  batchBytes = 0;
  push(bytes) {
    if (this.offset + bytes.length > UINT32_MAX) throw tooLarge("the zip grows over 4 GiB");
    this.crc.update(bytes);
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    this.offset += bytes.length;
  }
  async flushIfFull() {
    if (this.batchBytes >= WRITE_BATCH) await this.flush();
  }
  async flush() {
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    await this.handle.writev(batch).catch((error) => {
      throw new PackageError(`Cannot write the zip: ${error.code ?? error.message}.`);
    });
  }
  close() {
    return this.handle.close();
  }
};

// src/package/fingerprint.ts
import { createHash as createHash2 } from "node:crypto";
import { createReadStream as createReadStream3, readFileSync as readFileSync2 } from "node:fs";
var FORMAT = "agentrun-code 1";
async function treeFingerprint(options) {
  const source = await resolveCodeSource(options);
  const digest = createHash2("sha256").update(`${FORMAT} ${source.kind}
`);
  if (source.kind === "zip") {
    await inspectZip(source.path);
    await hashStream(source.path, digest);
    return digest.digest("hex");
  }
  const { files } = await listCodeFiles(source.path);
  for (const file of files) {
    const { size, sha256 } = await hashFile(file);
    digest.update(`${JSON.stringify(file.name)} ${file.mode.toString(8)} ${size} ${sha256}
`);
  }
  return digest.digest("hex");
}
async function hashFile(file) {
  const hash = createHash2("sha256");
  try {
    if (file.size <= WHOLE_FILE_LIMIT) {
      const content = readFileSync2(file.source);
      return { size: content.length, sha256: hash.update(content).digest("hex") };
    }
    const size = await hashStream(file.source, hash);
    return { size, sha256: hash.digest("hex") };
  } catch (error) {
    throw readError(file, error);
  }
}
async function hashStream(filePath, hash) {
  let size = 0;
  for await (const chunk of createReadStream3(filePath)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return size;
}

// src/package/index.ts
async function packageCode(options) {
  const source = await resolveCodeSource(options);
  return source.kind === "directory" ? zipDirectory(source.path, options.extraDirs ?? [], options.tempDir ?? tmpdir(), options.logger) : useReadyZip(source.path, options.logger);
}
async function zipDirectory(root, extraDirs, tempRoot, logger) {
  const listed = await listCodeFiles(root);
  const { excluded, skipped } = listed;
  const files = extraDirs.length ? await withExtraDirs(listed.files, extraDirs) : listed.files;
  for (const name of skipped) {
    logger?.warning(`Not packaged: ${JSON.stringify(name)} is a socket, FIFO or device, not a regular file.`);
  }
  if (excluded.length > 0) {
    logger?.debug(`Excluded from the package: ${excluded.map((name) => JSON.stringify(name)).join(", ")}`);
  }
  const tempDir = await mkdtemp(path6.join(tempRoot, "agentrun-code-"));
  const zipPath = path6.join(tempDir, "code.zip");
  try {
    const { bytes, checksum } = await writeZip(files, zipPath);
    logger?.info(
      `Packaged ${files.length} file${files.length === 1 ? "" : "s"} of ${root}: ${formatBytes(bytes)}, CRC-64 ${checksum}`
    );
    return { zipPath, bytes, files: files.length, checksum, source: "directory" };
  } catch (error) {
    await rm2(tempDir, { recursive: true, force: true });
    throw error;
  }
}
async function withExtraDirs(files, extraDirs) {
  const taken = new Set(files.map((file) => file.name));
  const added = [];
  for (const { dir, prefix } of extraDirs) {
    const root = await realpath2(dir);
    for (const file of listFiles(root, await loadExclusionRules(root)).files) {
      const name = `${prefix}/${file.name}`;
      if (taken.has(name)) {
        throw new PackageError(`code.src already has ${name}, which the build also produces.`);
      }
      added.push({ ...file, name });
    }
  }
  return [...files, ...added].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}
async function useReadyZip(zipPath, logger) {
  const { bytes, files, checksum, envFiles } = await inspectZip(zipPath);
  for (const name of envFiles) {
    logger?.warning(`${zipPath} contains ${JSON.stringify(name)}; .env files usually hold secrets.`);
  }
  logger?.info(`Using ${zipPath} as is: ${files} files, ${formatBytes(bytes)}, CRC-64 ${checksum}`);
  return { zipPath, bytes, files, checksum, source: "zip" };
}

// src/deploy/code.ts
var ID_LENGTH = 16;
async function withTargetCode(target, options, use) {
  const source = target.codeSrc && {
    src: target.codeSrc,
    baseDir: options.baseDir,
    workspace: options.workspace,
    allowOutsideWorkspace: options.allowOutsideWorkspace
  };
  const extraDirs = options.dependencies?.get(target.resource) ?? [];
  const id = source ? await codeId(source, extraDirs) : void 0;
  let made;
  let uploaded;
  const code2 = {
    id,
    package: () => {
      if (!source) return Promise.resolve(void 0);
      made ??= packageCode({ ...source, ...options, extraDirs }).then(async (pkg) => {
        await options.onPackaged?.(target, pkg);
        return pkg;
      });
      return made;
    },
    packaged: () => made?.catch(() => void 0) ?? Promise.resolve(void 0),
    upload: () => uploaded ??= code2.package().then(async (pkg) => {
      if (!pkg) return void 0;
      if (!options.uploader) throw new Error("code upload is not available to this command");
      const where3 = await options.uploader.upload(target.region, pkg, options.logger);
      return { ...where3, bytes: pkg.bytes, checksum: pkg.checksum };
    })
  };
  try {
    return await use(code2);
  } finally {
    const pkg = await code2.packaged();
    if (pkg?.source === "directory") await rm3(dirname(pkg.zipPath), { recursive: true, force: true });
  }
}
async function codeId(source, extraDirs) {
  const tree = await treeFingerprint(source);
  if (extraDirs.length === 0) return tree.slice(0, ID_LENGTH);
  const digest = createHash3("sha256").update(tree);
  for (const { dir, prefix } of extraDirs) {
    const built = await treeFingerprint({ src: dir, baseDir: dir, allowOutsideWorkspace: true });
    digest.update(`
${prefix} ${built}`);
  }
  return digest.digest("hex").slice(0, ID_LENGTH);
}

// src/deploy/report.ts
var Outputs = {
  Plan: "plan",
  RuntimeId: "runtime-id",
  RuntimeName: "runtime-name",
  Version: "version",
  Url: "url",
  Endpoints: "endpoints",
  Changed: "changed",
  Resources: "resources",
  Stages: "stages"
};
function resourceReports(results) {
  return results.map(({ target, runtime: runtime2, version: version2, published, endpoints, package: pkg }) => ({
    resource: target.resource,
    runtime: runtime2.runtime.agentRuntimeName,
    runtimeId: runtime2.runtime.agentRuntimeId,
    region: target.region,
    action: runtime2.action,
    changes: runtime2.reasons,
    previousVersion: runtime2.newestVersion?.agentRuntimeVersion,
    previousPreview: previewOfVersion(runtime2.newestVersion?.description),
    version: version2?.agentRuntimeVersion,
    published,
    uploadedBytes: runtime2.uploadedBytes,
    files: runtime2.uploadedBytes ? pkg?.files ?? 0 : 0,
    endpoints: endpoints.map(({ endpoint: endpoint2, action, heldBy }) => ({
      name: endpoint2.agentRuntimeEndpointName,
      action,
      url: endpoint2.endpointPublicUrl ?? "",
      version: endpoint2.targetVersion ?? "LATEST",
      weights: splitWeights(endpoint2),
      ...heldBy !== void 0 && { heldBy }
    }))
  }));
}
function endpointSummaries(results) {
  return resourceReports(results).flatMap(
    (report2) => report2.endpoints.map(({ name, url, version: version2, weights }) => ({
      resource: report2.resource,
      name,
      url,
      version: version2,
      weights
    }))
  );
}
function anyChange(results) {
  return results.some(
    (r) => r.runtime.action !== "unchanged" || r.published || r.endpoints.some((e) => e.action !== "unchanged")
  );
}
function deployOutputs(results) {
  const first = results[0];
  return {
    [Outputs.RuntimeId]: first?.runtime.runtime.agentRuntimeId ?? "",
    [Outputs.RuntimeName]: first?.runtime.runtime.agentRuntimeName ?? "",
    [Outputs.Version]: first?.version?.agentRuntimeVersion ?? "",
    [Outputs.Url]: first?.endpoints[0]?.endpoint.endpointPublicUrl ?? "",
    [Outputs.Endpoints]: JSON.stringify(endpointSummaries(results)),
    [Outputs.Changed]: String(anyChange(results))
  };
}

// src/deploy/fingerprint.ts
import { createHash as createHash4 } from "node:crypto";
function fingerprintOf(desired, code2) {
  const { codeConfiguration: codeConfiguration2, ...rest } = desired;
  const settings = codeConfiguration2 && { ...codeConfiguration2, zipFile: void 0, checksum: void 0 };
  const config = createHash4("sha256").update(stableJson({ ...rest, codeConfiguration: settings })).digest("hex").slice(0, 16);
  return code2 === void 0 ? { config } : { config, code: code2 };
}
var MARKER = /\[agentrun-deploy config:([0-9a-f]{16})(?: code:([0-9a-f]{16}))?\]/;
function marker({ config, code: code2 }) {
  return `[agentrun-deploy config:${config}${code2 === void 0 ? "" : ` code:${code2}`}]`;
}
function recorded(version2) {
  const match = MARKER.exec(version2?.description ?? "");
  if (!match) return void 0;
  return match[2] === void 0 ? { config: match[1] } : { config: match[1], code: match[2] };
}
function withoutMarker(description) {
  return (description ?? "").replace(MARKER, "").trim();
}
function stableJson(value) {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : 1);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// src/deploy/races.ts
var MAX_RACES = 3;
async function retryingRaces(kinds, attempt, recover) {
  for (let race = 1; ; race++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AgentRunError && kinds.includes(error.kind)) || race >= MAX_RACES) throw error;
      await recover?.(error);
    }
  }
}

// src/deploy/runtime.ts
function desiredRuntime(input, code2, workspace) {
  return { body: input, fingerprint: fingerprintOf(input, code2.id), ...workspace && { workspace } };
}
function runtimeChanges(desired, current, newest2) {
  const fields = changedFields(desired.body, current);
  const last = recorded(newest2);
  const code2 = desired.fingerprint.code !== void 0 && last?.code !== desired.fingerprint.code;
  const settings = fields.length === 0 && last?.config !== desired.fingerprint.config;
  const since = newest2 ? ` since version ${newest2.agentRuntimeVersion}` : "";
  return [
    ...fields,
    ...code2 ? ["code"] : [],
    ...settings ? [`settings changed${since}`] : [],
    ...current.status === "READY" ? [] : [`was ${current.status}`]
  ];
}
async function ensureRuntime(client, desired, code2, wait, trackVersions) {
  return retryingRaces(["Conflict", "Busy"], () => applyRuntime(client, desired, code2, wait, trackVersions));
}
async function applyRuntime(client, desired, code2, wait, trackVersions) {
  const current = await settledRuntime(client, desired, wait);
  if (!current) {
    const { body: body2, bytes: bytes2 } = await sendable(client, desired, code2);
    const created = await client.createRuntime(body2);
    const runtime3 = await waitForRuntime(client, created.agentRuntimeId, wait);
    return { runtime: runtime3, action: "created", reasons: [], uploadedBytes: bytes2, kept: [] };
  }
  const newestVersion = trackVersions ? newest(await client.listVersions(current.agentRuntimeId)) : void 0;
  const reasons = runtimeChanges(desired, current, newestVersion);
  const kept = keptSettings(desired.body, current);
  if (reasons.length === 0) {
    return { runtime: current, action: "unchanged", reasons, uploadedBytes: 0, newestVersion, kept };
  }
  const { body, bytes } = await sendable(client, desired, code2);
  await client.updateRuntime(current.agentRuntimeId, body);
  const runtime2 = await waitForRuntime(client, current.agentRuntimeId, wait);
  return { runtime: runtime2, action: "updated", reasons, uploadedBytes: bytes, newestVersion, kept };
}
function keptSettings(desired, current) {
  const fields = SERVICE.keptWhenRemoved;
  return fields.filter((field) => desired[field] === void 0 && current[field] !== void 0);
}
async function settledRuntime(client, desired, wait) {
  const found = await client.findRuntime(desired.body.agentRuntimeName, desired.workspace);
  const busy = SERVICE.busyStatuses;
  if (!found || !busy.includes(found.status)) return found;
  const { agentRuntimeId } = found;
  return waitForRuntime(client, agentRuntimeId, wait).catch((error) => {
    if (error instanceof WaitError && !error.timedOut) return client.getRuntime(agentRuntimeId);
    if (error instanceof AgentRunError && error.kind === "NotFound") return void 0;
    throw error;
  });
}
async function sendable(client, desired, code2) {
  const workspace = desired.workspace && await client.resolveWorkspace(desired.workspace, true);
  const arms = desired.body.armsConfiguration;
  const fetchKey = arms && Object.keys(arms).length > 0 && !arms.armsLicenseKey && desired.armsLicenseKey;
  const body = {
    ...desired.body,
    ...workspace && { workspaceId: workspace.workspaceId },
    ...fetchKey && { armsConfiguration: { ...arms, armsLicenseKey: await fetchKey() } }
  };
  return withCode(body, code2);
}
async function withCode(input, code2) {
  const uploaded = input.codeConfiguration && await code2.upload();
  if (!uploaded || !input.codeConfiguration) return { body: input, bytes: 0 };
  const { ossBucketName, ossObjectName, checksum, bytes } = uploaded;
  const codeConfiguration2 = { ...input.codeConfiguration, ossBucketName, ossObjectName, checksum };
  return { body: { ...input, codeConfiguration: codeConfiguration2 }, bytes };
}
function newest(versions) {
  const numbered = versions.filter((v) => /^\d+$/.test(v.agentRuntimeVersion));
  return numbered.reduce(
    (best, v) => !best || Number(v.agentRuntimeVersion) > Number(best.agentRuntimeVersion) ? v : best,
    void 0
  );
}
async function ensurePublished(client, desired, code2, wait, description) {
  const publish2 = description !== void 0;
  let first;
  for (let race = 1; ; race++) {
    const applied = await ensureRuntime(client, desired, code2, wait, publish2);
    const runtime2 = first && first.action !== "unchanged" && applied.action === "unchanged" ? { ...applied, action: first.action, reasons: first.reasons, uploadedBytes: first.uploadedBytes } : applied;
    first ??= applied;
    if (!publish2) return { runtime: runtime2 };
    try {
      return { runtime: runtime2, outcome: await publishIfNew(client, runtime2, desired, description) };
    } catch (error) {
      const busy = error instanceof AgentRunError && error.kind === "Busy";
      if (!busy || race >= MAX_RACES) throw error;
    }
  }
}
async function publishIfNew(client, runtime2, desired, description) {
  const latest = runtime2.action === "unchanged" ? runtime2.newestVersion : newest(await client.listVersions(runtime2.runtime.agentRuntimeId));
  const last = recorded(latest);
  if (latest && last?.config === desired.fingerprint.config && last.code === desired.fingerprint.code) {
    return { version: latest, published: false };
  }
  const version2 = await client.publishVersion(
    runtime2.runtime.agentRuntimeId,
    `${description} ${marker(desired.fingerprint)}`
  );
  return { version: version2, published: true };
}

// src/logs/query.ts
var MAX_COUNTED = 1e3;
var PAGE = 100;
async function queryRuntimeLogs(api, request) {
  const { project, logstore } = request.logstore;
  const query = runtimeQuery(request);
  const from = Math.floor(request.fromMs / 1e3);
  const to = Math.ceil(request.toMs / 1e3);
  const samples = Math.min(request.samples ?? 20, MAX_COUNTED);
  const newest2 = [];
  let count2 = 0;
  for (let offset = 0; offset < MAX_COUNTED; offset += PAGE) {
    const { data } = await api.getLogs(project, logstore, {
      from,
      to,
      query,
      line: PAGE,
      offset,
      reverse: true
    });
    count2 += data.length;
    if (newest2.length < samples) newest2.push(...data.slice(0, samples - newest2.length));
    if (data.length < PAGE) return { count: count2, capped: false, lines: newest2.reverse().map(toLine) };
  }
  return { count: count2, capped: true, lines: newest2.reverse().map(toLine) };
}
function runtimeQuery(request) {
  const parts = [`${LogField.runtime}: ${quote2(request.runtime)}`];
  if (request.version !== void 0) parts.push(`${LogField.version}: ${quote2(request.version)}`);
  if (request.endpoint !== void 0) parts.push(`${LogField.endpoint}: ${quote2(request.endpoint)}`);
  if (request.query?.trim()) parts.push(`(${request.query.trim()})`);
  return parts.join(" and ");
}
function quote2(value) {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}
function toLine(record) {
  return {
    timeMs: Number(record[SlsField.time] ?? 0) * 1e3,
    message: record[LogField.message] ?? "",
    version: record[LogField.version] ?? "",
    endpoint: record[LogField.endpoint] ?? "",
    instance: record[LogField.instance] ?? ""
  };
}

// src/diagnose/logs.ts
var TAIL = 30;
var ATTEMPTS = 3;
var RETRY_MS = 2e3;
async function diagnoseFromLogs(sls, request, deps) {
  const { project, logstore } = request.logstore;
  let lines = [];
  for (let attempt = 1; attempt <= ATTEMPTS && lines.length === 0; attempt++) {
    if (attempt > 1) await deps.clock.sleep(RETRY_MS);
    const found = await queryRuntimeLogs(sls, {
      logstore: request.logstore,
      runtime: request.runtime,
      version: request.version,
      fromMs: request.fromMs,
      toMs: deps.clock.now() + 1e3,
      samples: TAIL
    });
    lines = found.lines.map((line) => line.message);
  }
  const decisive = decisiveLine(lines);
  if (decisive === void 0) return void 0;
  const version2 = request.version === void 0 ? "" : ` version ${request.version}`;
  await deps.logger.group(
    `Last ${lines.length} lines of ${request.runtime}${version2} (SLS ${project}/${logstore})`,
    () => Promise.resolve(lines.forEach((line) => deps.logger.info(line)))
  );
  return `${request.runtime}${version2} logged: ${decisive}`;
}

// src/credentials/errors.ts
var CredentialsError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "CredentialsError";
  }
};
var MissingCredentialsError = class extends CredentialsError {
  constructor(message) {
    super(message);
    this.name = "MissingCredentialsError";
  }
};
var StsError = class extends CredentialsError {
  constructor(message, code2, requestId, statusCode) {
    super(message);
    this.code = code2;
    this.requestId = requestId;
    this.statusCode = statusCode;
    this.name = "StsError";
  }
  code;
  requestId;
  statusCode;
};

// src/credentials/sts.ts
var STS_VERSION = "2015-04-01";
var TIMEOUT_MS = { connect: 1e4, read: 3e4 };
async function assumeRoleWithOidc(request) {
  let body;
  try {
    body = await callRpc({
      endpoint: request.endpoint,
      action: "AssumeRoleWithOIDC",
      version: STS_VERSION,
      signatureAlgorithm: "v2",
      query: {
        RoleArn: request.roleArn,
        OIDCProviderArn: request.oidcProviderArn,
        RoleSessionName: request.roleSessionName,
        DurationSeconds: String(request.durationSeconds)
      },
      body: { OIDCToken: request.oidcToken },
      timeoutMs: TIMEOUT_MS
    });
  } catch (error) {
    throw toStsError(error, request);
  }
  return readCredentials(body);
}
function readCredentials(body) {
  const credentials = body?.Credentials;
  const field = (name) => {
    const value = credentials?.[name];
    if (typeof value === "string" && value !== "") return value;
    const requestId = body?.RequestId;
    throw new StsError(
      `STS AssumeRoleWithOIDC returned no Credentials.${name}.`,
      void 0,
      requestId,
      void 0
    );
  };
  return {
    accessKeyId: field("AccessKeyId"),
    accessKeySecret: field("AccessKeySecret"),
    securityToken: field("SecurityToken"),
    expiration: field("Expiration")
  };
}
function toStsError(error, request) {
  const { code: code2, data } = error;
  const stsMessage = data?.Message ?? data?.message ?? error.message;
  const requestId = data?.RequestId ?? data?.requestId;
  const statusCode = typeof data?.statusCode === "number" ? data.statusCode : void 0;
  if (statusCode === void 0) {
    return new StsError(
      `Could not reach STS at ${request.endpoint} (the \`sts-endpoint\` input): ${String(stsMessage)}`,
      code2,
      void 0,
      void 0
    );
  }
  return new StsError(
    [
      `STS AssumeRoleWithOIDC for ${request.roleArn} failed: HTTP ${statusCode}, code ${code2 ?? "unknown"}, request id ${requestId ?? "unknown"}: ${String(stsMessage)}`,
      "Check that:",
      `- the OIDC provider ${request.oidcProviderArn} has the token's audience (the \`audience\` input) among its client IDs, and trusts https://token.actions.githubusercontent.com;`,
      `- the trust policy of ${request.roleArn} allows this provider with conditions that match the token: oidc:aud = the audience, oidc:sub = e.g. repo:<owner>/<repo>:ref:refs/heads/<branch> (or repo:<owner>/<repo>:environment:<name> for jobs with an environment);`,
      "- the session duration is not above the maximum session duration of the role."
    ].join("\n"),
    code2,
    requestId,
    statusCode
  );
}
async function getCallerIdentity(credentials, endpoint2) {
  let body;
  try {
    body = await callRpc({
      endpoint: endpoint2,
      action: "GetCallerIdentity",
      version: STS_VERSION,
      credentials,
      signatureAlgorithm: "v2",
      timeoutMs: TIMEOUT_MS
    });
  } catch (error) {
    const { code: code2, data } = error;
    const message = String(data?.Message ?? error.message);
    throw new StsError(
      `STS GetCallerIdentity at ${endpoint2} (the \`sts-endpoint\` input) failed: ${message}. It names the account whose SLS project \`logConfig: auto\` uses; or set the AccountID variable.`,
      code2,
      data?.RequestId,
      typeof data?.statusCode === "number" ? data.statusCode : void 0
    );
  }
  const accountId = body?.AccountId;
  if (typeof accountId !== "string" || !/^\d+$/.test(accountId)) {
    throw new StsError("STS GetCallerIdentity returned no AccountId.", void 0, void 0, void 0);
  }
  return accountId;
}

// src/logs/ensure.ts
async function ensureAutoLogstore(api, project, region) {
  const logstore = AUTO_LOG.logstore;
  const projectState = await api.getProject(project) !== void 0 ? "exists" : await api.createProject({ projectName: project, description: `${AUTO_LOG.description} (${region})` });
  const logstoreState = await api.getLogStore(project, logstore) !== void 0 ? "exists" : await api.createLogStore(project, autoLogstore());
  const indexState = await api.getIndex(project, logstore) !== void 0 ? "exists" : await api.createIndex(project, logstore, autoLogIndex());
  return { project: projectState, logstore: logstoreState, index: indexState };
}
async function missingParts(api, project) {
  const logstore = AUTO_LOG.logstore;
  if (await api.getProject(project) === void 0) {
    return [`SLS project ${project}`, `logstore ${logstore}`, "its index"];
  }
  if (await api.getLogStore(project, logstore) === void 0)
    return [`logstore ${project}/${logstore}`, "its index"];
  if (await api.getIndex(project, logstore) === void 0) return [`the index of ${project}/${logstore}`];
  return [];
}

// src/app/logs.ts
function slsFor({ settings, host, deps }, credentials, retry) {
  const clients = /* @__PURE__ */ new Map();
  return (region) => {
    const endpoint2 = settings.slsEndpoint ?? slsRegionEndpoint(region);
    let client = clients.get(endpoint2);
    if (!client) {
      client = deps.sls({
        endpoint: endpoint2,
        credentials,
        requestTimeoutMs: settings.requestTimeoutMs,
        retry,
        clock: deps.clock,
        onRetry: (message) => host.logger.warning(message)
      });
      clients.set(endpoint2, client);
    }
    return client;
  };
}
async function accountIdOf(context, credentials) {
  return credentials.accountId ?? getCallerIdentity(credentials, context.settings.credentials.stsEndpoint);
}
function resolveAutoLogs(targets, accountId) {
  return targets.map((target) => {
    if (!target.autoLog) return target;
    const logConfiguration2 = {
      project: autoLogProject(accountId, target.region),
      logstore: AUTO_LOG.logstore
    };
    return { ...target, runtime: { ...target.runtime, logConfiguration: logConfiguration2 } };
  });
}
async function withAutoLogs(context, targets, credentials) {
  if (!targets.some((target) => target.autoLog)) return [...targets];
  const { logger } = context.host;
  const resolved = resolveAutoLogs(targets, await accountIdOf(context, credentials));
  const sls = slsFor(context, credentials);
  const ensured = /* @__PURE__ */ new Set();
  for (const target of resolved.filter((candidate) => candidate.autoLog)) {
    const project = target.runtime.logConfiguration.project;
    if (!ensured.has(project)) {
      ensured.add(project);
      const state = await ensureAutoLogstore(sls(target.region), project, target.region);
      const made = Object.entries(state).filter(([, value]) => value === "created");
      const what = made.length ? `created: ${made.map(([part]) => part).join(", ")}` : "already there";
      logger.info(`logConfig: auto: SLS project ${project}, logstore ${AUTO_LOG.logstore} (${what})`);
    }
    logger.notice(
      `${target.resource}: logConfig: auto uses SLS project ${project}; to pin it, write in the s.yaml:
        logConfig:
          project: ${project}
          logstore: ${AUTO_LOG.logstore}`
    );
  }
  return resolved;
}
async function asDeployed(context, target, credentials) {
  if (!target.autoLog) return target;
  return resolveAutoLogs([target], await accountIdOf(context, credentials))[0];
}
async function planAutoLogs(context, targets, credentials) {
  if (!targets.some((target) => target.autoLog)) return { targets: [...targets], lines: [] };
  const resolved = resolveAutoLogs(targets, await accountIdOf(context, credentials));
  const sls = slsFor(context, credentials);
  const lines = [];
  for (const target of resolved.filter((candidate) => candidate.autoLog)) {
    const project = target.runtime.logConfiguration.project;
    const missing = await missingParts(sls(target.region), project);
    lines.push(
      missing.length ? `${target.resource}: logConfig: auto will create ${missing.join(", ")}` : `${target.resource}: logConfig: auto uses SLS project ${project}, logstore ${AUTO_LOG.logstore} (exists)`
    );
  }
  return { targets: resolved, lines };
}
var DIAGNOSIS_RETRY = { attempts: 2, baseDelayMs: 500, maxDelayMs: 1e3 };
var DIAGNOSIS_SLACK_MS = 5e3;
function logDiagnosis(context, credentials) {
  const { host, deps } = context;
  const sls = slsFor(context, credentials, DIAGNOSIS_RETRY);
  const fromMs = deps.clock.now() - DIAGNOSIS_SLACK_MS;
  return async ({ region, runtime: runtime2 }, version2) => {
    const { project, logstore } = runtime2.logConfiguration ?? {};
    if (!project || !logstore) return void 0;
    try {
      return await diagnoseFromLogs(
        sls(region),
        { logstore: { project, logstore }, runtime: runtime2.agentRuntimeName, version: version2, fromMs },
        { clock: deps.clock, logger: host.logger }
      );
    } catch (error) {
      host.logger.warning(
        `Could not read the logs of ${runtime2.agentRuntimeName} to explain the failure: ${error.message}`
      );
      return void 0;
    }
  };
}
var MISSING = /* @__PURE__ */ new Set([SlsCodes.projectNotExist, SlsCodes.logStoreNotExist]);
var ERROR_LOG_SAMPLES = 5;
function errorLogSource(context, credentials, region, runtime2) {
  const sls = slsFor(context, credentials);
  return async ({ runtime: name, version: version2, from, to, query }) => {
    const { project, logstore } = (await runtime2()).logConfiguration ?? {};
    if (!project || !logstore) return void 0;
    const found = await queryRuntimeLogs(sls(region), {
      logstore: { project, logstore },
      runtime: name,
      version: version2,
      query,
      fromMs: from.getTime(),
      toMs: to.getTime(),
      samples: ERROR_LOG_SAMPLES
    }).catch((error) => {
      if (error instanceof SlsError && MISSING.has(error.code ?? "")) return void 0;
      throw error;
    });
    return found && { count: found.count, samples: found.lines.map((line) => line.message) };
  };
}

// src/upload/index.ts
var TEMP_BUCKET_OSS_ENDPOINT = "https://oss-accelerate.aliyuncs.com";
var PART_BYTES = 8 * 1024 * 1024;
var PROGRESS_STEPS = 10;
function codeUploader(options) {
  return {
    async upload(region, pkg, logger) {
      const accountId = await options.accountId(region);
      const retrying = (call) => withRetry(call, options.retry ?? DEFAULT_RETRY, options.deps, {
        onRetry: (error, delayMs) => logger.warning(
          `${error.action}: ${error.kind.toLowerCase()}, retrying in ${(delayMs / 1e3).toFixed(1)} s`
        )
      });
      const token = await retrying(
        () => getTempBucketToken({
          endpoint: options.endpoint ?? fcEndpoint(accountId, region),
          accountId,
          credentials: options.credentials,
          timeoutMs: options.requestTimeoutMs
        })
      );
      if (token.codeSizeLimit !== void 0 && pkg.bytes > token.codeSizeLimit) {
        throw new PackageTooLargeError(pkg.bytes, token.codeSizeLimit);
      }
      logger.setSecret(token.credentials.AccessKeySecret);
      logger.setSecret(token.credentials.SecurityToken);
      const oss = new OssClient({
        endpoint: options.endpoint ?? TEMP_BUCKET_OSS_ENDPOINT,
        bucket: token.ossBucket,
        credentials: {
          accessKeyId: token.credentials.AccessKeyId,
          accessKeySecret: token.credentials.AccessKeySecret,
          securityToken: token.credentials.SecurityToken
        },
        timeoutMs: options.requestTimeoutMs
      });
      const key = `${accountId}/${token.objectName}`;
      const parts = Math.max(1, Math.ceil(pkg.bytes / PART_BYTES));
      logger.info(
        `Uploading the code (${formatBytes(pkg.bytes)}) to oss://${token.ossBucket}/${key}` + (parts > 1 ? ` in ${parts} parts` : "")
      );
      if (parts === 1) {
        await retrying(() => oss.put(key, { file: pkg.zipPath, start: 0, bytes: pkg.bytes }));
      } else {
        const uploadId = await retrying(() => oss.initiate(key));
        const done = [];
        let reported = 0;
        for (let part = 1; part <= parts; part++) {
          const start2 = (part - 1) * PART_BYTES;
          const range = { file: pkg.zipPath, start: start2, bytes: Math.min(PART_BYTES, pkg.bytes - start2) };
          done.push(await retrying(() => oss.uploadPart(key, uploadId, part, range)));
          const step = Math.floor(part / parts * PROGRESS_STEPS);
          if (step > reported && part < parts) {
            reported = step;
            logger.info(`  ${step * PROGRESS_STEPS}% uploaded (${formatBytes(start2 + range.bytes)})`);
          }
        }
        await retrying(() => oss.complete(key, uploadId, done));
      }
      logger.info("  code uploaded");
      return { ossBucketName: token.ossBucket, ossObjectName: key };
    }
  };
}

// src/credentials/names.ts
var CredentialInputs = {
  accessKeyId: "access-key-id",
  accessKeySecret: "access-key-secret",
  securityToken: "security-token",
  roleToAssume: "role-to-assume",
  oidcProviderArn: "oidc-provider-arn",
  roleSessionName: "role-session-name",
  audience: "audience",
  stsEndpoint: "sts-endpoint"
};
var ENV_KEY_PAIRS = [
  {
    id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
    secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    token: "ALIBABA_CLOUD_SECURITY_TOKEN",
    label: "ALIBABA_CLOUD_* environment"
  },
  // The other names aliyun/configure-aliyun-credentials-action exports (s-yaml.md §9.1).
  {
    id: "ALICLOUD_ACCESS_KEY",
    secret: "ALICLOUD_SECRET_KEY",
    token: "ALICLOUD_SECURITY_TOKEN",
    label: "ALICLOUD_* environment"
  },
  {
    id: "ALIBABACLOUD_ACCESS_KEY_ID",
    secret: "ALIBABACLOUD_ACCESS_KEY_SECRET",
    token: "ALIBABACLOUD_SECURITY_TOKEN",
    label: "ALIBABACLOUD_* environment"
  },
  // Serverless Devs (s-yaml.md §6.1): no security token on this path.
  {
    id: "AccessKeyID",
    secret: "AccessKeySecret",
    accountId: "AccountID",
    label: "Serverless Devs AccountID/AccessKeyID/AccessKeySecret environment"
  }
];
var ACCOUNT_ID_ENV = "AccountID";
var aliasKeyEnv = (alias) => `${alias}_serverless_devs_key`;
var CICD_ALIAS_ENV = "serverless_devs_access_cicd_alias_name";

// src/credentials/sources.ts
function given(value) {
  const trimmed = value?.trim();
  return trimmed ? trimmed : void 0;
}
var CREDENTIAL_CHARACTERS = /^[\x21-\x7E]*$/;
function checkCharacters(name, value) {
  if (value === void 0 || CREDENTIAL_CHARACTERS.test(value)) return;
  const characters = [...value];
  const index = characters.findIndex((character2) => !CREDENTIAL_CHARACTERS.test(character2));
  const character = characters[index];
  const what = /[\r\n]/.test(character) ? "a line break" : /\s/.test(character) ? "white space" : `the character U+${character.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  throw new CredentialsError(
    `${name} contains ${what} at character ${index + 1}; credentials are printable ASCII without spaces. Copy the value into the secret again, on one line and without quotes.`
  );
}
function readKeyPair(raw, names, mask) {
  const id = given(raw.id);
  const secret = given(raw.secret);
  const token = given(raw.token);
  const accountId = given(raw.accountId);
  [id, secret, token].forEach(mask);
  if (!id && !secret && !token) return void 0;
  const named = (pairs, wanted) => pairs.filter(([name, value]) => name && Boolean(value) === wanted).map(([name]) => name);
  const missing = named(
    [
      [names.id, id],
      [names.secret, secret],
      [names.accountId, accountId]
    ],
    false
  );
  if (!id || !secret || missing.length > 0) {
    const present = named(
      [
        [names.id, id],
        [names.secret, secret],
        [names.token, token]
      ],
      true
    );
    throw new CredentialsError(
      `Incomplete credentials in ${names.label}: ${missing.join(", ")} not set (${present.join(", ")} set). Set the missing value, or remove the others to use another source.`
    );
  }
  checkCharacters(names.id, id);
  checkCharacters(names.secret, secret);
  if (names.token) checkCharacters(names.token, token);
  return {
    accessKeyId: id,
    accessKeySecret: secret,
    ...token && { securityToken: token },
    ...accountId && { accountId },
    source: names.label
  };
}
function fromEnvironment(env, mask) {
  for (const pair of ENV_KEY_PAIRS) {
    const values = {
      id: env[pair.id],
      secret: env[pair.secret],
      token: pair.token && env[pair.token],
      accountId: pair.accountId && env[pair.accountId]
    };
    const found = readKeyPair(values, pair, mask);
    if (found) return found;
  }
  return void 0;
}
function aliasOf(alias, env) {
  const cicdAlias = env.GITHUB_ACTIONS === "true" ? given(env[CICD_ALIAS_ENV]) : void 0;
  return cicdAlias ?? given(alias) ?? "default";
}
function fromAliasKey(alias, env, mask) {
  const name = aliasKeyEnv(aliasOf(alias, env));
  const json = given(env[name]);
  if (!json) return void 0;
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new CredentialsError(
      `${name} is not valid JSON; expected {"AccountID":\u2026,"AccessKeyID":\u2026,"AccessKeySecret":\u2026}.`
    );
  }
  const record = typeof parsed === "object" && parsed !== null ? parsed : {};
  const text2 = (key) => {
    const value = record[key];
    return typeof value === "string" || typeof value === "number" ? String(value) : void 0;
  };
  return readKeyPair(
    {
      id: text2("AccessKeyID"),
      secret: text2("AccessKeySecret"),
      token: text2("SecurityToken"),
      accountId: text2("AccountID")
    },
    {
      id: `${name}.AccessKeyID`,
      secret: `${name}.AccessKeySecret`,
      token: `${name}.SecurityToken`,
      label: name
    },
    mask
  );
}

// src/credentials/oidc.ts
var DEFAULT_SESSION_NAME = "agentrun-deploy";
var DEFAULT_SESSION_SECONDS = 3600;
var DEFAULT_AUDIENCE = "sts.aliyuncs.com";
var DEFAULT_STS_ENDPOINT = "sts.aliyuncs.com";
var MIN_SESSION_SECONDS = 900;
var MAX_SESSION_SECONDS = 43200;
var ROLE_ARN = /^acs:ram::(\d+):role\/\S+$/;
var PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/\S+$/;
var SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
async function assumeRole(input, deps, mask) {
  const roleArn = given(input.roleToAssume);
  const oidcProviderArn = given(input.oidcProviderArn);
  if (!roleArn || !oidcProviderArn) {
    const [missing, present] = roleArn ? [CredentialInputs.oidcProviderArn, CredentialInputs.roleToAssume] : [CredentialInputs.roleToAssume, CredentialInputs.oidcProviderArn];
    throw new CredentialsError(`OIDC needs both ${missing} and ${present}; only ${present} is set.`);
  }
  const accountId = ROLE_ARN.exec(roleArn)?.[1];
  if (!accountId) {
    throw new CredentialsError(
      `${CredentialInputs.roleToAssume} "${roleArn}" is not a RAM role ARN (acs:ram::<account id>:role/<name>).`
    );
  }
  if (!PROVIDER_ARN.test(oidcProviderArn)) {
    throw new CredentialsError(
      `${CredentialInputs.oidcProviderArn} "${oidcProviderArn}" is not an OIDC provider ARN (acs:ram::<account id>:oidc-provider/<name>).`
    );
  }
  const roleSessionName = given(input.roleSessionName) ?? DEFAULT_SESSION_NAME;
  if (!SESSION_NAME.test(roleSessionName)) {
    throw new CredentialsError(
      `${CredentialInputs.roleSessionName} "${roleSessionName}" must be 2-64 characters of A-Z a-z 0-9 . @ _ -.`
    );
  }
  const durationSeconds = input.sessionDuration ?? DEFAULT_SESSION_SECONDS;
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_SESSION_SECONDS || durationSeconds > MAX_SESSION_SECONDS) {
    throw new CredentialsError(
      `Session duration ${durationSeconds} must be a whole number of seconds from ${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS} (and at most the role's maximum session duration).`
    );
  }
  const stsEndpoint = parseEndpointInput(
    CredentialInputs.stsEndpoint,
    given(input.stsEndpoint) ?? DEFAULT_STS_ENDPOINT
  );
  const audience = given(input.audience) ?? DEFAULT_AUDIENCE;
  if (!deps.getIDToken) {
    throw new CredentialsError(
      `${CredentialInputs.roleToAssume} needs a GitHub OIDC token, which only a GitHub Actions job has; elsewhere use an access key pair.`
    );
  }
  let oidcToken;
  try {
    oidcToken = await deps.getIDToken(audience);
  } catch (error) {
    throw new CredentialsError(
      `Could not get a GitHub OIDC token for audience "${audience}": ${error.message}
The job needs \`permissions: id-token: write\` (pull requests from forks never get a token).`
    );
  }
  mask(oidcToken);
  const sts = await assumeRoleWithOidc({
    roleArn,
    oidcProviderArn,
    oidcToken,
    roleSessionName,
    durationSeconds,
    endpoint: stsEndpoint
  });
  mask(sts.accessKeyId);
  mask(sts.accessKeySecret);
  mask(sts.securityToken);
  return {
    accessKeyId: sts.accessKeyId,
    accessKeySecret: sts.accessKeySecret,
    securityToken: sts.securityToken,
    accountId,
    source: `OIDC role ${roleArn}`
  };
}

// src/credentials/index.ts
async function resolveCredentials(input, env, deps) {
  const mask = (value) => {
    if (value !== void 0) deps.setSecret(value);
  };
  const explicit = readKeyPair(
    { id: input.accessKeyId, secret: input.accessKeySecret, token: input.securityToken },
    { ...inputPair, label: "inputs" },
    mask
  );
  const found = explicit ?? (given(input.roleToAssume) || given(input.oidcProviderArn) ? await assumeRole(input, deps, mask) : fromEnvironment(env, mask) ?? fromAliasKey(deps.alias, env, mask));
  if (!found) throw new MissingCredentialsError(missingMessage(aliasOf(deps.alias, env)));
  const accountId = found.accountId ?? given(env[ACCOUNT_ID_ENV]);
  return accountId ? { ...found, accountId } : found;
}
function knownAccountId(input, env) {
  return ROLE_ARN.exec(given(input.roleToAssume) ?? "")?.[1] ?? given(env[ACCOUNT_ID_ENV]);
}
var inputPair = {
  id: CredentialInputs.accessKeyId,
  secret: CredentialInputs.accessKeySecret,
  token: CredentialInputs.securityToken
};
function missingMessage(alias) {
  const envLines = ENV_KEY_PAIRS.map(
    (pair) => `  - ${[pair.accountId, pair.id, pair.secret, pair.token].filter(Boolean).join(", ")}`
  );
  return [
    "No Alibaba Cloud credentials found. Provide them in one of these ways (the first one found is used):",
    `- inputs ${CredentialInputs.accessKeyId} and ${CredentialInputs.accessKeySecret} (plus ${CredentialInputs.securityToken} for STS credentials), e.g. from repository secrets;`,
    `- GitHub OIDC: inputs ${CredentialInputs.roleToAssume} and ${CredentialInputs.oidcProviderArn}, with \`permissions: id-token: write\` on the job (no long-lived keys needed);`,
    "- environment variables (the first complete set wins; a security token is optional where listed), as aliyun/configure-aliyun-credentials-action exports them or Serverless Devs reads them:",
    ...envLines,
    `  - ${aliasKeyEnv(alias)}: JSON with AccountID, AccessKeyID, AccessKeySecret (+ SecurityToken)`
  ].join("\n");
}

// src/config/schema.ts
var REGIONS = [
  "cn-beijing",
  "cn-hangzhou",
  "cn-shanghai",
  "cn-zhangjiakou",
  "cn-shenzhen",
  "cn-guangzhou",
  "cn-chengdu",
  "cn-hongkong",
  "ap-southeast-1",
  "ap-southeast-5",
  "us-west-1",
  "eu-west-1",
  "eu-central-1",
  "ap-northeast-1"
];
var LANGUAGES = [
  "python3.10",
  "python3.12",
  "nodejs18",
  "nodejs20",
  "java8",
  "java11",
  "java17"
];
var UNCONFIRMED_LANGUAGES = ["java17"];
var PROTOCOL_TYPES = ["HTTP", "HTTPS", "MCP"];
var IMAGE_REGISTRY_TYPES = ["ACR", "ACREE", "CUSTOM"];
var DISK_SIZES = [512, 10240];
var DEFAULTS = {
  internetAccess: true,
  endpointVersion: "LATEST",
  protocolType: "HTTP",
  healthCheck: {
    httpGetUrl: "/health",
    initialDelaySeconds: 30,
    periodSeconds: 30,
    timeoutSeconds: 3,
    failureThreshold: 3,
    successThreshold: 1
  }
};
var RUNTIME_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,127}$/;
var SHORT_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
var ROLE = /^(acs:ram::[0-9]+:role\/)?[a-zA-Z][a-zA-Z0-9_/-]{0,127}$/;
var VERSION_NUMBER = /^[1-9][0-9]*$/;
var expected = (what) => ({ error: `expected ${what}` });
function str(what = "a string") {
  return external_exports.string(expected(what));
}
function nonEmpty(what = "a non-empty string") {
  return str(what).min(1, expected(what));
}
function matching(pattern, what) {
  return str(what).regex(pattern, expected(what));
}
function bool() {
  return external_exports.boolean(expected("true or false"));
}
function numberIn(min, max, integer = false) {
  const what = `${integer ? "an integer" : "a number"} from ${min} to ${max}`;
  const n = external_exports.number(expected(what)).min(min, expected(what)).max(max, expected(what));
  return integer ? n.multipleOf(1, expected(what)) : n;
}
function oneOf2(values) {
  return external_exports.enum(values, expected(`one of ${values.join(", ")}`));
}
function canaryWeight() {
  const what = "a number above 0 and below 1 (the share of the traffic, e.g. 0.1)";
  return external_exports.number(expected(what)).gt(0, expected(what)).lt(1, expected(what));
}
var stringList = (what = "a list of strings") => external_exports.array(str(), expected(what));
var codeSchema = external_exports.object({
  src: nonEmpty("a path to a directory, .zip or .jar file").optional(),
  ossBucketName: nonEmpty().optional(),
  ossObjectName: nonEmpty().optional(),
  language: oneOf2(LANGUAGES),
  command: stringList("the start command as a list of strings").optional(),
  checksum: matching(/^[0-9]+$/, "the CRC-64 of the package as a decimal string").optional()
});
var registryConfigSchema = external_exports.object({
  authConfig: external_exports.object({ userName: str().optional(), password: str().optional() }).optional(),
  certConfig: external_exports.object({ insecure: bool().optional(), rootCaCertBase64: str().optional() }).optional(),
  networkConfig: external_exports.object({ vpcId: str().optional(), vSwitchId: str().optional(), securityGroupId: str().optional() }).optional()
});
var containerSchema = external_exports.object({
  image: nonEmpty("an image reference, e.g. registry.cn-hangzhou.aliyuncs.com/ns/app:tag"),
  command: stringList("the entrypoint as a list of strings").optional(),
  imageRegistryType: oneOf2(IMAGE_REGISTRY_TYPES).optional(),
  acrInstanceId: matching(/^cri-[a-z0-9]+$/, "an ACR EE instance id like cri-xxxx").optional(),
  port: numberIn(1, 65535, true).optional(),
  registryConfig: registryConfigSchema.optional()
});
var vSwitchId = matching(/^vsw-[a-z0-9]+$/, "a vSwitch id like vsw-xxxx");
var vpcSchema = external_exports.object({
  vpcId: matching(/^vpc-[a-z0-9]+$/, "a VPC id like vpc-xxxx"),
  // The component also takes a single id as a string and wraps it in a list.
  vSwitchIds: external_exports.preprocess(
    (value) => typeof value === "string" ? [value] : value,
    external_exports.array(vSwitchId, expected("a non-empty list of vSwitch ids")).min(1, expected("a non-empty list of vSwitch ids"))
  ),
  securityGroupId: matching(/^sg-[a-z0-9]+$/, "a security group id like sg-xxxx")
});
var nasSchema = external_exports.object({
  userId: numberIn(0, 2 ** 31 - 1, true).optional(),
  groupId: numberIn(0, 2 ** 31 - 1, true).optional(),
  mountPoints: external_exports.array(external_exports.object({ serverAddr: nonEmpty(), mountDir: nonEmpty(), enableTLS: bool().optional() })).min(1, expected("at least one mount point"))
});
var ossMountSchema = external_exports.object({
  mountPoints: external_exports.array(
    external_exports.object({
      bucketName: nonEmpty(),
      bucketPath: str().optional(),
      endpoint: str().optional(),
      mountDir: nonEmpty(),
      readOnly: bool().optional()
    })
  ).min(1, expected("at least one mount point"))
});
var logObjectSchema = external_exports.object({ project: nonEmpty(), logstore: nonEmpty() });
var protocolSchema = external_exports.object({
  type: oneOf2(PROTOCOL_TYPES).optional(),
  protocolSettings: external_exports.array(external_exports.object({ type: str().optional(), name: str().optional(), config: str().optional() })).optional()
});
var healthCheckSchema = external_exports.object({
  httpGetUrl: str().max(2048, expected("a path of at most 2048 characters")).optional(),
  initialDelaySeconds: numberIn(0, 120, true).optional(),
  periodSeconds: numberIn(1, 120, true).optional(),
  timeoutSeconds: numberIn(1, 3, true).optional(),
  failureThreshold: numberIn(1, 120, true).optional(),
  successThreshold: numberIn(1, 120, true).optional()
});
var VERSION_EXPECTED = "LATEST or a published version number (1, 2, \u2026)";
var endpointSchema = external_exports.object({
  name: matching(SHORT_NAME, "a name of 1-64 letters, digits, _ or -, starting with a letter"),
  version: external_exports.union(
    [
      external_exports.literal("LATEST", expected(VERSION_EXPECTED)),
      str(VERSION_EXPECTED).regex(VERSION_NUMBER, expected(VERSION_EXPECTED)),
      external_exports.number(expected(VERSION_EXPECTED)).multipleOf(1, expected(VERSION_EXPECTED)).min(1, expected(VERSION_EXPECTED))
    ],
    expected(VERSION_EXPECTED)
  ).default(DEFAULTS.endpointVersion),
  description: str().max(256, expected("at most 256 characters")).optional(),
  weight: canaryWeight().optional()
});
var endpointsSchema = external_exports.array(endpointSchema, expected("a list of endpoints")).min(1, expected("at least one endpoint (omit `endpoints` to create none)")).superRefine(checkEndpoints, { when: (payload) => Array.isArray(payload.value) });
var agentSchema = external_exports.object(
  {
    name: matching(RUNTIME_NAME, "a name of 1-128 letters, digits, _ or -, starting with a letter"),
    description: str().max(256, expected("at most 256 characters")).optional(),
    code: codeSchema.superRefine(checkCode, { when: isRecordPayload }).optional(),
    customContainerConfig: containerSchema.superRefine(checkContainer, { when: isRecordPayload }).optional(),
    cpu: numberIn(0.05, 16).optional(),
    memory: numberIn(128, 32768, true).optional(),
    diskSize: external_exports.literal(DISK_SIZES, expected(`a disk size in MB: ${DISK_SIZES.join(" or ")}`)).optional(),
    // Not an AgentRun setting; the component ignores it too (validate warns).
    timeout: numberIn(1, 86400, true).optional(),
    port: numberIn(1, 65535, true).optional(),
    instanceConcurrency: numberIn(1, 200, true).optional(),
    sessionIdleTimeoutSeconds: numberIn(60, 86400, true).optional(),
    enableSessionIsolation: bool().optional(),
    disableSessionAffinity: bool().optional(),
    role: matching(ROLE, "a RAM role ARN (acs:ram::<account>:role/<name>) or a role name").optional(),
    credentialName: matching(SHORT_NAME, "a credential name of 1-64 letters, digits, _ or -").optional(),
    internetAccess: bool().default(DEFAULTS.internetAccess),
    vpcConfig: vpcSchema.optional(),
    nasConfig: nasSchema.optional(),
    ossMountConfig: ossMountSchema.optional(),
    // The component's schema requires string values; numbers and booleans fail its check, so they fail ours.
    environmentVariables: external_exports.record(
      str(),
      str('a string (quote numbers and booleans, e.g. "8000")'),
      expected("a map of NAME: value")
    ).optional(),
    logConfig: external_exports.union([external_exports.literal("auto"), logObjectSchema], expected("`auto` or { project, logstore }")).optional(),
    protocolConfiguration: protocolSchema.optional(),
    healthCheckConfiguration: healthCheckSchema.optional(),
    endpoints: endpointsSchema.optional(),
    workspace: external_exports.object({
      id: str().optional(),
      name: str().optional(),
      description: str().optional(),
      resourceGroupId: str().optional()
    }).optional(),
    // The API's ArmsConfiguration (src/agentrun/model.ts); other keys get the unknown-key warning.
    armsConfiguration: external_exports.object({
      enableArms: bool().optional(),
      armsLicenseKey: str().optional(),
      cmsWorkspace: str().optional()
    }).optional(),
    // Deployed by the component through fc3-domain; not by us (validate warns).
    customDomain: external_exports.looseObject({ domainName: str() }).optional()
  },
  expected("an object")
).superRefine(checkAgent, { when: isRecordPayload });
var agentrunPropsSchema = external_exports.object(
  {
    region: external_exports.enum(REGIONS, expected(`an AgentRun region: ${REGIONS.join(", ")}`)),
    agent: agentSchema
  },
  expected("an object with region and agent")
);
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function isRecordPayload(payload) {
  return isRecord(payload.value);
}
function checkAgent(agent, ctx) {
  const hasCode = agent.code !== void 0;
  const hasContainer = agent.customContainerConfig !== void 0;
  if (hasCode && hasContainer) {
    ctx.addIssue({
      code: "custom",
      path: ["customContainerConfig"],
      message: "expected either `code` or `customContainerConfig`, not both"
    });
  } else if (!hasCode && !hasContainer) {
    ctx.addIssue({ code: "custom", path: [], message: "expected `code` or `customContainerConfig`" });
  }
  if (agent.nasConfig !== void 0 && agent.vpcConfig === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["nasConfig"],
      message: "expected `vpcConfig` too: NAS is mounted through the VPC"
    });
  }
}
function checkCode(code2, ctx) {
  const hasOss = code2.ossBucketName !== void 0 || code2.ossObjectName !== void 0;
  if (code2.src !== void 0 && hasOss) {
    ctx.addIssue({
      code: "custom",
      path: ["src"],
      message: "expected either `src` or `ossBucketName` + `ossObjectName`, not both"
    });
  } else if (code2.src === void 0 && !hasOss) {
    ctx.addIssue({
      code: "custom",
      path: [],
      message: "expected `src` or `ossBucketName` + `ossObjectName`"
    });
  } else if (hasOss) {
    for (const key of ["ossBucketName", "ossObjectName"]) {
      if (code2[key] === void 0) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "expected both `ossBucketName` and `ossObjectName`"
        });
      }
    }
  }
}
function checkContainer(container, ctx) {
  if (container.imageRegistryType === "ACREE" && container.acrInstanceId === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["acrInstanceId"],
      message: "expected `acrInstanceId` (cri-\u2026) when imageRegistryType is ACREE"
    });
  }
}
function checkEndpoints(endpoints, ctx) {
  const seen = /* @__PURE__ */ new Set();
  endpoints.forEach((endpoint2, index) => {
    if (!isRecord(endpoint2) || typeof endpoint2.name !== "string") return;
    if (seen.has(endpoint2.name)) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        message: `expected unique endpoint names, got ${JSON.stringify(endpoint2.name)} twice`
      });
    }
    seen.add(endpoint2.name);
  });
  const weights = endpoints.map((endpoint2) => isRecord(endpoint2) ? endpoint2.weight : void 0);
  const canaryWeights2 = weights.filter(
    (weight) => typeof weight === "number" && weight > 0 && weight < 1
  );
  if (weights.every((weight) => weight === void 0)) return;
  if (weights.every((weight) => weight !== void 0)) {
    ctx.addIssue({
      code: "custom",
      path: [],
      message: "expected an endpoint without `weight` for the canary weights to split traffic from"
    });
  }
  const sum = canaryWeights2.reduce((total, weight) => total + weight, 0);
  if (Math.round(sum * 1e9) / 1e9 > 1) {
    ctx.addIssue({
      code: "custom",
      path: [],
      message: `expected the canary weights to sum to at most 1, got ${canaryWeights2.join(" + ")} = ${Number(sum.toFixed(9))}`
    });
  }
}

// src/config/suggest.ts
function editDistance(a, b) {
  const rows2 = a.length + 1;
  const cols = b.length + 1;
  const d = Array.from(
    { length: rows2 },
    (_, i) => Array.from({ length: cols }, (_2, j) => i === 0 ? j : j === 0 ? i : 0)
  );
  for (let i = 1; i < rows2; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2][j - 2] + 1);
      }
      d[i][j] = best;
    }
  }
  return d[a.length][b.length];
}
function suggest(word, candidates) {
  const limit = Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best;
  for (const candidate of candidates) {
    if (lower.length >= 6 && candidate.toLowerCase().startsWith(lower)) return candidate;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === void 0 || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

// src/config/validate.ts
function validateResource(resource, locate, secrets = []) {
  const root = ["resources", resource.name, "props"];
  const found = [];
  const parsed = agentrunPropsSchema.safeParse(resource.props);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.flatMap(flattenUnion)) {
      const error = {
        severity: "error",
        path: [...root, ...keyPath(issue.path)],
        message: describe2(issue, resource.props, secrets)
      };
      if (!found.some((p) => p.message === error.message && p.path.join(".") === error.path.join("."))) {
        found.push(error);
      }
    }
  }
  for (const unknown of unknownKeys(agentrunPropsSchema, resource.props, [])) {
    found.push({
      severity: "warning",
      path: [...root, ...unknown.path],
      message: unknownKeyMessage(unknown)
    });
  }
  for (const note of ignoredSettings(resource.props)) {
    found.push({ severity: "warning", path: [...root, ...note.path], message: note.message });
  }
  const problems = sortByPosition(found.map((problem) => withPosition(problem, locate)));
  const hasErrors = problems.some((problem) => problem.severity === "error");
  return parsed.success && !hasErrors ? { props: parsed.data, problems } : { problems };
}
function keyPath(path17) {
  return path17.map((key) => typeof key === "number" ? key : String(key));
}
function flattenUnion(issue) {
  if (issue.code !== "invalid_union") return [issue];
  const matched = issue.errors.filter((errors) => errors.every((inner) => inner.path.length > 0));
  if (matched.length !== 1) return [issue];
  return matched[0].flatMap((inner) => flattenUnion({ ...inner, path: [...issue.path, ...inner.path] }));
}
function describe2(issue, input, secrets) {
  if (issue.code === "custom") return issue.message;
  const value = valueAt(input, keyPath(issue.path));
  if (value === void 0) return `missing, ${issue.message}`;
  const hint = issue.code === "invalid_value" && typeof value === "string" ? didYouMean(value, issue.values.map(String)) : issue.code === "invalid_type" && typeof value === "string" ? stringFromEnvHint(issue.expected, value) : "";
  return `${issue.message}, got ${show(value, secrets)}${hint}`;
}
function stringFromEnvHint(expected2, value) {
  if (expected2 === "number" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return "; values from ${env()} are strings: write ${env('NAME') * 1} for a number";
  }
  if (expected2 === "boolean" && /^(true|false)$/.test(value)) {
    return "; values from ${env()} are strings: write ${env('NAME') == \"true\"} for a boolean";
  }
  return "";
}
function valueAt(input, path17) {
  let current = input;
  for (const key of path17) {
    if (typeof current !== "object" || current === null) return void 0;
    current = current[key];
  }
  return current;
}
function show(value, secrets) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const masked = redact(value, secrets);
    return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
  }
  return String(value);
}
function didYouMean(word, candidates) {
  const match = suggest(word, candidates);
  return match === void 0 ? "" : `; did you mean \`${match}\`?`;
}
function unknownKeyMessage({ key, known }) {
  return `unknown key \`${key}\` is ignored${didYouMean(key, known)}`;
}
function* unknownKeys(schema, value, path17) {
  const inner = unwrap(schema);
  if (inner instanceof external_exports.ZodUnion) {
    const option = inner.options.find((o) => unwrap(o) instanceof external_exports.ZodObject);
    if (option !== void 0 && isRecord2(value)) yield* unknownKeys(option, value, path17);
  } else if (inner instanceof external_exports.ZodObject && isRecord2(value)) {
    const shape = inner.shape;
    const loose = inner.def.catchall !== void 0;
    for (const [key, child] of Object.entries(value)) {
      if (key in shape) yield* unknownKeys(shape[key], child, [...path17, key]);
      else if (!loose) yield { path: [...path17, key], key, known: Object.keys(shape) };
    }
  } else if (inner instanceof external_exports.ZodArray && Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* unknownKeys(inner.element, item, [...path17, index]);
  }
}
function unwrap(schema) {
  if (schema instanceof external_exports.ZodOptional || schema instanceof external_exports.ZodDefault) return unwrap(schema.def.innerType);
  if (schema instanceof external_exports.ZodPipe) return unwrap(schema.def.out);
  return schema;
}
function isRecord2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function ignoredSettings(props) {
  const notes = [];
  if (valueAt(props, ["agent", "timeout"]) !== void 0) {
    notes.push({
      path: ["agent", "timeout"],
      message: "AgentRun has no request timeout setting, so `timeout` is ignored (the agentrun component ignores it too); sessions end after `sessionIdleTimeoutSeconds`"
    });
  }
  if (valueAt(props, ["agent", "customDomain"]) !== void 0) {
    notes.push({
      path: ["agent", "customDomain"],
      // devsapp/agentrun `src/impl/custom_domain.ts` binds it through Serverless Devs' fc3-domain component
      // (Function Compute 3.0 custom domains) to the runtime's function `agentrun-<runtime id>`, an
      // implementation detail of AgentRun no official SDK documents.
      message: "`customDomain` is not deployed by this action: `s deploy` binds it through Serverless Devs' fc3-domain component. Bind the domain once (with `s deploy`, or under Custom domains in the AgentRun console) and keep it in the s.yaml for `s`; deploys here leave the binding as it is, and the endpoint URL stays reachable"
    });
  }
  const language = valueAt(props, ["agent", "code", "language"]);
  if (UNCONFIRMED_LANGUAGES.some((unconfirmed) => unconfirmed === language)) {
    notes.push({
      path: ["agent", "code", "language"],
      message: `\`${String(language)}\` is not in the AgentRun API's published language list; the service may refuse it`
    });
  }
  return notes;
}
function withPosition(problem, locate) {
  for (let length = problem.path.length; length > 0; length--) {
    const position = locate(problem.path.slice(0, length));
    if (position !== void 0) return { ...problem, position };
  }
  return problem;
}
function sortByPosition(problems) {
  const rank = (p) => p.position ? [p.position.line, p.position.col] : [Infinity, Infinity];
  return problems.map((problem, index) => ({ problem, index, rank: rank(problem) })).sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index).map(({ problem }) => problem);
}

// src/plan/endpoints.ts
function buildEndpointInputs(props) {
  const endpoints = props.agent.endpoints ?? [];
  const main = endpoints.find((endpoint2) => endpoint2.weight === void 0);
  return endpoints.map((endpoint2) => {
    const weights = endpoint2 === main ? canaryWeights(endpoints) : [];
    return {
      agentRuntimeEndpointName: endpoint2.name,
      // Always sent, empty when unset, so that removing it from the file clears it.
      description: endpoint2.description ?? "",
      targetVersion: targetVersion(endpoint2),
      // Only with a split, as the official clients send it; a deploy takes away a split the file no
      // longer has (SERVICE.singleVersionWeights).
      ...weights.length > 0 && { routingConfiguration: { versionWeights: weights } }
    };
  });
}
function targetVersion(endpoint2) {
  return String(endpoint2.version);
}
function canaryWeights(endpoints) {
  return endpoints.flatMap(
    (endpoint2) => endpoint2.weight === void 0 ? [] : [{ version: targetVersion(endpoint2), weight: endpoint2.weight }]
  );
}

// src/plan/types.ts
var PlanError = class extends Error {
  constructor(path17, message) {
    super(message);
    this.path = path17;
    this.name = "PlanError";
  }
  path;
};

// src/plan/runtime.ts
function buildRuntimeInput(props, context = {}) {
  const { agent } = props;
  const role = executionRoleArn(agent.role, context.accountId);
  const log = logConfiguration(props, context.accountId);
  return {
    agentRuntimeName: agent.name,
    // Always sent, empty when unset, so that removing it from the file clears it.
    description: agent.description ?? "",
    ...artifact(agent),
    ...sized(agent),
    ...agent.enableSessionIsolation !== void 0 && {
      enableSessionIsolation: agent.enableSessionIsolation
    },
    ...agent.disableSessionAffinity !== void 0 && {
      disableSessionAffinity: agent.disableSessionAffinity
    },
    networkConfiguration: networkConfiguration(agent),
    ...agent.nasConfig !== void 0 && { nasConfig: agent.nasConfig },
    ...agent.ossMountConfig !== void 0 && { ossMountConfig: agent.ossMountConfig },
    environmentVariables: environmentVariables(agent),
    ...role !== void 0 && { executionRoleArn: role },
    ...agent.credentialName !== void 0 && { credentialName: agent.credentialName },
    ...log !== void 0 && { logConfiguration: log },
    ...agent.protocolConfiguration !== void 0 && { protocolConfiguration: protocolConfiguration(agent) },
    ...agent.healthCheckConfiguration !== void 0 && {
      healthCheckConfiguration: healthCheckConfiguration(agent)
    },
    ...agent.armsConfiguration !== void 0 && { armsConfiguration: agent.armsConfiguration }
  };
}
function sized(agent) {
  const given2 = {
    cpu: agent.cpu,
    memory: agent.memory,
    diskSize: agent.diskSize,
    port: agent.port,
    sessionConcurrencyLimitPerInstance: agent.instanceConcurrency,
    sessionIdleTimeoutSeconds: agent.sessionIdleTimeoutSeconds
  };
  return Object.fromEntries(Object.entries(given2).filter(([, value]) => value !== void 0));
}
function artifact(agent) {
  if (agent.code !== void 0)
    return { artifactType: "Code", codeConfiguration: codeConfiguration(agent.code) };
  if (agent.customContainerConfig !== void 0) {
    return {
      artifactType: "Container",
      containerConfiguration: containerConfiguration(agent.customContainerConfig)
    };
  }
  throw new PlanError(["agent"], "expected `code` or `customContainerConfig`");
}
function codeConfiguration(code2) {
  if (SERVICE.codeNeedsCommand && !code2.command?.length) {
    throw new PlanError(
      ["agent", "code"],
      `\`code.command\` is missing: say how to start the agent, e.g. \`command: [python3, main.py]\` (it runs in /code)`
    );
  }
  return {
    language: code2.language,
    command: code2.command,
    ...code2.ossBucketName !== void 0 && { ossBucketName: code2.ossBucketName },
    ...code2.ossObjectName !== void 0 && { ossObjectName: code2.ossObjectName },
    ...code2.checksum !== void 0 && { checksum: code2.checksum }
  };
}
function containerConfiguration(container) {
  return {
    image: container.image,
    ...container.command !== void 0 && { command: container.command },
    ...container.imageRegistryType !== void 0 && { imageRegistryType: container.imageRegistryType },
    ...container.acrInstanceId !== void 0 && { acrInstanceId: container.acrInstanceId },
    ...container.port !== void 0 && { port: container.port },
    ...container.registryConfig !== void 0 && { registryConfig: container.registryConfig }
  };
}
function networkConfiguration(agent) {
  const { vpcConfig, internetAccess } = agent;
  if (vpcConfig === void 0) return { networkMode: internetAccess ? "PUBLIC" : "PRIVATE" };
  return {
    networkMode: internetAccess ? "PUBLIC_AND_PRIVATE" : "PRIVATE",
    vpcId: vpcConfig.vpcId,
    vswitchIds: vpcConfig.vSwitchIds,
    securityGroupId: vpcConfig.securityGroupId
  };
}
function environmentVariables(agent) {
  return { ...agent.environmentVariables };
}
function executionRoleArn(role, accountId) {
  if (role === void 0 || role.startsWith("acs:ram::")) return role;
  if (accountId === void 0) {
    throw new PlanError(
      ["agent", "role"],
      `role name ${JSON.stringify(role)} needs the account id to become acs:ram::<account>:role/${role}; write the full ARN, or set the AccountID variable`
    );
  }
  return `acs:ram::${accountId}:role/${role}`;
}
function logConfiguration(props, accountId) {
  const { logConfig } = props.agent;
  if (logConfig !== "auto") return logConfig;
  if (accountId === void 0) return void 0;
  return { project: autoLogProject(accountId, props.region), logstore: AUTO_LOG.logstore };
}
function protocolConfiguration(agent) {
  const protocol = agent.protocolConfiguration ?? {};
  return { type: protocol.type ?? DEFAULTS.protocolType, protocolSettings: protocol.protocolSettings ?? [] };
}
function healthCheckConfiguration(agent) {
  const given2 = agent.healthCheckConfiguration ?? {};
  const defaults = DEFAULTS.healthCheck;
  return {
    httpGetUrl: given2.httpGetUrl ?? defaults.httpGetUrl,
    initialDelaySeconds: given2.initialDelaySeconds ?? defaults.initialDelaySeconds,
    periodSeconds: given2.periodSeconds ?? defaults.periodSeconds,
    timeoutSeconds: given2.timeoutSeconds ?? defaults.timeoutSeconds,
    failureThreshold: given2.failureThreshold ?? defaults.failureThreshold,
    successThreshold: given2.successThreshold ?? defaults.successThreshold
  };
}

// src/plan/index.ts
function isAgentrunComponent(component) {
  return component === "agentrun" || component.startsWith("agentrun@");
}
function buildPlan(spec, context = {}) {
  const problems = [];
  const resources = [];
  const skipped = [];
  const secretValues = maskableSecrets(spec.secretValues);
  for (const resource of spec.resources) {
    if (!isAgentrunComponent(resource.component)) {
      skipped.push({ resource: resource.name, component: resource.component });
      continue;
    }
    const validated = validateResource(resource, spec.locate, secretValues);
    problems.push(...validated.problems);
    if (validated.props === void 0) continue;
    try {
      resources.push(resourcePlan(resource.name, validated.props, context));
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      const path17 = ["resources", resource.name, "props", ...error.path];
      problems.push(withPosition({ severity: "error", path: path17, message: error.message }, spec.locate));
    }
  }
  problems.push(...fileProblems(spec, resources));
  const ordered = sortByPosition(problems).map((problem) => ({
    ...problem,
    message: redact(problem.message, secretValues)
  }));
  if (ordered.some((problem) => problem.severity === "error")) throw new ConfigError(ordered);
  return { resources, skipped, warnings: ordered, secretValues };
}
function resourcePlan(resource, props, context) {
  const { agent } = props;
  const runtime2 = buildRuntimeInput(props, context);
  const code2 = codeSource(agent.code);
  return {
    resource,
    region: props.region,
    runtime: runtime2,
    endpoints: buildEndpointInputs(props),
    ...code2 !== void 0 && { code: code2 },
    ...agent.logConfig === "auto" && {
      autoLog: runtime2.logConfiguration ?? { logstore: AUTO_LOG.logstore }
    },
    ...agent.workspace !== void 0 && { workspace: agent.workspace }
  };
}
function codeSource(code2) {
  if (code2 === void 0) return void 0;
  if (code2.src !== void 0) return { src: code2.src };
  if (code2.ossBucketName !== void 0 && code2.ossObjectName !== void 0) {
    return { oss: { bucketName: code2.ossBucketName, objectName: code2.ossObjectName } };
  }
  return void 0;
}
function fileProblems(spec, plans) {
  if (!spec.resources.some((resource) => isAgentrunComponent(resource.component))) {
    return [
      withPosition(
        {
          severity: "error",
          path: ["resources"],
          message: "expected at least one resource with `component: agentrun`"
        },
        spec.locate
      )
    ];
  }
  const owners = /* @__PURE__ */ new Map();
  const problems = [];
  for (const plan2 of plans) {
    const key = `${plan2.region}/${plan2.runtime.agentRuntimeName}`;
    const owner = owners.get(key);
    if (owner === void 0) {
      owners.set(key, plan2.resource);
      continue;
    }
    const path17 = ["resources", plan2.resource, "props", "agent", "name"];
    const message = `expected a runtime name not used by another resource, got ${JSON.stringify(plan2.runtime.agentRuntimeName)} (also resource \`${owner}\` in ${plan2.region})`;
    problems.push(withPosition({ severity: "error", path: path17, message }, spec.locate));
  }
  return problems;
}
function planToJson(plan2) {
  const { resources, skipped, warnings } = plan2;
  const shown = redactDeep({ resources, skipped, warnings: warnings.map(formatProblem) }, plan2.secretValues);
  return JSON.stringify(shown, null, 2);
}
function renderPlan(plan2) {
  const lines = [];
  for (const resource of redactDeep(plan2.resources, plan2.secretValues)) {
    lines.push(
      `resource \`${resource.resource}\` \u2192 runtime \`${resource.runtime.agentRuntimeName}\` in ${resource.region}`
    );
    lines.push(`  ${describeArtifact(resource)}`);
    if (resource.autoLog) {
      const project = resource.autoLog.project ?? `${autoLogProject("<account id from STS>", resource.region)}`;
      lines.push(`  logs (logConfig: auto): SLS project ${project}, logstore ${resource.autoLog.logstore}`);
    }
    lines.push("  runtime body:", indent(resource.runtime, 4));
    const left = serviceDefaulted(resource.runtime);
    if (left.length > 0) lines.push(`  ${left.join(", ")}: (service default)`);
    for (const endpoint2 of resource.endpoints) {
      lines.push(`  endpoint \`${endpoint2.agentRuntimeEndpointName}\` body:`, indent(endpoint2, 4));
    }
  }
  for (const { resource, component } of plan2.skipped) {
    lines.push(`resource \`${resource}\` (component ${component}): skipped`);
  }
  return lines.join("\n");
}
function describeArtifact(resource) {
  const { code: code2 } = resource;
  if (code2 === void 0) return `image: ${resource.runtime.containerConfiguration?.image ?? ""}`;
  if ("src" in code2) return `code: ${code2.src} (packaged and uploaded at deploy)`;
  return `code: oss://${code2.oss.bucketName}/${code2.oss.objectName}`;
}
function indent(value, spaces) {
  const pad = " ".repeat(spaces);
  return JSON.stringify(value, null, 2).split("\n").map((line) => pad + line).join("\n");
}

// src/plan/targets.ts
function planTargets(spec, names, accountId) {
  const selection = selectionProblems(spec, names);
  if (selection.length) throw new ConfigError(selection, spec.secretValues);
  const selected = spec.resources.filter(
    (resource) => names.length === 0 || names.includes(resource.name) || !isAgentrunComponent(resource.component)
  );
  const problems = selected.filter((resource) => isAgentrunComponent(resource.component)).flatMap((resource) => unsupportedSettings(resource, spec));
  let plan2;
  try {
    plan2 = buildPlan({ ...spec, resources: selected }, { accountId });
    problems.push(...plan2.warnings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (!plan2 || problems.some((problem) => problem.severity === "error")) {
    throw new ConfigError(sortByPosition(problems), spec.secretValues);
  }
  return { plan: plan2, targets: plan2.resources.map((resource) => deployTarget(resource, spec)) };
}
function selectionProblems(spec, names) {
  const known = spec.resources.map((resource) => resource.name);
  return names.flatMap((name) => {
    const resource = spec.resources.find((candidate) => candidate.name === name);
    if (!resource) {
      const message2 = `no resource named "${name}" (the file has: ${known.join(", ")})`;
      return [{ severity: "error", path: ["resources"], message: message2, position: spec.locate(["resources"]) }];
    }
    if (isAgentrunComponent(resource.component)) return [];
    const path17 = ["resources", name, "component"];
    const message = `"${name}" is a ${resource.component} resource; this action deploys agentrun resources only`;
    return [{ severity: "error", path: path17, message, position: spec.locate(path17) }];
  });
}
function deployTarget(plan2, spec) {
  const resolved = resolvedResource(spec, plan2.resource);
  return {
    resource: plan2.resource,
    region: plan2.region,
    runtime: plan2.workspace?.id ? { ...plan2.runtime, workspaceId: plan2.workspace.id } : plan2.runtime,
    ...plan2.workspace !== void 0 && { workspace: plan2.workspace },
    endpoints: plan2.endpoints,
    codeSrc: plan2.code && "src" in plan2.code ? plan2.code.src : void 0,
    actions: resolved.actions,
    stage: resolved.stage,
    ...plan2.autoLog && { autoLog: true }
  };
}
function resolvedResource(spec, name) {
  return spec.resources.find((resource) => resource.name === name);
}
function unsupportedSettings(resource, spec) {
  const root = ["resources", resource.name, "props"];
  const problem = (path17, message) => ({
    severity: "error",
    path: [...root, ...path17],
    message,
    position: spec.locate([...root, ...path17])
  });
  const problems = runtimeReferences(resource.props).map(
    ({ path: path17, text: text2 }) => problem(
      path17,
      `${text2} is the output of another resource's deploy, which this action does not pass between resources; use a fixed value or \`\${vars.\u2026}\``
    )
  );
  const agent = resource.props.agent ?? {};
  if (agent.workspace && typeof agent.workspace === "object" && !agent.workspace.id && !agent.workspace.name) {
    problems.push(
      problem(
        ["agent", "workspace"],
        "expected the workspace `id` or `name`; leave `workspace` out to use the account's default workspace"
      )
    );
  }
  return problems;
}
function runtimeReferences(value, path17 = []) {
  if (typeof value === "string") {
    const reference = /\$\{\s*(resources|components)\.[^}]*\}/.exec(value);
    return reference ? [{ path: path17, text: reference[0] }] : [];
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(
      ([key, item]) => runtimeReferences(item, [...path17, Array.isArray(value) ? Number(key) : key])
    );
  }
  return [];
}

// src/config/resolve.ts
import { existsSync as existsSync3 } from "node:fs";
import path9 from "node:path";

// src/config/expression.ts
var ExpressionError = class extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
    this.name = "ExpressionError";
  }
  hint;
};
var PUNCTUATORS = [
  "===",
  "!==",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "(",
  ")",
  "[",
  "]",
  ".",
  ",",
  "?",
  ":"
];
var SINGLE_PUNCTUATORS = "+-*/%<>!";
var KEYWORD_VALUES = {
  true: true,
  false: false,
  null: null,
  undefined: void 0
};
var ESCAPES = { n: "\n", t: "	", r: "\r", b: "\b", f: "\f", v: "\v", "0": "\0" };
function readString(text2, start2) {
  const quote3 = text2[start2];
  let value = "";
  for (let i = start2 + 1; i < text2.length; i++) {
    const ch = text2[i];
    if (ch === quote3) return { value, end: i + 1 };
    if (ch === "\n") break;
    if (ch !== "\\") {
      value += ch;
      continue;
    }
    const next = text2[++i] ?? "";
    if (next === "u" || next === "x") {
      const length = next === "u" ? 4 : 2;
      const hex2 = text2.slice(i + 1, i + 1 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex2) || hex2.length !== length) throw new ExpressionError("Invalid escape");
      value += String.fromCharCode(parseInt(hex2, 16));
      i += length;
    } else {
      value += ESCAPES[next] ?? next;
    }
  }
  throw new ExpressionError("Invalid or unexpected token");
}
function tokenize(text2) {
  const tokens = [];
  let i = 0;
  while (i < text2.length) {
    const rest = text2.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const number = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(rest);
    if (number) {
      tokens.push({ type: "number", value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_$][\w$]*/.exec(rest);
    if (name) {
      tokens.push({ type: "name", value: name[0] });
      i += name[0].length;
      continue;
    }
    if (rest[0] === '"' || rest[0] === "'") {
      const { value, end } = readString(text2, i);
      tokens.push({ type: "string", value });
      i = end;
      continue;
    }
    const punct = PUNCTUATORS.find((p) => rest.startsWith(p)) ?? (SINGLE_PUNCTUATORS.includes(rest[0]) ? rest[0] : void 0);
    if (!punct) throw new ExpressionError(`Unexpected character '${rest[0]}'`);
    tokens.push({ type: "punct", value: punct });
    i += punct.length;
  }
  return tokens;
}
var BINARY_LEVELS = [
  ["||"],
  ["&&"],
  ["==", "!=", "===", "!=="],
  ["<", ">", "<=", ">="],
  ["+", "-"],
  ["*", "/", "%"]
];
var Parser = class {
  constructor(tokens) {
    this.tokens = tokens;
  }
  tokens;
  index = 0;
  parseAll() {
    const expression = this.conditional();
    const extra = this.tokens[this.index];
    if (extra) throw new ExpressionError(`Unexpected token '${String(extra.value)}'`);
    return expression;
  }
  peek(value) {
    const token = this.tokens[this.index];
    return token?.type === "punct" && token.value === value;
  }
  expect(value) {
    if (!this.peek(value)) throw new ExpressionError(`Expected '${value}'`);
    this.index++;
  }
  conditional() {
    const test = this.binary(0);
    if (!this.peek("?")) return test;
    this.index++;
    const consequent = this.conditional();
    this.expect(":");
    return { kind: "conditional", test, consequent, alternate: this.conditional() };
  }
  binary(level) {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (; ; ) {
      const operator = BINARY_LEVELS[level].find((op) => this.peek(op));
      if (!operator) return left;
      this.index++;
      left = { kind: "binary", operator, left, right: this.binary(level + 1) };
    }
  }
  unary() {
    const operator = ["!", "-", "+"].find((op) => this.peek(op));
    if (!operator) return this.postfix();
    this.index++;
    return { kind: "unary", operator, operand: this.unary() };
  }
  postfix() {
    let expression = this.primary();
    for (; ; ) {
      if (this.peek(".")) {
        this.index++;
        const name = this.tokens[this.index++];
        if (name?.type !== "name") throw new ExpressionError('Unexpected token after "."');
        expression = { kind: "member", object: expression, property: { kind: "literal", value: name.value } };
      } else if (this.peek("[")) {
        this.index++;
        const property = this.conditional();
        this.expect("]");
        expression = { kind: "member", object: expression, property };
      } else if (this.peek("(")) {
        if (expression.kind !== "identifier")
          throw new ExpressionError("Only the magic functions can be called");
        this.index++;
        expression = { kind: "call", callee: expression.name, args: this.arguments() };
      } else {
        return expression;
      }
    }
  }
  arguments() {
    const args = [];
    while (!this.peek(")")) {
      args.push(this.conditional());
      if (!this.peek(",")) break;
      this.index++;
    }
    this.expect(")");
    return args;
  }
  primary() {
    const token = this.tokens[this.index++];
    if (!token) throw new ExpressionError("Unexpected end of input");
    if (token.type === "number" || token.type === "string") return { kind: "literal", value: token.value };
    if (token.type === "name") {
      return Object.hasOwn(KEYWORD_VALUES, token.value) ? { kind: "literal", value: KEYWORD_VALUES[token.value] } : { kind: "identifier", name: token.value };
    }
    if (token.value === "(") {
      const inner = this.conditional();
      this.expect(")");
      return inner;
    }
    throw new ExpressionError(`Unexpected token '${token.value}'`);
  }
};
function parseExpression(text2) {
  return new Parser(tokenize(text2)).parseAll();
}
function readMember(object, key) {
  if (object === null || object === void 0) {
    throw new ExpressionError(`Cannot read properties of ${String(object)} (reading '${key}')`);
  }
  if (typeof object === "string") {
    return key === "length" ? object.length : /^\d+$/.test(key) ? object[Number(key)] : void 0;
  }
  if (typeof object !== "object") return void 0;
  if (Array.isArray(object) && key === "length") return object.length;
  return Object.hasOwn(object, key) ? object[key] : void 0;
}
var BINARY = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "%": (a, b) => a % b,
  "<": (a, b) => a < b,
  ">": (a, b) => a > b,
  "<=": (a, b) => a <= b,
  ">=": (a, b) => a >= b,
  // Loose equality is part of the language being reproduced.
  "==": (a, b) => a == b,
  "!=": (a, b) => a != b,
  "===": (a, b) => a === b,
  "!==": (a, b) => a !== b
};
function evaluate(expression, scope) {
  switch (expression.kind) {
    case "literal":
      return expression.value;
    case "identifier":
      if (scope.isFunction(expression.name)) {
        throw new ExpressionError(
          `${expression.name} is a function; call it, e.g. ${expression.name}('...')`
        );
      }
      return scope.lookup(expression.name);
    case "member":
      return scope.member(evaluate(expression.object, scope), String(evaluate(expression.property, scope)));
    case "call":
      if (!scope.isFunction(expression.callee))
        throw new ExpressionError(`${expression.callee} is not a function`);
      return scope.call(
        expression.callee,
        expression.args.map((arg) => evaluate(arg, scope))
      );
    case "unary": {
      const value = evaluate(expression.operand, scope);
      return expression.operator === "!" ? !value : expression.operator === "-" ? -value : +value;
    }
    case "binary": {
      const left = evaluate(expression.left, scope);
      if (expression.operator === "&&") return left ? evaluate(expression.right, scope) : left;
      if (expression.operator === "||") return left ? left : evaluate(expression.right, scope);
      return BINARY[expression.operator](left, evaluate(expression.right, scope));
    }
    case "conditional":
      return evaluate(expression.test, scope) ? evaluate(expression.consequent, scope) : evaluate(expression.alternate, scope);
  }
}

// src/config/limits.ts
var MAX_FILE_BYTES = 1024 * 1024;
var MAX_ENTRIES = 1e4;
var MAX_DEPTH = 64;
var MAX_RESOLVED_ENTRIES = 10 * MAX_ENTRIES;
function nestedDeeperThan(value, max) {
  const stack = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
function formatBytes2(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, "KiB"] : [bytes / 1024 ** 2, "MiB"];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

// src/config/magic.ts
import { existsSync as existsSync2 } from "node:fs";
import path8 from "node:path";

// src/config/files.ts
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
var UnreadableFileError = class extends Error {
  constructor(message, code2) {
    super(message);
    this.code = code2;
    this.name = "UnreadableFileError";
  }
  code;
};
function notRegular(stats) {
  if (stats.isFile()) return void 0;
  if (stats.isDirectory()) return "is a directory, not a file";
  if (stats.isFIFO()) return "is a named pipe (FIFO), not a regular file";
  if (stats.isSocket()) return "is a socket, not a regular file";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "is a device, not a regular file";
  return "is not a regular file";
}
function tooLarge2(maxBytes) {
  return new UnreadableFileError(`is larger than the ${formatBytes2(maxBytes)} limit`);
}
function openError(error) {
  const { code: code2 } = error;
  const reason = code2 === "ENOENT" ? "does not exist" : code2 === "EACCES" || code2 === "EPERM" ? "cannot be read: permission denied" : code2 === "ELOOP" ? "is a loop of symbolic links" : `cannot be read (${code2 ?? error.message})`;
  return new UnreadableFileError(reason, code2);
}
function readRegularFile(file, maxBytes = MAX_FILE_BYTES) {
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw openError(error);
  }
  try {
    const stats = fstatSync(fd);
    const reason = notRegular(stats);
    if (reason) throw new UnreadableFileError(reason);
    if (stats.size > maxBytes) throw tooLarge2(maxBytes);
    const chunks = [];
    let total = 0;
    for (; ; ) {
      const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, 64 * 1024));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge2(maxBytes);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw error instanceof UnreadableFileError ? error : openError(error);
  } finally {
    closeSync(fd);
  }
}

// src/config/load.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { existsSync, statSync as statSync2 } from "node:fs";
import path7 from "node:path";

// src/config/shape.ts
var import_yaml = __toESM(require_dist(), 1);
var EMPTY = { entries: 0, depth: 0 };
var CapExceeded = class extends Error {
  constructor(problem) {
    super(problem.message);
    this.problem = problem;
  }
  problem;
};
function keyName(key) {
  if ((0, import_yaml.isScalar)(key)) return typeof key.value === "symbol" ? "<<" : String(key.value);
  return (0, import_yaml.isAlias)(key) ? `*${key.source}` : "?";
}
var count = (value) => value.toLocaleString("en-US");
function checkShape(document, lineOf) {
  const duplicates = [];
  const anchors = /* @__PURE__ */ new Map();
  const extents = /* @__PURE__ */ new Map();
  const open3 = /* @__PURE__ */ new Set();
  let entries = 0;
  const fail4 = (node, path17, message) => {
    throw new CapExceeded({ offset: node?.range?.[0] ?? 0, path: path17, message });
  };
  const addEntries = (added, node, path17, alias) => {
    entries += added;
    if (entries <= MAX_ENTRIES) return;
    fail4(
      node,
      path17,
      alias === void 0 ? `the file has more than ${count(MAX_ENTRIES)} keys and list items; an s.yaml needs a few hundred: move data into files the agent reads, or split the file` : `the alias *${alias} takes the file past ${count(MAX_ENTRIES)} keys and list items once aliases are expanded (an alias bomb?): write the values out, or nest fewer aliases`
    );
  };
  const checkDepth = (depth, node, path17, alias) => {
    if (depth <= MAX_DEPTH) return;
    fail4(
      node,
      path17,
      alias === void 0 ? `nested more than ${MAX_DEPTH} levels deep; an s.yaml needs about ten: flatten the structure` : `the alias *${alias} nests the file more than ${MAX_DEPTH} levels deep once expanded: write the value out, or nest fewer aliases`
    );
  };
  const visit = (node, path17, depth) => {
    if ((0, import_yaml.isAlias)(node)) {
      const target = anchors.get(node.source);
      if (!target) {
        return fail4(
          node,
          path17,
          `the alias *${node.source} has no anchor &${node.source} before it: define the anchor first`
        );
      }
      if (open3.has(target)) {
        fail4(
          node,
          path17,
          `the alias *${node.source} is inside the value &${node.source} it refers to, which would make that value infinite: refer to a value defined elsewhere`
        );
      }
      const extent2 = extents.get(target) ?? EMPTY;
      addEntries(extent2.entries, node, path17, node.source);
      checkDepth(depth + extent2.depth, node, path17, node.source);
      return extent2;
    }
    if (!(0, import_yaml.isCollection)(node)) {
      if ((0, import_yaml.isScalar)(node) && node.anchor) anchors.set(node.anchor, node);
      return EMPTY;
    }
    checkDepth(depth + 1, node, path17);
    if (node.anchor) {
      anchors.set(node.anchor, node);
      open3.add(node);
    }
    const extent = { entries: 0, depth: 1 };
    const include = (child) => {
      extent.entries += 1 + child.entries;
      extent.depth = Math.max(extent.depth, 1 + child.depth);
    };
    if ((0, import_yaml.isMap)(node)) {
      const seen = /* @__PURE__ */ new Map();
      for (const pair of node.items) {
        const key = pair.key;
        const name = keyName(key);
        const at2 = name === "<<" ? path17 : [...path17, name];
        addEntries(1, key, at2);
        if ((0, import_yaml.isScalar)(key) && typeof key.value !== "symbol") {
          const first = seen.get(key.value);
          if (first) {
            duplicates.push({
              offset: key.range?.[0] ?? 0,
              path: at2,
              message: `duplicate key: already defined at line ${lineOf(first.range?.[0] ?? 0)} (keys must be unique in a map)`
            });
          } else {
            seen.set(key.value, key);
          }
        }
        visit(key, at2, depth + 1);
        include(visit(pair.value, at2, depth + 1));
      }
    } else {
      node.items.forEach((item, index) => {
        addEntries(1, item, [...path17, index]);
        include(visit(item, [...path17, index], depth + 1));
      });
    }
    if (node.anchor) {
      open3.delete(node);
      extents.set(node, extent);
    }
    return extent;
  };
  try {
    visit(document.contents, [], 0);
  } catch (error) {
    if (!(error instanceof CapExceeded)) throw error;
    return [...duplicates, error.problem];
  }
  return duplicates;
}

// src/config/text.ts
import { isUtf8 } from "node:buffer";
var NON_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
function positionAt(text2, offset) {
  const before = text2.slice(0, offset);
  return { line: before.split("\n").length, col: offset - before.lastIndexOf("\n") };
}
function firstInvalidSequence(bytes, text2) {
  let byte = 0;
  for (let offset = 0; offset < text2.length; ) {
    const code2 = text2.codePointAt(offset);
    if (code2 === 65533 && !(bytes[byte] === 239 && bytes[byte + 1] === 191 && bytes[byte + 2] === 189)) {
      return offset;
    }
    byte += code2 < 128 ? 1 : code2 < 2048 ? 2 : code2 < 65536 ? 3 : 4;
    offset += code2 > 65535 ? 2 : 1;
  }
  return text2.length;
}
function hex(value, digits) {
  return value.toString(16).toUpperCase().padStart(digits, "0");
}
function fail(message, position) {
  throw new ConfigError([{ severity: "error", path: [], message, position }]);
}
function findControlCharacter(text2) {
  const match = NON_PRINTABLE.exec(text2);
  return match ? { code: `U+${hex(match[0].codePointAt(0), 4)}`, offset: match.index } : void 0;
}
function decodeText(bytes, name, shown) {
  const text2 = bytes.toString("utf8");
  if (!isUtf8(bytes)) {
    const offset = firstInvalidSequence(bytes, text2);
    const byte = bytes[Buffer.byteLength(text2.slice(0, offset))];
    fail(`${name} is not valid UTF-8 (byte 0x${hex(byte, 2)} here): save the file with UTF-8 encoding`, {
      file: shown,
      ...positionAt(text2, offset)
    });
  }
  const control = findControlCharacter(text2);
  if (control) {
    fail(
      `${name} contains the control character ${control.code}, which configuration text may not hold: delete it (in YAML, a character that is meant can be written as an escape in a double-quoted string)`,
      { file: shown, ...positionAt(text2, control.offset) }
    );
  }
  return text2;
}

// src/config/load.ts
var DEFAULT_NAMES = ["s.yaml", "s.YAML", "s.YML", "s.yml"];
var YAML_EXTENSIONS = [".yaml", ".yml"];
function fail2(message, position) {
  throw new ConfigError([{ severity: "error", path: [], message, position }]);
}
function displayPath(cwd, file) {
  const relative = path7.relative(cwd, file);
  return relative && !relative.startsWith("..") && !path7.isAbsolute(relative) ? relative : file;
}
function findConfigFile(cwd, config) {
  if (config) {
    const file = path7.resolve(cwd, config);
    if (!existsSync(file)) fail2(`The specified template file does not exist: ${config}`);
    if (statSync2(file).isDirectory()) fail2(`${config} is a directory: give the path of the s.yaml inside it`);
    if (!YAML_EXTENSIONS.includes(path7.extname(file))) fail2(`${config} file should be yaml or yml file.`);
    return file;
  }
  const found = DEFAULT_NAMES.map((name) => path7.join(cwd, name)).find((file) => existsSync(file));
  return found ?? fail2("the s.yaml/s.yml file was not found.");
}
var PARSE_OPTIONS = { schema: "core", merge: true, uniqueKeys: false, prettyErrors: false };
var TooDeep = class extends Error {
  constructor(offset) {
    super("too deep");
    this.offset = offset;
  }
  offset;
};
function* parseTokens(text2, lineCounter) {
  const parser = new import_yaml2.Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  for (const lexeme of new import_yaml2.Lexer().lex(text2)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_DEPTH + 2) throw new TooDeep(parser.offset);
  }
  yield* parser.end();
}
function parseYaml(text2, shown, lineCounter = new import_yaml2.LineCounter()) {
  const name = path7.basename(shown);
  const prefix = `${name} format is incorrect`;
  const at2 = (offset) => ({ file: shown, ...lineCounter.linePos(offset) });
  let documents;
  try {
    documents = [...new import_yaml2.Composer(PARSE_OPTIONS).compose(parseTokens(text2, lineCounter))];
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    const message = `nested more than ${MAX_DEPTH} levels deep; an s.yaml needs about ten: flatten the structure`;
    return {
      documents: [],
      problems: [{ severity: "error", path: [], message, position: at2(error.offset) }]
    };
  }
  const [document, extra] = documents;
  const found = documents.flatMap(
    (each) => (
      // One syntax error usually sets off a cascade of follow-up errors that only bury it, so only the
      // first is reported, as `s` does. An unknown tag is only a warning to the parser, but `s` refuses
      // the file: its meaning would be lost.
      [...each.errors, ...each.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED")].slice(0, 1).map((error) => ({ offset: error.pos[0], path: [], message: `${prefix}: ${error.message}` }))
    )
  );
  if (document) found.push(...checkShape(document, (offset) => lineCounter.linePos(offset).line));
  if (extra) {
    const message = `${prefix}: expected a single document in the stream, but found more`;
    found.push({ offset: extra.range[0], path: [], message });
  }
  const problems = found.sort((a, b) => a.offset - b.offset).map(({ offset, path: keyPath2, message }) => ({
    severity: "error",
    path: keyPath2,
    message,
    position: at2(offset)
  }));
  return { documents, problems };
}
async function loadYaml(file, cwd) {
  const shown = displayPath(cwd, file);
  const name = path7.basename(file);
  let bytes;
  try {
    bytes = readRegularFile(file);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    fail2(`${shown} ${error.message}; expected a regular YAML file of at most ${formatBytes2(MAX_FILE_BYTES)}`);
  }
  const lineCounter = new import_yaml2.LineCounter();
  const { documents, problems } = parseYaml(decodeText(bytes, name, shown), shown, lineCounter);
  const document = documents[0];
  if (!document && problems.length === 0) {
    problems.push({
      severity: "error",
      path: [],
      message: `${name} is empty: expected \`edition: 3.0.0\` and \`resources\``,
      position: { file: shown, line: 1, col: 1 }
    });
  }
  if (problems.length > 0 || !document) throw new ConfigError(problems);
  const value = document.toJS({ maxAliasCount: -1 }) ?? null;
  return { file, displayPath: shown, value, document, lineCounter };
}
function findChild(node, key, document) {
  const target = (0, import_yaml2.isAlias)(node) ? node.resolve(document) : node;
  if ((0, import_yaml2.isSeq)(target)) return typeof key === "number" ? target.items[key] : void 0;
  if (!(0, import_yaml2.isMap)(target)) return void 0;
  for (const pair of target.items) {
    if ((0, import_yaml2.isScalar)(pair.key) && String(pair.key.value) === String(key)) {
      const value = pair.value;
      return value && !((0, import_yaml2.isScalar)(value) && value.value === null && value.range?.[0] === value.range?.[1]) ? value : pair.key;
    }
  }
  for (const pair of target.items) {
    if ((0, import_yaml2.isScalar)(pair.key) && typeof pair.key.value === "symbol") {
      const sources = (0, import_yaml2.isSeq)(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const found = findChild(source, key, document);
        if (found) return found;
      }
    }
  }
  return void 0;
}
var SourceLocator = class {
  constructor(files) {
    this.files = files;
  }
  files;
  /** Position of the node at exactly `path` in the first file that has it, if any. */
  locateExact(path17, files = this.files) {
    for (const loaded of files) {
      let node = loaded.document.contents;
      for (const key of path17) {
        node = node ? findChild(node, key, loaded.document) : void 0;
      }
      const range = node?.range;
      if (range) return { file: loaded.displayPath, ...loaded.lineCounter.linePos(range[0]) };
    }
    return void 0;
  }
  /** Position of `path`, or of its nearest ancestor that exists. */
  locate(path17) {
    for (let length = path17.length; length >= 0; length--) {
      const found = this.locateExact(path17.slice(0, length));
      if (found) return found;
    }
    return void 0;
  }
};

// src/config/magic.ts
var ENV_HINT = (name) => `set ${name} (non-empty) in the environment, in the .env file, or in the \`dotenv\` input`;
var RELATIVE_HINT = "relative paths start at the directory of the s.yaml";
function isEmptyValue(value) {
  if (typeof value === "string" || Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length === 0;
  return true;
}
function argument(value) {
  const text2 = String(value);
  return /[\r\n]/.test(text2) ? "\u2026" : text2;
}
function splitPath(text2) {
  const keys = [];
  const pattern = /[^.[\]]+|\[(?:(-?\d+(?:\.\d+)?)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]/g;
  for (const match of text2.matchAll(pattern)) keys.push(match[1] ?? match[3] ?? match[0]);
  return keys;
}
function magicFunctions(environment, readPath2) {
  const resolvePath = (value) => {
    const text2 = String(value);
    return path8.isAbsolute(text2) ? text2 : path8.join(environment.dir, text2);
  };
  return {
    env(name, fallback) {
      const value = Object.hasOwn(environment.env, String(name)) ? environment.env[String(name)] : void 0;
      if (value) {
        if (environment.isSecretEnv(String(name))) environment.onSecret(value);
        return value;
      }
      if (fallback !== void 0 && fallback !== null) return fallback;
      throw new ExpressionError(`env('${String(name)}') not found`, ENV_HINT(String(name)));
    },
    config(field) {
      const key = String(field);
      const value = environment.credential && Object.hasOwn(environment.credential, key) ? environment.credential[key] : void 0;
      if (value) {
        if (key !== "AccountID") environment.onSecret(value);
        return value;
      }
      throw new ExpressionError(
        `config('${key}') not found`,
        key === "AccountID" ? "set the AccountID variable, or use role-to-assume (its ARN names the account)" : `set the ${key} variable, as Serverless Devs reads it`
      );
    },
    str(value) {
      const keys = typeof value === "string" ? splitPath(value) : [String(value)];
      const found = readPath2(keys);
      return String(found === void 0 ? value : found);
    },
    file(file) {
      try {
        return readRegularFile(resolvePath(file)).toString("utf8");
      } catch (error) {
        if (error instanceof UnreadableFileError && error.code === void 0) {
          throw new ExpressionError(`file('${String(file)}') ${error.message}`);
        }
        throw new ExpressionError(`file('${String(file)}') not found`, RELATIVE_HINT);
      }
    },
    path(value) {
      if (isEmptyValue(value)) throw new ExpressionError("path value is empty");
      const resolved = resolvePath(value);
      if (existsSync2(resolved)) return resolved;
      throw new ExpressionError("path value not found", RELATIVE_HINT);
    },
    json(value) {
      let parsed;
      try {
        parsed = JSON.parse(String(value));
      } catch {
        throw new ExpressionError(`json('${argument(value)}') parse error`);
      }
      if (nestedDeeperThan(parsed, MAX_DEPTH)) {
        throw new ExpressionError(`json('${argument(value)}') is nested more than ${MAX_DEPTH} levels deep`);
      }
      return parsed;
    },
    yaml(value) {
      const { documents, problems } = parseYaml(String(value), "yaml()");
      const [problem] = problems;
      if (problem) {
        const at2 = problem.position ? `line ${problem.position.line} of the value: ` : "";
        throw new ExpressionError(`yaml('${argument(value)}') parse error`, at2 + problem.message);
      }
      return documents[0]?.toJS({ maxAliasCount: -1 }) ?? null;
    },
    base64(value) {
      if (typeof value !== "string") throw new ExpressionError(`base64('${String(value)}') parse error`);
      return Buffer.from(value).toString("base64");
    },
    regex(value) {
      try {
        return new RegExp(String(value)).test(String(environment.command));
      } catch (error) {
        throw new ExpressionError(`regex('${String(value)}'): ${error.message}`);
      }
    },
    secret(name) {
      throw new ExpressionError(
        `secret('${String(name)}') is not supported: it reads the local Serverless Devs secret store`,
        `use \${env('${String(name)}')} with a repository secret instead`
      );
    }
  };
}

// src/config/interpolate.ts
var FailedValue = class {
  failed = true;
};
var FAILED = new FailedValue();
var DependsOnFailure = class extends Error {
};
var ResolvedTooLarge = class extends Error {
  constructor(path17, message) {
    super(message);
    this.path = path17;
    this.name = "ResolvedTooLarge";
  }
  path;
};
var MAGIC_PATTERN = /\$\{([\w\W]*?)\}/;
var MAGIC_GLOBAL = new RegExp(MAGIC_PATTERN.source, "g");
var INFO_REFERENCE = /\$\{resources\.([^.{}]+)\.info(\.[^.{}]+)+}/;
var COMPONENT_OUTPUT_REFERENCE = /\$\{components\.([^.{}]+)\.output(\.[^.{}]+)+}/;
function checkFailed(value) {
  if (value instanceof FailedValue) throw new DependsOnFailure();
  return value;
}
var DATA_FUNCTIONS = /* @__PURE__ */ new Set(["env", "file"]);
var dataObjects = /* @__PURE__ */ new WeakSet();
function createScope(context, reads, onDataExpression) {
  const { data } = context;
  const lookup = (name) => checkFailed(Object.hasOwn(data, name) ? data[name] : void 0);
  const member = (object, key) => checkFailed(readMember(checkFailed(object), key));
  const functions = magicFunctions(
    context.environment,
    (keys) => readPath(lookup(keys[0] ?? ""), keys.slice(1), member)
  );
  return {
    lookup,
    member,
    isFunction: (name) => Object.hasOwn(functions, name),
    call: (name, args) => {
      const result = functions[name](...args.map(checkFailed));
      if (DATA_FUNCTIONS.has(name)) {
        reads.read = true;
        if (typeof result === "string" && MAGIC_PATTERN.test(result)) {
          reads.holdsExpression = reads.any = true;
          onDataExpression?.(`${name}('${String(args[0])}')`);
        }
      }
      return result;
    }
  };
}
function readPath(root, keys, member) {
  let value = root;
  for (const key of keys) {
    if (value === null || value === void 0) return void 0;
    value = member(value, key);
  }
  return value;
}
function notFoundHint(magic) {
  if (/^\$\{\s|\s\}$/.test(magic)) {
    return "remove the spaces inside ${ }: with them, s looks up keys that include the spaces";
  }
  if (magic.startsWith("${vars.")) {
    return "define it under `vars:` with a non-null value (a `${vars...}` reference is a plain dotted path: no operators, no [index])";
  }
  if (magic.startsWith("${resources.")) return "check the resource name and the key path under its props";
  return void 0;
}
function escape(value, magic, ignoreError) {
  if (value !== void 0 && value !== null) return value;
  if (magic !== void 0 && (INFO_REFERENCE.test(magic) || COMPONENT_OUTPUT_REFERENCE.test(magic)))
    return magic;
  if (ignoreError) return magic;
  if (magic === void 0) {
    throw new ExpressionError("undefined not found", "the expression evaluated to null or undefined");
  }
  throw new ExpressionError(`${magic} not found`, notFoundHint(magic));
}
function run(code2, scope) {
  return evaluate(parseExpression(code2), scope);
}
function evaluateMagic(code2, source, scope) {
  if (/(.*)\((.*)\)/.test(code2)) {
    const quoted = /'(.+)'/.test(code2) || /"(.+)"/.test(code2);
    return escape(run(quoted ? code2 : code2.replace(/\((.+)\)/, "('$1')"), scope), void 0, false);
  }
  if (/['\n\r\u2028\u2029]/.test(source)) {
    throw new ExpressionError(
      `${source} cannot be compiled`,
      "an expression ends at the first }, must fit on one line, and may use single quotes only inside function arguments (use double quotes elsewhere)"
    );
  }
  const [first, ...rest] = code2.split(".");
  const ignoreError = first === "self" || first === "shared" || (first === "resources" || first === "components") && (rest[1] === "output" || rest[1] === "info");
  if (rest.length === 0) return escape(run(code2, scope), source, ignoreError);
  return escape(readPath(run(first, scope), rest, scope.member), source, ignoreError);
}
function compileOnce(source, scope, reads) {
  const parts = [];
  let index = 0;
  for (const match of source.matchAll(MAGIC_GLOBAL)) {
    if (match.index > index) parts.push({ value: source.slice(index, match.index), data: false });
    reads.read = reads.holdsExpression = false;
    const value = evaluateMagic(match[1], match[0], scope);
    if (reads.read && value !== null && typeof value === "object") dataObjects.add(value);
    const data = reads.holdsExpression || typeof value === "string" && !!reads.texts?.has(value);
    if (data) reads.any = true;
    parts.push({ value, data });
    index = match.index + match[0].length;
  }
  if (index < source.length) parts.push({ value: source.slice(index), data: false });
  return parts;
}
function joined(parts) {
  return parts.length === 1 ? parts[0].value : parts.map((part) => String(part.value)).join("");
}
function renderString(text2, context, onDataExpression) {
  if (!text2.includes("${")) return text2;
  let tainted = false;
  const { onSecret } = context.environment;
  const environment = {
    ...context.environment,
    onSecret: (value) => (tainted = true, onSecret(value))
  };
  const reads = { read: false, holdsExpression: false, any: false, texts: context.dataTexts };
  const scope = createScope({ ...context, environment }, reads, onDataExpression);
  try {
    const first = compileOnce(text2.replace(/\$\{this\./g, "${that."), scope, reads);
    const again = (part) => !part.data && typeof part.value === "string" && MAGIC_PATTERN.test(part.value) ? { value: joined(compileOnce(part.value, scope, reads)), data: false } : part;
    const result = typeof joined(first) === "string" ? joined(first.map(again)) : joined(first);
    if (typeof result === "string" && reads.any) context.dataTexts?.add(result);
    if (tainted) forEachString(result, onSecret);
    return result;
  } catch (error) {
    if (error instanceof DependsOnFailure) return FAILED;
    if (error instanceof ExpressionError) {
      throw new ExpressionError(error.message.replace(/\$\{that\./g, "${this."), error.hint);
    }
    throw error;
  }
}
function forEachString(value, fn) {
  if (typeof value === "string") fn(value);
  else if (value && typeof value === "object")
    for (const item of Object.values(value)) forEachString(item, fn);
}
function interpolateTree(input, context, path17, report2, warn) {
  const render = (text2, at2) => {
    try {
      return renderString(
        text2,
        context,
        warn && ((source) => warn(
          at2,
          `\${${source}} holds text that looks like an expression: it is used as written, never evaluated (values from the environment, .env, the dotenv input and files are data)`
        ))
      );
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      report2?.(at2, error);
      return FAILED;
    }
  };
  const copy = (value, at2, data = false) => {
    if (value === null || typeof value !== "object" || value instanceof FailedValue) return value;
    const isData = data || dataObjects.has(value);
    if (at2.length >= MAX_DEPTH) {
      throw new ResolvedTooLarge(
        at2,
        `resolving the expressions nests values more than ${MAX_DEPTH} levels deep: a value that refers to itself through others?`
      );
    }
    const isArray = Array.isArray(value);
    const result = isArray ? [] : {};
    if (isData) dataObjects.add(result);
    for (const [key, raw] of Object.entries(value)) {
      const childPath = [...at2, isArray ? Number(key) : key];
      if (context.budget && --context.budget.entries < 0) {
        throw new ResolvedTooLarge(
          childPath,
          `resolving the expressions creates more than ${MAX_RESOLVED_ENTRIES.toLocaleString("en-US")} keys and list items: a large value is copied into many places; refer to fewer or smaller values`
        );
      }
      const item = typeof raw === "string" && !isData ? render(raw, childPath) : raw;
      if (item !== void 0 && item !== null) result[key] = copy(item, childPath, isData);
    }
    return result;
  };
  return copy(typeof input === "string" ? render(input, path17) : input, path17);
}

// src/config/cycles.ts
var MAGIC_GLOBAL2 = new RegExp(MAGIC_PATTERN.source, "g");
function referencedPaths(code2) {
  if (!code2.includes("(")) return code2.startsWith("vars.") ? [code2.split(".").slice(1)] : [];
  return [...code2.matchAll(/(?<![\w$.])vars((?:\.[\w$]+)+)/g)].map((match) => match[1].slice(1).split("."));
}
function valueAt2(root, keys) {
  let value = root;
  for (const key of keys)
    value = value !== null && typeof value === "object" ? Reflect.get(value, key) : void 0;
  return value;
}
function findVarCycles(vars, resolved) {
  const nodes = [];
  const ids = /* @__PURE__ */ new Map();
  const idOf = (path17) => path17.join("\0");
  const add = (value, path17) => {
    const id = nodes.length;
    const node = { path: path17, next: [] };
    nodes.push(node);
    ids.set(idOf(path17), id);
    if (typeof value === "string") node.text = value;
    else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) node.next.push(add(item, [...path17, key]));
    }
    return id;
  };
  add(vars, ["vars"]);
  for (const node of nodes) {
    for (const match of node.text?.matchAll(MAGIC_GLOBAL2) ?? []) {
      for (const keys of referencedPaths(match[1].trim())) {
        for (let length = keys.length; length > 0; length--) {
          const target = ids.get(idOf(["vars", ...keys.slice(0, length)]));
          if (target !== void 0) {
            node.next.push(target);
            break;
          }
        }
      }
    }
  }
  return stronglyConnected(nodes).filter((component) => component.length > 1 || nodes[component[0]].next.includes(component[0])).flatMap((component) => {
    const strings = component.sort((a, b) => a - b).filter((id) => nodes[id].text !== void 0).map((id) => nodes[id]);
    const members = strings.map((node) => node.path.join("."));
    return strings.filter((node) => {
      const value = valueAt2(resolved, node.path.slice(1));
      return typeof value === "string" && MAGIC_PATTERN.test(value);
    }).map((node) => ({ path: node.path, text: node.text, members }));
  });
}
function stronglyConnected(nodes) {
  const index = new Array(nodes.length).fill(-1);
  const low = new Array(nodes.length).fill(0);
  const onStack = new Array(nodes.length).fill(false);
  const stack = [];
  const components = [];
  let counter = 0;
  for (let root = 0; root < nodes.length; root++) {
    if (index[root] !== -1) continue;
    const frames = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [node, edge] = frame;
      if (edge < nodes[node].next.length) {
        frame[1]++;
        const next = nodes[node].next[edge];
        if (index[next] === -1) {
          index[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = true;
          frames.push([next, 0]);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node], index[next]);
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack[member] = false;
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}

// src/config/dotenv.ts
var import_dotenv = __toESM(require_main(), 1);
var MAX_EXPANSIONS = 1e3;
function interpolate(value, environment, parsed) {
  let result = value;
  for (let step = 0; step < MAX_EXPANSIONS && result.length <= MAX_FILE_BYTES; step++) {
    const dollars = Array.from(result.matchAll(/(?!(?<=\\))\$/g));
    const last = dollars.at(-1)?.index;
    if (last === void 0) return result;
    const match = /((?!(?<=\\))\${?([\w]+)(?::-([^}\\]*))?}?)/.exec(result.slice(last));
    if (!match) return result;
    const [, group, name, fallback] = match;
    result = result.replace(group, environment[name] || fallback || parsed[name] || "");
  }
  return void 0;
}
function where(layer, key) {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const offset = layer.text.search(new RegExp(`^[ \\t]*(export[ \\t]+)?${escaped}[ \\t]*[=:]`, "m"));
  if (layer.shown === void 0) {
    const line = offset >= 0 ? `line ${positionAt(layer.text, offset).line} of ` : "";
    return { prefix: `${line}the dotenv input` };
  }
  return {
    position: offset >= 0 ? { file: layer.shown, ...positionAt(layer.text, offset) } : void 0,
    prefix: layer.shown
  };
}
function fail3(message, position) {
  throw new ConfigError([{ severity: "error", path: [], message, position }]);
}
function addLayer(environment, layer) {
  const parsed = import_dotenv.default.parse(layer.text);
  const added = Object.keys(parsed).filter((key) => !Object.hasOwn(environment, key));
  for (const key of added) environment[key] = parsed[key];
  for (const key of added) {
    const expanded = interpolate(parsed[key], environment, parsed);
    if (expanded === void 0) {
      const { prefix, position } = where(layer, key);
      fail3(
        `${prefix}: expanding the $ references of ${key} does not end (it refers to itself, directly or through other variables): remove the loop, or write a literal dollar sign as \\$`,
        position
      );
    }
    parsed[key] = expanded.replace(/\\\$/g, "$");
  }
  for (const key of added) environment[key] = parsed[key];
  return added;
}
function readEnvFile(sources) {
  let bytes;
  try {
    bytes = readRegularFile(sources.envFile);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.code === "ENOENT" && !sources.envFileRequired) return void 0;
    fail3(
      `cannot read the env file ${sources.envFileShown}: it ${error.message}; expected a regular file of at most ${formatBytes2(MAX_FILE_BYTES)}`
    );
  }
  const shown = sources.envFileShown;
  return { text: decodeText(bytes, shown, shown), shown };
}
function loadEnvironment(sources) {
  const environment = {};
  for (const [key, value] of Object.entries(sources.env)) {
    if (value !== void 0) environment[key] = value;
  }
  const fromBody = /* @__PURE__ */ new Set();
  const secrets = /* @__PURE__ */ new Set();
  if (sources.dotenv !== void 0) {
    const layer = { text: sources.dotenv };
    const control = findControlCharacter(layer.text);
    if (control) {
      const line = positionAt(layer.text, control.offset).line;
      fail3(`line ${line} of the dotenv input contains the control character ${control.code}: delete it`);
    }
    for (const key of addLayer(environment, layer)) {
      fromBody.add(key);
      if (environment[key]) secrets.add(environment[key]);
    }
  }
  const file = readEnvFile(sources);
  if (file) {
    for (const key of addLayer(environment, file)) {
      if (environment[key] && sources.isSecret(key, environment[key])) secrets.add(environment[key]);
    }
  }
  return {
    env: environment,
    secretValues: [...secrets],
    isSecret: (name) => fromBody.has(name) || Object.hasOwn(environment, name) && sources.isSecret(name, environment[name])
  };
}

// src/config/merge.ts
function isPlainObject2(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
function deepMerge(...sources) {
  const target = {};
  for (const source of sources) {
    if (!isPlainObject2(source)) continue;
    for (const [key, value] of Object.entries(source)) {
      if (key === "__proto__") continue;
      if (isPlainObject2(value)) {
        target[key] = deepMerge(isPlainObject2(target[key]) ? target[key] : {}, value);
      } else if (value !== void 0) {
        target[key] = value;
      }
    }
  }
  return target;
}

// src/config/order.ts
function collectStrings(value, into) {
  if (typeof value === "string") into.push(value);
  else if (value !== null && typeof value === "object")
    Object.values(value).forEach((item) => collectStrings(item, into));
  return into;
}
function findDependencies(resources) {
  const names = new Set(resources.map((resource) => resource.name));
  const global = new RegExp(MAGIC_PATTERN.source, "g");
  return new Map(
    resources.map(({ name, props }) => {
      const needs = /* @__PURE__ */ new Set();
      for (const text2 of collectStrings(props, [])) {
        for (const match of text2.matchAll(global)) {
          const [prefix, other, output] = match[1].split(".");
          if (prefix === "resources" && output === "output" && names.has(other)) needs.add(other);
        }
      }
      return [name, needs];
    })
  );
}
function orderByDependencies(names, dependencies) {
  const done = /* @__PURE__ */ new Set();
  const order = [];
  for (; ; ) {
    const next = names.find(
      (name) => !done.has(name) && [...dependencies.get(name) ?? []].every((other) => done.has(other))
    );
    if (next === void 0) break;
    done.add(next);
    order.push(next);
  }
  const cyclic = names.filter((name) => !done.has(name));
  return { order: [...order, ...cyclic], cyclic };
}
function applyFlow(stages2, command, names, dependencies) {
  const steps = [];
  const errors = [];
  const list2 = Array.isArray(stages2) ? stages2 : stages2 !== null && typeof stages2 === "object" ? Object.values(stages2) : [];
  list2.forEach((stage, index) => {
    if (!Array.isArray(stage)) {
      errors.push(`flow ${command} data format is invalid.`);
      return;
    }
    for (const name of stage) {
      if (typeof name !== "string" || !names.includes(name)) {
        errors.push(`Resource ${String(name)} is not found. Please check the content of flow.`);
      } else {
        steps.push({ name, stage: index });
      }
    }
  });
  const stageOf = new Map(steps.map((step) => [step.name, step.stage]));
  for (const [name, needs] of dependencies) {
    for (const other of needs) {
      const before = stageOf.get(other);
      const after = stageOf.get(name);
      if (before !== void 0 && after !== void 0 && before >= after) {
        errors.push(`flow is invalid, ${other} must be executed before ${name}`);
      }
    }
  }
  return { steps, errors };
}

// src/config/resolve.ts
var EDITION = "3.0.0";
var DEFAULT_COMMAND = "deploy";
function without(object, key) {
  return Object.fromEntries(Object.entries(object).filter(([name]) => name !== key));
}
function asString(value) {
  return typeof value === "string" ? value : void 0;
}
function describe3(error) {
  return error.hint ? `${error.message} \u2014 ${error.hint}` : error.message;
}
var Resolution = class {
  constructor(options, locator, environment, dir, command) {
    this.options = options;
    this.locator = locator;
    this.environment = environment;
    this.dir = dir;
    this.command = command;
  }
  options;
  locator;
  environment;
  dir;
  command;
  problems = [];
  seen = /* @__PURE__ */ new Set();
  warnings = [];
  secrets = /* @__PURE__ */ new Set();
  budget = { entries: MAX_RESOLVED_ENTRIES };
  dataTexts = /* @__PURE__ */ new Set();
  add(severity, path17, message, position = this.locator.locate(path17)) {
    const problem = { severity, path: path17, message, position };
    const key = formatProblem(problem);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    (severity === "error" ? this.problems : this.warnings).push(problem);
  }
  /** Throws everything found so far, if anything is an error, with the secrets to mask first. */
  check() {
    if (this.problems.length > 0) throw this.failure();
  }
  failure() {
    return new ConfigError(this.problems, [...this.environment.secretValues, ...this.secrets]);
  }
  context(dir, data) {
    const environment = {
      env: this.environment.env,
      isSecretEnv: this.environment.isSecret,
      dir,
      credential: this.options.credential,
      command: this.command,
      onSecret: (value) => this.secrets.add(value)
    };
    return { data, environment, budget: this.budget, dataTexts: this.dataTexts };
  }
  /**
   * Reports at the string's own position; props merged in from a template point into the template,
   * and `files` says which file to look in first (the extended one during its own pass).
   */
  reporter(files, templateName) {
    return (at2, error) => {
      const inTemplate = templateName !== void 0 && at2[0] === "resources" && at2[2] === "props" ? this.locator.locateExact(["template", templateName, ...at2.slice(3)], files) : void 0;
      const position = this.locator.locateExact(at2, files) ?? inTemplate ?? this.locator.locate(at2);
      this.add("error", at2, describe3(error), position);
    };
  }
  /** One pass (see `steps`); a value beyond the caps ends the resolution with that one problem. */
  pass(input, file, files) {
    try {
      return this.steps(input, file, files);
    } catch (error) {
      if (!(error instanceof ResolvedTooLarge)) throw error;
      this.add("error", error.path, error.message);
      throw this.failure();
    }
  }
  /** parse-content.js getSteps(): everything but resources first, then each resource in order. */
  steps(input, file, files) {
    const dir = path9.dirname(file);
    const credential = this.options.credential ?? {};
    let content = input;
    const common = () => this.context(dir, { cwd: dir, vars: content.vars, credential });
    const access = content.access;
    const report2 = this.reporter(files);
    const warn = (at2, message) => this.add("warning", at2, message);
    content = {
      ...content,
      ...interpolateTree(without(content, "resources"), common(), [], report2, warn)
    };
    const raw = isPlainObject2(content.resources) ? content.resources : {};
    const templates = isPlainObject2(content.template) ? content.template : {};
    const components = isPlainObject2(content.components) ? content.components : {};
    const processed = {};
    const steps = [];
    for (const name of Object.keys(raw)) {
      const at2 = ["resources", name];
      const element = isPlainObject2(raw[name]) ? raw[name] : {};
      const component = interpolateTree(element.component, common(), [...at2, "component"], report2, warn);
      const extend = isPlainObject2(element.extend) ? element.extend : {};
      const templateName = asString(extend.name);
      let template = {};
      if (templateName !== void 0) {
        const found = templates[templateName];
        if (isPlainObject2(found)) {
          const ignore2 = Array.isArray(extend.ignore) ? extend.ignore.map(String) : [];
          template = Object.fromEntries(Object.entries(found).filter(([key]) => !ignore2.includes(key)));
        } else {
          this.add(
            "warning",
            [...at2, "extend", "name"],
            `template '${templateName}' is not defined; nothing is merged`
          );
        }
      }
      const templateProps = interpolateTree(template, common(), ["template", templateName ?? ""]);
      const working = { ...element, props: deepMerge(templateProps, element.props) };
      const resources = Object.fromEntries(
        Object.keys(raw).map((key) => [key, processed[key] ?? (key === name ? working : raw[key] || {})])
      );
      const data = {
        ...common().data,
        resources,
        components: Object.fromEntries(
          Object.entries(components).map(([key, item]) => [
            key,
            { props: isPlainObject2(item) && item.props || {} }
          ])
        ),
        that: { name, access, component, ...working }
      };
      const thisProps = interpolateTree(working.props, this.context(dir, data), [...at2, "props"]);
      data.that = { ...data.that, props: thisProps };
      const real = interpolateTree(
        working,
        this.context(dir, data),
        at2,
        this.reporter(files, templateName),
        warn
      );
      processed[name] = real;
      steps.push({ name, component, real, origin: working });
    }
    return { content: { ...content, resources: processed }, steps };
  }
  /** Global or resource hooks: each value must be a list; `${...}` keys are matched against the command. */
  actions(value, at2, level) {
    const result = {};
    if (!isPlainObject2(value)) return result;
    for (const [key, entries] of Object.entries(value)) {
      if (!Array.isArray(entries)) {
        this.add("error", [...at2, key], `${level} action ${key} is invalid, it must be array`);
        continue;
      }
      const hook = this.hookName(key, [...at2, key]);
      if (hook === void 0) continue;
      entries.forEach((entry, index) => {
        if (!isPlainObject2(entry) || !(entry.run || entry.component || entry.plugin)) {
          this.add(
            "error",
            [...at2, key, index],
            `${level} action ${key} entries need one of run, component or plugin`
          );
          return;
        }
        (result[hook] ??= []).push(entry);
      });
    }
    return result;
  }
  /** s's matchAction: a magic key like `pre-${regex('deploy|remove')}` applies when it renders `<hook>-true`. */
  hookName(key, at2) {
    if (!MAGIC_PATTERN.test(key)) return key;
    const [type, matched] = String(this.renderKey(key, at2)).split("-");
    return matched === "true" ? `${type}-${this.command}` : void 0;
  }
  /** Renders a `flow:` or `actions:` key the way s does: only `command` is visible. */
  renderKey(key, at2) {
    try {
      return renderString(key, this.context(this.dir, { command: this.command }));
    } catch (error) {
      this.reporter([])(at2, error);
      return FAILED;
    }
  }
};
function legacyMessage(edition) {
  const found = edition === void 0 ? "no edition" : `edition ${String(edition)}`;
  return `this action supports Serverless Devs files with edition: ${EDITION} only (found ${found})`;
}
async function resolveSpec(options) {
  const file = findConfigFile(options.cwd, options.config);
  const main = await loadYaml(file, options.cwd);
  const dir = path9.dirname(file);
  const envFile = options.envFile ? path9.resolve(options.cwd, options.envFile) : path9.join(dir, ".env");
  const listed = new Set(options.secretEnv);
  const environment = loadEnvironment({
    env: options.env,
    dotenv: options.dotenv,
    envFile,
    envFileShown: displayPath(options.cwd, envFile),
    envFileRequired: options.envFile !== void 0,
    isSecret: (name, value) => isSecretVariable(name, value, listed)
  });
  const content = isPlainObject2(main.value) ? main.value : {};
  const files = [main];
  const extendPath = typeof content.extend === "string" ? path9.resolve(dir, content.extend) : void 0;
  const preliminary = new SourceLocator(files);
  if (extendPath !== void 0) {
    if (![".yaml", ".yml"].includes(path9.extname(extendPath))) {
      throw new ConfigError([
        {
          severity: "error",
          path: ["extend"],
          message: `${String(content.extend)} file should be yaml or yml file.`,
          position: preliminary.locate(["extend"])
        }
      ]);
    }
    if (existsSync3(extendPath)) files.push(await loadYaml(extendPath, options.cwd));
  }
  const base = files[1];
  const baseContent = base && isPlainObject2(base.value) ? base.value : {};
  const edition = content.edition !== void 0 ? content.edition : baseContent.edition;
  if (String(edition) !== EDITION) {
    throw new ConfigError([
      {
        severity: "error",
        path: ["edition"],
        message: legacyMessage(edition),
        position: preliminary.locate(["edition"])
      }
    ]);
  }
  const locator = new SourceLocator(files);
  const resolution = new Resolution(options, locator, environment, dir, options.command ?? DEFAULT_COMMAND);
  let merged = content;
  if (extendPath !== void 0) {
    if (!base)
      resolution.add("warning", ["extend"], `${String(content.extend)} was not found; nothing is extended`);
    const rest = deepMerge(without(baseContent, "resources"), without(content, "resources"));
    const basePass = resolution.pass({ ...baseContent, ...rest }, extendPath, [...files].reverse());
    const childPass = resolution.pass({ ...content, ...rest }, file, files);
    merged = deepMerge(basePass.content, childPass.content);
  }
  const final = resolution.pass(merged, file, files);
  for (const cycle of findVarCycles(merged.vars, final.content.vars)) {
    resolution.add(
      "warning",
      cycle.path,
      `is part of a reference cycle (${cycle.members.join(", ")}) and is left unresolved, as Serverless Devs leaves it: whatever uses it gets the literal text "${cycle.text}"; break the cycle`
    );
  }
  if (final.steps.length === 0 && isPlainObject2(merged.services) && Object.keys(merged.services).length > 0) {
    resolution.add(
      "error",
      ["services"],
      "Keyword 'services' has been replaced by 'resources' in 3.0.0 YAML."
    );
  }
  const resources = orderResources(resolution, final.steps, merged.flow);
  const globalActions = resolution.actions(final.content.actions, ["actions"], "Global");
  const access = asString(final.content.access);
  const resolved = resources.map(({ step, stage }) => {
    const component = asString(step.component);
    if (!component && step.component !== FAILED) {
      resolution.add(
        "error",
        ["resources", step.name, "component"],
        "a component is required (e.g. agentrun)"
      );
    }
    return {
      name: step.name,
      component: component ?? "",
      access: asString(step.real.access) ?? access,
      props: isPlainObject2(step.real.props) ? step.real.props : {},
      actions: resolution.actions(step.real.actions, ["resources", step.name, "actions"], "Project"),
      ...stage === void 0 ? {} : { stage }
    };
  });
  resolution.check();
  return {
    file,
    dir,
    name: asString(final.content.name),
    access,
    vars: isPlainObject2(final.content.vars) ? final.content.vars : {},
    actions: globalActions,
    resources: resolved,
    secretValues: [.../* @__PURE__ */ new Set([...environment.secretValues, ...resolution.secrets])],
    env: environment.env,
    warnings: resolution.warnings,
    locate: (keyPath2) => locator.locate(keyPath2)
  };
}
function orderResources(resolution, steps, flow) {
  const byName = new Map(steps.map((step) => [step.name, step]));
  const names = steps.map((step) => step.name);
  const dependencies = findDependencies(steps.map((step) => ({ name: step.name, props: step.origin.props })));
  const flows = isPlainObject2(flow) ? flow : {};
  const flowKey = Object.keys(flows).find((key) => {
    if (!MAGIC_PATTERN.test(key)) return key === resolution.command;
    const matched = resolution.renderKey(key, ["flow", key]);
    return matched !== FAILED && Boolean(matched);
  });
  if (flowKey === void 0) {
    const { order, cyclic } = orderByDependencies(names, dependencies);
    if (cyclic.length > 0) {
      resolution.add(
        "warning",
        ["resources"],
        `resources ${cyclic.join(", ")} reference each other's output in a cycle; they run last, in file order`
      );
    }
    return order.map((name) => ({ step: byName.get(name) }));
  }
  const { steps: placed, errors } = applyFlow(flows[flowKey], resolution.command, names, dependencies);
  for (const message of errors) resolution.add("error", ["flow", flowKey], message);
  for (const name of names.filter((name2) => !placed.some((step) => step.name === name2))) {
    resolution.add(
      "warning",
      ["flow", flowKey],
      `resource ${name} is not listed in this flow and will not run`
    );
  }
  return placed.map(({ name, stage }) => ({ step: byName.get(name), stage }));
}

// src/app/spec.ts
async function loadSpec(settings, host) {
  const spec = await reportingConfigErrors(
    host.logger,
    () => resolveSpec(resolveOptions(settings, host.env))
  );
  maskSecrets(spec.secretValues, host.logger);
  reportProblems(spec.warnings, host.logger);
  return spec;
}
function resolveOptions(settings, env) {
  return {
    cwd: settings.cwd,
    config: settings.config,
    env,
    envFile: settings.envFile,
    dotenv: settings.dotenv,
    secretEnv: settings.secretEnv,
    credential: {
      AccountID: knownAccountId(settings.credentials, env),
      AccessKeyID: env.AccessKeyID,
      AccessKeySecret: env.AccessKeySecret,
      SecurityToken: env.SecurityToken
    }
  };
}
function maskSecrets(values, logger) {
  for (const secret of maskableSecrets(values)) logger.setSecret(secret);
}
async function reportingConfigErrors(logger, fn) {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      maskSecrets(error.secretValues, logger);
      reportProblems(error.problems, logger);
    }
    throw error;
  }
}
function reportProblems(problems, logger) {
  for (const problem of problems) {
    const message = formatProblem({ ...problem, position: void 0 });
    if (problem.severity === "error") logger.error(message, problem.position);
    else logger.warning(message, problem.position);
  }
}

// src/app/context.ts
async function plannedTargets({ spec, settings, host }) {
  const accountId = knownAccountId(settings.credentials, spec.env);
  const planned = await reportingConfigErrors(
    host.logger,
    () => planTargets(spec, settings.resources, accountId)
  );
  reportProblems(planned.plan.warnings, host.logger);
  return planned;
}
function credentialsFor({ spec, settings, host }) {
  return resolveCredentials(
    settings.credentials,
    { ...host.savedKeys, ...host.env },
    {
      getIDToken: host.getIDToken,
      setSecret: (value) => host.logger.setSecret(value),
      alias: settings.access ?? spec.access
    }
  );
}
function apiFor({ settings, host, deps }, credentials) {
  const clients = /* @__PURE__ */ new Map();
  return (region) => {
    const endpoint2 = settings.apiEndpoint ?? regionEndpoint(region);
    let client = clients.get(endpoint2);
    if (!client) {
      client = deps.agentRun({
        endpoint: endpoint2,
        credentials,
        requestTimeoutMs: settings.requestTimeoutMs,
        clock: deps.clock,
        onRetry: (message) => host.logger.warning(message)
      });
      clients.set(endpoint2, client);
    }
    return client;
  };
}
function uploaderFor({ settings, deps }, credentials, api) {
  const endpoint2 = settings.apiEndpoint && parseEndpoint(settings.apiEndpoint);
  return codeUploader({
    credentials,
    accountId: async (region) => {
      if (credentials.accountId) return credentials.accountId;
      const arn = (await api(region).resolveWorkspace(void 0, false))?.workspaceArn;
      const found = /^acs:agentrun:[^:]*:(\d+):/.exec(arn ?? "")?.[1];
      if (found) return found;
      throw new Error(
        "Uploading code needs the account id (Function Compute names the upload bucket after it): set the AccountID variable, or use role-to-assume (its ARN names the account)."
      );
    },
    ...endpoint2 && { endpoint: `${endpoint2.protocol}://${endpoint2.host}` },
    requestTimeoutMs: settings.requestTimeoutMs,
    deps: { clock: deps.clock, random: Math.random }
  });
}
function armsLicenseKeyFor({ settings, host }, credentials) {
  const keys = /* @__PURE__ */ new Map();
  return (region) => {
    let key = keys.get(region);
    if (!key) {
      key = traceLicenseKey({
        endpoint: settings.apiEndpoint ?? armsEndpoint(region),
        region,
        credentials,
        timeoutMs: settings.requestTimeoutMs
      }).then((found) => {
        host.logger.setSecret(found);
        return found;
      });
      keys.set(region, key);
      key.catch(() => keys.delete(region));
    }
    return key;
  };
}
function codeOptions({ spec, settings, host }) {
  return {
    baseDir: spec.dir,
    workspace: host.workspace,
    allowOutsideWorkspace: settings.allowCodeOutsideWorkspace,
    tempDir: host.tempDir,
    logger: host.logger
  };
}

// src/deploy/hooks.ts
import { resolve } from "node:path";
var HookError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "HookError";
  }
};
function hooksFor(actions, phase, command = "deploy") {
  return actions[`${phase}-${command}`] ?? [];
}
function unsupportedHooks(actions) {
  return Object.entries(actions).flatMap(
    ([key, entries]) => entries.filter((entry) => entry.run === void 0).map(
      (entry) => `${key}: ${entry.component ? `component: ${entry.component}` : `plugin: ${entry.plugin}`}`
    )
  );
}
async function runHooks(entries, phase, context) {
  for (const entry of entries) {
    if (entry.run === void 0) continue;
    const cwd = resolve(context.baseDir, entry.path ?? ".");
    await context.logger.group(
      `${context.owner} ${phase}: ${entry.run}`,
      () => runCommand(entry.run, cwd, context)
    );
  }
}
async function runCommand(command, cwd, context) {
  const { exitCode, signal } = await context.runner.shell(command, { cwd, env: context.env, onLine: (line) => context.logger.info(line) }).catch((error) => {
    throw new HookError(
      `Hook "${command}" could not start in ${cwd}: ${error instanceof Error ? error.message : String(error)}`
    );
  });
  if (exitCode !== 0) {
    const how = signal ? `signal ${signal}` : `exit code ${exitCode}`;
    throw new HookError(`Hook "${command}" (in ${cwd}) failed with ${how}.`);
  }
}

// src/log.ts
var BufferedLogger = class {
  constructor(target) {
    this.target = target;
  }
  target;
  entries = [];
  current = this.entries;
  info(message) {
    this.current.push({ kind: "info", message });
  }
  debug(message) {
    this.current.push({ kind: "debug", message });
  }
  notice(message) {
    this.current.push({ kind: "notice", message });
  }
  warning(message, position) {
    this.current.push({ kind: "warning", message, position });
  }
  error(message, position) {
    this.current.push({ kind: "error", message, position });
  }
  setSecret(value) {
    this.target.setSecret(value);
  }
  async group(title, fn) {
    const outer = this.current;
    const group = { kind: "group", title, entries: [] };
    outer.push(group);
    this.current = group.entries;
    try {
      return await fn();
    } finally {
      this.current = outer;
    }
  }
  /** Writes everything held so far to the target logger. */
  async flush() {
    await replay(this.target, this.entries.splice(0));
  }
};
async function replay(logger, entries) {
  for (const entry of entries) {
    if (entry.kind === "group") await logger.group(entry.title, () => replay(logger, entry.entries));
    else if (entry.kind === "warning" || entry.kind === "error")
      logger[entry.kind](entry.message, entry.position);
    else logger[entry.kind](entry.message);
  }
}

// src/deploy/routing.ts
var fileDecides = () => void 0;
function endpointBody(desired, current, hold) {
  const held = current && hold(current, desired);
  const owner = current && held !== void 0 ? current : desired;
  const body = { ...desired };
  delete body.routingConfiguration;
  const routing = {
    targetVersion: owner.targetVersion ?? LATEST,
    routingConfiguration: owner.routingConfiguration
  };
  Object.assign(body, routingWrite(routing, current));
  if (held === void 0) return { body };
  if (held.description !== void 0) body.description = held.description;
  return { body, heldBy: held.by };
}

// src/deploy/endpoints.ts
var BUSY = /* @__PURE__ */ new Set(["CREATING", "UPDATING"]);
async function reconcileEndpoints(client, runtimeId, desired, wait, hold) {
  if (desired.length === 0) return [];
  let existing2 = await client.listEndpoints(runtimeId);
  const results = [];
  for (const input of desired) {
    const named = () => existing2.find((endpoint2) => endpoint2.agentRuntimeEndpointName === input.agentRuntimeEndpointName);
    results.push(
      await retryingRaces(
        ["Conflict", "Busy"],
        () => reconcileEndpoint(client, runtimeId, input, named(), wait, hold),
        // Another job created or changed it between our listing and our write: list again and bring
        // what is there to the file, waiting first for an operation still running on it. Endpoint
        // changes are refused while the runtime is busy too, e.g. with another job's update.
        async (error) => {
          if (error.kind === "Busy") await settled(client, runtimeId, wait);
          existing2 = await client.listEndpoints(runtimeId);
        }
      )
    );
  }
  return results;
}
async function settled(client, runtimeId, wait) {
  await waitForRuntime(client, runtimeId, wait).catch((error) => {
    if (!(error instanceof WaitError) || error.timedOut) throw error;
  });
}
async function reconcileEndpoint(client, runtimeId, input, found, wait, hold) {
  if (!found) {
    const created = await client.createEndpoint(runtimeId, input);
    return {
      endpoint: await waitForEndpoint(client, runtimeId, created.agentRuntimeEndpointId, wait),
      action: "created"
    };
  }
  const current = BUSY.has(found.status ?? "") ? await waitForEndpoint(client, runtimeId, found.agentRuntimeEndpointId, wait).catch((error) => {
    if (error instanceof WaitError && !error.timedOut) {
      return client.getEndpoint(runtimeId, found.agentRuntimeEndpointId);
    }
    throw error;
  }) : found;
  const { body, heldBy } = endpointBody(input, current, hold);
  if (changedFields(body, current).length > 0 || isFailed(current.status)) {
    await client.updateEndpoint(runtimeId, current.agentRuntimeEndpointId, body);
    return {
      endpoint: await waitForEndpoint(client, runtimeId, current.agentRuntimeEndpointId, wait),
      action: "updated",
      heldBy
    };
  }
  const endpoint2 = isEndpointServing(current) ? current : await waitForEndpoint(client, runtimeId, current.agentRuntimeEndpointId, wait);
  return { endpoint: endpoint2, action: "unchanged", heldBy };
}

// src/deploy/parallel.ts
async function settleWithLimit(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await task(items[index]) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

// src/deploy/index.ts
var DeployError = class extends Error {
  constructor(message, results, causes = /* @__PURE__ */ new Map()) {
    super(message);
    this.results = results;
    this.causes = causes;
    this.name = "DeployError";
  }
  results;
  causes;
};
async function deployAll(targets, options) {
  const hook = (actions, phase, owner, logger = options.logger) => options.runHooks ? runHooks(hooksFor(actions, phase), `${phase}-deploy`, {
    baseDir: options.baseDir,
    env: options.env,
    owner,
    logger,
    runner: options.runner
  }) : Promise.resolve();
  const results = /* @__PURE__ */ new Map();
  const deployWithHooks = async (target, logger) => {
    const hooks = (phase) => hook(target.actions, phase, target.resource, logger);
    try {
      await hooks("pre");
      results.set(target, await deployOne(target, { ...options, logger }, options.logger));
      await hooks("post");
      await hooks("success");
    } catch (error) {
      await logFailureOutput(logger, error);
      await hooks("fail").catch((hookError) => {
        throw new Error(
          `${errorMessage(error)}
Then the fail-deploy hook failed too: ${errorMessage(hookError)}`
        );
      });
      throw error;
    } finally {
      await hooks("complete");
    }
  };
  await hook(options.globalActions, "pre", "global");
  const failures = [];
  const causes = /* @__PURE__ */ new Map();
  for (const stage of stages(targets)) {
    if (failures.length) {
      failures.push(
        ...stage.map((target) => `${target.resource}: not deployed, an earlier flow stage failed`)
      );
      continue;
    }
    const concurrent = options.parallel > 1 && stage.length > 1;
    const settled2 = await settleWithLimit(stage, options.parallel, async (target) => {
      const buffer = concurrent ? new BufferedLogger(options.logger) : void 0;
      try {
        await deployWithHooks(target, buffer ?? options.logger);
      } finally {
        await buffer?.flush();
      }
    });
    settled2.forEach((outcome, i) => {
      if (outcome.status !== "rejected") return;
      failures.push(`${stage[i].resource}: ${errorMessage(outcome.reason)}`);
      causes.set(stage[i].resource, outcome.reason);
    });
  }
  const deployed = targets.flatMap((target) => results.get(target) ?? []);
  try {
    await hook(options.globalActions, failures.length ? "fail" : "success", "global");
  } finally {
    await hook(options.globalActions, "complete", "global");
  }
  if (failures.length) throw new DeployError(failures.join("\n"), deployed, causes);
  return deployed;
}
function stages(targets) {
  const byStage = /* @__PURE__ */ new Map();
  for (const target of targets)
    byStage.set(target.stage ?? 0, [...byStage.get(target.stage ?? 0) ?? [], target]);
  return [...byStage.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
async function deployOne(target, options, progress) {
  const { logger } = options;
  const client = options.api(target.region);
  const wait = {
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    onProgress: progressReporter(progress)
  };
  return logger.group(
    `Deploy ${target.resource} (${target.runtime.agentRuntimeName}, ${target.region})`,
    () => withTargetCode(target, options, async (code2) => {
      const desired = {
        ...desiredRuntime(target.runtime, code2, target.workspace),
        ...options.armsLicenseKey && { armsLicenseKey: () => options.armsLicenseKey(target.region) }
      };
      const { runtime: runtime2, outcome } = await diagnosed(
        options,
        target,
        LATEST,
        () => ensurePublished(client, desired, code2, wait, options.publish ? options.trigger : void 0)
      );
      logger.info(describeRuntime(runtime2));
      if (runtime2.kept.length) {
        logger.warning(
          `${runtime2.kept.join(", ")} ${runtime2.kept.length === 1 ? "is" : "are"} no longer in the s.yaml but still set on agent runtime ${runtime2.runtime.agentRuntimeName}: an update keeps settings it does not send. Set the value you want in the s.yaml, or clear it in the AgentRun console.`
        );
      }
      if (outcome?.published) logger.info(`Published version ${outcome.version.agentRuntimeVersion}`);
      const endpoints = await diagnosed(
        options,
        target,
        outcome?.version.agentRuntimeVersion,
        () => reconcileEndpoints(client, runtime2.runtime.agentRuntimeId, target.endpoints, wait, options.hold)
      );
      for (const { endpoint: endpoint2, action, heldBy } of endpoints) {
        const held = heldBy ? ` (traffic split kept: ${heldBy})` : "";
        logger.info(
          `Endpoint ${endpoint2.agentRuntimeEndpointName} ${action}${held}: ${endpoint2.endpointPublicUrl}`
        );
      }
      const pkg = await code2.packaged();
      return {
        target,
        runtime: runtime2,
        version: outcome?.version,
        published: outcome?.published ?? false,
        fingerprint: desired.fingerprint,
        endpoints,
        package: pkg && { bytes: pkg.bytes, files: pkg.files, checksum: pkg.checksum }
      };
    })
  );
}
async function diagnosed(options, target, version2, step) {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof WaitError) || !options.diagnose) throw error;
    const said = await options.diagnose(target, version2);
    if (said === void 0) throw error;
    throw new WaitError(
      `${said}
${error.message}`,
      error.status,
      error.statusReason,
      error.timedOut,
      error.subject
    );
  }
}
var PROGRESS_EVERY_MS = 15e3;
function progressReporter(logger) {
  let last;
  return (subject, status2, elapsedMs) => {
    const changed = !last || last.subject !== subject || last.status !== status2;
    if (!changed && elapsedMs - last.at < PROGRESS_EVERY_MS) return;
    last = { subject, status: status2, at: elapsedMs };
    logger.info(`${subject}: ${status2} (${(elapsedMs / 1e3).toFixed(1)} s)`);
  };
}
function describeRuntime({ runtime: runtime2, action, reasons, uploadedBytes }) {
  const name = `Agent runtime ${runtime2.agentRuntimeName} (${runtime2.agentRuntimeId})`;
  if (action === "unchanged") return `${name} unchanged: nothing uploaded.`;
  const why = reasons.length ? ` (${reasons.join(", ")})` : "";
  return `${name} ${action}${why}, ${formatBytes(uploadedBytes)} of code uploaded; ${runtime2.status}.`;
}
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

// src/rollout/hold.ts
var rolloutHold = (current, desired) => {
  const marker2 = readMarker(current.description);
  if (!marker2 || !inProgress(marker2)) return void 0;
  return {
    by: `rollout of version ${marker2.candidate} at ${marker2.steps[marker2.stage]}%, ${marker2.phase}`,
    description: writeMarker(desired.description, marker2)
  };
};

// src/app/build.ts
import { mkdtemp as mkdtemp2, rm as rm5 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join } from "node:path";

// src/build/report.ts
var import_yauzl2 = __toESM(require_yauzl(), 1);
var LOCAL_HEADER = 30;
var CENTRAL_HEADER = 46;
async function zipBytesUnder(zipPath, prefixes) {
  const zip = await import_yauzl2.default.openPromise(zipPath, { lazyEntries: true });
  let bytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (!prefixes.some((prefix) => entry.fileName.startsWith(`${prefix}/`))) continue;
      const extra = entry.extraFieldLength + entry.fileCommentLength;
      bytes += entry.compressedSize + LOCAL_HEADER + CENTRAL_HEADER + 2 * entry.fileNameLength + extra;
    }
  } finally {
    zip.close();
  }
  return bytes;
}
function formatDuration(ms2) {
  return ms2 < 1e3 ? `${Math.round(ms2)} ms` : `${(ms2 / 1e3).toFixed(1)} s`;
}
function buildSummaryMarkdown(builds, zipBytes) {
  if (builds.length === 0) return "";
  const rows2 = builds.map((built) => {
    const added = zipBytes.get(built.resource);
    return cells2([
      built.resource,
      `${built.place}: \`${built.builder}\``,
      built.cache === "hit" ? "hit (no install)" : built.cache,
      formatDuration(built.ms),
      added === void 0 ? "\u2014" : `${formatBytes(added)} (${built.prefix}/)`
    ]);
  });
  return [
    "### Dependencies",
    "",
    cells2(["resource", "built in", "cache", "time", "added to the zip"]),
    cells2(["---", "---", "---", "---", "---"]),
    ...rows2,
    ""
  ].join("\n");
}
var cells2 = (values) => `| ${values.map((v) => v.replace(/\|/g, "\\|")).join(" | ")} |`;

// src/build/targets.ts
import path15 from "node:path";

// src/build/ecosystems/java.ts
var import_yauzl3 = __toESM(require_yauzl(), 1);
import { createHash as createHash5 } from "node:crypto";
import { cp as cp2, readdir, readFile as readFile4, stat as stat5 } from "node:fs/promises";
import path11 from "node:path";
import { text } from "node:stream/consumers";

// src/build/errors.ts
var BuildError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "BuildError";
  }
};

// src/build/ecosystems/files.ts
import { readFile as readFile3, stat as stat4 } from "node:fs/promises";
import path10 from "node:path";
function reader(dir) {
  return {
    read: (name) => readFile3(path10.join(dir, name), "utf8").catch(() => void 0),
    isDir: (name) => stat4(path10.join(dir, name)).then(
      (stats) => stats.isDirectory(),
      () => false
    ),
    isFile: (name) => stat4(path10.join(dir, name)).then(
      (stats) => stats.isFile(),
      () => false
    )
  };
}
var alreadyThere = (dir) => `${dir}/ is already in code.src, packaged as it is`;

// src/build/ecosystems/java.ts
var PROJECT = "project";
var COMMAND = "code.command";
var SETTINGS = "settings.xml";
var MAVEN = { manifest: "pom.xml", tool: "mvn package", outDir: "target" };
var GRADLE = { tool: "./gradlew build", outDir: "build/libs" };
var GRADLE_FILES = ["build.gradle", "build.gradle.kts"];
var java = {
  languagePrefix: "java",
  async detect({ codeDir, command }) {
    const { isDir, isFile } = reader(codeDir);
    if (await isFile(MAVEN.manifest)) {
      if (await isDir(MAVEN.outDir)) return { nothing: alreadyThere(MAVEN.outDir) };
      return recipe(codeDir, command, { ...MAVEN });
    }
    const gradle = await findAsync(GRADLE_FILES, isFile);
    if (!gradle) return { nothing: "no pom.xml or build.gradle" };
    if (await isDir(GRADLE.outDir)) return { nothing: alreadyThere(GRADLE.outDir) };
    if (!await isFile("gradlew")) {
      throw new BuildError(
        `${path11.join(codeDir, gradle)}: a Gradle project is built only with its wrapper, which pins the Gradle version: run \`gradle wrapper\` and commit gradlew and gradle/wrapper/, or build the jar in an earlier step into build/libs/ of code.src.`
      );
    }
    return recipe(codeDir, command, { ...GRADLE, manifest: gradle });
  },
  async prepare(_recipe, codeDir, outDir) {
    await cp2(codeDir, path11.join(outDir, PROJECT), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => path11.basename(source) !== ".git"
    });
  },
  installArgv(recipe3, { env, cacheDir, configFiles }) {
    if (recipe3.tool === GRADLE.tool) return ["./gradlew", "--no-daemon", "--quiet", "build", "-x", "test"];
    return [
      "mvn",
      "-B",
      "-q",
      ...configFiles[SETTINGS] ? ["-s", configFiles[SETTINGS]] : [],
      ...cacheDir ? [`-Dmaven.repo.local=${cacheDir}`] : [],
      ...mavenArgs(env).rest,
      "package",
      "-DskipTests"
    ];
  },
  installCwd: (_recipe, paths) => `${paths.out}/${PROJECT}`,
  async collect(recipe3, outDir) {
    const built = path11.join(outDir, PROJECT, recipe3.outDir);
    const named = namedOutputs(JSON.parse(recipe3.inputs[COMMAND]), recipe3.outDir);
    const wanted = named.length ? named : await builtJars(built);
    if (wanted.length === 0) {
      throw new BuildError(`${recipe3.tool} built no jar in ${recipe3.outDir}/, so there is nothing to run.`);
    }
    const packaged = /* @__PURE__ */ new Set();
    for (const name of wanted) {
      const source = path11.join(built, name);
      const stats = await stat5(source).catch(() => void 0);
      if (!stats) {
        const jars = (await builtJars(built)).map((jar) => `${recipe3.outDir}/${jar}`).join(", ") || "none";
        throw new BuildError(
          `code.command names ${recipe3.outDir}/${name}, which ${recipe3.tool} did not build (it built: ${jars}). Name the built jar in the command, or set the file name in the build (finalName).`
        );
      }
      const names = stats.isFile() && name.endsWith(".jar") ? [name, ...await classPath(built, name)] : [name];
      for (const file of names) packaged.add(file);
    }
    for (const name of packaged) {
      await cp2(path11.join(built, name), path11.join(outDir, recipe3.outDir, name), { recursive: true });
    }
  },
  versionArgv: ["java", "-version"],
  // `openjdk version "17.0.15"`; Java 8 calls itself 1.8.0_412.
  parseVersion: (output) => /version "(?:1\.)?(\d+[\d.]*)/.exec(output)?.[1],
  cache: { name: "maven", hostDir: (_env, home) => path11.join(home, ".m2", "repository") },
  passedEnv: [/^MAVEN_OPTS$/],
  // MAVEN_OPTS holds JVM options (`-Xmx`, proxies); credentials belong in settings.xml, masked there.
  secretEnv: [],
  // A settings.xml named in MAVEN_ARGS (`-s ci/settings.xml`, relative to code.src), else the one
  // setup-java writes for its server-id, in the runner's ~/.m2.
  configFiles: (env, codeDir) => {
    const named = mavenArgs(env).settings;
    if (named) return [{ role: SETTINGS, path: path11.resolve(codeDir, named), required: true }];
    const home = env.HOME;
    return home ? [{ role: SETTINGS, path: path11.join(home, ".m2", SETTINGS), required: false }] : [];
  },
  referencedVariables: (xml) => [...xml.matchAll(/\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]),
  literalSecrets: (xml) => [...xml.matchAll(/<(password|passphrase)>\s*([^<]*?)\s*<\/\1>/g)].map((match) => match[2]).filter((value) => value && !/^\$\{[^}]+\}$/.test(value)),
  failureLine: /^\[ERROR\]|^FAILURE:|^error:/,
  runtimeVariables: {}
};
async function recipe(codeDir, command, build) {
  const inputs = { [COMMAND]: JSON.stringify(command) };
  const entries = await readdir(codeDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const file = path11.join(entry.parentPath, entry.name);
    const name = path11.relative(codeDir, file);
    if (!entry.isFile() || name.split(path11.sep).includes(".git")) continue;
    inputs[name.split(path11.sep).join("/")] = createHash5("sha256").update(await readFile4(file)).digest("hex");
  }
  return { recipe: { ecosystem: "java", ...build, inputs } };
}
function mavenArgs(env) {
  const words = (env.MAVEN_ARGS ?? "").split(/\s+/).filter(Boolean);
  const rest = [];
  let settings;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const joined2 = /^--settings=(.+)$/.exec(word);
    if (joined2) settings = joined2[1];
    else if (word === "-s" || word === "--settings") settings = words[++i];
    else rest.push(word);
  }
  return { settings, rest };
}
function namedOutputs(command, outDir) {
  const names = command.flatMap((word) => word.split(":")).map((part) => part.replace(/^(\/code\/|\.\/)/, "").replace(/\/\*?$/, "")).filter((part) => part.startsWith(`${outDir}/`)).map((part) => path11.posix.normalize(part.slice(outDir.length + 1))).filter((part) => part !== "." && !part.startsWith(".."));
  return [...new Set(names)];
}
async function builtJars(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".jar")).map((entry) => entry.name).filter((name) => !/-(sources|javadoc|tests)\.jar$/.test(name) && !name.startsWith("original-")).sort();
}
async function classPath(dir, jar) {
  const manifest = await readManifest(path11.join(dir, jar));
  const value = /^Class-Path: ?(.*(?:\r?\n .*)*)/m.exec(manifest)?.[1]?.replace(/\r?\n /g, "") ?? "";
  const names = [];
  for (const url of value.split(/\s+/).filter(Boolean)) {
    const name = path11.posix.normalize(path11.posix.join(path11.posix.dirname(jar), decodeURIComponent(url)));
    if (name.startsWith("..") || path11.posix.isAbsolute(name)) continue;
    if (await stat5(path11.join(dir, name)).then(
      () => true,
      () => false
    ))
      names.push(name.replace(/\/$/, ""));
  }
  return names;
}
async function readManifest(jar) {
  const zip = await import_yauzl3.default.openPromise(jar, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === "META-INF/MANIFEST.MF")
        return await text(await zip.openReadStreamPromise(entry));
    }
    return "";
  } finally {
    zip.close();
  }
}
async function findAsync(items, test) {
  for (const item of items) if (await test(item)) return item;
  return void 0;
}

// src/build/ecosystems/nodejs.ts
import { copyFile } from "node:fs/promises";
import path12 from "node:path";
var OUT_DIR = "node_modules";
var USERCONFIG = "npm userconfig";
var LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json"];
var nodejs = {
  languagePrefix: "nodejs",
  async detect({ codeDir }) {
    const { read, isDir } = reader(codeDir);
    if (await isDir(OUT_DIR)) return { nothing: alreadyThere(OUT_DIR) };
    const manifest = await read("package.json");
    if (manifest === void 0) return { nothing: "no package.json" };
    if (!hasDependencies(manifest)) return { nothing: "package.json has no dependencies" };
    for (const lockfile of LOCKFILES) {
      const lock = await read(lockfile);
      if (lock === void 0) continue;
      const inputs = { "package.json": manifest, [lockfile]: lock };
      const npmrc = await read(".npmrc");
      if (npmrc !== void 0) inputs[".npmrc"] = npmrc;
      return {
        recipe: { ecosystem: "nodejs", manifest: "package.json", tool: "npm ci", inputs, outDir: OUT_DIR }
      };
    }
    throw new BuildError(
      `${path12.join(codeDir, "package.json")} has dependencies but no package-lock.json: run \`npm install --package-lock-only\` and commit the lockfile, so the deploy installs exactly the versions you tested (\`npm ci\`).`
    );
  },
  // npm writes next to package.json, so it runs in the build directory, where the inputs are copied.
  async prepare(recipe3, codeDir, outDir) {
    for (const name of Object.keys(recipe3.inputs))
      await copyFile(path12.join(codeDir, name), path12.join(outDir, name));
  },
  installArgv: (_recipe, { paths, cacheDir, configFiles }) => [
    "npm",
    "ci",
    "--omit=dev",
    "--no-audit",
    "--no-fund",
    ...cacheDir ? ["--cache", cacheDir] : [],
    ...configFiles[USERCONFIG] ? ["--userconfig", configFiles[USERCONFIG]] : [],
    "--prefix",
    paths.out
  ],
  installCwd: (_recipe, paths) => paths.out,
  collect: async () => void 0,
  versionArgv: ["node", "-p", "process.versions.node"],
  parseVersion: (output) => /(\d+\.\d+\.\d+)/.exec(output)?.[1],
  cache: {
    name: "npm",
    hostDir: (env, home) => env.npm_config_cache || env.NPM_CONFIG_CACHE || path12.join(home, ".npm")
  },
  // The registries and setup-node's NODE_AUTH_TOKEN. npm's other `npm_config_*` variables are left out:
  // `npm run` sets dozens of them with paths of the runner's npm.
  passedEnv: [/^npm_config_registry$/i, /^npm_config_@[^:]+:registry$/i, /^NODE_AUTH_TOKEN$/],
  // A registry URL can carry credentials (`https://user:token@host/`).
  secretEnv: [/registry$/i],
  // The user .npmrc setup-node writes (registry-url) and points NPM_CONFIG_USERCONFIG at.
  configFiles: (env) => {
    const file = env.NPM_CONFIG_USERCONFIG || env.npm_config_userconfig;
    return file ? [{ role: USERCONFIG, path: file, required: true }] : [];
  },
  // `${NAME}` references, which npm fills in from the environment.
  referencedVariables: (npmrc) => [...npmrc.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]),
  // `//host/:_authToken=…` written as it is.
  literalSecrets: (npmrc) => [...npmrc.matchAll(/^\s*\S*:?_(?:authToken|auth|password)\s*=\s*(.+?)\s*$/gm)].map((match) => match[1]).filter((value) => !/^\$\{[^}]+\}$/.test(value)),
  failureLine: /^npm (error|ERR!)/,
  runtimeVariables: {}
};
function hasDependencies(manifest) {
  try {
    const json = JSON.parse(manifest);
    return Object.keys(json.dependencies ?? {}).length > 0;
  } catch (error) {
    throw new BuildError(`package.json is not valid JSON: ${error.message}`);
  }
}

// src/build/ecosystems/python.ts
import { writeFile } from "node:fs/promises";
import path13 from "node:path";
var OUT_DIR2 = "python";
var REQUIREMENTS = "requirements.txt";
var python = {
  languagePrefix: "python",
  async detect({ codeDir }) {
    const { read, isDir } = reader(codeDir);
    if (await isDir(OUT_DIR2)) return { nothing: alreadyThere(OUT_DIR2) };
    const requirements = await read(REQUIREMENTS);
    if (requirements !== void 0) return recipe2(REQUIREMENTS, requirements);
    const pyproject = await read("pyproject.toml");
    if (pyproject === void 0) return { nothing: "no requirements.txt or pyproject.toml" };
    const dependencies = projectDependencies(pyproject);
    if (dependencies.length === 0) return { nothing: "pyproject.toml lists no [project] dependencies" };
    return recipe2("pyproject.toml", `${dependencies.join("\n")}
`);
  },
  async prepare(recipe3, _codeDir, outDir) {
    if (recipe3.manifest !== REQUIREMENTS) {
      await writeFile(path13.join(outDir, REQUIREMENTS), recipe3.inputs[REQUIREMENTS]);
    }
  },
  /**
   * `--no-compile` leaves out `.pyc` files, which embed timestamps and the builder's Python version and
   * would make the zip differ between two builds of the same requirements.
   */
  installArgv: (recipe3, { paths, cacheDir }) => [
    "python3",
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--no-input",
    "--no-compile",
    ...cacheDir ? ["--cache-dir", cacheDir] : [],
    "--target",
    `${paths.out}/${OUT_DIR2}`,
    "--requirement",
    `${recipe3.manifest === REQUIREMENTS ? paths.code : paths.out}/${REQUIREMENTS}`
  ],
  // In the code directory, so relative paths in requirements.txt (`./wheels/…`, `-r base.txt`) mean
  // what they mean to the user.
  installCwd: (_recipe, paths) => paths.code,
  collect: async () => void 0,
  versionArgv: ["python3", "-c", "import platform; print(platform.python_version())"],
  parseVersion: (output) => /(\d+\.\d+\.\d+)/.exec(output)?.[1],
  cache: {
    name: "pip",
    hostDir: (env, home) => env.PIP_CACHE_DIR || path13.join(env.XDG_CACHE_HOME || path13.join(home, ".cache"), "pip")
  },
  // Every PIP_* variable (index URLs, trusted hosts, find-links, certificates, PIP_CONFIG_FILE) but
  // where pip writes: the runner's values would point nowhere in a container.
  passedEnv: [/^PIP_(?!CACHE_DIR$|TARGET$)/],
  secretEnv: [/^PIP_(EXTRA_)?INDEX_URL$/, /^PIP_CLIENT_CERT$/],
  configFiles: (env) => env.PIP_CONFIG_FILE ? [{ role: "pip config", path: env.PIP_CONFIG_FILE, required: true }] : [],
  referencedVariables: () => [],
  // `index-url = https://user:token@host/simple` in a pip.conf.
  literalSecrets: (text2) => [...text2.matchAll(/^\s*(?:extra-)?index-url\s*[=:]\s*(\S*:\/\/[^\s/]*@\S*)\s*$/gm)].map((m) => m[1]),
  failureLine: /^ERROR:/,
  runtimeVariables: { PYTHONPATH: `/code/${OUT_DIR2}` }
};
function recipe2(manifest, requirements) {
  return {
    recipe: {
      ecosystem: "python",
      manifest,
      tool: "pip install",
      inputs: { [REQUIREMENTS]: requirements },
      outDir: OUT_DIR2
    }
  };
}
function projectDependencies(toml) {
  const table2 = /^\[project\][ \t]*(?:#.*)?$/m.exec(toml);
  if (!table2) return [];
  const rest = toml.slice(table2.index + table2[0].length);
  const body = rest.slice(0, /^\s*\[/m.exec(rest)?.index ?? rest.length);
  const key = /^[ \t]*dependencies[ \t]*=[ \t]*\[/m.exec(body);
  if (!key) return [];
  const dependencies = [];
  const value = /\s*(?:#[^\n]*\s*)*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|(\]))\s*,?/y;
  value.lastIndex = key.index + key[0].length;
  for (; ; ) {
    const match = value.exec(body);
    if (!match)
      throw new BuildError("pyproject.toml: cannot read [project] dependencies as a list of strings.");
    if (match[3]) return dependencies;
    dependencies.push(match[1] !== void 0 ? JSON.parse(`"${match[1]}"`) : match[2]);
  }
}

// src/build/ecosystems/index.ts
var ECOSYSTEMS = { python, nodejs, java };
function ecosystemOf(language) {
  return Object.keys(ECOSYSTEMS).find(
    (name) => language.startsWith(ECOSYSTEMS[name].languagePrefix)
  );
}

// src/build/index.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { mkdir as mkdir2, readdir as readdir2, rm as rm4, stat as stat6 } from "node:fs/promises";
import path14 from "node:path";

// src/build/commands.ts
var CONTAINER_PATHS = { code: "/code", out: "/build" };
var CONTAINER_CACHE = "/cache";
function dockerRunArgv(recipe3, options) {
  const ecosystem = ECOSYSTEMS[recipe3.ecosystem];
  const mount = (source, target, mode = "rw") => [
    "--mount",
    `type=bind,source=${source},target=${target}${mode === "ro" ? ",readonly" : ""}`
  ];
  const cacheDir = `${CONTAINER_CACHE}/${ecosystem.cache.name}`;
  return [
    "docker",
    "run",
    "--rm",
    "--name",
    options.name,
    "--platform",
    "linux/amd64",
    "--network",
    "host",
    ...options.user ? ["--user", `${options.user.uid}:${options.user.gid}`] : [],
    ...mount(options.codeDir, CONTAINER_PATHS.code, "ro"),
    ...mount(options.outDir, CONTAINER_PATHS.out),
    ...mount(options.cacheDir, cacheDir),
    ...options.sharedFiles.flatMap((file) => mount(file, file, "ro")),
    // The runner's uid has no home in the image.
    ...["--env", "HOME=/tmp"],
    ...options.passEnv.flatMap((name) => ["--env", name]),
    "--workdir",
    ecosystem.installCwd(recipe3, CONTAINER_PATHS),
    options.image,
    ...ecosystem.installArgv(recipe3, {
      paths: CONTAINER_PATHS,
      env: options.env,
      cacheDir,
      configFiles: options.configFiles
    })
  ];
}

// src/build/detect.ts
async function detectBuild(request) {
  const ecosystem = ecosystemOf(request.language);
  if (!ecosystem) return { nothing: `dependencies are not built for ${request.language}` };
  return ECOSYSTEMS[ecosystem].detect(request);
}

// src/build/env.ts
import { readFile as readFile5 } from "node:fs/promises";
var SECRET = [/TOKEN/i, /PASSWORD/i];
var CA_FILES = ["NODE_EXTRA_CA_CERTS", "PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"];
async function buildEnvironment(env, recipe3, codeDir) {
  const ecosystem = ECOSYSTEMS[recipe3.ecosystem];
  const configs = await readConfigFiles(ecosystem.configFiles(env, codeDir));
  const texts = [...Object.values(configs).map((config) => config.text), ...Object.values(recipe3.inputs)];
  const referenced = new Set(texts.flatMap((text2) => ecosystem.referencedVariables(text2)));
  const passed = Object.keys(env).filter((name) => env[name]).filter(
    (name) => ecosystem.passedEnv.some((pattern) => pattern.test(name)) || CA_FILES.includes(name) || referenced.has(name)
  ).sort();
  const secrets = passed.filter(
    (name) => referenced.has(name) || [...SECRET, ...ecosystem.secretEnv].some((pattern) => pattern.test(name))
  ).map((name) => env[name]);
  const caFiles = passed.filter((name) => CA_FILES.includes(name)).map((name) => env[name]);
  const configPaths = Object.values(configs).map((config) => config.path);
  return {
    passed,
    secrets: [.../* @__PURE__ */ new Set([...secrets, ...texts.flatMap((text2) => ecosystem.literalSecrets(text2))])],
    sharedFiles: [.../* @__PURE__ */ new Set([...caFiles, ...configPaths])],
    configFiles: Object.fromEntries(Object.entries(configs).map(([role, config]) => [role, config.path])),
    configContents: Object.fromEntries(Object.entries(configs).map(([role, config]) => [role, config.text]))
  };
}
async function readConfigFiles(files) {
  const found = {};
  for (const file of files) {
    const text2 = await readFile5(file.path, "utf8").catch(() => void 0);
    if (text2 !== void 0) found[file.role] = { path: file.path, text: text2 };
    else if (file.required) {
      throw new BuildError(
        `The ${file.role} file ${file.path} cannot be read: make it exist before the deploy step, or unset the variable that names it.`
      );
    }
  }
  return found;
}

// src/build/images.ts
var BUILD_IMAGES = {
  "python3.10": "python:3.10-slim-bookworm",
  "python3.12": "python:3.12-slim-bookworm",
  nodejs18: "node:18-bookworm-slim",
  nodejs20: "node:20-bookworm-slim",
  java8: "maven:3.9-eclipse-temurin-8",
  java11: "maven:3.9-eclipse-temurin-11",
  java17: "maven:3.9-eclipse-temurin-17"
};
function runtimeVersion(language) {
  return language.replace(/^[a-z]+/, "");
}

// src/build/mode.ts
var BUILD_MODES = ["auto", "container", "docker", "local", "skip"];
function choosePlace(mode, surroundings) {
  if (mode === "docker" && !surroundings.docker.available) {
    throw new BuildError(
      `build: docker needs Docker, which is not available here (${surroundings.docker.why}). Use \`build: container\` in a container job (jobs.<id>.container with the build image), \`build: local\` to build with the runner\u2019s own tools (pip, npm, mvn), or \`build: skip\`.`
    );
  }
  if (mode !== "auto") return mode;
  if (surroundings.containerJob) return "container";
  return surroundings.docker.available ? "docker" : "local";
}
function autoChoice(place, { docker }) {
  if (place === "container") return "build: auto chose container: this job runs in a container.";
  if (docker.available) return `build: auto chose docker: Docker ${docker.version} is available.`;
  return `build: auto chose local, with the runner's own tools: Docker is not available (${docker.why}).`;
}
function isContainerJob(env) {
  return env.GITHUB_ACTIONS === "true" && (env.GITHUB_WORKSPACE ?? "").startsWith("/__w/");
}

// src/build/index.ts
var DependencyBuilder = class {
  constructor(context) {
    this.context = context;
  }
  context;
  chosen;
  built = /* @__PURE__ */ new Map();
  /** Installs `request`'s dependencies, or says in one line why there are none. */
  async build(request) {
    const { logger, settings } = this.context;
    const detection = await detectBuild(request);
    if ("nothing" in detection) {
      logger.info(`${request.resource}: no dependencies to build (${detection.nothing}).`);
      return void 0;
    }
    const { recipe: recipe3 } = detection;
    if (settings.mode === "skip") {
      logger.info(`${request.resource}: build: skip, ${recipe3.manifest} is packaged without installing it.`);
      return void 0;
    }
    const place = await this.place(settings.mode);
    const builder = await this.builder(place, recipe3, request);
    const environment = await buildEnvironment(this.context.env, recipe3, request.codeDir);
    for (const secret of environment.secrets) logger.setSecret(secret);
    const key = cacheKey({
      language: request.language,
      arch: place === "docker" ? "x64" : process.arch,
      builder,
      builderId: place === "docker" ? await this.imageId(builder) : void 0,
      inputs: {
        ...recipe3.inputs,
        ...Object.fromEntries(
          Object.entries(environment.configContents).map(([role, text2]) => [`(${role})`, text2])
        )
      }
    });
    const same = this.built.get(key);
    if (same) return { ...same, resource: request.resource };
    const result = await this.install({ request, recipe: recipe3, place, builder, key, environment });
    this.built.set(key, result);
    return result;
  }
  /** Removes every build directory. */
  async cleanup() {
    await rm4(path14.join(this.context.tempDir, BUILD_ROOT), { recursive: true, force: true });
  }
  /** Where to build, decided once per run; `auto` says what it chose and why. */
  place(mode) {
    this.chosen ??= this.decidePlace(mode);
    return this.chosen;
  }
  async decidePlace(mode) {
    const { env, logger } = this.context;
    if (mode === "local") return mode;
    if (mode === "container") {
      if (!isContainerJob(env)) {
        logger.warning(
          "build: container, but this job does not run in a container (jobs.<id>.container): installing with the runner's own tools."
        );
      }
      return mode;
    }
    const surroundings = { containerJob: isContainerJob(env), docker: await this.docker() };
    const place = choosePlace(mode, surroundings);
    if (mode === "auto") logger.info(autoChoice(place, surroundings));
    return place;
  }
  /** Whether a Docker daemon answers, and its version or what `docker version` said. */
  async docker() {
    let output = "";
    const result = await this.context.runner.run(["docker", "version", "--format", "{{.Server.Version}}"], {
      cwd: process.cwd(),
      env: { ...this.context.env },
      onLine: (line) => output += `${line} `,
      timeoutMs: DOCKER_PROBE_MS
    }).catch((error) => {
      output = error.message.includes("ENOENT") ? "the docker command is not installed" : error.message;
      return { exitCode: null, signal: null };
    });
    return result.exitCode === 0 ? { available: true, version: output.trim() } : { available: false, why: output.trim() || "the Docker daemon does not answer" };
  }
  /**
   * The image's ID, when Docker has the image: a rebuilt image under the same tag then keys other
   * entries. An image not pulled yet is keyed by its name alone.
   */
  async imageId(image) {
    let id = "";
    const result = await this.context.runner.run(["docker", "image", "inspect", "--format", "{{.Id}}", image], {
      cwd: process.cwd(),
      env: { ...this.context.env },
      onLine: (line, stream) => stream === "stdout" ? id = line.trim() : void 0,
      timeoutMs: DOCKER_PROBE_MS
    }).catch(() => void 0);
    return result?.exitCode === 0 && id ? id : void 0;
  }
  /** The image, or where and which interpreter; warns when the interpreter is not the runtime's. */
  async builder(place, recipe3, request) {
    if (place === "docker") {
      return this.context.settings.image ?? BUILD_IMAGES[request.language];
    }
    const ecosystem = ECOSYSTEMS[recipe3.ecosystem];
    const [tool] = ecosystem.versionArgv;
    let output = "";
    const result = await this.context.runner.run(ecosystem.versionArgv, {
      cwd: request.codeDir,
      env: { ...this.context.env },
      onLine: (line) => output += `${line}
`
    }).catch(() => void 0);
    const version2 = ecosystem.parseVersion(output);
    if (result?.exitCode !== 0 || !version2) {
      throw new BuildError(
        `build: ${place} installs with this ${place === "local" ? "runner" : "container"}'s ${tool}, which is not available. Use build: docker, a container job with ${tool} (build: container), or build: skip.`
      );
    }
    const wanted = runtimeVersion(request.language);
    const matches = version2 === wanted || version2.startsWith(`${wanted}.`);
    if (!matches) {
      this.context.logger.warning(
        `${request.resource}: building with ${tool} ${version2}, but the runtime is ${request.language}: what it builds may fail to load there. Build in Docker (build: docker) or in a container job with ${tool} ${wanted} (build: container).`
      );
    }
    if (process.arch !== "x64") {
      this.context.logger.warning(
        `${request.resource}: building on ${process.arch}; the runtime is x86-64, so compiled packages will not load there.`
      );
    }
    return `${place}-${version2}`;
  }
  async install(build) {
    const { request, recipe: recipe3, place, builder, key } = build;
    const { logger, settings, cache, clock } = this.context;
    const started = clock.now();
    const outDir = path14.join(this.context.tempDir, BUILD_ROOT, key);
    const dir = path14.join(outDir, recipe3.outDir);
    await rm4(outDir, { recursive: true, force: true });
    await mkdir2(outDir, { recursive: true });
    const done = async (state) => {
      const ms2 = clock.now() - started;
      const result = {
        resource: request.resource,
        dir,
        prefix: recipe3.outDir,
        ecosystem: recipe3.ecosystem,
        place,
        builder,
        cache: state,
        key,
        ms: ms2,
        bytes: await treeBytes(dir)
      };
      logger.info(describe4(result));
      return result;
    };
    if (settings.cache && await this.cached(() => cache.restore(key, dir), "restore")) return done("hit");
    await rm4(dir, { recursive: true, force: true });
    const ecosystem = ECOSYSTEMS[recipe3.ecosystem];
    await ecosystem.prepare(recipe3, request.codeDir, outDir);
    await this.runInstall(build, outDir);
    await ecosystem.collect(recipe3, outDir);
    await mkdir2(dir, { recursive: true });
    if (settings.cache) await this.cached(() => cache.save(key, dir).then(() => true), "save");
    return done(settings.cache ? "miss" : "off");
  }
  /** Runs the build tool, its output folded in a group; throws a BuildError when it fails or times out. */
  async runInstall({ request, recipe: recipe3, place, builder, environment }, outDir) {
    const { logger, runner, settings, env } = this.context;
    const ecosystem = ECOSYSTEMS[recipe3.ecosystem];
    const container = `agentrun-build-${randomBytes2(6).toString("hex")}`;
    const paths = { code: request.codeDir, out: outDir };
    const argv = place === "docker" ? dockerRunArgv(recipe3, {
      image: builder,
      name: container,
      codeDir: request.codeDir,
      outDir,
      cacheDir: await this.hostCacheDir(recipe3),
      user: process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : void 0,
      passEnv: environment.passed,
      sharedFiles: await existing(environment.sharedFiles),
      env,
      configFiles: environment.configFiles
    }) : ecosystem.installArgv(recipe3, { paths, env, configFiles: environment.configFiles });
    const options = {
      cwd: place === "docker" ? outDir : ecosystem.installCwd(recipe3, paths),
      env: { ...env }
    };
    const { tool } = recipe3;
    const output = [];
    const result = await logger.group(
      `Dependencies of ${request.resource}: ${tool} ${where2(place, builder, recipe3)}`,
      () => {
        logger.info(argv.join(" "));
        const onLine = (line) => {
          output.push(line);
          logger.info(line);
        };
        return runner.run(argv, { ...options, timeoutMs: settings.timeoutMs, onLine }).catch((error) => {
          throw new BuildError(`${request.resource}: could not start ${argv[0]}: ${error.message}`);
        });
      }
    );
    if (result.timedOut) {
      if (place === "docker")
        await runner.run(["docker", "rm", "--force", container], options).catch(() => void 0);
      throw new BuildError(
        `${request.resource}: installing dependencies ran past build-timeout (${Math.round(settings.timeoutMs / 1e3)} s) and was stopped. Raise build-timeout, or check that the package index answers.`
      );
    }
    if (result.exitCode !== 0) {
      const how = result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;
      const manifest = path14.join(request.codeDir, recipe3.manifest);
      logger.error(
        `${request.resource}: ${tool} failed (${how}) for ${manifest}:
${failureLines(output, ecosystem.failureLine).join("\n")}`
      );
      throw new BuildError(
        `${request.resource}: its dependencies could not be installed (${tool}, ${how}); nothing was deployed.`
      );
    }
  }
  /** A cache problem never fails the build: it is a warning, and the install goes ahead. */
  async cached(action, what) {
    try {
      return await action();
    } catch (error) {
      this.context.logger.warning(`Could not ${what} the dependency cache: ${error.message}`);
      return false;
    }
  }
  /** The runner's own download cache for the recipe's tool, which the container shares; created if missing. */
  async hostCacheDir(recipe3) {
    const { env } = this.context;
    const dir = ECOSYSTEMS[recipe3.ecosystem].cache.hostDir(env, env.HOME || this.context.tempDir);
    await mkdir2(dir, { recursive: true });
    return dir;
  }
};
var BUILD_ROOT = "agentrun-deps";
var DOCKER_PROBE_MS = 2e4;
var FAILURE_LINES = 20;
function where2(place, builder, recipe3) {
  if (place === "docker") return `in ${builder}`;
  const version2 = builder.slice(`${place}-`.length);
  return `with the ${place === "local" ? "runner" : "container"}'s ${ECOSYSTEMS[recipe3.ecosystem].versionArgv[0]} ${version2}`;
}
function failureLines(output, failureLine) {
  const errors = output.filter((line) => failureLine.test(line.trim()));
  return (errors.length ? errors : output).slice(-FAILURE_LINES);
}
function describe4(built) {
  const seconds = formatDuration(built.ms);
  const what = `${built.prefix}/ ${formatBytes(built.bytes)}`;
  if (built.cache === "hit")
    return `${built.resource}: dependencies restored from the cache in ${seconds}, no install (${what}; key ${built.key}).`;
  const cache = built.cache === "miss" ? `cache miss, saved as ${built.key}` : "cache off";
  return `${built.resource}: dependencies installed in ${seconds} (${cache}; ${what}).`;
}
async function existing(files) {
  const found = await Promise.all(
    files.map(
      (file) => stat6(file).then(
        (stats) => stats.isFile(),
        () => false
      )
    )
  );
  return files.filter((_, i) => found[i]);
}
async function treeBytes(dir) {
  const entries = await readdir2(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let bytes = 0;
  for (const entry of entries) {
    if (entry.isFile()) bytes += (await stat6(path14.join(entry.parentPath, entry.name))).size;
  }
  return bytes;
}

// src/build/targets.ts
async function buildTargets(targets, baseDir, context) {
  const builder = new DependencyBuilder(context);
  const builds = [];
  const result = [];
  try {
    for (const target of targets) {
      const code2 = target.runtime.codeConfiguration;
      const language = code2?.language;
      const built = target.codeSrc && isLanguage(language) && !target.codeSrc.toLowerCase().endsWith(".zip") ? await builder.build({
        resource: target.resource,
        codeDir: path15.resolve(baseDir, target.codeSrc),
        language,
        command: code2?.command ?? []
      }) : void 0;
      if (built) builds.push(built);
      result.push(built ? withRuntimeVariables(target, built, context.logger) : target);
    }
  } catch (error) {
    await builder.cleanup();
    throw error;
  }
  return {
    targets: result,
    builds,
    // An install that produced nothing (requirements that are all comments) adds nothing.
    extraDirs: new Map(
      builds.filter((built) => built.bytes > 0).map((built) => [built.resource, [{ dir: built.dir, prefix: built.prefix }]])
    ),
    cleanup: () => builder.cleanup()
  };
}
function withRuntimeVariables(target, built, logger) {
  let variables = target.runtime.environmentVariables ?? {};
  for (const [name, value] of Object.entries(ECOSYSTEMS[built.ecosystem].runtimeVariables)) {
    const current = variables[name];
    if (current === void 0) {
      logger.notice(
        `${target.resource}: ${name}=${value} added to environmentVariables, where the dependencies are installed. Set ${name} in the s.yaml to choose it yourself.`
      );
      variables = { ...variables, [name]: value };
    } else if (!current.split(":").includes(value)) {
      logger.warning(
        `${target.resource}: environmentVariables.${name} is "${current}", without ${value} where the dependencies are installed: they will not be found.`
      );
    }
  }
  if (variables === target.runtime.environmentVariables || Object.keys(variables).length === 0) return target;
  return { ...target, runtime: { ...target.runtime, environmentVariables: variables } };
}
function isLanguage(value) {
  return LANGUAGES.some((language) => language === value);
}

// src/app/build.ts
async function buildDependencies({ settings, spec, host, deps }, targets) {
  const ownTempDir = host.tempDir ? void 0 : await mkdtemp2(join(tmpdir2(), "agentrun-build-"));
  const removeOwnTempDir = () => ownTempDir ? rm5(ownTempDir, { recursive: true, force: true }) : void 0;
  const built = await buildTargets(targets, spec.dir, {
    settings: settings.build,
    env: host.env,
    tempDir: host.tempDir ?? ownTempDir,
    logger: host.logger,
    runner: deps.runner,
    cache: deps.buildCache(host.env),
    clock: deps.clock
  }).catch(async (error) => {
    await removeOwnTempDir();
    throw error;
  });
  const zipBytes = /* @__PURE__ */ new Map();
  return {
    ...built,
    packaging: {
      dependencies: built.extraDirs,
      onPackaged: async (target, pkg) => {
        const dirs = built.extraDirs.get(target.resource);
        if (!dirs) return;
        const bytes = await zipBytesUnder(
          pkg.zipPath,
          dirs.map((dir) => dir.prefix)
        );
        zipBytes.set(target.resource, bytes);
        host.logger.info(
          `${target.resource}: the dependencies (${dirs.map((dir) => `${dir.prefix}/`).join(", ")}) add ${formatBytes(bytes)} to the zip.`
        );
      }
    },
    summary: () => buildSummaryMarkdown(built.builds, zipBytes),
    cleanup: async () => {
      await built.cleanup();
      await removeOwnTempDir();
    }
  };
}

// src/info/render.ts
var SHOWN_VERSIONS = 5;
function renderInfo(infos) {
  return infos.map(resourceText).join("\n\n");
}
function resourceText(info2) {
  const head = `${info2.resource}: runtime ${info2.runtimeName} in ${info2.region}`;
  const { runtime: runtime2 } = info2;
  if (!runtime2) return `${head}: not deployed (no runtime of that name)`;
  const older = info2.versions.length - SHOWN_VERSIONS;
  return [
    `${head}: ${statusText2(runtime2)}`,
    `  id ${runtime2.id}${runtime2.artifactType ? `, ${runtime2.artifactType}` : ""}${runtime2.lastUpdatedAt ? `, updated ${runtime2.lastUpdatedAt}` : ""}`,
    `  logs: ${logText(info2)}`,
    info2.versions.length ? "  versions:" : "  versions: none published",
    ...info2.versions.slice(0, SHOWN_VERSIONS).map((v) => `    ${versionText(v)}`),
    ...older > 0 ? [`    \u2026 ${older} older`] : [],
    info2.endpoints.length ? "  endpoints:" : "  endpoints: none",
    ...info2.endpoints.map((e) => `    ${endpointText(e)}`),
    ...info2.rollouts.map((r) => `  ${rolloutText(r)}`)
  ].join("\n");
}
function statusText2({ status: status2, statusReason }) {
  return `${status2 ?? "unknown"}${statusReason ? ` (${statusReason})` : ""}`;
}
function logText(info2) {
  const log = info2.runtime?.logConfiguration;
  return log ? `SLS project ${log.project ?? "?"}, logstore ${log.logstore ?? "?"}` : "none";
}
function versionText(v) {
  const by = v.publishedBy ?? "another client";
  const print = v.fingerprint ? ` [config ${v.fingerprint.config}${v.fingerprint.code ? `, code ${v.fingerprint.code}` : ""}]` : "";
  return [v.version, v.publishedAt, `by ${by}`, v.description && `\u201C${v.description}\u201D`].filter(Boolean).join("  ").concat(print);
}
function split(e) {
  return describeSplit({
    targetVersion: e.targetVersion,
    routingConfiguration: { versionWeights: e.weights }
  });
}
function endpointText(e) {
  return `${e.name}  ${statusText2(e)}  ${split(e)}  ${e.url ?? "(no URL yet)"}`;
}
function rolloutText(r) {
  const stage = `stage ${r.stage + 1} of ${r.steps.length} (${r.steps[r.stage]}%)`;
  const since = new Date(r.since).toISOString();
  if (r.inProgress) {
    return `rollout in progress on ${r.endpoint}: version ${r.candidate} over ${r.stable}, ${stage}, ${r.phase} since ${since}`;
  }
  const why = r.reason ? `: ${r.reason}` : "";
  return `last rollout on ${r.endpoint}: version ${r.candidate} over ${r.stable}, ${r.phase} ${since}${why}`;
}

// src/app/summary.ts
function deploySummary(reports, error, failed = [], shard = []) {
  const of = shard.length ? ` (${shard.join(", ")})` : "";
  return [
    error === void 0 ? deployHeadline(reports, of) : failureHeadline(reports, failed, of),
    "",
    ...error === void 0 ? [] : failedSections(reports, failed, error),
    deployDetails(reports),
    ...reports.length ? [INFO_HINT, ""] : []
  ].join("\n");
}
function deployDetails(reports) {
  const endpoints = reports.flatMap(
    (report2) => report2.endpoints.map((e) => {
      const action = e.heldBy ? `${e.action} (traffic split kept: ${e.heldBy})` : e.action;
      const served = servedVersion(e.version, e.weights, report2.version);
      return `- ${report2.resource}: ${code(e.name)} ${action}, serves ${served}${e.url ? `: ${autolink(e.url)}` : ""}`;
    })
  );
  return [
    ...reports.length ? [
      table(
        ["resource", "runtime", "region", "result", "what changed", "version", "code uploaded"],
        reports.map((r) => [
          r.resource,
          code(r.runtime),
          r.region,
          r.action,
          r.changes.join(", ") || "\u2014",
          versionChange(r),
          r.uploadedBytes ? `${plural(r.files, "file")}, ${plural(r.uploadedBytes, "byte")}` : "none"
        ])
      ),
      ""
    ] : [],
    ...endpoints.length ? ["#### Endpoints", "", ...endpoints, ""] : []
  ].join("\n");
}
var INFO_HINT = "Status, every version with its publisher, log configuration and any rollout in progress: `command: info` (CLI: `agentrun-deploy info`).";
function deployHeadline(reports, of = "") {
  const changed = reports.some(
    (r) => r.action !== "unchanged" || r.published || r.endpoints.some((e) => e.action !== "unchanged")
  );
  if (!reports.length) return headline("info", "Deploy: no resource selected, nothing deployed");
  return headline(
    "done",
    `${changed ? "Deployed" : "No change"}${of} \u2014 ${reports.map(deployedClause).join("; ")}`
  );
}
function deployedClause(r) {
  const live = r.endpoints[0];
  const where3 = live ? liveAt(live.name, servedVersion(live.version, live.weights, r.version), live.url || void 0) : `version ${r.version ?? "LATEST"}, no endpoint`;
  return `${code(r.runtime)} ${r.action}: ${where3}`;
}
function failureHeadline(reports, failed, of = "") {
  const clauses = failed.map((f) => {
    const state = f.status ? `${code(f.runtime)} is ${f.status}` : `${code(f.runtime)} was not created`;
    const live = f.endpoints[0];
    const served = live && servedVersion(live.version, live.weights, f.newestVersion);
    return live ? `${state}; ${liveAt(live.name, served, live.url || void 0).replace(" serves ", " still serves ")}` : `${state}, no endpoint serves it`;
  });
  const deployed = reports.length ? [`deployed: ${reports.map(deployedClause).join("; ")}`] : [];
  const all = [...clauses, ...deployed];
  return headline("failed", `Deploy failed${of}${all.length ? ` \u2014 ${all.join("; ")}` : ""}`);
}
function failedSections(reports, failed, error) {
  const changedBefore = failed.map((f) => {
    if (f.status === void 0) return `- ${f.resource}: nothing; runtime ${code(f.runtime)} does not exist.`;
    const serving = f.endpoints.length ? f.endpoints.map(
      (e) => `endpoint ${code(e.name)} serves ${servedVersion(e.version, e.weights, f.newestVersion)}`
    ).join(", ") : "it has no endpoint";
    return isFailed(f.status) ? `- ${f.resource}: runtime ${code(f.runtime)} took the change and is now ${f.status}; ${serving}. A deploy of a working configuration repairs it.` : `- ${f.resource}: runtime ${code(f.runtime)} is ${f.status}; ${serving}.`;
  });
  return [
    ...errorSection(error),
    ...changedBefore.length ? ["**Where it stopped**", "", ...changedBefore, ""] : [],
    reports.length ? "**Deployed before the failure**" : "No other resource was deployed.",
    ""
  ];
}
function versionChange(report2) {
  if (report2.version === void 0) return "\u2014";
  if (!report2.published) return report2.version;
  const preview2 = report2.previousPreview !== void 0 ? ` (preview of #${report2.previousPreview})` : "";
  return report2.previousVersion !== void 0 ? `${report2.previousVersion}${preview2} \u2192 ${report2.version}` : `${report2.version} (new)`;
}
function planSummary(plan2, diffs) {
  if (diffs === void 0) {
    return [
      planHeadline(void 0),
      "",
      table(
        ["resource", "runtime", "region", "endpoints"],
        plan2.resources.map((r) => [
          r.resource,
          code(r.runtime.agentRuntimeName),
          r.region,
          r.endpoints.map((e) => e.agentRuntimeEndpointName).join(", ") || "\u2014"
        ])
      ),
      ""
    ].join("\n");
  }
  const rows2 = diffs.flatMap((diff) => [
    [diff.resource, `runtime ${code(diff.runtimeName)}`, diff.runtime, diff.changes.join(", ") || "\u2014"],
    ...diff.endpoints.map((e) => [
      diff.resource,
      `endpoint ${e.name}`,
      e.change,
      e.changes.join(", ") || "\u2014"
    ])
  ]);
  return [
    planHeadline(diffs),
    "",
    `Compared with ${escapeMarkdown(comparedWith(diffs))}.`,
    "",
    table(["resource", "what", "a deploy would", "what changed"], rows2),
    ""
  ].join("\n");
}
function infoSummary(infos) {
  const rows2 = infos.map((info2) => {
    const newest2 = info2.versions[0];
    const rollout = info2.rollouts.find((r) => r.inProgress);
    return [
      info2.resource,
      code(info2.runtimeName),
      info2.runtime ? statusText2(info2.runtime) : "not deployed",
      newest2 ? `${newest2.version} (by ${newest2.publishedBy ?? "another client"})` : "\u2014",
      logText(info2),
      rollout ? `${rollout.candidate} at ${rollout.steps[rollout.stage]}%, ${rollout.phase}` : "\u2014"
    ];
  });
  const endpoints = infos.flatMap(
    (info2) => info2.endpoints.map(
      (e) => `- ${info2.resource}: ${liveAt(e.name, servedVersion(e.targetVersion, e.weights), e.url)}`
    )
  );
  return [
    headline("info", `Info \u2014 ${infos.map(infoClause).join("; ")}`),
    "",
    table(["resource", "runtime", "status", "newest version", "logs", "rollout"], rows2),
    "",
    ...endpoints.length ? ["#### Endpoints", "", ...endpoints, ""] : []
  ].join("\n");
}
function infoClause(info2) {
  if (!info2.runtime) return `${code(info2.runtimeName)} is not deployed`;
  const live = info2.endpoints[0];
  const where3 = live ? liveAt(live.name, servedVersion(live.targetVersion, live.weights), live.url) : "no endpoint";
  return `${code(info2.runtimeName)} ${escapeMarkdown(info2.runtime.status)}: ${where3}`;
}
function planOutcome(diffs) {
  if (diffs === void 0)
    return "the desired state only: no credentials, so not compared with what is deployed";
  const pending = diffs.filter(hasChanges);
  if (!pending.length) return "up to date: a deploy would change nothing";
  const what = (d) => [d.runtime === "unchanged" ? "endpoints" : d.runtime, ...d.changes].join(", ");
  return `a deploy would change ${pending.map((d) => `${d.runtimeName} (${what(d)})`).join("; ")}`;
}
function comparedWith(diffs) {
  return diffs.map((d) => `${d.runtimeName}: ${d.comparedWith ?? "the runtime as it is now"}`).join("; ");
}
function planHeadline(diffs) {
  const upToDate = diffs !== void 0 && !diffs.some(hasChanges);
  return headline(upToDate ? "done" : "info", `Plan \u2014 ${escapeMarkdown(planOutcome(diffs))}`);
}
function hasChanges(diff) {
  return diff.runtime !== "unchanged" || diff.endpoints.some((e) => e.change !== "unchanged");
}
function failureSummary(command, error) {
  const first = failureMessage(error).split("\n")[0];
  const short = first.length > 120 ? `${first.slice(0, 119)}\u2026` : first;
  return [headline("failed", `${command} failed: ${escapeMarkdown(short)}`), "", ...errorSection(error)].join(
    "\n"
  );
}
function errorSection(error) {
  if (error instanceof ConfigError) {
    const errors = error.problems.filter((p) => p.severity === "error").length;
    return [
      `The s.yaml has ${plural(errors, "problem")}; nothing was deployed.`,
      "",
      table(
        ["where", "problem"],
        error.problems.map((p) => [
          p.position ? `${p.position.file}:${p.position.line}:${p.position.col}` : "\u2014",
          `${p.severity}: ${formatProblem({ ...p, position: void 0 })}`
        ])
      ),
      ""
    ];
  }
  return [quote(failureMessage(error)), ""];
}
function summaryFooter(commit, durationMs) {
  const sha = commit && (commit.url ? `[${commit.sha.slice(0, 7)}](${commit.url})` : commit.sha.slice(0, 7));
  return [sha && `Commit ${sha}`, `${(durationMs / 1e3).toFixed(1)} s`].filter(Boolean).join(" \xB7 ");
}
var plural = (count2, noun) => `${count2} ${noun}${count2 === 1 ? "" : "s"}`;

// src/github/comment.ts
var MAX_COMMENT_LENGTH = 65536;
var COMMENT_MARKER = "<!-- agentrun-deploy:pr-comment -->";
var MARK = {
  deploying: "working",
  ready: "done",
  failed: "failed",
  removed: "removed"
};
var STATUS_TEXT = {
  deploying: "Deploying",
  ready: "Ready",
  failed: "Failed",
  removed: "Removed"
};
function renderPreview(section, secrets) {
  const s = redactDeep(section, secrets);
  const rows2 = s.rows.map(
    (row) => cells([
      code(row.agent),
      row.version ? `${escapeMarkdown(row.version)} (this pull request's preview)` : "\u2014",
      code(row.endpoint),
      statusCell(row, s.runUrl),
      utc(s.updatedAt)
    ])
  );
  const callable = s.rows.filter((row) => row.status === "ready" && row.url);
  return [
    previewHeadline(s.rows, s.runUrl),
    "",
    ...s.notice ? [s.notice, ""] : [],
    ...callable.length ? [
      "The URL takes a POST, so a click in the browser gets a 404; call it with:",
      "",
      ...callable.flatMap((row) => [
        ...callable.length > 1 ? [`${code(row.agent)}:`, ""] : [],
        fenced(curl(row.url), "sh"),
        ""
      ])
    ] : [],
    ...rows2.length ? [
      cells(["Agent", "Version", "Endpoint", "Status", "Updated (UTC)"]),
      cells(["---", "---", "---", "---", "---"]),
      ...rows2,
      ""
    ] : [],
    footer(s.sha, s.commitUrl, s.runUrl)
  ].join("\n");
}
function previewHeadline(rows2, runUrl) {
  const worst = ["failed", "deploying", "ready", "removed"].find(
    (status2) => rows2.some((row) => row.status === status2)
  );
  if (!worst) return headline("info", "Preview: no agent to preview");
  const clause = (row) => {
    const what = `${code(row.agent)}${row.version ? ` version ${escapeMarkdown(row.version)}` : ""}`;
    if (row.status === "ready") return `${what} at ${row.url ? code(row.url) : code(row.endpoint)}`;
    if (row.status === "failed")
      return `${what}: ${escapeMarkdown(oneLine(row.reason ?? "failed").slice(0, 160))}`;
    return `${what} (endpoint ${code(row.endpoint)})`;
  };
  const lead = {
    failed: "Preview failed, production untouched",
    deploying: "Preview deploying",
    ready: "Preview ready",
    removed: "Preview removed"
  }[worst];
  const log = worst === "failed" && runUrl ? ` \u2014 log: ${autolink(runUrl)}` : "";
  return headline(MARK[worst], `${lead} \u2014 ${rows2.map(clause).join("; ")}${log}`);
}
function renderPlanSection(section, secrets, maxLength = MAX_COMMENT_LENGTH) {
  const s = redactDeep(section, secrets);
  const frame = (diff) => [
    headline("info", `Plan \u2014 ${escapeMarkdown(s.outcome)}`),
    "",
    `Compared with ${escapeMarkdown(s.comparedWith)}.`,
    "",
    "<details><summary>What a deploy of this pull request would change</summary>",
    "",
    fenced(diff, "diff"),
    "",
    "</details>",
    "",
    footer(s.sha, s.commitUrl, s.runUrl, s.updatedAt)
  ].join("\n");
  const full = frame(s.diff);
  if (full.length <= maxLength) return full;
  return frame(cutLines(s.diff, s.diff.length - (full.length - maxLength) - TRUNCATION_NOTE.length - 1));
}
function composeComment(previous, name, content) {
  const sections = previous ? parseSections(previous) : /* @__PURE__ */ new Map();
  sections.set(name, "");
  const order = SECTION_ORDER.filter((n) => sections.has(n));
  const build = () => [COMMENT_MARKER, ...order.map((n) => `${open2(n)}

${sections.get(n)}

${close(n)}`)].join("\n\n");
  sections.set(name, typeof content === "string" ? content : content(MAX_COMMENT_LENGTH - build().length));
  let body = build();
  while (body.length > MAX_COMMENT_LENGTH) {
    const [key, text2] = [...sections.entries()].sort(([, a], [, b]) => b.length - a.length)[0];
    const excess = body.length - MAX_COMMENT_LENGTH;
    sections.set(key, cutLines(text2, Math.max(0, text2.length - excess - TRUNCATION_NOTE.length - 1)));
    body = build();
  }
  return body;
}
function isOurComment(body) {
  return body.includes(COMMENT_MARKER);
}
var SECTION_ORDER = ["preview", "plan"];
var open2 = (name) => `<!-- section:${name} -->`;
var close = (name) => `<!-- /section:${name} -->`;
function parseSections(body) {
  const sections = /* @__PURE__ */ new Map();
  for (const name of SECTION_ORDER) {
    const start2 = body.indexOf(open2(name));
    const end = body.indexOf(close(name));
    if (start2 >= 0 && end > start2) {
      sections.set(name, body.slice(start2 + open2(name).length, end).replace(/^\n+|\n+$/g, ""));
    }
  }
  return sections;
}
var TRUNCATION_NOTE = "\u2026 (shortened to fit a GitHub comment; the run log has it all)";
function cutLines(text2, length) {
  if (text2.length <= length) return text2;
  const head = text2.slice(0, Math.max(0, length));
  const lineEnd = head.lastIndexOf("\n");
  return `${lineEnd > 0 ? head.slice(0, lineEnd) : ""}
${TRUNCATION_NOTE}`;
}
function statusCell(row, runUrl) {
  const reason = row.reason ? `: ${escapeMarkdown(oneLine(row.reason))}` : "";
  const log = row.status === "failed" && runUrl ? ` (${link("log", runUrl)})` : "";
  return `${Mark[MARK[row.status]]} ${STATUS_TEXT[row.status]}${reason}${log}`;
}
function footer(sha, commitUrl2, runUrl, updatedAt) {
  const short = sha.slice(0, 7);
  return [
    sha ? `Commit ${commitUrl2 ? link(short, commitUrl2) : code(short)}` : void 0,
    runUrl ? link("workflow run", runUrl) : void 0,
    updatedAt ? `${utc(updatedAt)} UTC` : void 0
  ].filter(Boolean).join(" \xB7 ");
}
function curl(url) {
  const rest = ` \\
  -H 'Content-Type: application/json' \\
  -d '{"prompt": "Hello"}'`;
  const single = `curl -X POST '${url.replace(/'/g, `'\\''`)}'`;
  if (single.length <= CODE_LINE) return `${single}${rest}`;
  const lines = [];
  for (const piece of url.replace(/["$`\\]/g, "\\$&").split(/(?=\/)/)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + piece.length <= CODE_LINE - 4) lines[last] += piece;
    else lines.push(piece);
  }
  return `curl -X POST \\
  "${lines.join("\\\n")}"${rest}`;
}
var CODE_LINE = 80;
function fenced(text2, language) {
  const longest = Math.max(2, ...[...text2.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}
${text2}
${fence}`;
}
var utc = (iso) => iso.replace("T", " ").slice(0, 16);
var oneLine = (text2) => text2.replace(/\s+/g, " ").trim().slice(0, 300);

// src/github/deployments.ts
function previewEnvironment(pr) {
  return `preview/pr-${pr}`;
}
function previewDeployment(pr, sha, endpoints) {
  return {
    ref: sha,
    environment: previewEnvironment(pr),
    description: `AgentRun preview of #${pr}`,
    transientEnvironment: true,
    productionEnvironment: false,
    payload: { pr, sha, endpoints }
  };
}
function environmentDeployment(environment, sha, endpoints) {
  return {
    ref: sha,
    environment,
    description: `AgentRun deploy to ${environment}`,
    transientEnvironment: false,
    productionEnvironment: environment === "production",
    payload: { sha, endpoints }
  };
}
function finalStatus(outcome, runUrl) {
  return outcome.error === void 0 ? { state: "success", description: "Deployed", environmentUrl: outcome.url, logUrl: runUrl } : { state: "failure", description: `Failed: ${outcome.error}`, logUrl: runUrl };
}

// src/github/report.ts
async function bestEffort(logger, what, task) {
  try {
    return await task();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof GitHubError && error.forbidden && error.permission ? " Add it under the job's `permissions:` (see the README's preview workflow)." : "";
    logger.warning(`Could not ${what}: ${message}${hint}`);
    return void 0;
  }
}
var StickyComment = class {
  constructor(github, pr) {
    this.github = github;
    this.pr = pr;
  }
  github;
  pr;
  known;
  /** Sets `section` of the comment, leaving the other sections as they are. */
  async set(section, content) {
    const existing2 = this.known ?? await this.find();
    const body = composeComment(existing2?.body, section, content);
    if (!existing2) {
      this.known = await this.github.createIssueComment(this.pr, body);
      return { url: this.known.htmlUrl, created: true };
    }
    this.known = existing2.body === body ? existing2 : await this.github.updateIssueComment(existing2.id, body);
    return { url: this.known.htmlUrl, created: false };
  }
  async find() {
    return (await this.github.listIssueComments(this.pr)).find((comment) => isOurComment(comment.body));
  }
};
var DeploymentRecord = class _DeploymentRecord {
  constructor(github, deployment, runUrl) {
    this.github = github;
    this.deployment = deployment;
    this.runUrl = runUrl;
  }
  github;
  deployment;
  runUrl;
  static async start(github, request, runUrl) {
    const deployment = await github.createDeployment(request);
    await github.createDeploymentStatus(deployment.id, {
      state: "in_progress",
      description: "Deploying",
      logUrl: runUrl
    });
    return new _DeploymentRecord(github, deployment, runUrl);
  }
  async finish(outcome) {
    await this.github.createDeploymentStatus(this.deployment.id, finalStatus(outcome, this.runUrl));
  }
};
async function deactivateDeployments(github, environment, keep) {
  const newestFirst = (await github.listDeployments(environment)).filter((deployment) => deployment.id !== keep).sort((a, b) => b.id - a.id);
  const active = [];
  for (const deployment of newestFirst) {
    if (await github.latestDeploymentState(deployment.id) === "inactive") break;
    active.push(deployment);
  }
  for (const deployment of active.reverse()) {
    await github.createDeploymentStatus(deployment.id, {
      state: "inactive",
      description: "Superseded or removed"
    });
  }
  return active.length;
}

// src/app/github.ts
var PREVIEW_PERMISSIONS = "`permissions: { contents: read, pull-requests: write, deployments: write }`";
async function gitHubRun({ settings, host, deps }) {
  const context = await readGitHubContext(host.env);
  if (!context) return void 0;
  const token = settings.github.token ?? host.env.GITHUB_TOKEN;
  if (!token) {
    host.logger.warning(
      `No github-token: no pull-request comment and no GitHub deployment are recorded. Pass github-token and give the job ${PREVIEW_PERMISSIONS}.`
    );
    return { context, comments: /* @__PURE__ */ new Map() };
  }
  host.logger.setSecret(token);
  const api = deps.github({
    token,
    repository: context.repository,
    apiUrl: context.apiUrl,
    clock: deps.clock,
    onRetry: (message) => host.logger.info(message)
  });
  return { context, api, comments: /* @__PURE__ */ new Map() };
}
async function pullRequestOf2(settings, github) {
  const number = settings.github.prNumber;
  if (number === void 0) return github.context.pullRequest;
  if (!github.api)
    throw new Error(`Input pr-number needs a github-token to look up pull request #${number}.`);
  try {
    return await github.api.getPull(number);
  } catch (error) {
    if (error instanceof GitHubError && error.status === 404) {
      throw new Error(
        `Pull request #${number} does not exist in ${github.context.repository} (input pr-number).`
      );
    }
    throw error;
  }
}
function commitUrl(context, sha) {
  return `${context.serverUrl}/${context.repository}/commit/${sha}`;
}
async function skipRun(host, why) {
  host.logger.notice(why);
  await host.writeSummary?.(`${headline("info", `Nothing deployed \u2014 ${why}`)}
`);
}
async function skipForkPreview(settings, host) {
  if (settings.github.prNumber !== void 0) return false;
  const context = await readGitHubContext(host.env);
  const refusal = context?.pullRequest && forkRefusal(context.eventName, context.pullRequest, settings.github.allowForkPreviews);
  if (!refusal) return false;
  await skipRun(host, refusal);
  return true;
}
function commentSecrets({ spec, settings }, more = []) {
  const { accessKeyId, accessKeySecret, securityToken } = settings.credentials;
  return maskableSecrets([
    ...spec.secretValues,
    ...more,
    ...[accessKeyId, accessKeySecret, securityToken, settings.github.token].filter((v) => !!v)
  ]);
}
async function updatePullComment({ settings, host }, github, pr, section, content) {
  if (!settings.github.comment || !github.api) return;
  let sticky = github.comments.get(pr);
  if (!sticky) github.comments.set(pr, sticky = new StickyComment(github.api, pr));
  const comment = await bestEffort(
    host.logger,
    "update the pull-request comment",
    () => sticky.set(section, content)
  );
  if (comment)
    host.logger.info(`Pull-request comment ${comment.created ? "created" : "updated"}: ${comment.url}`);
}
async function recordingDeployment(context, deploy2, urlOf) {
  const github = await gitHubRun(context);
  const api = github?.api;
  if (!github || !api || github.context.pullRequest) return deploy2();
  const { logger } = context.host;
  const { environment } = context.settings.github;
  const record = await bestEffort(
    logger,
    `record a GitHub deployment to ${environment}`,
    () => DeploymentRecord.start(
      api,
      environmentDeployment(environment, github.context.sha, []),
      github.context.runUrl
    )
  );
  try {
    const result = await deploy2();
    await bestEffort(
      logger,
      "finish the GitHub deployment",
      async () => record?.finish({ url: urlOf(result) })
    );
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await bestEffort(logger, "finish the GitHub deployment", async () => record?.finish({ error: message }));
    throw error;
  }
}
async function isPullRequestRun(context) {
  return (await readGitHubContext(context.host.env))?.pullRequest !== void 0 || context.settings.github.prNumber !== void 0;
}
async function commentPlan(context, text2, secrets, about) {
  if (!await isPullRequestRun(context)) return;
  const github = await gitHubRun(context);
  const pull = github && await pullRequestOf2(context.settings, github);
  if (!github || !pull || isFork(pull)) return;
  const section = {
    ...about,
    diff: text2,
    sha: pull.headSha,
    commitUrl: commitUrl(github.context, pull.headSha),
    runUrl: github.context.runUrl,
    updatedAt: new Date(context.deps.clock.now()).toISOString()
  };
  const masked = commentSecrets(context, secrets);
  await updatePullComment(
    context,
    github,
    pull.number,
    "plan",
    (room) => renderPlanSection(section, masked, room)
  );
}

// src/app/deploying.ts
async function deployTargets(context, targets, credentials, summarise = true) {
  const { host } = context;
  const summary = summarise ? host : { ...host, writeSummary: void 0 };
  host.logger.info(`Credentials: ${credentials.source}`);
  const dependencies = await buildDependencies(context, await withAutoLogs(context, targets, credentials));
  let results;
  try {
    results = await recordingDeployment(
      context,
      () => deployAll(dependencies.targets, deployOptions(context, credentials, dependencies)),
      (deployed) => deployed[0]?.endpoints[0]?.endpoint.endpointPublicUrl
    );
  } catch (error) {
    if (error instanceof DeployError) {
      const failed = await leftBehind(context, credentials, targets, error);
      await report(error.results, host, context, dependencies, { error, failed });
    }
    throw error;
  } finally {
    await dependencies.cleanup();
  }
  return { results, reports: await report(results, summary, context, dependencies) };
}
function deployOptions(context, credentials, dependencies) {
  const { spec, settings, host, deps } = context;
  const api = apiFor(context, credentials);
  return {
    ...codeOptions(context),
    ...dependencies.packaging,
    globalActions: spec.actions,
    runHooks: !settings.skipActions,
    publish: settings.publish,
    parallel: settings.parallel,
    timeoutMs: settings.timeoutMs,
    trigger: host.trigger,
    env: spec.env,
    api,
    uploader: uploaderFor(context, credentials, api),
    armsLicenseKey: armsLicenseKeyFor(context, credentials),
    // A rollout in progress owns its production endpoint's split.
    hold: rolloutHold,
    runner: deps.runner,
    clock: deps.clock,
    diagnose: logDiagnosis(context, credentials)
  };
}
async function report(results, host, { settings }, dependencies, failure) {
  if (results.length) {
    for (const [name, value] of Object.entries(deployOutputs(results))) host.setOutput(name, value);
  }
  const reports = resourceReports(results);
  await host.writeSummary?.(
    deploySummary(reports, failure?.error, failure?.failed, settings.resources) + dependencies.summary()
  );
  return reports;
}
async function leftBehind(context, credentials, targets, error) {
  const api = apiFor(context, credentials);
  const unreachable = (cause) => cause === void 0 || cause instanceof AgentRunError && ["Auth", "UnknownHost", "Network", "Timeout", "Throttled"].includes(cause.kind);
  const failed = targets.filter(
    (t) => !error.results.some((r) => r.target.resource === t.resource) && !unreachable(error.causes.get(t.resource))
  );
  const read = async (target) => {
    const client = api(target.region);
    const runtime2 = await client.findRuntime(target.runtime.agentRuntimeName, target.workspace);
    const base = { resource: target.resource, runtime: target.runtime.agentRuntimeName };
    if (!runtime2) return { ...base, endpoints: [] };
    const [endpoints, versions] = await Promise.all([
      client.listEndpoints(runtime2.agentRuntimeId),
      client.listVersions(runtime2.agentRuntimeId)
    ]);
    const ours = new Set(target.endpoints.map((e) => e.agentRuntimeEndpointName));
    return {
      ...base,
      status: runtime2.status,
      newestVersion: newest(versions)?.agentRuntimeVersion,
      endpoints: endpoints.filter((e) => ours.has(e.agentRuntimeEndpointName)).map((e) => ({
        name: e.agentRuntimeEndpointName,
        version: e.targetVersion ?? LATEST,
        weights: splitWeights(e),
        url: e.endpointPublicUrl ?? ""
      }))
    };
  };
  const found = await Promise.all(failed.map((target) => read(target).catch(() => void 0)));
  return found.filter((f) => f !== void 0);
}
function checkHooks(spec) {
  const unsupported = [spec.actions, ...spec.resources.map((r) => r.actions)].flatMap(unsupportedHooks);
  if (unsupported.length) {
    throw new Error(
      `These s.yaml actions need Serverless Devs and cannot run here: ${unsupported.join("; ")}. Replace them with \`run:\` commands, or set skip-actions: true.`
    );
  }
}

// src/app/rollout.ts
var RolloutOutputs = { Result: "canary-result", Report: "canary-report" };
async function rolloutScope(context) {
  const { targets } = await plannedTargets(context);
  if (targets.length !== 1) {
    throw new InputError(
      `A canary rolls out one resource at a time; name it with the resource input (this s.yaml selects ${targets.map((t) => t.resource).join(", ")}).`
    );
  }
  const target = targets[0];
  const { rollout } = context.settings;
  const main = target.endpoints.find((e) => (e.routingConfiguration?.versionWeights?.length ?? 0) > 0) ?? target.endpoints[0];
  const production = rollout.productionEndpoint ?? main?.agentRuntimeEndpointName;
  if (!production) {
    throw new InputError(
      `Resource ${target.resource} has no endpoint; set production-endpoint or add one to the s.yaml.`
    );
  }
  if (production === rollout.canaryEndpoint) {
    throw new InputError(
      `canary-endpoint and the production endpoint are both ${production}; give the canary its own name.`
    );
  }
  const credentials = await credentialsFor(context);
  return { target, credentials, api: apiFor(context, credentials)(target.region), production };
}
function rolloutContext(context, scope, runtime2) {
  const { settings, host, deps, spec } = context;
  const explain = logDiagnosis(context, scope.credentials);
  const fresh = () => scope.api.getRuntime(runtime2.agentRuntimeId);
  return {
    api: scope.api,
    runtimeId: runtime2.agentRuntimeId,
    runtimeName: runtime2.agentRuntimeName,
    productionEndpoint: scope.production,
    options: settings.rollout,
    clock: deps.clock,
    logger: host.logger,
    wait: { timeoutMs: settings.timeoutMs, clock: deps.clock },
    runner: deps.runner,
    cwd: spec.dir,
    env: { ...spec.env, ...host.env },
    owner: runOwner(host.env),
    errorLogs: errorLogSource(context, scope.credentials, scope.target.region, fresh),
    diagnose: async (version2) => explain({ region: scope.target.region, runtime: await fresh() }, version2)
  };
}
async function openRollout(context) {
  const scope = await rolloutScope(context);
  const name = scope.target.runtime.agentRuntimeName;
  const runtime2 = await scope.api.findRuntime(name, scope.target.workspace);
  if (!runtime2) throw new Error(`Agent runtime ${name} does not exist: deploy it first.`);
  return recordedContext(rolloutContext(context, scope, runtime2));
}
function refuse(context, message) {
  context.host.setOutput(RolloutOutputs.Result, CanaryResult.refused);
  throw new RolloutRefused(message);
}
async function reporting(context, ctx, step, deployed = []) {
  try {
    const report2 = await step();
    await publish(context, ctx, report2, deployed);
    return report2;
  } catch (error) {
    if (error instanceof RolloutError) await publish(context, ctx, error.report, deployed);
    throw error;
  }
}
async function publish({ host }, ctx, report2, deployed) {
  logReport(host.logger, report2);
  host.setOutput(RolloutOutputs.Result, report2.result);
  host.setOutput(RolloutOutputs.Report, reportJson(report2));
  const summary = async () => {
    const endpoints = await ctx.api.listEndpoints(ctx.runtimeId).catch(() => []);
    const urlOf = (name) => endpoints.find((e) => e.agentRuntimeEndpointName === name)?.endpointPublicUrl;
    const places = {
      production: ctx.productionEndpoint,
      productionUrl: urlOf(ctx.productionEndpoint),
      candidateEndpoint: ctx.options.canaryEndpoint,
      candidateUrl: urlOf(ctx.options.canaryEndpoint)
    };
    const candidate = deployed.length ? `#### Candidate deploy

${deployDetails(deployed)}` : "";
    await host.writeSummary?.(reportMarkdown(report2, places, candidate));
  };
  await summary().catch((error) => {
    host.logger.warning(`Could not write the job summary: ${error.message}`);
  });
}
async function canaryDeploy(context) {
  const { host } = context;
  const { logger } = host;
  const scope = await rolloutScope(context);
  const { target, credentials, api, production } = scope;
  const existing2 = await api.findRuntime(target.runtime.agentRuntimeName, target.workspace);
  const endpoint2 = existing2 && (await api.listEndpoints(existing2.agentRuntimeId)).find((e) => e.agentRuntimeEndpointName === production);
  if (!existing2 || !endpoint2) {
    logger.info(
      `No production endpoint ${production} serves yet: nothing to compare a canary with, so this deploy goes straight to it.`
    );
    const { reports } = await deployTargets(context, [target], credentials);
    host.setOutput(RolloutOutputs.Result, CanaryResult.promoted);
    return reports;
  }
  const ctx = rolloutContext(context, scope, existing2);
  const state = await readRollout(ctx);
  const { marker: marker2, lease: current } = state;
  if (marker2 && inProgress(marker2)) return resume(context, scope, ctx, { marker: marker2, lease: current });
  const lease = newLease(ctx, recordGates(ctx.options));
  const taken = await takeLease(
    ctx,
    lease,
    endpoint2.targetVersion ?? LATEST,
    async () => (await readRollout(ctx)).marker
  );
  if ("holder" in taken) {
    refuse(context, describeInProgress(existing2.agentRuntimeName, ctx.options.canaryEndpoint, taken.holder));
  }
  const held = { endpoint: taken.endpoint, lease };
  let candidate;
  let stable;
  let candidateReports = [];
  try {
    stable = await stableVersion(ctx, existing2, endpoint2);
    const others = target.endpoints.filter(
      (e) => e.agentRuntimeEndpointName !== production && e.agentRuntimeEndpointName !== ctx.options.canaryEndpoint
    );
    const deployed = await deployTargets(context, [{ ...target, endpoints: others }], credentials, false);
    candidateReports = deployed.reports;
    if (endpoint2.endpointPublicUrl) host.setOutput(Outputs.Url, endpoint2.endpointPublicUrl);
    const version2 = deployed.results[0]?.version;
    if (!version2) throw new InputError("A canary needs a published version: set publish: true.");
    candidate = version2.agentRuntimeVersion;
    if (candidate === stable) {
      logger.info(`Version ${candidate} already serves production: nothing to roll out.`);
      await dropLease(ctx, held.endpoint);
      const live = liveAt(production, `version ${candidate}`, endpoint2.endpointPublicUrl);
      await host.writeSummary?.(
        [
          headline("done", `No change \u2014 ${code(existing2.agentRuntimeName)} ${live}`),
          "",
          deployDetails(deployed.reports)
        ].join("\n")
      );
      host.setOutput(RolloutOutputs.Result, CanaryResult.promoted);
      return deployed.reports;
    }
    if (!carries(version2, deployed.results[0].fingerprint)) {
      refuse(
        context,
        `Version ${candidate} of ${existing2.agentRuntimeName} was not published from this job's s.yaml and code: another deploy changed the runtime meanwhile. Nothing was rolled out; run this job again.`
      );
    }
  } catch (error) {
    await releasing(ctx, held.endpoint);
    throw error;
  }
  logger.info(
    `Canary of version ${candidate} against stable version ${stable}, stages ${ctx.options.steps.join(", ")}%.`
  );
  return reporting(
    context,
    ctx,
    async () => driveRollout(ctx, await beginning(ctx, held, stable, candidate)),
    candidateReports
  );
}
async function beginning(ctx, held, stable, candidate) {
  try {
    return await beginRollout(ctx, held, stable, candidate);
  } catch (error) {
    const { marker: marker2 } = await readRollout(ctx);
    if (marker2?.candidate !== candidate || !inProgress(marker2)) await releasing(ctx, held.endpoint);
    throw error;
  }
}
async function releasing(ctx, endpoint2) {
  await dropLease(ctx, endpoint2).catch((error) => {
    ctx.logger.warning(
      `Could not release the rollout lease (endpoint ${ctx.options.canaryEndpoint}): ${error.message}. Delete that endpoint before the next rollout.`
    );
  });
}
async function resume(context, scope, start2, { marker: marker2, lease }) {
  const { logger } = context.host;
  const ctx = await recordedContext(start2);
  const inProgressText = describeInProgress(ctx.runtimeName, ctx.options.canaryEndpoint, { marker: marker2, lease });
  const versions = await scope.api.listVersions(ctx.runtimeId);
  const version2 = versions.find((v) => v.agentRuntimeVersion === marker2.candidate);
  if (!carries(version2, await jobFingerprint(context, scope))) refuse(context, inProgressText);
  if (marker2.phase !== Phase.progressing) {
    logger.info(inProgressText);
    const why = marker2.phase === Phase.paused ? "It waits for promote or advance." : "It was aborted.";
    return reporting(context, ctx, () => Promise.resolve(reportOf(ctx.runtimeName, marker2, [], why)));
  }
  if (marker2.owner !== void 0 && marker2.owner !== ctx.owner) refuse(context, inProgressText);
  logger.info(
    `Resuming the rollout of version ${marker2.candidate} at stage ${marker2.stage + 1}/${marker2.steps.length} (${marker2.steps[marker2.stage]}%).`
  );
  return reporting(context, ctx, () => driveRollout(ctx, marker2));
}
async function jobFingerprint(context, scope) {
  const target = await asDeployed(context, scope.target, scope.credentials);
  return withTargetCode(
    target,
    codeOptions(context),
    (code2) => Promise.resolve(desiredRuntime(target.runtime, code2, target.workspace).fingerprint)
  );
}
function carries(version2, print) {
  const published = recorded(version2);
  return published !== void 0 && published.config === print.config && published.code === print.code;
}
async function stableVersion(ctx, runtime2, endpoint2) {
  const target = endpoint2.targetVersion ?? LATEST;
  const weights = splitWeights(endpoint2);
  if (target !== LATEST && weights.length === 0) return target;
  const last = newest(await ctx.api.listVersions(runtime2.agentRuntimeId));
  if (target === LATEST && isFailed(runtime2.status) && !last) {
    throw new Error(
      `Agent runtime ${runtime2.agentRuntimeName} is ${runtime2.status} and has no published version to keep production on: deploy it once with strategy: direct.`
    );
  }
  const current = target !== LATEST ? target : last && (isFailed(runtime2.status) || (last.lastUpdatedAt ?? "") >= (runtime2.lastUpdatedAt ?? "\uFFFF")) ? last.agentRuntimeVersion : (await ctx.api.publishVersion(runtime2.agentRuntimeId, "Snapshot of LATEST, pinned before a canary")).agentRuntimeVersion;
  await ctx.api.updateEndpoint(runtime2.agentRuntimeId, endpoint2.agentRuntimeEndpointId, {
    agentRuntimeEndpointName: endpoint2.agentRuntimeEndpointName,
    description: endpoint2.description,
    ...routingWrite({ targetVersion: current }, endpoint2)
  });
  await waitForEndpoint(ctx.api, runtime2.agentRuntimeId, endpoint2.agentRuntimeEndpointId, ctx.wait);
  ctx.logger.info(
    target === LATEST ? `Production endpoint ${endpoint2.agentRuntimeEndpointName} served LATEST: pinned to version ${current}, which holds that configuration, so updating the runtime cannot reach production unannounced.` : `Production endpoint ${endpoint2.agentRuntimeEndpointName} had weights from the s.yaml: now on version ${current} alone before the canary.`
  );
  return current;
}

// src/app/commands/abort.ts
async function abort(context) {
  const rollout = await openRollout(context);
  return reporting(context, rollout, () => abortRollout(rollout));
}

// src/app/commands/advance.ts
async function advance(context) {
  const rollout = await openRollout(context);
  const { marker: marker2 } = await readRollout(rollout);
  if (!marker2 || !inProgress(marker2)) {
    context.host.logger.info(`No rollout of ${rollout.runtimeName} is in progress: nothing to advance.`);
    return void 0;
  }
  return reporting(context, rollout, () => advanceRollout(rollout));
}

// src/app/commands/deploy.ts
async function deploy(context) {
  const { spec, settings } = context;
  if (!settings.skipActions) checkHooks(spec);
  if (settings.rollout.strategy === Strategy.canary) return canaryDeploy(context);
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  return (await deployTargets(context, targets, credentials)).reports;
}

// src/info/read.ts
var PUBLISHER = "agentrun-deploy";
async function readInfo(api, target) {
  const runtimeName = target.runtime.agentRuntimeName;
  const base = { resource: target.resource, region: target.region, runtimeName };
  const runtime2 = await api.findRuntime(runtimeName, target.workspace);
  if (!runtime2) return { ...base, versions: [], endpoints: [], rollouts: [] };
  const [versions, endpoints] = await Promise.all([
    api.listVersions(runtime2.agentRuntimeId),
    api.listEndpoints(runtime2.agentRuntimeId)
  ]);
  const log = runtime2.logConfiguration;
  return {
    ...base,
    runtime: {
      id: runtime2.agentRuntimeId,
      status: runtime2.status,
      ...runtime2.statusReason && { statusReason: runtime2.statusReason },
      ...runtime2.artifactType && { artifactType: runtime2.artifactType },
      ...runtime2.lastUpdatedAt && { lastUpdatedAt: runtime2.lastUpdatedAt },
      ...(log?.project || log?.logstore) && { logConfiguration: log }
    },
    versions: versions.filter((v) => /^\d+$/.test(v.agentRuntimeVersion)).sort((a, b) => Number(b.agentRuntimeVersion) - Number(a.agentRuntimeVersion)).map(versionInfo),
    endpoints: endpoints.map(endpointInfo),
    rollouts: endpoints.flatMap(rolloutOn)
  };
}
function versionInfo(version2) {
  const fingerprint = recorded(version2);
  return {
    version: version2.agentRuntimeVersion,
    ...version2.lastUpdatedAt && { publishedAt: version2.lastUpdatedAt },
    ...fingerprint && { publishedBy: PUBLISHER, fingerprint },
    description: withoutMarker(version2.description)
  };
}
function endpointInfo(endpoint2) {
  return {
    name: endpoint2.agentRuntimeEndpointName,
    ...endpoint2.status && { status: endpoint2.status },
    ...endpoint2.statusReason && { statusReason: endpoint2.statusReason },
    targetVersion: endpoint2.targetVersion ?? LATEST,
    weights: splitWeights(endpoint2),
    ...endpoint2.endpointPublicUrl && { url: endpoint2.endpointPublicUrl },
    description: userDescription(endpoint2.description)
  };
}
function rolloutOn(endpoint2) {
  const marker2 = readMarker(endpoint2.description);
  if (!marker2) return [];
  return [{ ...marker2, endpoint: endpoint2.agentRuntimeEndpointName, inProgress: inProgress(marker2) }];
}

// src/app/commands/info.ts
async function info(context) {
  const { targets } = await plannedTargets(context);
  const api = apiFor(context, await credentialsFor(context));
  const infos = [];
  for (const target of targets) infos.push(await readInfo(api(target.region), target));
  context.host.print(renderInfo(infos));
  await context.host.writeSummary?.(infoSummary(infos));
  return infos;
}

// src/logs/options.ts
var DEFAULT_LOGS_OPTIONS = { sinceMs: 15 * 6e4, follow: false };

// src/app/commands/logs.ts
var SAMPLES2 = 100;
var FOLLOW_INTERVAL_MS = 2e3;
async function logs(context) {
  const { settings, host, deps } = context;
  const options = settings.logs ?? DEFAULT_LOGS_OPTIONS;
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  const api = apiFor(context, credentials);
  const sls = slsFor(context, credentials);
  const sources = [];
  for (const target of targets) {
    sources.push({ target, logstore: await logstoreOf(context, target, api(target.region), credentials) });
  }
  const read = async (fromMs, toMs) => {
    const found = [];
    for (const { target, logstore } of sources) {
      const { lines, capped } = await queryRuntimeLogs(sls(target.region), {
        logstore,
        runtime: target.runtime.agentRuntimeName,
        version: options.version,
        endpoint: options.endpoint,
        query: options.query,
        fromMs,
        toMs,
        samples: SAMPLES2
      });
      if (capped) host.logger.info(`${target.resource}: more lines than shown; narrow --since or --query.`);
      found.push(...lines.map((line) => ({ resource: target.resource, ...line })));
    }
    return found.sort((a, b) => a.timeMs - b.timeMs);
  };
  let until = deps.clock.now();
  const shown = await read(until - options.sinceMs, until);
  const multiple = sources.length > 1;
  for (const line of shown) host.print(renderLine(line, multiple));
  if (!options.follow) {
    if (shown.length === 0) host.logger.info(`No lines in the last ${options.sinceMs / 6e4} min.`);
    return shown;
  }
  const seen = new Map(shown.map((line) => [lineKey(line), line.timeMs]));
  for (; ; ) {
    await deps.clock.sleep(FOLLOW_INTERVAL_MS);
    const from = until - 1e3;
    until = deps.clock.now();
    const fresh = (await read(from, until)).filter((line) => !seen.has(lineKey(line)));
    for (const line of fresh) {
      host.print(renderLine(line, multiple));
      seen.set(lineKey(line), line.timeMs);
    }
    for (const [key, timeMs] of seen) if (timeMs < from - 2e3) seen.delete(key);
  }
}
async function logstoreOf(context, target, api, credentials) {
  const deployed = (await api.findRuntime(target.runtime.agentRuntimeName, target.workspace))?.logConfiguration;
  const planned = target.autoLog ? {
    project: autoLogProject(await accountIdOf(context, credentials), target.region),
    logstore: AUTO_LOG.logstore
  } : target.runtime.logConfiguration;
  const found = deployed?.project && deployed.logstore ? deployed : planned;
  if (found?.project && found.logstore) return { project: found.project, logstore: found.logstore };
  throw new Error(
    `${target.resource}: runtime ${target.runtime.agentRuntimeName} has no logstore, so its output is not kept. Add \`logConfig: auto\` to its agent in the s.yaml (or \`logConfig: {project, logstore}\` naming an SLS logstore you have) and deploy again; the agent\u2019s stdout and stderr then go to SLS.`
  );
}
function lineKey(line) {
  return `${line.resource}
${line.timeMs}
${line.instance}
${line.message}`;
}
function renderLine(line, withResource) {
  const time = new Date(line.timeMs).toISOString().replace(".000Z", "Z");
  const version2 = line.version === LATEST ? LATEST : `v${line.version}`;
  const endpoint2 = line.endpoint === line.version ? "" : line.endpoint;
  const where3 = [version2, endpoint2, line.instance].filter(Boolean).join(" ");
  return `${time} ${withResource ? `${line.resource} ` : ""}[${where3}] ${line.message}`;
}

// src/app/commands/list.ts
async function list(context) {
  const { host } = context;
  const { targets } = await plannedTargets(context);
  const grouped = stages(targets).map((stage) => stage.map((target) => target.resource));
  const result = { resources: grouped.flat(), stages: grouped };
  host.setOutput(Outputs.Resources, JSON.stringify(result.resources));
  host.setOutput(Outputs.Stages, JSON.stringify(result.stages));
  if (grouped.length > 1) {
    host.logger.info(
      `The s.yaml's flow has ${grouped.length} stages: deploy them in order, one matrix job per entry of the \`stages\` output, each needing the one before.`
    );
  }
  const line = new Map(
    targets.map((t) => [t.resource, `${t.resource} (runtime ${t.runtime.agentRuntimeName})`])
  );
  host.print(
    grouped.length > 1 ? grouped.map((names, i) => [`stage ${i + 1}:`, ...names.map((name) => `  ${line.get(name)}`)].join("\n")).join("\n") : result.resources.map((name) => line.get(name)).join("\n")
  );
  return result;
}

// src/app/commands/package.ts
import { copyFile as copyFile2, mkdir as mkdir3 } from "node:fs/promises";
import path16 from "node:path";
var DEFAULT_PACKAGE_DIR = "agentrun-package";
async function packageZips(context) {
  const { settings, host } = context;
  const dir = path16.resolve(settings.cwd, settings.packageDir ?? DEFAULT_PACKAGE_DIR);
  const { targets } = await plannedTargets(context);
  const dependencies = await buildDependencies(context, targets);
  const options = { ...codeOptions(context), ...dependencies.packaging };
  const result = { dir, packages: [], skipped: [] };
  try {
    await mkdir3(dir, { recursive: true });
    for (const target of dependencies.targets) {
      await withTargetCode(target, options, async (code2) => {
        const pkg = await code2.package();
        if (!pkg || !code2.id) return void result.skipped.push(target.resource);
        const zip = path16.join(dir, `${target.resource}.zip`);
        await copyFile2(pkg.zipPath, zip);
        const { files, bytes, checksum } = pkg;
        result.packages.push({
          resource: target.resource,
          runtime: target.runtime.agentRuntimeName,
          zip,
          files,
          bytes,
          checksum,
          fingerprint: code2.id
        });
      });
    }
  } finally {
    await dependencies.cleanup();
  }
  host.print(renderPackages(result));
  return result;
}
function renderPackages({ packages, skipped }) {
  return [
    ...packages.map(
      (p) => `${p.resource} (runtime ${p.runtime}): ${p.zip}, ${p.files} file${p.files === 1 ? "" : "s"}, ${formatBytes(p.bytes)} (${p.bytes} bytes), CRC-64 ${p.checksum}, fingerprint ${p.fingerprint}`
    ),
    ...skipped.map((resource) => `${resource}: no local code to package (a container image or code in OSS)`)
  ].join("\n");
}

// src/deploy/diff.ts
async function diffTarget(client, target, code2, againstProduction = false) {
  const desired = desiredRuntime(target.runtime, code2, target.workspace);
  const current = await client.findRuntime(desired.body.agentRuntimeName, target.workspace);
  const deployed = current ? await client.listEndpoints(current.agentRuntimeId) : [];
  const versions = current ? await client.listVersions(current.agentRuntimeId) : [];
  const productionName = target.endpoints[0]?.agentRuntimeEndpointName;
  const pinned = deployed.find((e) => e.agentRuntimeEndpointName === productionName)?.targetVersion;
  const served = againstProduction ? versions.find((v) => v.agentRuntimeVersion === pinned) : void 0;
  const baseline = recorded(served);
  if (current && served && baseline) {
    const changes2 = [
      ...desired.fingerprint.code !== void 0 && baseline.code !== desired.fingerprint.code ? ["code"] : [],
      ...baseline.config !== desired.fingerprint.config ? ["settings"] : []
    ];
    return {
      ...endpointDiff(target, deployed),
      resource: target.resource,
      runtimeName: desired.body.agentRuntimeName,
      runtime: changes2.length ? "update" : "unchanged",
      changes: changes2,
      comparedWith: `version ${served.agentRuntimeVersion}, which endpoint ${productionName} serves`
    };
  }
  const changes = current ? runtimeChanges(desired, current, newest(versions)) : [];
  return {
    ...endpointDiff(target, deployed),
    resource: target.resource,
    runtimeName: desired.body.agentRuntimeName,
    runtime: !current ? "create" : changes.length ? "update" : "unchanged",
    changes
  };
}
function endpointDiff(target, deployed) {
  return {
    endpoints: target.endpoints.map((endpoint2) => {
      const existing2 = deployed.find((e) => e.agentRuntimeEndpointName === endpoint2.agentRuntimeEndpointName);
      const endpointChanges = existing2 ? changedFields(endpointBody(endpoint2, existing2, fileDecides).body, { ...existing2 }) : [];
      return {
        name: endpoint2.agentRuntimeEndpointName,
        change: !existing2 ? "create" : endpointChanges.length ? "update" : "unchanged",
        changes: endpointChanges
      };
    })
  };
}
function renderDiff(diffs) {
  const phrase = (change, changes) => change === "unchanged" ? "is unchanged" : `will be ${change}d${changes.length ? ` (${changes.join(", ")})` : ""}`;
  return diffs.flatMap((diff) => [
    `${diff.resource}: runtime ${diff.runtimeName} ${phrase(diff.runtime, diff.changes)}`,
    ...diff.endpoints.map((e) => `  endpoint ${e.name} ${phrase(e.change, e.changes)}`)
  ]).join("\n");
}

// src/app/commands/plan.ts
async function plan(context) {
  const { host } = context;
  const { plan: desired, targets } = await plannedTargets(context);
  const desiredText = renderPlan(desired);
  host.print(desiredText);
  const json = planToJson(desired);
  host.setOutput(Outputs.Plan, json);
  const credentials = await credentialsFor(context).catch((error) => {
    if (error instanceof MissingCredentialsError) return void 0;
    throw error;
  });
  if (!credentials) {
    host.logger.info("No credentials given: showing the desired state only, not what a deploy would change.");
    await commentPlan(context, desiredText, desired.secretValues, {
      outcome: planOutcome(void 0),
      comparedWith: "nothing"
    });
    await host.writeSummary?.(planSummary(desired, void 0));
    return { plan: JSON.parse(json) };
  }
  const api = apiFor(context, credentials);
  const autoLogs = await planAutoLogs(context, targets, credentials);
  const dependencies = await buildDependencies(context, autoLogs.targets);
  const options = { ...codeOptions(context), ...dependencies.packaging };
  const diffs = [];
  const onPullRequest = await isPullRequestRun(context);
  try {
    for (const target of dependencies.targets) {
      diffs.push(
        await withTargetCode(
          target,
          options,
          (code2) => diffTarget(api(target.region), target, code2, onPullRequest)
        )
      );
    }
  } finally {
    await dependencies.cleanup();
  }
  const changes = [renderDiff(diffs), ...autoLogs.lines].join("\n");
  host.print(changes);
  await commentPlan(context, changes, desired.secretValues, {
    outcome: planOutcome(diffs),
    comparedWith: comparedWith(diffs)
  });
  await host.writeSummary?.(planSummary(desired, diffs));
  return { plan: JSON.parse(json), changes: diffs };
}

// src/preview/deploy.ts
async function placePreviews(targets, options, api) {
  const placements = [];
  for (const target of targets) {
    const name = target.runtime.agentRuntimeName;
    const endpointName2 = previewEndpointName(options.endpointPattern, options.pr);
    if (target.endpoints.some((endpoint2) => endpoint2.agentRuntimeEndpointName === endpointName2)) {
      throw new Error(
        `${target.resource}: the s.yaml has an endpoint named ${endpointName2}, the name of this pull request's preview. Change the preview-endpoint input so previews cannot replace it.`
      );
    }
    const separate = {
      target,
      mode: "runtime",
      runtimeName: previewRuntimeName(name, options.pr),
      endpointName: endpointName2
    };
    if (options.mode === "runtime") {
      placements.push(separate);
      continue;
    }
    const client = api(target.region);
    const runtime2 = await client.findRuntime(name, target.workspace);
    const onLatest = runtime2 ? (await client.listEndpoints(runtime2.agentRuntimeId)).filter(
      (endpoint2) => previewNumberOf(options.endpointPattern, endpoint2.agentRuntimeEndpointName) === void 0 && servesLatest(endpoint2)
    ) : [];
    if (onLatest.length === 0 && (runtime2 || options.mode === "endpoint")) {
      placements.push({ target, mode: "endpoint", runtimeName: name, endpointName: endpointName2 });
      continue;
    }
    const names = onLatest.map((endpoint2) => endpoint2.agentRuntimeEndpointName).join(", ");
    if (options.mode === "endpoint") {
      throw new Error(
        `${target.resource}: endpoint ${names} of ${name} serves LATEST, which a preview endpoint would change by updating the runtime. Give it a published version in the s.yaml, or use preview-mode: runtime (or auto).`
      );
    }
    placements.push({
      ...separate,
      reason: runtime2 ? `endpoint ${names} of ${name} serves LATEST, which a preview on the same runtime would change` : `${name} does not exist yet`
    });
  }
  return placements;
}
function servesLatest(endpoint2) {
  const target = endpoint2.targetVersion ?? LATEST;
  return target === LATEST || splitWeights(endpoint2).some((w) => w.version === LATEST);
}
async function deployPreviews(placements, options, wait) {
  const targets = placements.map(({ target, runtimeName }) => ({
    ...target,
    runtime: { ...target.runtime, agentRuntimeName: runtimeName },
    endpoints: []
  }));
  const deployed = await deployAll(targets, { ...options, publish: true });
  const results = [];
  for (const placement of placements) {
    const result = deployed.find((r) => r.target.runtime.agentRuntimeName === placement.runtimeName);
    const version2 = result.version;
    const [reconciled] = await reconcileEndpoints(
      options.api(placement.target.region),
      result.runtime.runtime.agentRuntimeId,
      [
        {
          agentRuntimeEndpointName: placement.endpointName,
          targetVersion: version2.agentRuntimeVersion,
          description: `Preview of pull request #${options.pr}`
        }
      ],
      wait,
      // The preview endpoint is ours alone: its split is always the one just published.
      fileDecides
    );
    const endpoint2 = reconciled.endpoint;
    options.logger.info(
      `Preview ${placement.endpointName} of ${placement.runtimeName} serves version ${version2.agentRuntimeVersion}: ${endpoint2.endpointPublicUrl ?? ""}`
    );
    results.push({ ...placement, version: version2, endpoint: endpoint2, deployed: result });
  }
  return results;
}

// src/app/commands/preview.ts
async function preview(context) {
  const { settings, host, deps, spec } = context;
  const { logger } = host;
  const github = await gitHubRun(context);
  if (!github)
    throw new Error("command: preview runs in a GitHub Actions workflow: GITHUB_REPOSITORY is not set.");
  const pull = await pullRequestOf2(settings, github);
  if (!pull) {
    throw new Error(
      "command: preview needs a pull request: run it on pull_request events, or set the pr-number input."
    );
  }
  const refusal = forkRefusal(github.context.eventName, pull, settings.github.allowForkPreviews);
  if (refusal) return skipRun(host, refusal);
  if (pull.state === "closed") {
    logger.info(`Pull request #${pull.number} is closed: nothing to preview.`);
    return;
  }
  if (!settings.skipActions) checkHooks(spec);
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  logger.info(`Credentials: ${credentials.source}`);
  const dependencies = await buildDependencies(context, await withAutoLogs(context, targets, credentials));
  const api = apiFor(context, credentials);
  const placements = await placePreviews(
    dependencies.targets,
    { pr: pull.number, endpointPattern: settings.github.previewEndpoint, mode: settings.github.previewMode },
    api
  );
  for (const { target, runtimeName, reason } of placements) {
    if (reason)
      logger.info(`${target.resource}: previewed in a runtime of its own, ${runtimeName}: ${reason}.`);
  }
  const secrets = commentSecrets(context);
  const show2 = async (rows3) => {
    const section2 = {
      rows: rows3,
      sha: pull.headSha,
      commitUrl: commitUrl(github.context, pull.headSha),
      runUrl: github.context.runUrl,
      updatedAt: new Date(deps.clock.now()).toISOString()
    };
    await updatePullComment(context, github, pull.number, "preview", renderPreview(section2, secrets));
    return section2;
  };
  const row = (placement, fields) => ({
    agent: placement.runtimeName,
    endpoint: placement.endpointName,
    status: "deploying",
    ...fields
  });
  await show2(placements.map((placement) => row(placement, {})));
  const githubApi = github.api;
  const record = githubApi && await bestEffort(
    logger,
    "record the GitHub deployment",
    () => DeploymentRecord.start(
      githubApi,
      previewDeployment(
        pull.number,
        pull.headSha,
        placements.map((p) => `${p.runtimeName}/${p.endpointName}`)
      ),
      github.context.runUrl
    )
  );
  let results;
  try {
    results = await deployPreviews(
      placements,
      {
        ...deployOptions(context, credentials, dependencies),
        trigger: `${previewVersionNote(pull.number)} ${host.trigger}`,
        pr: pull.number
      },
      { timeoutMs: settings.timeoutMs, clock: deps.clock }
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const deployed = error instanceof DeployError ? error.results : [];
    await show2(
      placements.map(
        (placement) => deployed.some((r) => r.target.resource === placement.target.resource) ? row(placement, {
          status: "failed",
          reason: "deployed, but not previewed: another resource failed"
        }) : row(placement, { status: "failed", reason: reasonFor(placement.target.resource, message) })
      )
    );
    await bestEffort(logger, "finish the GitHub deployment", async () => record?.finish({ error: message }));
    throw error;
  }
  const rows2 = results.map(
    (result) => row(result, {
      status: "ready",
      version: result.version.agentRuntimeVersion,
      url: result.endpoint.endpointPublicUrl
    })
  );
  const section = await show2(rows2);
  const url = results[0]?.endpoint.endpointPublicUrl;
  if (record && githubApi) {
    await bestEffort(logger, "finish the GitHub deployment", async () => {
      await record.finish({ url });
      await deactivateDeployments(githubApi, previewEnvironment(pull.number), record.deployment.id);
    });
  }
  host.setOutput(Outputs.Url, url ?? "");
  host.setOutput(Outputs.Version, results[0]?.version.agentRuntimeVersion ?? "");
  await host.writeSummary?.(`${renderPreview(section, secrets)}
`);
}
function reasonFor(resource, message) {
  const line = message.split("\n").find((l) => l.startsWith(`${resource}: `));
  return line ? line.slice(resource.length + 2) : message;
}

// src/app/commands/preview-cleanup.ts
async function previewCleanup(context) {
  const { settings, host, deps } = context;
  const { logger } = host;
  const github = await gitHubRun(context);
  const pull = github && await pullRequestOf2(settings, github);
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  const api = apiFor(context, credentials);
  const numbers = pull && settings.github.olderThanMs === void 0 ? [pull.number] : await closedPreviews(context, targets, api, github, settings.github.olderThanMs ?? 0);
  if (numbers.length === 0) logger.info("No preview to remove.");
  const secrets = commentSecrets(context);
  const sections = [];
  for (const pr of numbers) {
    const removals = await removePreviews(targets, {
      pr,
      endpointPattern: settings.github.previewEndpoint,
      api,
      clock: deps.clock,
      timeoutMs: settings.timeoutMs
    });
    for (const { target, removed } of removals) {
      logger.info(
        `#${pr} ${target.resource}: ${removed.length ? `removed ${removed.join(", ")}` : "no preview left"}.`
      );
    }
    const endpoint2 = previewEndpointName(settings.github.previewEndpoint, pr);
    const section = {
      rows: removals.map(({ runtimeName, removed }) => ({
        agent: runtimeName,
        endpoint: endpoint2,
        status: "removed",
        reason: removed.length ? "the pull request was closed" : "nothing was left to remove"
      })),
      sha: pull?.number === pr ? pull.headSha : "",
      ...pull?.number === pr && github && { commitUrl: commitUrl(github.context, pull.headSha) },
      runUrl: github?.context.runUrl,
      updatedAt: new Date(deps.clock.now()).toISOString()
    };
    sections.push({ pr, section });
    if (!github?.api) continue;
    const githubApi = github.api;
    await bestEffort(
      logger,
      "mark the preview deployments inactive",
      () => deactivateDeployments(githubApi, previewEnvironment(pr))
    );
    await updatePullComment(context, github, pr, "preview", renderPreview(section, secrets));
  }
  await host.writeSummary?.(cleanupSummary(sections, secrets));
}
function cleanupSummary(sections, secrets) {
  const parts = sections.map(
    ({ pr, section }) => renderPreview({ ...section, notice: `Pull request #${pr}` }, secrets).replace(/^### /, "#### ")
  );
  const removed = sections.map(({ pr }) => `#${pr}`).join(", ");
  return [
    headline(
      sections.length ? "done" : "info",
      sections.length ? `Previews removed \u2014 pull requests ${removed}` : "Preview cleanup \u2014 no preview to remove"
    ),
    ...parts
  ].join("\n\n");
}
async function closedPreviews({ settings, host, deps }, targets, api, github, olderThanMs) {
  const githubApi = github?.api;
  if (!githubApi) {
    throw new Error(
      "preview-cleanup without a pull request looks up which pull requests are closed, and needs a github-token for it."
    );
  }
  const candidates = /* @__PURE__ */ new Set();
  for (const target of targets) {
    const client = api(target.region);
    const runtime2 = await client.findRuntime(target.runtime.agentRuntimeName, target.workspace);
    if (!runtime2) continue;
    for (const endpoint2 of await client.listEndpoints(runtime2.agentRuntimeId)) {
      const pr = previewNumberOf(settings.github.previewEndpoint, endpoint2.agentRuntimeEndpointName);
      if (pr !== void 0) candidates.add(pr);
    }
  }
  for (const deployment of await githubApi.listDeployments()) {
    const pr = /^preview\/pr-(\d+)$/.exec(deployment.environment)?.[1];
    if (pr) candidates.add(Number(pr));
  }
  const closed = [];
  for (const pr of [...candidates].sort((a, b) => a - b)) {
    const pull = await githubApi.getPull(pr).catch((error) => {
      host.logger.warning(
        `#${pr}: ${error instanceof Error ? error.message : String(error)}; its preview is kept.`
      );
      return void 0;
    });
    if (!pull || pull.state !== "closed") continue;
    const closedFor = deps.clock.now() - Date.parse(pull.closedAt ?? "");
    if (closedFor >= olderThanMs) closed.push(pr);
    else host.logger.info(`#${pr} closed less than older-than ago: its preview is kept for now.`);
  }
  return closed;
}

// src/app/commands/promote.ts
async function promote(context) {
  const rollout = await openRollout(context);
  return reporting(context, rollout, () => promoteRollout(rollout));
}

// src/app/commands/rollback.ts
async function rollback(context) {
  const rollout = await openRollout(context);
  return reporting(context, rollout, () => rollbackRollout(rollout));
}

// src/app/commands/status.ts
async function status(context) {
  const { text: text2, marker: marker2 } = await rolloutStatus(await openRollout(context));
  context.host.print(text2);
  if (!marker2) return void 0;
  context.host.setOutput(RolloutOutputs.Result, RESULT_OF_PHASE[marker2.phase]);
  return marker2;
}

// src/app/commands/index.ts
var COMMANDS = {
  deploy,
  plan,
  package: packageZips,
  list,
  preview,
  "preview-cleanup": previewCleanup,
  promote,
  rollback,
  abort,
  status,
  advance,
  info,
  logs
};
var AUTO = "auto";
function isCommandName(name) {
  return Object.hasOwn(COMMANDS, name);
}
function commandNamed(name) {
  if (!isCommandName(name)) {
    const known = [...Object.keys(COMMANDS), AUTO].join(", ");
    throw new InputError(`Input command must be one of ${known}, not "${name}".`);
  }
  return COMMANDS[name];
}
async function chooseCommand(settings, env) {
  const context = await readGitHubContext(env);
  return chooseForEvent({
    context: context ?? { eventName: "" },
    prNumber: settings.github.prNumber,
    allowForks: settings.github.allowForkPreviews
  });
}

// src/app/run.ts
var defaultDeps = {
  agentRun: (options) => new AgentRunClient(options),
  runner: processRunner,
  clock: systemClock,
  github: (options) => new OctokitGitHub(options),
  buildCache: defaultBuildCache,
  sls: (options) => new SlsClient(options)
};
async function run2(settings, host, deps = defaultDeps) {
  const startedAt = deps.clock.now();
  let summarised = false;
  const write = host.writeSummary?.bind(host);
  const secrets = new Set(maskableSecrets(credentialValues(settings)));
  const logger = {
    ...host.logger,
    setSecret: (value) => {
      secrets.add(value);
      host.logger.setSecret(value);
    }
  };
  const withFooter = write ? {
    ...host,
    logger,
    writeSummary: (markdown) => {
      summarised = true;
      const footer2 = summaryFooter(host.commit, deps.clock.now() - startedAt);
      return write(redact(`${markdown}
${footer2}
`, secrets));
    }
  } : host;
  let name = settings.command;
  try {
    if (name === AUTO) {
      const choice = await chooseCommand(settings, host.env);
      const { outcome } = choice.rule;
      if (outcome === "error") throw new InputError(choice.message);
      if (outcome === "nothing") return await skipRun(withFooter, choice.message);
      name = outcome;
      if (choice.pr !== void 0)
        settings = { ...settings, github: { ...settings.github, prNumber: choice.pr } };
    }
    const command = commandNamed(name);
    if ((name === "preview" || name === "preview-cleanup") && await skipForkPreview(settings, withFooter))
      return;
    const spec = await loadSpec(settings, withFooter);
    return await command({ settings, spec, host: withFooter, deps });
  } catch (error) {
    if (!summarised) await withFooter.writeSummary?.(failureSummary(name, error));
    throw error;
  }
}
function credentialValues({ credentials, github }) {
  const { accessKeySecret, securityToken } = credentials;
  return [accessKeySecret, securityToken, github.token].filter((value) => !!value);
}

// src/settings.ts
var PREVIEW_MODES = ["auto", "endpoint", "runtime"];
var INPUT_DEFAULTS = {
  command: "deploy",
  config: "",
  resource: "",
  "env-file": "",
  dotenv: "",
  "secret-env": "",
  "access-key-id": "",
  "access-key-secret": "",
  "security-token": "",
  "role-to-assume": "",
  "oidc-provider-arn": "",
  "role-session-name": "agentrun-deploy",
  "session-duration": "1h",
  audience: "sts.aliyuncs.com",
  "sts-endpoint": "sts.aliyuncs.com",
  "api-endpoint": "",
  "sls-endpoint": "",
  publish: "true",
  /**
   * UNCONFIRMED: AgentRun publishes no request rate limit (agentrun-api.md §1 and §8 name none). Twenty
   * waiting deploys poll at most 100 times a second in all, and a throttled request is retried with
   * backoff (src/agentrun/retry.ts); lower it if an account's limit proves smaller.
   */
  parallel: "20",
  "wait-timeout": "15m",
  /** Deprecated name of `wait-timeout`. */
  timeout: "",
  "request-timeout": "60s",
  "skip-actions": "false",
  "allow-code-outside-workspace": "false",
  "github-token": "${{ github.token }}",
  comment: "true",
  "pr-number": "",
  "allow-fork-previews": "false",
  "preview-endpoint": "pr-{number}",
  "preview-mode": "auto",
  environment: "production",
  "older-than": "",
  out: "",
  build: "auto",
  "build-image": "",
  cache: "true",
  "build-timeout": "15m",
  ...ROLLOUT_INPUT_DEFAULTS
};
function readSettings(read, cwd) {
  const get = (name) => read(name).trim() || INPUT_DEFAULTS[name];
  const optional = (name) => get(name) || void 0;
  return {
    command: get("command"),
    cwd,
    config: optional("config"),
    resources: parseList(get("resource")),
    envFile: optional("env-file"),
    // The body is kept verbatim: whitespace can be meaningful inside quoted values.
    dotenv: read("dotenv") || void 0,
    secretEnv: parseList(get("secret-env")),
    credentials: {
      accessKeyId: optional("access-key-id"),
      accessKeySecret: optional("access-key-secret"),
      securityToken: optional("security-token"),
      roleToAssume: optional("role-to-assume"),
      oidcProviderArn: optional("oidc-provider-arn"),
      roleSessionName: get("role-session-name"),
      sessionDuration: parseDuration("session-duration", get("session-duration")) / 1e3,
      audience: get("audience"),
      stsEndpoint: get("sts-endpoint")
    },
    apiEndpoint: parseEndpointInput("api-endpoint", optional("api-endpoint")),
    slsEndpoint: parseEndpointInput("sls-endpoint", optional("sls-endpoint")),
    publish: parseBoolean("publish", get("publish")),
    parallel: parsePositiveInteger("parallel", get("parallel")),
    // The deprecated name, when given, still decides (the runner warns about it).
    timeoutMs: get("timeout") ? parseDuration("timeout", get("timeout")) : parseDuration("wait-timeout", get("wait-timeout")),
    requestTimeoutMs: parseDuration("request-timeout", get("request-timeout")),
    skipActions: parseBoolean("skip-actions", get("skip-actions")),
    allowCodeOutsideWorkspace: parseBoolean(
      "allow-code-outside-workspace",
      get("allow-code-outside-workspace")
    ),
    build: {
      mode: parseChoice("build", get("build"), BUILD_MODES),
      image: optional("build-image"),
      cache: parseBoolean("cache", get("cache")),
      timeoutMs: parseDuration("build-timeout", get("build-timeout"))
    },
    packageDir: optional("out"),
    github: {
      // The runner substitutes the default expression; elsewhere (the CLI) it stays unset.
      token: read("github-token").trim() || void 0,
      comment: parseBoolean("comment", get("comment")),
      prNumber: optional("pr-number") ? parsePositiveInteger("pr-number", get("pr-number")) : void 0,
      allowForkPreviews: parseBoolean("allow-fork-previews", get("allow-fork-previews")),
      previewEndpoint: parsePreviewEndpoint(get("preview-endpoint")),
      previewMode: parseChoice("preview-mode", get("preview-mode"), PREVIEW_MODES),
      environment: get("environment"),
      olderThanMs: optional("older-than") ? parseDuration("older-than", get("older-than")) : void 0
    },
    rollout: parseRolloutOptions(get, (name) => read(name).trim() !== "")
  };
}
function parseChoice(name, value, choices) {
  if (choices.includes(value)) return value;
  throw new InputError(`Input ${name} must be one of ${choices.join(", ")}, not "${value}".`);
}
function parsePreviewEndpoint(value) {
  if (!value.includes("{number}") || !/^[a-zA-Z][\w{}-]*$/.test(value)) {
    throw new InputError(
      `Input preview-endpoint must be an endpoint name containing {number}, such as pr-{number}, not "${value}".`
    );
  }
  return value;
}

export {
  ConfigError,
  failureMessage,
  redact,
  maskableSecrets,
  redactDeep,
  InputError,
  parseDuration,
  MissingCredentialsError,
  aliasKeyEnv,
  require_dist,
  resolveSpec,
  resolveOptions,
  maskSecrets,
  reportingConfigErrors,
  reportProblems,
  versionChange,
  hasChanges,
  DEFAULT_LOGS_OPTIONS,
  run2 as run,
  INPUT_DEFAULTS,
  readSettings
};
