import { RCA_MESSAGES, type RcaLanguage } from "./messages";
import { RCA_SECTION_KEYS, type RcaSections } from "./sections";

/**
 * The text posted to one ticket: the fixed parts in the ticket's language around the sections as
 * the team wrote them. Plain text with blank lines between parts, which Zendesk public comments
 * show as written and the Intercom reply step turns into paragraphs.
 */
export function composeRcaMessage(input: {
  title: string;
  sections: RcaSections;
  language: RcaLanguage;
  /** True when this ticket already received an earlier version ("publish update"). */
  isUpdate: boolean;
}): string {
  const parts = RCA_MESSAGES[input.language];
  const title = input.title.trim();
  // a function replacement: a `$&` or `$1` in the title stays literal
  const opening = (input.isUpdate ? parts.updateIntro : parts.intro).replace(
    "{title}",
    () => title,
  );
  const body = RCA_SECTION_KEYS.map(
    (key) => `${parts.headings[key]}\n${input.sections[key].trim()}`,
  );
  return [parts.greeting, opening, ...body, parts.closing].join("\n\n");
}
