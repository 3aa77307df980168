import type { TicketMessage } from "../tickets/schema";
import { CUES, type CueLanguage } from "./cues";

/**
 * Which turns of a thread carry no report: bots, macros, automatic replies, satisfaction
 * surveys and "thanks, that worked" closings. They are stripped before classification and
 * extraction (they would read as a how-to answer, a thanks, or the agent's words as the
 * customer's), but stay on the ticket for people to read.
 */

export const STRIP_KINDS = ["bot", "macro", "auto_reply", "survey", "thanks_closing"] as const;
export type StripKind = (typeof STRIP_KINDS)[number];

export interface StrippedTurn {
  messageId: string;
  kind: StripKind;
  reason: string;
}

const AUTO_REPLY =
  /out of (?:the )?office|automatic reply|auto-?reply|autoreply|this is an automated (?:message|response|reply|email)|we(?:'ve| have) received your (?:request|message|email|ticket)|your request \(?#?\d*\)? has been received|(?:please )?do not reply to this (?:email|message)|i am (?:currently )?(?:away|on (?:vacation|leave))|respuesta automática|fuera de la oficina|hemos recibido (?:tu|su) (?:solicitud|mensaje|correo)|réponse automatique|absent(?:e)? du bureau|nous avons (?:bien )?reçu votre (?:demande|message)|automatische antwort|abwesenheitsnotiz|nicht im büro|wir haben ihre (?:anfrage|nachricht) erhalten|resposta automática|fora do escritório|recebemos (?:sua|a sua) (?:solicitação|mensagem)/iu;

const SURVEY =
  /how would you rate|rate (?:your|our|the) (?:conversation|support|experience|service)|satisfaction survey|how satisfied (?:are|were) you|how did we do|on a scale (?:of|from) (?:0|1)|net promoter|(?:cómo )?calificarías|encuesta de satisfacción|enquête de satisfaction|comment évalueriez-vous|zufriedenheitsumfrage|wie zufrieden waren sie|wie bewerten sie|pesquisa de satisfação|como você avalia/iu;

// A customer's answer to a survey: only a score, stars, or a one-word verdict.
const RATING_ONLY =
  /^\s*(?:[0-9]|10|[1-9]\s*\/\s*(?:5|10)|[⭐★☆]+|👍|👎|😀|🙂|😐|🙁|😡|good|bad|great|ok|okay|amazing|terrible)\s*[.!]?\s*$/iu;

function matchesAny(text: string, label: "thanks_closing" | "bug", langs: Set<CueLanguage>) {
  return CUES.some((c) => c.label === label && langs.has(c.lang) && c.pattern.test(text));
}

/**
 * A short turn whose words are thanks or "solved" and nothing that reads as a problem or asks a
 * question. Long messages that end in "thanks" are reports, not closings.
 */
export function isThanksOrClosing(body: string): boolean {
  const text = body.trim();
  if (text === "" || text.length > 200) return false;
  // a question asks for something ("Could you refund …? Thanks!"): a request, not a closing
  if (/[?¿]/.test(text)) return false;
  const all = new Set<CueLanguage>(["en", "es", "fr", "de", "pt"]);
  if (!matchesAny(text, "thanks_closing", all)) return false;
  // "it works now" names no problem even though it contains "works".
  const withoutClosing = CUES.filter((c) => c.label === "thanks_closing").reduce(
    (t, c) => t.replace(new RegExp(c.pattern.source, "giu"), " "),
    text,
  );
  return !matchesAny(withoutClosing, "bug", all);
}

/** Sorts `messages` into kept and stripped turns, each stripped one with its reason. */
export function stripTurns(messages: TicketMessage[]): {
  kept: TicketMessage[];
  stripped: StrippedTurn[];
} {
  const kept: TicketMessage[] = [];
  const stripped: StrippedTurn[] = [];
  let surveySeen = false;
  for (const message of messages) {
    const strip = (kind: StripKind, reason: string) =>
      stripped.push({ messageId: message.id, kind, reason });
    const body = message.body;
    if (message.authorRole === "bot") strip("bot", "Written by a bot, not a person.");
    else if (message.origin === "macro") strip("macro", "An agent's canned reply (macro).");
    else if (message.origin === "survey" || SURVEY.test(body)) {
      surveySeen = true;
      strip("survey", "A satisfaction survey.");
    } else if (message.origin === "automation" && message.authorRole !== "customer")
      strip("auto_reply", "Sent automatically by a trigger or automation.");
    else if (AUTO_REPLY.test(body) && body.length < 2000)
      strip("auto_reply", "An automatic reply (out of office or acknowledgement).");
    else if (message.authorRole === "customer" && surveySeen && RATING_ONLY.test(body))
      strip("survey", "A rating given in answer to the satisfaction survey.");
    else if (message.attachments.length === 0 && isThanksOrClosing(body))
      strip("thanks_closing", "Thanks or a closing word, no report in it.");
    else kept.push(message);
  }
  return { kept, stripped };
}
