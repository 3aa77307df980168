import type { BugReport } from "../mapping/types";

/**
 * Prompts for the two tasks. Every string that goes in is already redacted (stage.ts); the
 * `TASK:` line lets the devstack stand-ins tell the tasks apart, as a real model would from the
 * instructions. The prompt text is never logged or stored.
 */

export const EXTRACT_SYSTEM = `TASK: extract
You turn a customer's support ticket into a structured bug report.
Answer with one JSON object and nothing else:
{"title": string|null, "severity": "critical"|"high"|"medium"|"low"|null,
 "stepsToReproduce": string[], "expected": string|null, "actual": string|null,
 "affectedFeature": string|null, "customerImpact": string|null}
Rules: use only what the customer wrote, in their words and language; never invent a step or
a behaviour; null (or []) when the ticket does not say. Markers such as [email] or [card] stand
for redacted personal data: keep them as they are.`;

export const RERANK_SYSTEM = `TASK: rerank
You are given a bug report and candidate code locations found by a search engine, best first.
Reorder the candidates by how likely each is to contain the bug.
Answer with one JSON object and nothing else:
{"ranking": [{"id": string, "reason": string}]}
Rules: use only ids from the list; give each a one-sentence reason naming the evidence.`;

export function extractPrompt(ticket: { subject: string; text: string; language: string | null }) {
  return [
    `Language: ${ticket.language ?? "unknown"}`,
    `Subject: ${ticket.subject}`,
    "<ticket>",
    ticket.text,
    "</ticket>",
  ].join("\n");
}

export interface PromptCandidate {
  id: string;
  path: string;
  name: string | null;
  startLine: number;
  endLine: number;
}

export function rerankPrompt(report: BugReport, candidates: readonly PromptCandidate[]) {
  const fields: Array<[string, string | undefined]> = [
    ["Title", report.title],
    ["Steps", report.stepsToReproduce],
    ["Expected", report.expected],
    ["Actual", report.actual],
    ["Feature", report.featureArea],
    ["Errors", report.errorMessages?.join("\n")],
    ["Stack traces", report.stackTraces?.join("\n\n")],
  ];
  return [
    "<report>",
    ...fields.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`),
    "</report>",
    "<candidates>",
    ...candidates.map((c) =>
      JSON.stringify({ id: c.id, path: c.path, function: c.name, lines: [c.startLine, c.endLine] }),
    ),
    "</candidates>",
  ].join("\n");
}
