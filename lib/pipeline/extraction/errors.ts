/**
 * Error messages and stack traces in customer text, kept verbatim: the code map reads frames
 * (file, line, function) and quoted messages (matched against string literals), so a changed
 * character would cost a match. Languages covered: JavaScript/TypeScript (V8, Firefox), Java
 * and other JVM, Python, Go, Ruby, PHP, .NET, and native (gdb/lldb) frames.
 */

const FRAME_PATTERNS: RegExp[] = [
  // V8 / Node / .NET / Java: "at fn (file.js:1:2)", "at file.js:1:2", "at a.b.C.m(C.java:12)",
  // ".NET: at Ns.Class.Method() in C:\x\File.cs:line 12"
  /^\s*at\s+\S.*(?:\(.*\)|:\d+(?::\d+)?|line \d+)\s*$/,
  /^\s*at\s+(?:async\s+)?[\w$.<>[\]/-]+\s*$/,
  // Firefox / Safari: "fn@https://host/app.js:12:5"
  /^\s*[\w$.<>/]*@\S+:\d+:\d+\s*$/,
  // Python: '  File "x.py", line 3, in f'
  /^\s*File "[^"]+", line \d+(?:, in .+)?\s*$/,
  // Go: "\t/path/file.go:123 +0x1a" and "pkg.(*T).M(0xc000…)"
  /^\s*\/?[\w./-]+\.go:\d+(?:\s+\+0x[0-9a-f]+)?\s*$/,
  /^\s*[\w./-]+(?:\.\(\*?[\w]+\))?\.[\w]+\(.*\)\s*$/,
  // Ruby: "from app/models/x.rb:12:in `m'", "app/x.rb:12:in 'm'"
  /^\s*(?:from\s+)?[\w./-]+\.rb:\d+:in\s+[`'].*'\s*$/,
  // PHP: "#0 /var/www/x.php(12): fn()"; gdb: "#0  0x0000… in fn (…) at x.c:12"
  /^\s*#\d+\s+(?:\S+\.php\(\d+\)|0x[0-9a-f]+\s+in\s+|\S+\s+in\s+|[\w:~<>]+\s*\().*$/i,
  // JVM tail lines
  /^\s*\.\.\.\s*\d+\s+more\s*$/,
];

const TRACE_HEADER =
  /^\s*(?:Traceback \(most recent call last\):|goroutine \d+ \[[^\]]+\]:|panic:|Exception in thread|Caused by:|Unhandled exception|Uncaught\b|Stack trace:|Backtrace:|[\w.$]*(?:Error|Exception)\b)/;

const ERROR_LINE_PATTERNS: RegExp[] = [
  // "TypeError: …", "java.lang.NullPointerException: …", "ActiveRecord::RecordNotFound (…)"
  /(?:^|[\s(])((?:[\w$]+[.:]{1,2})*[A-Z]\w*(?:Error|Exception|Fault|NotFound|Invalid)\b(?::\s*\S.*|\s*\(.+\))?)/,
  /(?:^|\s)((?:Uncaught|Unhandled|Fatal|FATAL|ERROR|Error|error|panic|PANIC)(?: \w+)?:\s*\S.*)/,
  /((?:HTTP\s*)?(?:status\s*)?[45]\d\d\s+(?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout|Not Found|Forbidden|Bad Request|Unauthorized|Unprocessable (?:Entity|Content)|Too Many Requests|Conflict)\b.*)/i,
];

// A message the customer quotes after saying that an error appeared, in five languages.
const QUOTED_ERROR =
  /(?:error|message|says|said|reads|shows|displays|appears|pops up|mensaje|aparece|apparaît|erscheint|dice|muestra|erreur|indique|affiche|fehlermeldung|meldung|sagt|zeigt|mensagem|diz|mostra)[^"“”«»'\n]{0,30}["“«„]([^"“”«»\n]{4,300})["”»“]/giu;

// Real frames are short; bounding the line keeps the frame patterns' backtracking cheap on a
// pasted wall of text.
const MAX_FRAME_LINE = 1000;

function isFrame(line: string): boolean {
  return line.length <= MAX_FRAME_LINE && FRAME_PATTERNS.some((pattern) => pattern.test(line));
}

/**
 * Stack traces: runs of two or more frame lines (with the indented source lines Python and Go
 * print between frames), plus the header line above (the error or "Traceback …") and Python's
 * closing error line below. Returned verbatim, in order of appearance.
 */
export function findStackTraces(text: string): string[] {
  const lines = text.split("\n");
  const traces: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!isFrame(lines[i]!)) {
      i++;
      continue;
    }
    let end = i;
    let frames = 0;
    let j = i;
    while (j < lines.length) {
      const line = lines[j]!;
      if (isFrame(line)) {
        frames++;
        end = j;
      } else if (/^\s{2,}\S/.test(line) && j > i && isFrame(lines[j - 1]!)) {
        end = j;
      } else break;
      j++;
    }
    if (frames >= 2) {
      let start = i;
      while (start > 0 && start > i - 3 && TRACE_HEADER.test(lines[start - 1]!)) start--;
      const next = lines[end + 1];
      if (next !== undefined && /^[\w.$]*(?:Error|Exception|Exit|Interrupt)\b/.test(next.trim()))
        end++;
      traces.push(
        lines
          .slice(start, end + 1)
          .join("\n")
          .replace(/^\n+|\s+$/g, ""),
      );
    }
    i = Math.max(j, i + 1);
  }
  return traces;
}

/**
 * Error messages: lines that name an error or exception, HTTP error statuses, and messages the
 * customer quotes after "the error says…". Verbatim (trimmed), de-duplicated, at most 20 of at
 * most 500 characters each. Frame lines are not messages.
 */
export function findErrorMessages(text: string): string[] {
  const found: string[] = [];
  const add = (message: string) => {
    let trimmed = message.trim().slice(0, 500);
    // The closing bracket of an image marker ("[image: Error: …]") is not the customer's.
    if (trimmed.endsWith("]") && !trimmed.includes("[")) trimmed = trimmed.slice(0, -1);
    if (trimmed.length >= 4 && !found.includes(trimmed) && found.length < 20) found.push(trimmed);
  };
  for (const line of text.split("\n")) {
    if (isFrame(line)) continue;
    for (const pattern of ERROR_LINE_PATTERNS) {
      // a message is kept to 500 characters, so 2,000 of the line are enough to find it
      const match = pattern.exec(line.slice(0, 2000));
      if (match?.[1]) {
        add(match[1]);
        break;
      }
    }
  }
  for (const match of text.matchAll(QUOTED_ERROR)) if (match[1]) add(match[1]);
  return found;
}
