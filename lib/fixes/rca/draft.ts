import { toPlainLanguage } from "./plain-language";
import type { RcaSections } from "./sections";

/**
 * The offline RCA draft: five sections built from the bug's edited fields and the facts of its
 * pull requests and deploy, in plain English the team then edits. No stack traces, no function or
 * file names (those of the bug's mapped locations are passed in `avoid`), no customer names. With an
 * LLM provider the prose is drafted by the model instead (a later step); the facts are the same.
 */

export type Severity = "critical" | "high" | "medium" | "low";

export interface RcaFacts {
  bug: {
    title: string;
    severity: Severity;
    feature: string | null;
    impact: string | null;
    expected: string | null;
    actual: string | null;
  };
  /** Linked tickets: how many, and when the first one arrived. */
  reports: { count: number; firstAt: Date };
  pullRequests: readonly { repository: string; number: number; mergedAt: Date | null }[];
  /** The successful production deploy that contains the fix; null until there is one. */
  deployedAt: Date | null;
  /** Whether the fix added or changed automated tests. */
  testsAdded: boolean;
  /** Function and file names of the mapped locations: never named to the customer. */
  avoid: readonly string[];
}

/** "6 Dec 2026, 09:30 UTC": unambiguous for every reader. */
export function formatRcaTime(at: Date): string {
  const date = at.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  const time = at.toISOString().slice(11, 16);
  return `${date}, ${time} UTC`;
}

/** Lower-cases the first letter so a field can sit inside a sentence ("The checkout page …"). */
function inline(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "";
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function customerImpact(facts: RcaFacts, plain: (t: string | null) => string): string {
  const impact = plain(facts.bug.impact);
  const actual = plain(facts.bug.actual);
  const what =
    impact ||
    (actual
      ? sentence(actual)
      : sentence(
          plain(facts.bug.title) ||
            "Some customers could not use this part of the product as intended",
        ));
  const n = facts.reports.count;
  const reports = n === 1 ? "One customer reported it." : `${n} customers reported it.`;
  return `${sentence(what)} ${reports}`;
}

function timeline(facts: RcaFacts): string {
  const lines = [`First report: ${formatRcaTime(facts.reports.firstAt)}`];
  const merges = facts.pullRequests
    .map((pr) => pr.mergedAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  const lastMerge = merges[merges.length - 1];
  if (lastMerge) lines.push(`Fix completed and reviewed: ${formatRcaTime(lastMerge)}`);
  if (facts.deployedAt) lines.push(`Fix live in production: ${formatRcaTime(facts.deployedAt)}`);
  return lines.join("\n");
}

function rootCause(facts: RcaFacts, plain: (t: string | null) => string): string {
  const feature = plain(facts.bug.feature);
  const actual = plain(facts.bug.actual);
  const expected = plain(facts.bug.expected);
  const where = feature
    ? `the ${inline(feature).replace(/[.!?]$/, "")}`
    : "this part of the product";
  if (actual && expected) {
    return `A mistake in how ${where} handled this case meant that ${inline(actual).replace(/[.!?]$/, "")}, when ${inline(expected).replace(/[.!?]$/, "")}.`;
  }
  return `A mistake in how ${where} handled this case caused the problem you saw.`;
}

function fix(facts: RcaFacts, plain: (t: string | null) => string): string {
  const expected = plain(facts.bug.expected);
  const changes =
    facts.pullRequests.length > 1
      ? `We corrected it in ${facts.pullRequests.length} coordinated changes, reviewed by our engineers.`
      : "We corrected it, and the change was reviewed by our engineers.";
  const now = expected ? ` ${sentence(`Now ${inline(expected)}`)}` : "";
  return `${changes}${now}`;
}

function prevention(facts: RcaFacts): string {
  return facts.testsAdded
    ? "We added automated tests that reproduce this problem, so a change that would bring it back is caught before it reaches you."
    : "We are adding automated checks for this case so that it cannot return unnoticed.";
}

/** The five sections of an offline draft. */
export function draftRca(facts: RcaFacts): RcaSections {
  const plain = (text: string | null) => toPlainLanguage(text, facts.avoid);
  return {
    customer_impact: customerImpact(facts, plain),
    timeline: timeline(facts),
    root_cause: rootCause(facts, plain),
    fix: fix(facts, plain),
    prevention: prevention(facts),
  };
}

/**
 * Whether a merged fix gets a customer RCA: a critical or high bug, or one whose linked tickets
 * reached the workspace's minimum cluster size.
 */
export function shouldDraftRca(input: {
  severity: Severity;
  linkedTickets: number;
  minClusterSize: number;
  merged: boolean;
}): boolean {
  if (!input.merged) return false;
  return (
    input.severity === "critical" ||
    input.severity === "high" ||
    input.linkedTickets >= input.minClusterSize
  );
}

export type NoRcaReason = "no_pull_request" | "not_merged" | "below_rules" | "drafting";

/**
 * Why a bug has no RCA yet, in the words the bug page shows: the rule it has not met (the fix
 * must merge; then critical or high, or the cluster at the workspace's minimum) and what would
 * change that. `drafting` is a bug that qualifies whose draft the job has not written yet.
 */
export function whyNoRca(input: {
  severity: Severity;
  linkedTickets: number;
  minClusterSize: number;
  pullRequests: number;
  merged: boolean;
}): { reason: NoRcaReason; text: string } {
  const severe = input.severity === "critical" || input.severity === "high";
  const clustered = input.linkedTickets >= input.minClusterSize;
  const reports =
    input.linkedTickets === 1 ? "1 ticket reports it" : `${input.linkedTickets} tickets report it`;
  const missing = input.minClusterSize - input.linkedTickets;
  const clusterRule = `A ${input.severity} bug gets one when ${input.minClusterSize} tickets report it (the workspace's minimum): so far ${reports}, ${missing === 1 ? "1 more is" : `${missing} more are`} needed.`;
  if (input.merged && (severe || clustered)) {
    return {
      reason: "drafting",
      text: "The fix merged and this bug qualifies: the draft is being written. Reload in a moment.",
    };
  }
  if (!input.merged && (severe || clustered)) {
    const why = severe
      ? `this ${input.severity} bug`
      : `this bug (${reports}, the workspace's minimum is ${input.minClusterSize})`;
    return input.pullRequests === 0
      ? {
          reason: "no_pull_request",
          text: `Patchline drafts the customer RCA for ${why} once its fix merges. Link the fix's pull request to get there.`,
        }
      : {
          reason: "not_merged",
          text: `Patchline drafts the customer RCA for ${why} once the linked pull request merges.`,
        };
  }
  // below both rules: merging alone will not draft one
  const severityRule = `Patchline drafts a customer RCA when the fix merges for a critical or high bug. ${clusterRule}`;
  return {
    reason: "below_rules",
    text:
      input.pullRequests === 0
        ? `${severityRule} Link the fix's pull request meanwhile: the RCA follows once both hold.`
        : input.merged
          ? `The fix merged, but no RCA is drafted yet. ${severityRule}`
          : `${severityRule} The linked pull request has not merged yet either.`,
  };
}
