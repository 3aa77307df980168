import { describe, expect, it } from "vitest";
import {
  EVALUATION_RESERVED,
  EXCLUDED_REPOSITORIES,
  forbiddenReason,
  TRAINING_REPOSITORIES,
} from "@/lib/pipeline/mapping/training/repositories";

/** The dev set's 13 repositories (shared/data/README.md): never trained on. */
const DEV_SET = [
  "FasterXML/jackson-core",
  "grpc/grpc-go",
  "zeromicro/go-zero",
  "sharkdp/fd",
  "BurntSushi/ripgrep",
  "jqlang/jq",
  "fmtlib/fmt",
  "sharkdp/bat",
  "mockito/mockito",
  "google/gson",
  "pydicom/pydicom",
  "pylint-dev/astroid",
  "sqlfluff/sqlfluff",
];

describe("training repositories", () => {
  const names = TRAINING_REPOSITORIES.map((r) => r.name.toLowerCase());

  it("are at least 50, each listed once", () => {
    expect(names.length).toBeGreaterThanOrEqual(50);
    expect(new Set(names).size).toBe(names.length);
  });

  it("meet no benchmark repository, no evaluation-reserved one and none of the dev set", () => {
    const excluded = new Set(EXCLUDED_REPOSITORIES);
    const reserved = new Set(EVALUATION_RESERVED);
    const dev = new Set(DEV_SET.map((r) => r.toLowerCase()));
    expect(names.filter((n) => excluded.has(n))).toEqual([]);
    expect(names.filter((n) => reserved.has(n))).toEqual([]);
    expect(names.filter((n) => dev.has(n))).toEqual([]);
  });

  it("cover every language the index parses", () => {
    const languages = new Set(TRAINING_REPOSITORIES.map((r) => r.language));
    for (const l of [
      "go",
      "rust",
      "python",
      "javascript",
      "typescript",
      "java",
      "c",
      "cpp",
    ] as const) {
      expect(languages).toContain(l);
    }
  });
});

describe("forbiddenReason", () => {
  it("refuses benchmark and evaluation repositories whatever their case", () => {
    expect(forbiddenReason("BurntSushi/ripgrep")).toBe("benchmark");
    expect(forbiddenReason("django/django")).toBe("benchmark");
    expect(forbiddenReason("Textualize/Rich")).toBe("evaluation");
    expect(forbiddenReason("go-chi/chi")).toBe("evaluation");
    expect(forbiddenReason("spf13/cobra")).toBeUndefined();
  });

  it("knows the dev set's repositories as benchmark ones", () => {
    for (const r of DEV_SET) expect(forbiddenReason(r)).toBe("benchmark");
  });
});
