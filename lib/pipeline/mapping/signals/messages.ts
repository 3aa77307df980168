import { bigrams, wordSequence } from "../../code-index/tokenize";
import type { QuerySignals } from "./index";
import type { ReportText } from "./report-text";

/**
 * Quoted messages and error-looking log lines, as word-pair sequences (two to forty pairs), to be
 * matched against the string literals of one chunk.
 */
export function messagesOf(text: ReportText): QuerySignals["messages"] {
  const { all, rawBlocks } = text;
  const messages: QuerySignals["messages"] = [];
  const seenMessages = new Set<string>();
  const addMessage = (raw: string): void => {
    const pairs = [...new Set(bigrams(wordSequence(raw)))];
    const key = pairs.join(" ");
    if (pairs.length < 2 || pairs.length > 40 || seenMessages.has(key)) return;
    seenMessages.add(key);
    messages.push({ pairs, raw: raw.trim().slice(0, 120) });
  };
  for (const q of all.matchAll(/"([^"\n]{8,300})"|'([^'\n]{8,300})'/g))
    addMessage(q[1] ?? q[2] ?? "");
  for (const line of rawBlocks.join("\n").split("\n")) {
    if (
      /\b(error|panic|exception|fail|failed|invalid|cannot|can't|unable|unexpected|not found)\b/i.test(
        line,
      )
    )
      addMessage(line);
  }
  return messages.slice(0, 30);
}
