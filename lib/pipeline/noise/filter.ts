import { z } from "zod";
import type { NormalizedTicket } from "../tickets/schema";
import { classifyText } from "./classify";
import { NOISE_LABELS } from "./cues";
import { detectLanguage } from "./language";
import { STRIP_KINDS, stripTurns } from "./turns";

/**
 * The noise filter: decides whether a ticket goes on to extraction or is set aside, and why.
 * Order: skip tags → team filter → strip turns that carry no report → classify what the
 * customer wrote. A ticket is set aside only on a clear non-bug class; anything unclear goes on
 * (extraction's confidence gate holds it for review), because a skipped bug is a lost bug.
 */

/** Tags that set a ticket aside whatever it says (compared after lower-casing, `-` → `_`). */
export const DEFAULT_SKIP_TAGS = ["spam", "not_a_bug", "patchline_skip"];

export const noiseOptionsSchema = z.object({
  skipTags: z.array(z.string()).default(DEFAULT_SKIP_TAGS),
  /** Only tickets assigned to one of these teams are processed (Intercom's team filter). */
  teams: z.array(z.string()).nullable().default(null),
});
export type NoiseOptions = z.input<typeof noiseOptionsSchema>;

export const noiseResultSchema = z.object({
  decision: z.enum(["process", "skip"]),
  skip: z
    .object({
      kind: z.enum(["tag", "team", "class", "empty"]),
      /** Shown on the ticket: why Patchline set it aside. */
      reason: z.string().min(1),
    })
    .nullable(),
  classification: z.object({
    label: z.enum(NOISE_LABELS),
    score: z.number().min(0).max(1),
    reason: z.string(),
    scores: z.record(z.enum(NOISE_LABELS), z.number()),
  }),
  /** ISO 639-1 of the customer's text (detected, else the provider's), or null. */
  language: z.string().nullable(),
  stripped: z.array(
    z.object({ messageId: z.string(), kind: z.enum(STRIP_KINDS), reason: z.string() }),
  ),
  /** Ids of the turns later stages read, in thread order. */
  keptMessageIds: z.array(z.string()),
  /** The customer's kept turns joined by blank lines: what extraction reads. */
  customerText: z.string(),
});
export type NoiseResult = z.infer<typeof noiseResultSchema>;

/** Cue weight below which no class sets a ticket aside (one clear phrase is 2 or 3). */
const MIN_SKIP_SCORE = 3;

const normalizeTag = (tag: string) =>
  tag
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, "_");

/** Runs the noise filter on a normalized ticket. Pure: same ticket and options, same result. */
export function filterNoise(ticket: NormalizedTicket, options: NoiseOptions = {}): NoiseResult {
  const { skipTags, teams } = noiseOptionsSchema.parse(options);
  const { kept, stripped } = stripTurns(ticket.messages);
  const customerTurns = kept.filter((m) => m.authorRole === "customer");
  const attachmentsText = customerTurns
    .flatMap((m) => m.attachments.map((a) => `[attachment: ${a.name}]`))
    .join("\n");
  const customerText = customerTurns
    .map((m) => m.body)
    .filter((b) => b !== "")
    .join("\n\n");
  // The subject is the customer's words too, and often the clearest ones.
  const classifiedText = [ticket.subject, customerText].filter(Boolean).join("\n\n");
  const language = detectLanguage(classifiedText) ?? ticket.language;
  const classification = classifyText(classifiedText, language);

  const result = (skip: NoiseResult["skip"]): NoiseResult =>
    noiseResultSchema.parse({
      decision: skip ? "skip" : "process",
      skip,
      classification: {
        label: classification.label,
        score: classification.score,
        reason: classification.reason,
        scores: classification.scores,
      },
      language,
      stripped,
      keptMessageIds: kept.map((m) => m.id),
      customerText: [customerText, attachmentsText].filter(Boolean).join("\n\n"),
    });

  const skipSet = new Set(skipTags.map(normalizeTag));
  const tag = ticket.tags.find((t) => skipSet.has(normalizeTag(t)));
  if (tag) {
    // The agent's tag is the classification people see: a ticket tagged spam reads "Spam" on the
    // Tickets page, not whatever its words resembled.
    if (normalizeTag(tag) === "spam") {
      classification.label = "spam";
      classification.reason = `Tagged “${tag}” by the support team.`;
    }
    return result({ kind: "tag", reason: `Tagged “${tag}”, which skips processing.` });
  }
  if (teams && !(ticket.assignedTeam && teams.includes(ticket.assignedTeam)))
    return result({
      kind: "team",
      reason: "Assigned to a team this workspace does not process.",
    });
  if (customerText === "" && attachmentsText === "") {
    const closing = stripped.some((s) => s.kind === "thanks_closing");
    return result({
      kind: "empty",
      reason: closing
        ? "The customer only wrote thanks or closing words."
        : "No customer message left once bot, macro, automatic and survey turns are set aside.",
    });
  }
  const { label, scores } = classification;
  // Set aside only a clear non-bug: more than one passing word, and at least twice the bug cues.
  if (label !== "bug" && scores[label] >= MIN_SKIP_SCORE && scores[label] >= 2 * scores.bug)
    return result({ kind: "class", reason: classification.reason });
  if (label !== "bug") {
    // It goes on as a bug report, so that is its class; the reason keeps the other reading.
    classification.label = "bug";
    classification.reason +=
      scores.bug > 0
        ? " It also reads as a bug report, so it goes on to extraction."
        : " The evidence is thin, so it goes on to extraction.";
  }
  return result(null);
}
