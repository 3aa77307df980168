import type { TicketMessage } from "./schema";

/**
 * The text budget of one ticket. A bug report is in its first messages and its latest ones; a
 * megabyte of pasted logs or a 400-message thread would only slow every stage and fill pages.
 * Over budget a ticket is cut, never refused, and the cut is recorded with a note.
 */
export const MAX_MESSAGE_CHARS = 20_000;
export const MAX_TICKET_CHARS = 100_000;

export interface Truncation {
  originalChars: number;
  keptChars: number;
  omittedMessages: number;
  note: string;
}

function cutMessage(message: TicketMessage): TicketMessage {
  if (message.body.length <= MAX_MESSAGE_CHARS) return message;
  // Cut on a line boundary when one is near, so a stack trace keeps whole frames.
  let cut = message.body.slice(0, MAX_MESSAGE_CHARS);
  const lastLine = cut.lastIndexOf("\n");
  if (lastLine > MAX_MESSAGE_CHARS * 0.9) cut = cut.slice(0, lastLine);
  const omitted = message.body.length - cut.length;
  return { ...message, body: `${cut}\n[… ${omitted} more characters not kept]` };
}

/**
 * Fits `messages` (in thread order) into the budget: each message is cut to
 * `MAX_MESSAGE_CHARS`; if the thread is still too long, the first message (the report) and the
 * most recent ones that fit are kept, with a marker where the middle was left out.
 */
export function fitToBudget(messages: TicketMessage[]): {
  messages: TicketMessage[];
  truncation: Truncation | null;
} {
  const originalChars = messages.reduce((sum, m) => sum + m.body.length, 0);
  const cut = messages.map(cutMessage);
  const cutChars = cut.reduce((sum, m) => sum + m.body.length, 0);
  let kept = cut;
  let omittedMessages = 0;
  if (cutChars > MAX_TICKET_CHARS && cut.length > 1) {
    const [first, ...rest] = cut as [TicketMessage, ...TicketMessage[]];
    let used = first.body.length;
    const tail: TicketMessage[] = [];
    for (let i = rest.length - 1; i >= 0; i--) {
      const message = rest[i]!;
      if (used + message.body.length > MAX_TICKET_CHARS) break;
      used += message.body.length;
      tail.unshift(message);
    }
    omittedMessages = rest.length - tail.length;
    kept = [first, ...tail];
  }
  const longOnes = cut.filter((m, i) => m !== messages[i]).length;
  if (longOnes === 0 && omittedMessages === 0) return { messages, truncation: null };
  const keptChars = kept.reduce((sum, m) => sum + m.body.length, 0);
  const parts: string[] = [];
  if (omittedMessages > 0) parts.push(`${omittedMessages} messages in the middle of the thread`);
  if (longOnes > 0)
    parts.push(`the end of ${longOnes} very long message${longOnes > 1 ? "s" : ""}`);
  return {
    messages: kept,
    truncation: {
      originalChars,
      keptChars,
      omittedMessages,
      note: `This ticket is longer than Patchline reads (${originalChars.toLocaleString("en")} characters); it kept ${keptChars.toLocaleString("en")} and left out ${parts.join(" and ")}.`,
    },
  };
}
