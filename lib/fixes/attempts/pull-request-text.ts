import { redactPii } from "@/lib/pipeline/redact";
import type { FixPromptLocation } from "./prompt";

/**
 * What a drafted pull request says: a Conventional Commits title and a body that summarises the
 * bug, the change, the mapped locations and the linked tickets. It never carries a customer's
 * name or email: every free-text field is redacted (lib/pipeline/redact) and the linked tickets'
 * requester names are masked wherever they appear; tickets are named by provider and number only.
 */

export interface PullRequestFacts {
  bugTitle: string;
  severity: string;
  expected: string | null;
  actual: string | null;
  steps: readonly string[];
  /** The model's summary of its change. */
  changeSummary: string;
  changedPaths: readonly string[];
  locations: readonly FixPromptLocation[];
  tickets: ReadonlyArray<{ provider: "zendesk" | "intercom"; externalId: string }>;
  /** Names to mask (the linked tickets' requesters). */
  customerNames: readonly string[];
  reviewersFrom: "codeowners" | "history" | "none";
  bugUrl: string;
}

const TITLE_MAX = 72;

/** `fix(scope): subject`, the scope from the first changed source file's directory. */
export function conventionalTitle(bugTitle: string, changedPaths: readonly string[]): string {
  const source =
    changedPaths.find((p) => !/(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\./.test(p)) ??
    changedPaths[0] ??
    "";
  const dirs = source.split("/").slice(0, -1);
  const meaningful = dirs.filter((d) => !["src", "lib", "app", "packages", "pkg"].includes(d));
  const base = (source.split("/").pop() ?? "").replace(/\.[^.]+$/, "");
  const scope = (meaningful[0] ?? base)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 24);
  const prefix = scope ? `fix(${scope}): ` : "fix: ";
  let subject = redactPii(bugTitle)
    .text.replace(/\s+/g, " ")
    .trim()
    .replace(/[.!?]+$/, "");
  subject = subject.charAt(0).toLowerCase() + subject.slice(1);
  const room = TITLE_MAX - prefix.length;
  if (subject.length > room) subject = `${subject.slice(0, room - 1).trimEnd()}…`;
  return `${prefix}${subject || "correct the reported behaviour"}`;
}

/** A branch name GitHub accepts, unique per bug: `patchline/fix-<slug>-<bug id prefix>`. */
export function fixBranchName(bugId: string, bugTitle: string): string {
  const slug = redactPii(bugTitle)
    .text.toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return `patchline/fix-${slug || "bug"}-${bugId.slice(0, 8)}`;
}

function masker(names: readonly string[]) {
  const usable = names.map((n) => n.trim()).filter((n) => n.length >= 3);
  return (text: string) => {
    let out = redactPii(text).text;
    for (const name of usable) {
      out = out.split(name).join("[customer]");
      for (const part of name.split(/\s+/).filter((p) => p.length >= 3))
        out = out.replace(
          new RegExp(`\\b${part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "g"),
          "[customer]",
        );
    }
    return out;
  };
}

export function pullRequestBody(f: PullRequestFacts): string {
  const clean = masker(f.customerNames);
  const lines: string[] = [];
  lines.push("## Bug", "", `**${clean(f.bugTitle)}** (severity: ${f.severity})`, "");
  if (f.steps.length) {
    lines.push("Steps to reproduce:");
    lines.push(...f.steps.map((s, i) => `${i + 1}. ${clean(s)}`));
    lines.push("");
  }
  if (f.expected) lines.push(`- Expected: ${clean(f.expected)}`);
  if (f.actual) lines.push(`- Actual: ${clean(f.actual)}`);
  lines.push("", "## Change", "", clean(f.changeSummary), "");
  for (const p of f.changedPaths) lines.push(`- \`${p}\``);
  lines.push("", "## Mapped locations", "");
  for (const l of f.locations) {
    const where = `\`${l.path}:${l.startLine}-${l.endLine}\`${l.functionName ? ` (\`${l.functionName}\`)` : ""}`;
    lines.push(`- ${where}${l.explanation ? `: ${clean(l.explanation)}` : ""}`);
  }
  lines.push("", "## Linked tickets", "");
  if (f.tickets.length === 0) lines.push("- none");
  for (const t of f.tickets)
    lines.push(
      `- ${t.provider === "zendesk" ? "Zendesk ticket" : "Intercom conversation"} #${t.externalId}`,
    );
  lines.push(
    "",
    "## Reviewers",
    "",
    f.reviewersFrom === "codeowners"
      ? "Requested from the repository's CODEOWNERS."
      : f.reviewersFrom === "history"
        ? "No CODEOWNERS file: requested from the people who changed these files most in the last year."
        : "No CODEOWNERS file and no recent history for these files: no reviewer was requested.",
    "",
    "---",
    `Drafted by Patchline as a **draft**: review it, run CI, and merge it yourself. [Open the bug](${f.bugUrl})`,
  );
  return lines.join("\n");
}
