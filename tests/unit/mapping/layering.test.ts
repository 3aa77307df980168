import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The mapping runtime is what a job loads: the offline evaluation and fitting (file system, git,
 * timings) live in `lib/pipeline/mapping-eval/`, and the offline training code that reads public
 * repositories in `lib/pipeline/mapping/training/`; the runtime never imports either.
 */
const ROOT = path.resolve(__dirname, "../../..");

const TRAINING = path.join(ROOT, "lib/pipeline/mapping/training");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (full === TRAINING) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

describe("mapping runtime layering", () => {
  const runtime = sources(path.join(ROOT, "lib/pipeline/mapping"));

  it("has runtime modules to check", () => {
    expect(runtime.length).toBeGreaterThan(10);
  });

  it.each(runtime.map((f) => path.relative(ROOT, f)))("%s does no offline work", (file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    expect(text).not.toMatch(/from\s+["'][^"']*mapping-eval/);
    expect(text).not.toMatch(/from\s+["'][^"']*\/training(\/|["'])/);
    expect(text).not.toMatch(/from\s+["']node:(fs|child_process)["']/);
    expect(text).not.toMatch(/process\.cpuUsage|performance\.now/);
  });
});
