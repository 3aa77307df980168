import { redactPii } from "@/lib/pipeline/redact";
import {
  type FixPromptBug,
  type FixPromptFile,
  type FixPromptLocation,
  fixPrompt,
} from "../attempts/prompt";

/**
 * The review round's prompt: the fix prompt (bug fields redacted, locations, the files as they
 * are on the pull request's branch now) plus what the reviewer asked, redacted too: a reviewer
 * may quote a customer's email or paste a token. `TASK: revise` tells the stand-ins apart from
 * the first fix. Never logged or stored.
 */

export const REVISE_SYSTEM = `TASK: revise
You revise a pull request that fixes a bug, after a code review asked for changes. You are given
the bug report, the code locations a search engine mapped it to, the full text of the relevant
files as they are on the pull request's branch now (your earlier change included), and the
reviewer's comments.
Answer with one JSON object and nothing else:
{"summary": string, "diff": string}
"summary": two or three sentences for the reviewer: what you changed in answer to each comment.
"diff": a unified diff (git style, paths a/<path> and b/<path>, relative to the repository root)
against the files as given, that addresses the review with the smallest change. Keep the
regression test passing. Touch only files of this repository.
If a comment cannot be addressed safely, answer {"summary": "<why>", "diff": ""}.`;

export interface ReviewComment {
  author: string;
  body: string;
  /** For an inline comment: where it points. */
  path?: string | null;
  line?: number | null;
}

/** Caps what one review can put into a prompt. */
const MAX_COMMENTS = 20;
const MAX_COMMENT_CHARS = 4000;

export function revisePrompt(input: {
  repository: string;
  round: number;
  bug: FixPromptBug;
  locations: readonly FixPromptLocation[];
  files: readonly FixPromptFile[];
  comments: readonly ReviewComment[];
}): { text: string; piiRisks: string[] } {
  const base = fixPrompt(input);
  const risks = new Set(base.piiRisks);
  const clean = (s: string) => {
    const r = redactPii(s);
    for (const tag of r.risks) risks.add(tag);
    return r.text;
  };
  const review = input.comments
    .filter((c) => c.body.trim())
    .slice(0, MAX_COMMENTS)
    .map((c) => {
      const where = c.path
        ? ` path=${JSON.stringify(c.path)}${c.line ? ` line=${c.line}` : ""}`
        : "";
      // the reviewer's login is not PII of a customer, but it is not the model's business either
      return `<comment${where}>\n${clean(c.body.trim().slice(0, MAX_COMMENT_CHARS))}\n</comment>`;
    });
  const text = [
    base.text,
    `<review round=${input.round}>`,
    ...(review.length ? review : ["(The reviewer asked for changes without a comment.)"]),
    "</review>",
  ].join("\n");
  return { text, piiRisks: [...risks].sort() };
}
