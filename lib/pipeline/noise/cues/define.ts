/**
 * Words and phrases that say what a customer's message is about, per class and language. Each
 * source is a regular expression matched case-insensitively on whole words; the weight says how
 * much it alone suggests the class (3 strong, 2 clear, 1 hint). Five languages are covered
 * (English, Spanish, French, German, Portuguese); English cues apply to every ticket because
 * customers mix in product words and error text.
 *
 * To tune: add the phrase a real ticket used, with a unit test that holds it.
 */

export const NOISE_LABELS = [
  "bug",
  "billing",
  "account_access",
  "how_to",
  "feature_request",
  "spam",
  "thanks_closing",
] as const;
export type NoiseLabel = (typeof NOISE_LABELS)[number];
export type CueLanguage = "en" | "es" | "fr" | "de" | "pt";

export interface Cue {
  label: NoiseLabel;
  lang: CueLanguage;
  weight: number;
  pattern: RegExp;
}

function words(source: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, "iu");
}

// One alternation per class, language and weight: a few dozen scans of a ticket, not hundreds.
export function cues(
  label: NoiseLabel,
  lang: CueLanguage,
  weight: number,
  ...sources: string[]
): Cue[] {
  return [{ label, lang, weight, pattern: words(sources.join("|")) }];
}
