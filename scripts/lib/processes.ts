import { createWriteStream } from "node:fs";
/** Extra environment for a child; merged over this process's. */
export type Env = Record<string, string | undefined>;

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** Parses a `KEY="value"` env file as the devstack writes it. */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)="?(.*?)"?$/.exec(line.trim());
    if (m?.[1]) out[m[1]] = m[2] ?? "";
  }
  return out;
}

/** Starts a long-running child in its own process group so it can be stopped with everything it spawned. */
export function startBackground(
  cmd: string,
  args: string[],
  opts: { env?: Env; logPrefix: string; quiet?: boolean; logFile?: string },
): ChildProcess {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Every byte the child prints also goes to logFile, quiet or not, so tests can search it.
  const file = opts.logFile ? createWriteStream(opts.logFile, { flags: "w" }) : undefined;
  const relay = (chunk: Buffer) => {
    file?.write(chunk);
    if (opts.quiet) return;
    for (const line of chunk.toString().split("\n")) {
      if (line.trim() && !line.includes("Unknown user config"))
        process.stdout.write(`${opts.logPrefix} ${line}\n`);
    }
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  return child;
}

/** SIGTERM to the child's process group, then SIGKILL if it is still there after `graceMs`. */
export async function stopBackground(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), graceMs));
  if ((await Promise.race([exited, timer])) === "timeout") {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
}

/** Waits until `check` returns true, or fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child && child.exitCode !== null)
      throw new Error(`${what}: the process exited with ${child.exitCode}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`);
}

export function fileExists(file: string): boolean {
  return existsSync(file);
}

/** Runs a command to completion with inherited output; resolves to its exit code. */
export function run(cmd: string, args: string[], env: Env = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Runs a command to completion with its output written to `logFile` only (for work that runs
 * beside another phase whose output must stay readable); resolves to its exit code.
 */
export function runToFile(
  cmd: string,
  args: string[],
  logFile: string,
  env: Env = {},
): Promise<number> {
  return new Promise((resolve) => {
    const out = createWriteStream(logFile, { flags: "w" });
    const child = spawn(cmd, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    // "close", not "exit": the child's output is fully written by then
    child.on("close", (code, signal) => {
      out.end(() => resolve(code ?? (signal ? 1 : 0)));
    });
  });
}
