import { SearchIndex } from "../mapping/search-index";
import type { IndexedRepository } from "./code-index-store";

/**
 * The mapping engine's search structure over a workspace's ready indexes, built once per set of
 * (repository, commit) and reused by the ticket runs in this process until an index changes.
 * Bounded: the least recently used sets are dropped.
 */
const built = new Map<string, SearchIndex>();
const MAX_BUILT = 8;

/** A SearchIndex over `repositories`, or null when there is none. */
export function searchIndexFor(repositories: readonly IndexedRepository[]): SearchIndex | null {
  if (!repositories.length) return null;
  const key = repositories.map((r) => `${r.repositoryId}@${r.commitSha}`).join(",");
  let search = built.get(key);
  if (search) {
    built.delete(key);
  } else {
    search = new SearchIndex(repositories.map((r) => r.index));
  }
  built.set(key, search);
  while (built.size > MAX_BUILT) {
    const oldest = built.keys().next().value;
    if (oldest === undefined) break;
    built.delete(oldest);
  }
  return search;
}
