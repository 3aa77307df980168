import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DevstackContext, MountedService } from "./shared/context";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface LoadedServices {
  mounted: Record<string, MountedService>;
  names: string[];
  stops: Array<() => Promise<void>>;
  afterListen?: () => Promise<void>;
}

// Factories are looked up by module path so each service can be developed and landed on its own.
type Factory = (ctx: DevstackContext) => unknown;

async function factory(rel: string, name: string): Promise<Factory | undefined> {
  const file = path.join(HERE, rel);
  if (!existsSync(file)) return undefined;
  const mod = (await import(file)) as Record<string, unknown>;
  const f = mod[name];
  if (typeof f !== "function") throw new Error(`devstack: ${rel} does not export ${name}()`);
  return f as Factory;
}

/** Builds the auth and REST services mounted on the gateway, and the executor. */
export async function loadServices(ctx: DevstackContext): Promise<LoadedServices> {
  const out: LoadedServices = { mounted: {}, names: ["postgres", "mailbox"], stops: [] };

  const auth = await factory("auth/index.ts", "createAuthService");
  if (auth) {
    out.mounted["/auth/v1"] = (await auth(ctx)) as MountedService;
    out.names.push("auth");
  } else ctx.log("auth service not present: /auth/v1 is off");

  const rest = await factory("rest/index.ts", "createRestService");
  if (rest) {
    const svc = (await rest(ctx)) as MountedService & { close?: () => Promise<void> };
    out.mounted["/rest/v1"] = svc;
    if (svc.close) out.stops.push(() => svc.close!());
    out.names.push("rest");
  } else ctx.log("rest service not present: /rest/v1 is off");

  const executor = await factory("executor/index.ts", "createExecutor");
  if (executor) {
    out.afterListen = async () => {
      const ex = (await executor(ctx)) as { stop(): Promise<void> };
      out.stops.push(() => ex.stop());
    };
    out.names.push("executor");
  } else ctx.log("executor not present: no Inngest runs");
  return out;
}
