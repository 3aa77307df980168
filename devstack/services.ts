import { createAuthService } from "./auth/index";
import { createExecutor } from "./executor/index";
import { createRestService } from "./rest/index";
import type { DevstackContext, MountedService } from "./shared/context";

export interface LoadedServices {
  mounted: Record<string, MountedService>;
  names: string[];
  /** Stops what started, the last started first (the executor, then REST's schema listener). */
  stop: () => Promise<void>;
  /** Starts what needs the gateway listening first (the executor syncs apps that call back). */
  afterListen: () => Promise<void>;
}

/** Builds the auth and REST services mounted on the gateway, and the executor. */
export async function loadServices(ctx: DevstackContext): Promise<LoadedServices> {
  const rest = await createRestService(ctx);
  const stops: Array<() => Promise<void>> = [() => rest.close()];
  return {
    mounted: { "/auth/v1": createAuthService(ctx), "/rest/v1": rest },
    names: ["postgres", "auth", "rest", "mailbox", "executor"],
    stop: async () => {
      for (const s of [...stops].reverse()) await s();
    },
    afterListen: async () => {
      const executor = await createExecutor(ctx);
      stops.push(() => executor.stop());
    },
  };
}
