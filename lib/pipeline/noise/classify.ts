import { findErrorMessages, findStackTraces } from "../extraction/errors";
import { CUES, type CueLanguage, NOISE_LABELS, type NoiseLabel } from "./cues";

/**
 * What the customer's text is about: a bug or one of the classes Patchline sets aside. A sum of
 * cue weights per class (each distinct phrase counted once, at its highest weight), plus
 * structural evidence of a bug (stack traces, error messages). Deterministic and explainable:
 * the reason names the phrases that decided.
 */

export interface Classification {
  label: NoiseLabel;
  /** How much of the evidence points to `label`, in [0, 1]; 0 when nothing matched. */
  score: number;
  /** For people: the class and the phrases or evidence that decided it. */
  reason: string;
  /** Cue weight per class (0 for classes with no cue). */
  scores: Record<NoiseLabel, number>;
  /** The matched phrases per class, as the customer wrote them (at most 5 per class). */
  evidence: Partial<Record<NoiseLabel, string[]>>;
}

const LABEL_WORDS: Record<NoiseLabel, string> = {
  bug: "a bug report",
  billing: "a billing question",
  account_access: "an account access problem",
  how_to: "a how-to question",
  feature_request: "a feature request",
  spam: "spam",
  thanks_closing: "thanks or a closing message",
};

// Evidence that is not a phrase of the customer's (shown without quotes).
const STRUCTURAL = new Set(["a stack trace", "an error message"]);

/** Cue languages used for a ticket: English always, plus the detected one if it has cues. */
export function cueLanguages(language: string | null): Set<CueLanguage> {
  const known = ["es", "fr", "de", "pt"] as const;
  const langs = new Set<CueLanguage>(["en"]);
  if (language === null) for (const l of known) langs.add(l);
  else if ((known as readonly string[]).includes(language)) langs.add(language as CueLanguage);
  return langs;
}

/** Classifies `text` (the customer's kept turns) in `language` (ISO 639-1 or null). */
export function classifyText(text: string, language: string | null): Classification {
  const langs = cueLanguages(language);
  const scores = Object.fromEntries(NOISE_LABELS.map((l) => [l, 0])) as Record<NoiseLabel, number>;
  const evidence: Partial<Record<NoiseLabel, string[]>> = {};
  const best = new Map<string, { label: NoiseLabel; weight: number; phrase: string }>();
  for (const cue of CUES) {
    if (!langs.has(cue.lang)) continue;
    for (const match of text.matchAll(new RegExp(cue.pattern.source, "giu"))) {
      const phrase = match[0];
      const key = `${cue.label}\u0000${phrase.toLowerCase()}`;
      const seen = best.get(key);
      if (!seen || seen.weight < cue.weight)
        best.set(key, { label: cue.label, weight: cue.weight, phrase });
    }
  }
  const note = (label: NoiseLabel, what: string, first = false) => {
    const list = evidence[label] ?? [];
    if (first) list.unshift(what);
    else if (list.length < 5) list.push(what);
    evidence[label] = list;
  };
  for (const { label, weight, phrase } of best.values()) {
    scores[label] += weight;
    note(label, phrase);
  }
  if (findStackTraces(text).length > 0) {
    scores.bug += 4;
    note("bug", "a stack trace", true);
  }
  if (findErrorMessages(text).length > 0) {
    scores.bug += 3;
    note("bug", "an error message", true);
  }
  // A report that ends in "thanks" is still a report: closing words only count when they are
  // nearly all there is.
  const otherEvidence = NOISE_LABELS.some((l) => l !== "thanks_closing" && scores[l] >= 2);
  if (otherEvidence || text.length > 200) {
    scores.thanks_closing = 0;
    delete evidence.thanks_closing;
  }

  const ranked = [...NOISE_LABELS].sort((a, b) => scores[b] - scores[a]);
  const top = ranked[0]!;
  const total = NOISE_LABELS.reduce((sum, l) => sum + scores[l], 0);
  if (scores[top] === 0) {
    return {
      label: "bug",
      score: 0,
      reason:
        "No phrase points to any class; treated as a possible bug so that extraction and its confidence gate decide.",
      scores,
      evidence,
    };
  }
  // Ties go to "bug": setting a real bug aside costs more than reviewing a non-bug.
  const label = scores.bug === scores[top] ? "bug" : top;
  const score = Math.round((scores[label] / (total + 1)) * 1000) / 1000;
  const phrases = (evidence[label] ?? []).map((p) => (STRUCTURAL.has(p) ? p : `“${p}”`));
  return {
    label,
    score,
    reason: `Reads as ${LABEL_WORDS[label]}: ${phrases.join(", ")}.`,
    scores,
    evidence,
  };
}
