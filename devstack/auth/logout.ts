import type { IncomingMessage, ServerResponse } from "node:http";
import { withTransaction } from "../shared/transaction";
import { audit } from "./audit";
import type { AuthDeps } from "./deps";
import { badRequest } from "./errors";
import { requireUser } from "./guard";

/** POST /logout?scope=global|local|others (GoTrue's `Logout`) → 204. */
export async function handleLogout(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const caller = await requireUser(deps, req);
  const raw = url.searchParams.get("scope") ?? "";
  let scope: "global" | "local" | "others";
  if (raw === "" || raw === "global") scope = "global";
  else if (raw === "local" || raw === "others") scope = raw;
  else throw badRequest("validation_failed", `Unsupported logout scope "${raw}"`);
  await withTransaction(deps.db, async (tx) => {
    await audit(tx, req, caller.user, "logout", { scope });
    if (caller.sessionId && scope === "local") {
      await tx.query(`delete from auth.sessions where id = $1`, [caller.sessionId]);
    } else if (caller.sessionId && scope === "others") {
      await tx.query(`delete from auth.sessions where user_id = $1 and id <> $2`, [
        caller.user.id,
        caller.sessionId,
      ]);
    } else {
      await tx.query(`delete from auth.sessions where user_id = $1`, [caller.user.id]);
    }
  });
  res.statusCode = 204;
  res.end();
}
