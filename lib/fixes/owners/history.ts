import { z } from "zod";
import type { Json } from "@/lib/supabase/database.types";
import {
  type CommitRecord,
  coAuthors,
  SYNTHESIS_WINDOW_DAYS,
  type SynthesizedOwners,
  synthesizeOwners,
} from "../owner-synthesis";

/**
 * What each commit of the synthesis window credits, as public.repository_owners.history stores
 * it: the author, the `Co-authored-by:` co-authors (the rest of the message is not kept) and the
 * files. A re-run reads only the commits that are not in it yet, drops those that left the
 * 365-day window and scores the whole window again at its own time. Re-scoring (rather than
 * scaling the stored weights by `exp(-Δt / 180)`) is what keeps a re-run equal to a full run:
 * commits leave the window one by one, and the stored owners keep only the top few per path.
 */

const DAY_MS = 86_400_000;
/** Commits kept at most (the job reads no more than this on a full run either). */
export const MAX_HISTORY_COMMITS = 5000;

const person = z.object({
  name: z.string(),
  email: z.string(),
  login: z.string().nullable().optional(),
});
const entry = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  at: z.string(),
  author: person,
  coAuthors: z.array(person.omit({ login: true })),
  files: z.array(z.string()),
});
export type HistoryEntry = z.infer<typeof entry>;
const history = z.array(entry);

export function toHistoryEntry(commit: CommitRecord): HistoryEntry {
  return {
    sha: commit.sha,
    at: new Date(commit.authoredAt).toISOString(),
    author: {
      name: commit.author.name,
      email: commit.author.email,
      login: commit.author.login ?? null,
    },
    coAuthors: coAuthors(commit.message),
    files: [...commit.files],
  };
}

/** The commit as `synthesizeOwners` reads it: the co-authors back as trailers. */
export function toCommitRecord(e: HistoryEntry): CommitRecord {
  return {
    sha: e.sha,
    authoredAt: e.at,
    author: e.author,
    message: e.coAuthors.map((c) => `Co-authored-by: ${c.name} <${c.email}>`).join("\n"),
    files: e.files,
  };
}

/** The stored history; empty when it is not in the stored shape (the run then reads it all). */
export function parseHistory(json: Json | null | undefined): HistoryEntry[] {
  const parsed = history.safeParse(json ?? []);
  return parsed.success ? parsed.data : [];
}

/** Whether a commit authored at `at` is inside the window ending `now`. */
export function inWindow(at: string | Date, now: Date, windowDays = SYNTHESIS_WINDOW_DAYS) {
  const time = new Date(at).getTime();
  return !Number.isNaN(time) && (now.getTime() - time) / DAY_MS <= windowDays;
}

/**
 * The window at `now`: the prior history and the commits read since, once each (a commit read
 * again replaces its old entry), those older than 365 days left out, newest first, at most
 * MAX_HISTORY_COMMITS.
 */
export function mergeHistory(
  prior: readonly HistoryEntry[],
  fresh: readonly HistoryEntry[],
  now: Date,
): HistoryEntry[] {
  const bySha = new Map<string, HistoryEntry>();
  for (const e of [...prior, ...fresh]) if (inWindow(e.at, now)) bySha.set(e.sha, e);
  return [...bySha.values()]
    .sort((a, b) => b.at.localeCompare(a.at) || a.sha.localeCompare(b.sha))
    .slice(0, MAX_HISTORY_COMMITS);
}

/** The owners the window credits, scored at `now`. */
export function synthesizeFromHistory(
  entries: readonly HistoryEntry[],
  now: Date,
): SynthesizedOwners {
  return synthesizeOwners(entries.map(toCommitRecord), { now });
}

export function toStoredHistory(entries: readonly HistoryEntry[]): Json {
  return entries as unknown as Json;
}
