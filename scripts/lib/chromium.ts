import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Playwright cannot download its own browser here, so the e2e suite runs Debian's Chromium.
 * Installs it when missing and we are root; otherwise says in one line what to do.
 */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `Chromium is missing: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH), then re-run.`,
    );
  }
  console.log("[test] installing Debian's chromium (first run on this machine)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
  if (!existsSync(CHROMIUM))
    throw new Error(`apt-get installed chromium but ${CHROMIUM} is not there`);
}
