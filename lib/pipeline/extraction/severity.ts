import { words } from "./text-tools";

/**
 * Severity from what the customer says about consequences, never from how loudly they say it
 * alone. The first cue of the highest level found decides, and is returned verbatim so a person
 * can see why; with no cue a functional bug is `medium`.
 */

export const SEVERITY_LEVELS = ["critical", "high", "medium", "low"] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

const CUES: Record<Exclude<SeverityLevel, "medium">, RegExp> = {
  critical: words(
    [
      "data (?:loss|was lost|is lost|got deleted|disappeared)",
      "lost (?:all )?(?:our |my )?(?:data|work|records|orders)",
      "(?:production|prod|site|app|service|everything) (?:is )?(?:completely )?down",
      "outage",
      "(?:all|every) (?:of our )?(?:users|customers|accounts)",
      "nobody can",
      "no one can",
      "security (?:issue|hole|breach|problem)",
      // a data leak, not a memory leak
      "(?:data|information|passwords?|credentials?|emails?) (?:is |are |was |were )?leak(?:ed|ing|s)?",
      "leak(?:ed|ing|s)? (?:our |my |customer |customers' |user |users' )?(?:data|information|passwords|emails)",
      "see other (?:customers|users|companies)'? data",
      "pérdida de datos",
      "se (?:borraron|perdieron) (?:todos )?(?:los )?datos",
      "(?:está|todo) caído",
      "todos los (?:usuarios|clientes)",
      "perte de données",
      "(?:complètement )?en panne",
      "tous les (?:utilisateurs|clients)",
      "fuite de données",
      "datenverlust",
      "daten (?:sind )?(?:weg|verloren|gelöscht)",
      "(?:komplett )?ausgefallen",
      "alle (?:benutzer|nutzer|kunden)",
      "sicherheitslücke",
      "perda de dados",
      "fora do ar",
      "todos os (?:usuários|clientes)",
      "vazamento de dados",
    ].join("|"),
  ),
  high: words(
    [
      "crash(?:es|ed|ing)?",
      "(?:can ?n[o']t|cannot|unable to) (?:save|pay|check ?out|log ?in|sign ?in|export|send|publish|use|work|access|open|upload)",
      "block(?:ed|er|ing)",
      "urgent(?:ly)?",
      "asap",
      "(?:error|status) 5\\d\\d",
      "5\\d\\d (?:internal server )?error",
      "internal server error",
      "(?:many|most|several) (?:of our )?(?:users|customers)",
      "losing (?:money|sales|customers|revenue)",
      "stack ?trace",
      "privacy (?:problem|issue|breach|concern)",
      "(?:could|can|was able to) see (?:my|their|his|her|other people's) (?:order|address|data|account|history|details)",
      "urgente",
      "se cierra",
      "bloquead[oa]s?",
      "no podemos (?:trabajar|usar)",
      "plant(?:e|é)",
      "bloqué(?:e|s)?",
      "nous ne pouvons pas",
      "dringend",
      "stürzt(?: \\p{L}+){0,3} ab",
      "blockiert",
      "wir können nicht",
      "trava(?:ndo)?",
      "não conseguimos",
    ].join("|"),
  ),
  low: words(
    [
      "cosmetic",
      "typo",
      "misaligned",
      "alignment",
      "minor",
      "small (?:issue|thing|glitch)",
      "not (?:a )?(?:big deal|urgent)",
      "workaround",
      "(?:only|just) a few (?:cents|pennies|pixels)",
      "(?:a bit|slightly|a little|mildly) (?:annoying|odd|confusing)",
      "spacing",
      "padding",
      "(?:wrong|odd) (?:colou?r|font|icon)",
      "tooltip",
      "menor",
      "estético",
      "errata",
      "no es urgente",
      "mineur",
      "cosmétique",
      "faute de frappe",
      "pas urgent",
      "kosmetisch",
      "tippfehler",
      "nicht dringend",
      "schönheitsfehler",
      "erro de digitação",
      "não é urgente",
    ].join("|"),
  ),
};

export interface Severity {
  level: SeverityLevel;
  /** The customer's words that decided, or why the default applies. */
  cue: string;
}

/** Severity of a bug described by `text`; `hasCrashEvidence` (a stack trace) counts as high. */
export function severityOf(text: string, hasStackTrace: boolean): Severity {
  for (const level of ["critical", "high"] as const) {
    const match = CUES[level].exec(text);
    if (match) return { level, cue: `“${match[0]}”` };
  }
  if (hasStackTrace)
    return { level: "high", cue: "a stack trace: the code failed with an exception" };
  const low = CUES.low.exec(text);
  if (low) return { level: "low", cue: `“${low[0]}”` };
  return { level: "medium", cue: "no severity cue; a functional bug defaults to medium" };
}
