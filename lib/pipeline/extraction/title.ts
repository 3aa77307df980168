import { oneLine } from "../tickets/text";

const GENERIC_SUBJECT =
  /^(?:(?:re|fwd?|aw|wg|tr|res)\s*:\s*)*(?:help|problem|issue|bug|question|urgent|hi|hello|hey|support|error|request|ticket|no subject|\(no subject\)|ayuda|problema|pregunta|hola|aide|bonjour|problème|hilfe|hallo|frage|fehler|ajuda|olá|dúvida|conversation with .*)?[\s!.?:-]*$/iu;

/**
 * A title a person can scan in a list: the subject when it says something, else the failure
 * (actual behaviour or first error message), else the customer's first sentence. At most 100
 * characters, cut on a word.
 */
export function titleOf(parts: {
  subject: string;
  actual: string | null;
  errorMessages: string[];
  firstSentence: string | null;
}): string {
  const subject = parts.subject.replace(/^(?:(?:re|fwd?|aw|wg|tr|res)\s*:\s*)+/iu, "").trim();
  const candidates = [
    subject.length >= 8 && !GENERIC_SUBJECT.test(parts.subject) ? subject : null,
    parts.actual,
    parts.errorMessages[0] ?? null,
    parts.firstSentence,
    subject || null,
  ];
  // A candidate counts once its trailing full stops are gone: a subject of "." is no title.
  for (const candidate of candidates) {
    const title = oneLine((candidate ?? "").replace(/(?<![.。])[.。]+$/u, ""), 100);
    if (title.trim()) return title;
  }
  return "Untitled report";
}
