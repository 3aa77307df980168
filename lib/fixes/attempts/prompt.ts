import { redactPii } from "@/lib/pipeline/redact";

/**
 * The fix task's prompt. The bug's fields are redacted before they leave (the customer's words
 * can carry PII); the source files go as they are at the indexed commit (a redacted file could
 * not be patched). The `TASK: fix` line is how the devstack stand-ins tell the task apart, as a
 * real model would from the instructions. Never logged or stored.
 */

export const FIX_SYSTEM = `TASK: fix
You fix a bug in a code repository. You are given the bug report, the code locations a search
engine mapped it to, and the full text of those files at the indexed commit.
Answer with one JSON object and nothing else:
{"summary": string, "diff": string}
"summary": two or three sentences for reviewers: what was wrong and what the change does.
"diff": a unified diff (git style, paths a/<path> and b/<path>, relative to the repository root)
that fixes the bug with the smallest change, and adds or extends one automated test that fails
before the fix and passes after it. Touch only files of this repository. Never change CI,
build or dependency files unless the bug is in them.
If you cannot propose a safe fix, answer {"summary": "<why>", "diff": ""}.`;

export interface FixPromptBug {
  title: string;
  steps: readonly string[];
  expected: string | null;
  actual: string | null;
  feature: string | null;
  errorMessages: readonly string[];
}

export interface FixPromptLocation {
  path: string;
  functionName: string | null;
  startLine: number;
  endLine: number;
  explanation: string;
}

export interface FixPromptFile {
  path: string;
  content: string;
}

/** The user message and the PII kinds that were redacted from it. */
export function fixPrompt(input: {
  repository: string;
  bug: FixPromptBug;
  locations: readonly FixPromptLocation[];
  files: readonly FixPromptFile[];
}): { text: string; piiRisks: string[] } {
  const risks = new Set<string>();
  const clean = (s: string) => {
    const r = redactPii(s);
    for (const tag of r.risks) risks.add(tag);
    return r.text;
  };
  const b = input.bug;
  const fields: Array<[string, string | null]> = [
    ["Title", clean(b.title)],
    ["Steps", b.steps.length ? b.steps.map((s, i) => `${i + 1}. ${clean(s)}`).join("\n") : null],
    ["Expected", b.expected ? clean(b.expected) : null],
    ["Actual", b.actual ? clean(b.actual) : null],
    ["Feature", b.feature ? clean(b.feature) : null],
    ["Errors", b.errorMessages.length ? b.errorMessages.map(clean).join("\n") : null],
  ];
  const text = [
    `Repository: ${input.repository}`,
    "<bug>",
    ...fields.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`),
    "</bug>",
    "<locations>",
    ...input.locations.map((l) =>
      JSON.stringify({
        path: l.path,
        function: l.functionName,
        lines: [l.startLine, l.endLine],
        why: clean(l.explanation),
      }),
    ),
    "</locations>",
    ...input.files.flatMap((f) => [`<file path=${JSON.stringify(f.path)}>`, f.content, "</file>"]),
  ].join("\n");
  return { text, piiRisks: [...risks].sort() };
}
