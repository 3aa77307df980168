import { z } from "zod";
import { ibanValid, luhnValid } from "./luhn";

/**
 * PII redaction for text that leaves Patchline's database: prompts to an optional LLM provider
 * and anything that might reach a log line. Each finding is replaced by a bracketed marker
 * (`[email]`, `[card]`…) and reported as a risk tag, which is all that is recorded about a
 * model call. Markers contain no digits, `@` or key-like runs, so redacting twice changes
 * nothing (a property test holds this).
 *
 * It errs towards redacting: a false positive costs a model a phone-like number, a miss leaks
 * a customer's data. It does not touch what stays inside Patchline (ticket pages, the code map
 * keep the customer's words).
 */

export const RISK_TAGS = [
  "email",
  "phone",
  "card",
  "iban",
  "api-key",
  "jwt",
  "private-key",
  "secret",
] as const;
export type RiskTag = (typeof RISK_TAGS)[number];

export const redactionSchema = z.object({
  text: z.string(),
  risks: z.array(z.enum(RISK_TAGS)),
  /** How many spans were replaced, per tag. */
  counts: z.partialRecord(z.enum(RISK_TAGS), z.number().int().positive()),
});
export type Redaction = z.infer<typeof redactionSchema>;

type Rule = {
  tag: RiskTag;
  pattern: RegExp;
  /** Returns the replacement, or null to keep the match (a candidate that fails a check). */
  replace: (match: string, ...groups: string[]) => string | null;
};

const marker = (tag: string) => () => `[${tag}]`;

// A run of digits joined by single spaces or dashes: the shape of a written card number.
// Card and IBAN rules run before phone numbers so a card is never reported as a phone.
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){11,}(?!\d)/g;

/**
 * Within a digit run, redacts each card: the whole run when it has 13–19 digits and passes
 * Luhn, else the longest span of whole separator-delimited groups that does (a card written
 * beside another number). An unseparated run of 20+ digits is an identifier, not a card.
 */
function redactCardsInRun(run: string): string | null {
  const digits = run.replace(/\D/g, "");
  if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return "[card]";
  const tokens = run.split(/([ -])/);
  const parts = tokens.filter((_, i) => i % 2 === 0);
  const seps = tokens.filter((_, i) => i % 2 === 1);
  const out: string[] = [];
  let found = false;
  let i = 0;
  while (i < parts.length) {
    let cardEnd = -1;
    let count = 0;
    for (let end = i; end < parts.length; end++) {
      count += parts[end]!.length;
      if (count > 19) break;
      if (count >= 13 && luhnValid(parts.slice(i, end + 1).join(""))) cardEnd = end;
    }
    if (cardEnd >= 0) {
      out.push("[card]");
      found = true;
      i = cardEnd + 1;
    } else {
      out.push(parts[i]!);
      i++;
    }
    if (i < parts.length) out.push(seps[i - 1]!);
  }
  return found ? out.join("") : null;
}

const RULES: Rule[] = [
  {
    tag: "private-key",
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replace: marker("private-key"),
  },
  {
    tag: "jwt",
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    replace: marker("jwt"),
  },
  {
    tag: "api-key",
    // Prefixed keys of the services customers paste most: Stripe, GitHub, GitLab, Slack, AWS,
    // Google, OpenAI, Anthropic, Razorpay, SendGrid, npm.
    pattern:
      /\b(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|A(?:KI|SI)A[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35}|sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|rzp_(?:live|test)_[A-Za-z0-9]{10,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|npm_[A-Za-z0-9]{30,})/g,
    replace: marker("api-key"),
  },
  {
    tag: "secret",
    // Authorization headers and key=value / key: value pairs whose name says secret.
    pattern:
      /\b(Bearer|Basic|Token)\s+(?!\[)[A-Za-z0-9._~+/=-]{8,}|\b((?:api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|auth[_-]?token|client[_-]?secret|secret|password|passwd|pwd|token)["']?\s*[:=]\s*["']?)(?!\[)((?=[^\s"'&,;]*\d)[^\s"'&,;]{6,}|[^\s"'&,;]{16,})/gi,
    replace: (_m, scheme: string, key: string) =>
      scheme ? `${scheme} [secret]` : `${key}[secret]`,
  },
  {
    tag: "email",
    // The lookbehind starts a match only where a local part starts: linear on long runs.
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    replace: marker("email"),
  },
  {
    tag: "iban",
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g,
    replace: (m) => (ibanValid(m.replace(/ /g, "")) ? "[iban]" : null),
  },
  {
    tag: "card",
    pattern: DIGIT_RUN,
    replace: (m) => redactCardsInRun(m),
  },
  {
    tag: "api-key",
    // Unprefixed long random runs: hex keys (32+) and base64url tokens (40+ with a digit and
    // mixed case, so long words and paths are left alone).
    pattern:
      /(?<![A-Za-z0-9_/.-])(?:[a-f0-9]{32,}|[A-F0-9]{32,}|(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{40,})(?![A-Za-z0-9_/-])/g,
    replace: marker("api-key"),
  },
  {
    tag: "phone",
    // A whole run of digits, spaces, dots, dashes and brackets (so part of a longer number is
    // never taken): international (+ and 8–15 digits) or national (9–15 digits in 3+ groups).
    // Dates and versions have fewer digits or are excluded by shape; colons (times, file:line)
    // and letters end a run.
    // The second lookbehind refuses to start inside a run ("1 2 3…"), which keeps it linear.
    // The lookahead comes first so the lookbehinds run only where a number can start.
    pattern: /(?=[+(]?\d)(?<![\w+.()-])(?<!\d[ .()-]+)(?:\+|\()?\d[\d .()-]*\d\)?(?![\w.()-]*\d)/g,
    replace: (m) => {
      const digits = m.replace(/\D/g, "").length;
      if (m.startsWith("+")) return digits >= 8 && digits <= 15 ? "[phone]" : null;
      const groups = m.split(/[ .()-]+/).filter(Boolean).length;
      if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(m)) return null;
      return digits >= 9 && digits <= 15 && groups >= 3 ? "[phone]" : null;
    },
  },
];

/**
 * Redacts emails, phone numbers, payment cards (Luhn-checked), IBANs (mod-97-checked), API keys
 * and tokens, JWTs, private keys and secret-bearing pairs. Use it on every text bound for an
 * LLM provider and on any ticket-derived string that could reach a log.
 */
export function redactPii(input: string): Redaction {
  let text = input;
  const counts: Partial<Record<RiskTag, number>> = {};
  // Repeat until nothing changes: a replacement can expose a neighbour that the first pass's
  // boundaries hid, and a fixpoint is what makes redaction idempotent. Every productive pass
  // removes digits, "@" or key material, so a few passes suffice; the cap is a safety net.
  for (let pass = 0; pass < 8; pass++) {
    const before = text;
    text = redactOnce(text, counts);
    if (text === before) break;
  }
  const risks = RISK_TAGS.filter((tag) => counts[tag]);
  return { text, risks, counts };
}

function redactOnce(input: string, counts: Partial<Record<RiskTag, number>>): string {
  let text = input;
  for (const rule of RULES) {
    text = text.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      const groups = rest.slice(0, -2).map((g) => (typeof g === "string" ? g : ""));
      const replacement = rule.replace(match, ...groups);
      if (replacement === null || replacement === match) return match;
      counts[rule.tag] = (counts[rule.tag] ?? 0) + 1;
      return replacement;
    });
  }
  return text;
}
