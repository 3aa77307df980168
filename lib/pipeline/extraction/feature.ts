import { clean, sentences, withoutCodeBlocks, words } from "./text-tools";

/**
 * Affected feature and customer impact, in the customer's words: the product area they name
 * ("the Reports page", "la página de Facturación") and the sentence that says what the problem
 * costs them.
 */

const UI_NOUNS =
  "page|screen|button|tab|dialog|modal|form|menu|view|report|reports|settings|dashboard|editor|section|panel|widget|export|import|checkout|flow|list|table|field|search|filter|calendar|upload|integration";

const FEATURE_PATTERNS: RegExp[] = [
  // English: "the Reports page", "on the invoice export screen", "the 'Save draft' button"
  new RegExp(
    `(?<![\\p{L}])(?:the|on the|in the|from the|our)\\s+((?:["'“]?[\\p{L}\\d][\\p{L}\\d'’-]*["'”]?\\s+){1,3}(?:${UI_NOUNS}))(?![\\p{L}])`,
    "iu",
  ),
  // Spanish / Portuguese / French: "la página de Facturación", "a tela de relatórios", "la page des rapports"
  /(?<![\p{L}])((?:página|pantalla|botón|pestaña|sección|formulario|informe|tela|botão|aba|seção|relatório|page|écran|bouton|onglet|formulaire|rapport)\s+(?:de|del|da|do|des|du|d')\s*[\p{L}\d-]+(?:\s+[\p{Lu}\d][\p{L}\d-]*)?)/iu,
  // German compounds and phrases: "die Rechnungsseite", "der Export-Button", "in den Einstellungen"
  /(?<![\p{L}])((?:[\p{Lu}][\p{L}]+-?)(?:seite|ansicht|schaltfläche|button|maske|tab|bericht|export|import|einstellungen|suche|liste|tabelle))(?![\p{L}])/u,
  /(?<![\p{L}])((?:[\p{Lu}][\p{L}]+)-(?:Seite|Ansicht|Button|Maske|Tab|Bericht|Export))(?![\p{L}])/u,
  // A quoted control the customer clicked: click "Export CSV"
  /(?:click(?:ing|ed)?|press(?:ing|ed)?|tap(?:ping|ped)?|hago clic en|pulso|je clique sur|klicke auf|ich klicke auf|clico em)\s+(?:on\s+)?(?:the\s+)?["'“„«]([^"'”“»\n]{2,60})["'”“»]/iu,
];

/** The product area the customer names, or null. */
export function affectedFeature(text: string, labelled?: string): string | null {
  if (labelled) return clean(labelled.split("\n")[0]!).slice(0, 200) || null;
  const prose = withoutCodeBlocks(text);
  for (const pattern of FEATURE_PATTERNS) {
    const match = pattern.exec(prose);
    if (match?.[1])
      return clean(match[1])
        .replace(/^["'“]|["'”]$/g, "")
        .slice(0, 200);
  }
  return null;
}

const IMPACT = words(
  [
    "(?:we|our (?:[\\p{L}-]+ ){0,2}(?:team|customers|users|clients|staff|department|company)|customers|users|clients|i) (?:can ?n[o']t|cannot|are unable to|is unable to|am unable to|are not able to)",
    "block(?:s|ed|ing|er)",
    "losing",
    "lost",
    "every (?:day|time|morning|week)",
    "all (?:of )?our",
    "(?:customers|users|clients) (?:are )?(?:complaining|affected)",
    "deadline",
    "in production",
    "urgent",
    "no (?:podemos|pueden)",
    "nuestros clientes",
    "bloquea",
    "perdiendo",
    "nous ne pouvons pas",
    "nos clients",
    "bloque",
    "wir können nicht",
    "unsere kunden",
    "blockiert",
    "verlieren",
    "não conseguimos",
    "nossos clientes",
    "bloqueia",
    "perdendo",
  ].join("|"),
);

/** The customer's sentence that says what the bug costs them, verbatim, or null. */
export function customerImpact(text: string, labelled?: string): string | null {
  if (labelled) return labelled.trim().slice(0, 1000);
  const found = sentences(withoutCodeBlocks(text)).find((s) => IMPACT.test(s));
  return found ? found.slice(0, 1000) : null;
}
