import { createAuthService } from "./auth/index";
import { createExecutor } from "./executor/index";
import { createRestService } from "./rest/index";
import type { DevstackContext, MountedService } from "./shared/context";

export interface LoadedServices {
  mounted: Record<string, MountedService>;
  names: string[];
  stops: Array<() => Promise<void>>;
  /** Starts what needs the gateway listening first (the executor syncs apps that call back). */
  afterListen: () => Promise<void>;
}

/** Builds the auth and REST services mounted on the gateway, and the executor. */
export async function loadServices(ctx: DevstackContext): Promise<LoadedServices> {
  const rest = await createRestService(ctx);
  const out: LoadedServices = {
    mounted: { "/auth/v1": createAuthService(ctx), "/rest/v1": rest },
    names: ["postgres", "auth", "rest", "mailbox", "executor"],
    stops: [() => rest.close()],
    afterListen: async () => {
      const executor = await createExecutor(ctx);
      out.stops.push(() => executor.stop());
    },
  };
  return out;
}
