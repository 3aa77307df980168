import { formatRcaTime } from "./draft";
import { formatDeployTime, RCA_MESSAGES, type RcaLanguage } from "./messages";
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
  /**
   * When production started running the fix (the deploy facts), or null before that. Stated as
   * the timeline's fixed last line: only an untouched draft is refreshed with the deploy, so an
   * RCA edited before it would otherwise go out without it. Left out when the team's timeline
   * already gives that time as the draft writes it, so it is not said twice.
   */
  deployedAt?: Date | null;
}): string {
  const parts = RCA_MESSAGES[input.language];
  const title = input.title.trim();
  // a function replacement: a `$&` or `$1` in the title stays literal
  const opening = (input.isUpdate ? parts.updateIntro : parts.intro).replace(
    "{title}",
    () => title,
  );
  const deployed = input.deployedAt ?? null;
  // the line a draft refreshed after the deploy already has (draft.ts writes it in English)
  const drafted = deployed && RCA_MESSAGES.en.deployed.replace("{time}", formatRcaTime(deployed));
  const body = RCA_SECTION_KEYS.map((key) => {
    const text = input.sections[key].trim();
    const deployLine =
      key === "timeline" && deployed && drafted && !text.includes(drafted)
        ? `\n${parts.deployed.replace("{time}", () => formatDeployTime(deployed, input.language))}`
        : "";
    return `${parts.headings[key]}\n${text}${deployLine}`;
  });
  return [parts.greeting, opening, ...body, parts.closing].join("\n\n");
}
