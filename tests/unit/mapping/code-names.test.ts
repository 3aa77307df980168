import { describe, expect, it } from "vitest";
import { buildIndex, type SourceFile } from "@/lib/pipeline/code-index/builder";
import { mapBug } from "@/lib/pipeline/mapping/map-bug";
import { SearchIndex } from "@/lib/pipeline/mapping/search-index";
import { extractSignals } from "@/lib/pipeline/mapping/signals";
import { PLAIN_WORD_SHARE } from "@/lib/pipeline/mapping/signals/symbols";

/** Names used as code weigh more than common words that happen to name a definition. */

const file = (path: string, text: string): SourceFile => {
  const bytes = new TextEncoder().encode(text);
  return { path, size: bytes.length, read: () => bytes };
};

const report = {
  title: "Dialing fails after a reconnect",
  description: [
    "```go",
    "conn, err := client.Dial(target)",
    "if err != nil { resolveTarget(target) }",
    "```",
    "```",
    "dial failed: invalid address while connecting",
    "```",
  ].join("\n"),
};

const weightOf = (s: ReturnType<typeof extractSignals>, name: string): number =>
  Math.max(0, ...s.symbols.filter((m) => m.name === name).map((m) => m.weight));

describe("names used as code", () => {
  it("weighs a plain word of a block less than a name called or qualified there", () => {
    const on = extractSignals(report);
    const off = extractSignals(report, { codeNames: false });
    expect(weightOf(on, "resolveTarget")).toBe(weightOf(off, "resolveTarget"));
    expect(weightOf(on, "Dial")).toBe(weightOf(off, "Dial"));
    expect(weightOf(on, "address")).toBeCloseTo(weightOf(off, "address") * PLAIN_WORD_SHARE);
    expect(weightOf(on, "address")).toBeLessThan(weightOf(on, "resolveTarget") / 2);
  });

  it("keeps a plain word's weight when the report writes it in backticks", () => {
    const s = extractSignals({ ...report, description: `${report.description}\n\`address\`` });
    expect(weightOf(s, "address")).toBe(1);
  });

  it("ranks the file defining the called name above one defining a common word", async () => {
    const index = await buildIndex(
      [
        file(
          "net/address.go",
          "package net\n\n// address formats a host and port.\nfunc address(host string, port int) string {\n\treturn host\n}\n\nfunc connecting() bool { return false }\n\nfunc invalid() bool { return true }\n\nfunc failed() bool { return true }\n",
        ),
        file(
          "client/resolver.go",
          "package client\n\n// resolveTarget looks the target up again after a reconnect.\nfunc resolveTarget(t string) string {\n\treturn t\n}\n",
        ),
      ],
      { repo: "acme/net" },
    );
    const search = new SearchIndex([index]);
    expect(mapBug(search, report).files[0]?.path).toBe("client/resolver.go");
    expect(mapBug(search, report, { rules: { codeNames: false } }).files[0]?.path).toBe(
      "net/address.go",
    );
  });
});
