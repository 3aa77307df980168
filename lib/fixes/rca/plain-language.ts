/**
 * Keeps an RCA's prose for customers: no stack traces, no function or file names, no code. The
 * offline drafter builds sections from a bug's fields, which often quote errors and identifiers;
 * sentences carrying them are dropped rather than half-censored, so what remains reads naturally.
 */

const STACK_LINE = [
  /^\s*at\s+\S+.*(\(|:\d+)/, // JavaScript / Java frames
  /^\s*File\s+".*",\s+line\s+\d+/, // Python frames
  /^\s*Traceback\b/,
  /^\s*(Exception|Caused by)\b.*:/,
  /^\s*#\d+\s+\S+/, // numbered native frames
];

/** Things that are code, not words: calls, identifiers, paths, file:line, backticks. */
const CODE = [
  /`[^`]*`/, // inline code
  /\b[\w$.]+\([^)]*\)/, // a call: total(), cart.total(x) (prose puts a space before "(")
  /\b(?!(?:iPhone|iPad|iPadOS|iOS|macOS|watchOS|tvOS|iCloud|iTunes|iMessage|eBay)\b)[a-z]+[A-Z][A-Za-z0-9]*\b/, // camelCase
  /\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b/, // snake_case
  /\b\w+(?:\.\w+)*\.(?:[jt]sx?|mjs|cjs|py|rb|go|java|kt|php|cs|rs|swift|c|cc|cpp|h|vue|svelte)\b/i,
  /(?:^|\s)\/?[\w.-]*[A-Za-z][\w.-]*\/[\w.-]+\/[\w./-]*/, // a path with two slashes
  /\b[\w-]*[A-Za-z][\w-]*\.[A-Za-z]\w*:\d+/, // file.ext:line (a time such as 09:30 is not one)
  /\b\w+(?:::|->)\w+/, // Class::method, obj->method
  /\b[A-Z][A-Za-z]*(?:Error|Exception)\b/, // TypeError, NullPointerException
  /[{}]|=>|==|<\/|\/>/, // braces, arrows, comparisons, markup
];

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The names to keep out: each qualified name, and its last part when that part is an identifier
 * (`CartService.applyDiscount` → also `applyDiscount`) rather than a plain word (`Cart.total`
 * keeps "the order total" sayable).
 */
function avoidPatterns(avoid: readonly string[]): RegExp[] {
  const names = new Set<string>();
  for (const name of avoid) {
    const trimmed = name.trim();
    if (trimmed.length < 3) continue;
    names.add(trimmed);
    const last = trimmed.split(/::|\.|#|->/).pop();
    if (last && last.length >= 3 && !/^[a-z]+$/.test(last)) names.add(last);
  }
  return [...names].map((n) => new RegExp(`(?<![\\w$])${escapeRegex(n)}(?![\\w$])`));
}

/** Whether `text` carries code, a stack trace line or one of the `avoid` names. */
export function containsCode(text: string, avoid: readonly string[] = []): boolean {
  const lines = text.split(/\r?\n/);
  if (lines.some((line) => STACK_LINE.some((re) => re.test(line)))) return true;
  return [...CODE, ...avoidPatterns(avoid)].some((re) => re.test(text));
}

/** Splits prose into sentences, keeping their final punctuation. */
function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?。！？])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * `text` without stack traces and without the sentences that carry code or an `avoid` name;
 * empty when nothing plain remains (the caller then writes its own sentence).
 */
export function toPlainLanguage(
  text: string | null | undefined,
  avoid: readonly string[] = [],
): string {
  if (!text) return "";
  const kept = text
    .split(/\r?\n/)
    .filter((line) => !STACK_LINE.some((re) => re.test(line)))
    .join("\n");
  const avoidRe = avoidPatterns(avoid);
  // Joined sentences are re-checked as a whole: two harmless pieces can read as code together
  // ("at ." followed by "(" is a frame's shape), and the promise is about what customers see.
  let plain = "";
  for (const s of sentences(kept)) {
    if (STACK_LINE.some((re) => re.test(s))) continue;
    if (CODE.some((re) => re.test(s)) || avoidRe.some((re) => re.test(s))) continue;
    const next = plain ? `${plain} ${s}` : s;
    if (!containsCode(next, avoid)) plain = next;
  }
  return plain;
}
