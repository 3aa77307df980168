import { z } from "zod";

/** The model's answer to the fix task (prompt.ts). An empty diff means "no safe fix". */
export const fixAnswerSchema = z.object({
  summary: z.string().trim().min(1).max(4000),
  diff: z.string().max(400_000),
});
export type FixAnswer = z.infer<typeof fixAnswerSchema>;

/** The answer, tolerating a ```json fence around it, or null when it is not the JSON asked for. */
export function parseFixAnswer(text: string | null): FixAnswer | null {
  if (!text) return null;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const raw = (fenced?.[1] ?? text).trim();
  try {
    const parsed = fixAnswerSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
