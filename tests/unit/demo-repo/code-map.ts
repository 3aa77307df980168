import { buildIndex } from "@/lib/pipeline/code-index/builder";
import { gitSourceFiles } from "@/lib/pipeline/code-index/git-source";
import type { CodeIndex } from "@/lib/pipeline/code-index/types";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import type { MappingResult } from "@/lib/pipeline/mapping/types";
import { innermostChunk } from "@/lib/pipeline/mapping-eval/instances";

/**
 * The only place these tests call the code-map engine, so a rename of its modules (branch
 * `wip-mapping`) is adapted here and nowhere else.
 */
export interface DemoCodeMap {
  index: CodeIndex;
  map(ticket: { subject: string; body: string }): MappingResult;
  /** Qualified name of the innermost chunk holding a line, as the evaluation defines "function". */
  functionAt(path: string, line: number): string | undefined;
}

/** Index a commit of a bare git directory and return a mapper over it. */
export async function demoCodeMap(
  gitDir: string,
  commit: string,
  repo: string,
): Promise<DemoCodeMap> {
  const index = await buildIndex(gitSourceFiles(gitDir, commit), { repo });
  const search = new SearchIndex([index]);
  return {
    index,
    map: (ticket) =>
      mapBug(search, { title: ticket.subject, description: ticket.body }, { files: 20 }),
    functionAt(path, line) {
      const file = index.files.find((f) => f.path === path);
      return file?.chunks[file ? innermostChunk(file, line) : -1]?.qname;
    },
  };
}
