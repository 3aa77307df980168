import type { IncomingMessage, ServerResponse } from "node:http";
import { withTransaction } from "../shared/transaction";
import { ADMIN_ACTOR, loadTarget } from "./admin";
import { audit } from "./audit";
import type { AuthDeps } from "./deps";
import { notFound, sendJson } from "./errors";
import { requireAdmin } from "./guard";
import { factorJson, factorsOf, isUuid } from "./users";

/** GET /admin/users/:id/factors. */
export async function handleListFactorsAdmin(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
) {
  await requireAdmin(deps, req);
  await loadTarget(deps, id);
  sendJson(res, 200, (await factorsOf(deps.db, id)).map(factorJson));
}

/** DELETE /admin/users/:id/factors/:factorId → the deleted factor. */
export async function handleDeleteFactorAdmin(
  deps: AuthDeps,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  factorId: string,
) {
  await requireAdmin(deps, req);
  await loadTarget(deps, id);
  if (!isUuid(factorId)) throw notFound("validation_failed", "factor_id must be an UUID");
  const factor = (await factorsOf(deps.db, id)).find((f) => f.id === factorId);
  if (!factor) throw notFound("mfa_factor_not_found", "Factor not found");
  await withTransaction(deps.db, async (tx) => {
    await tx.query(`delete from auth.mfa_factors where id = $1`, [factorId]);
    await tx.query(`update auth.sessions set aal = 'aal1', factor_id = null where factor_id = $1`, [
      factorId,
    ]);
    await audit(tx, req, ADMIN_ACTOR, "factor_deleted", { user_id: id, factor_id: factorId });
  });
  sendJson(res, 200, factorJson(factor));
}
