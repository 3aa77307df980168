import { francAll } from "franc-min";

/**
 * Language of customer text, as an ISO 639-1 code, or null when the text is too short or too
 * mixed to say. franc-min (trigram profiles of 82 languages, offline, deterministic) decides on
 * prose; short texts fall back to a vote of function words for the five languages whose cues the
 * noise filter and extraction know. Code, stack traces and URLs are removed first: they are
 * English-looking whatever the customer speaks.
 */

const ISO_639_1: Record<string, string> = {
  eng: "en",
  spa: "es",
  fra: "fr",
  deu: "de",
  por: "pt",
  ita: "it",
  nld: "nl",
  pol: "pl",
  ron: "ro",
  swe: "sv",
  hun: "hu",
  ces: "cs",
  ell: "el",
  bul: "bg",
  ukr: "uk",
  rus: "ru",
  bel: "be",
  hrv: "hr",
  srp: "sr",
  bos: "bs",
  tur: "tr",
  azj: "az",
  kaz: "kk",
  uzn: "uz",
  arb: "ar",
  pes: "fa",
  urd: "ur",
  hin: "hi",
  ben: "bn",
  mar: "mr",
  tel: "te",
  tam: "ta",
  guj: "gu",
  kan: "kn",
  mal: "ml",
  pan: "pa",
  npi: "ne",
  sin: "si",
  mya: "my",
  tha: "th",
  vie: "vi",
  ind: "id",
  zlm: "ms",
  jav: "jv",
  sun: "su",
  tgl: "tl",
  cmn: "zh",
  jpn: "ja",
  kor: "ko",
  swh: "sw",
  amh: "am",
  hau: "ha",
  yor: "yo",
  ibo: "ig",
  zul: "zu",
  som: "so",
  kin: "rw",
  run: "rn",
  nya: "ny",
  lin: "ln",
  plt: "mg",
  pbu: "ps",
};

// Words frequent in one of the five languages and rare in the others (Spanish and Portuguese
// share many, so only the ones that tell them apart are listed).
const FUNCTION_WORDS: Record<string, string[]> = {
  en: ["the", "is", "and", "not", "it", "when", "my", "with", "thanks", "doesn't", "can't", "of"],
  es: [
    "hola",
    "no",
    "el",
    "los",
    "las",
    "del",
    "y",
    "pero",
    "muy",
    "hay",
    "cuando",
    "gracias",
    "necesito",
    "una",
  ],
  fr: ["le", "les", "est", "et", "ne", "pas", "quand", "mon", "avec", "merci", "je", "une", "du"],
  de: ["der", "die", "das", "ist", "und", "nicht", "wenn", "mein", "mit", "danke", "ich", "ein"],
  pt: [
    "olá",
    "o",
    "os",
    "da",
    "na",
    "não",
    "um",
    "é",
    "e",
    "você",
    "mas",
    "quando",
    "obrigado",
    "obrigada",
    "já",
  ],
};

/**
 * Removes what is not the customer's prose: fenced code, stack frames, URLs, paths, emails.
 * Patterns start only at the start of a non-space run (lookbehind), so they stay linear.
 */
export function proseOnly(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/^\s*(?:at |File "|Traceback|Caused by|#\d+ ).*$/gm, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/(?<!\S)\S+@\S+/g, " ")
    .replace(/(?<!\S)\S*[/\\]\S*/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function voteByFunctionWords(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  let best: string | null = null;
  let bestCount = 0;
  let tie = false;
  for (const [code, list] of Object.entries(FUNCTION_WORDS)) {
    const count = words.filter((w) => list.includes(w)).length;
    if (count > bestCount) {
      best = code;
      bestCount = count;
      tie = false;
    } else if (count === bestCount && count > 0) tie = true;
  }
  return bestCount > 0 && !tie ? best : null;
}

/** ISO 639-1 code of `text`'s language, or null when it cannot be told. */
export function detectLanguage(text: string): string | null {
  const prose = proseOnly(text);
  const vote = voteByFunctionWords(prose);
  if (prose.length >= 30) {
    const [first, second] = francAll(prose, { minLength: 30 });
    const code = first ? ISO_639_1[first[0]] : undefined;
    // On short texts close languages (Spanish and Portuguese above all) score within a few
    // percent of each other; there the function words decide between the two.
    const runnerUp = second && second[1] > 0.9 ? ISO_639_1[second[0]] : undefined;
    if (code && runnerUp && vote === runnerUp) return vote;
    if (code) return code;
  }
  return vote;
}
