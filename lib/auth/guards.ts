import "server-only";
import type { User } from "@supabase/supabase-js";
import { notFound, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { AppError, errorResponse, fromZodError, toAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { createClient, type ServerSupabaseClient } from "@/lib/supabase/server";
import type { ActionState } from "./action-state";
import { type OrganizationContext, resolveOrganization } from "./organization";
import type { Action, Role } from "./permissions";
import { getUser } from "./session";

/**
 * The guards. Every server action and route handler that touches data goes through one of them:
 * user (getUser(), verified by the auth server) → workspace from the slug → membership and role
 * check → zod-parsed input → handler({ user, org, role, input, supabase }).
 *
 * Handlers never take an organization id or user id from the client without this check; use
 * `org.id` from the context. `supabase` acts as the user, so RLS applies to everything it does.
 */

const guardLog = log.child({ module: "auth.guards" });

/** The hidden form field that carries the workspace slug: `<input type="hidden" name="org" />`. */
export const ORG_FIELD = "org";

/** Field names whose values are never echoed back to the form or logged. */
const SECRET_FIELD = /pass|token|secret|code|otp|key/i;

export interface UserContext<I> {
  user: User;
  input: I;
  supabase: ServerSupabaseClient;
}
export interface OrgContext<I> extends UserContext<I> {
  org: OrganizationContext["org"];
  role: Role;
}
export interface PublicContext<I> {
  input: I;
  supabase: ServerSupabaseClient;
}

type Payload = FormData | Record<string, unknown> | undefined | null;

/** FormData → plain object (repeated names become arrays; `org` and Next's `$ACTION_*` dropped). */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || key === ORG_FIELD) continue;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}

function toObject(payload: Payload): Record<string, unknown> {
  if (!payload) return {};
  if (payload instanceof FormData) return formDataToObject(payload);
  const { [ORG_FIELD]: _org, ...rest } = payload;
  return rest;
}

function slugFrom(payload: Payload): string {
  const value = payload instanceof FormData ? payload.get(ORG_FIELD) : payload?.[ORG_FIELD];
  return typeof value === "string" ? value.trim().toLowerCase() : "";
}

function echoValues(raw: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string" && !SECRET_FIELD.test(key)) values[key] = value;
  }
  return values;
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

function errorState(error: unknown, raw: Record<string, unknown>): ActionState<never> {
  const appError = toAppError(error);
  if (appError.code === "internal" || appError.code === "unavailable") {
    guardLog.error({ err: appError.cause ?? appError }, "server action failed");
  }
  return {
    status: "error",
    code: appError.code,
    message: appError.message,
    fieldErrors: appError.fieldErrors ?? {},
    values: echoValues(raw),
    ...(appError.reason ? { reason: appError.reason } : {}),
  };
}

interface ActionOptions<S extends z.ZodType> {
  schema: S;
}

/** A server action usable with `useActionState` (also callable with a plain object). */
export type ActionFn<T> = (previous: ActionState<T>, payload: Payload) => Promise<ActionState<T>>;

/**
 * Handlers return their data, or a whole success state (`{ status: "success", data, message }`)
 * to add a message; a handler that only redirects returns `never`.
 */
type DataOf<R> = [R] extends [never]
  ? undefined
  : R extends { status: "success"; data: infer D }
    ? D
    : R;

function success<R>(result: R): ActionState<DataOf<R>> {
  if (result && typeof result === "object" && "status" in result) {
    return result as unknown as ActionState<DataOf<R>>;
  }
  return { status: "success", data: result as DataOf<R> };
}

/** How a guard finds out who is calling; throws when the caller may not go on. */
type Resolve<X> = (supabase: ServerSupabaseClient) => Promise<X>;

/** Anyone: no session needed. */
const anyone: Resolve<Record<never, never>> = async () => ({});

async function verifiedUser(): Promise<User> {
  const user = await getUser();
  if (!user) throw new AppError("unauthenticated");
  return user;
}

/** A signed-in user, verified by the auth server. */
const signedIn: Resolve<{ user: User }> = async () => ({ user: await verifiedUser() });

/** A signed-in member of the workspace `slug` whose role allows `permission`. */
function memberOf(slug: string, permission: Action | undefined): Resolve<OrganizationContext> {
  return async (supabase) => resolveOrganization(supabase, await verifiedUser(), slug, permission);
}

/**
 * The one frame every guard shares: a Supabase client acting as the caller → who is calling
 * (`resolve`) → the zod-parsed input. Errors are thrown as they are; each guard turns them into
 * its own answer (an `ActionState` or an HTTP error).
 */
async function guard<X, S extends z.ZodType>(
  resolve: Resolve<X>,
  schema: S,
  raw: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<X & PublicContext<z.infer<S>>> {
  const supabase = await createClient();
  const caller = await resolve(supabase);
  const input = parse(schema, await raw());
  return { ...caller, input, supabase };
}

/** A server action built on `guard`: the payload's fields are the input, errors become state. */
function guardedAction<X, S extends z.ZodType, R>(
  resolverOf: (payload: Payload) => Resolve<X>,
  schema: S,
  handler: (context: X & PublicContext<z.infer<S>>) => Promise<R>,
): ActionFn<DataOf<R>> {
  return async (_previous, payload) => {
    const raw = toObject(payload);
    try {
      return success(await handler(await guard(resolverOf(payload), schema, () => raw)));
    } catch (error) {
      unstable_rethrow(error);
      return errorState(error, raw);
    }
  };
}

/**
 * A server action for a signed-in member of the workspace named by the hidden `org` field, whose
 * role allows `permission`. Use with `useActionState`. The handler may `redirect()`.
 *
 * @example
 *   export const renameOrganization = orgAction(
 *     { permission: "organization.update", schema: renameOrganizationInput },
 *     async ({ org, input, supabase }) => { ... },
 *   );
 */
export function orgAction<S extends z.ZodType, R>(
  options: ActionOptions<S> & { permission: Action },
  handler: (context: OrgContext<z.infer<S>>) => Promise<R>,
): ActionFn<DataOf<R>> {
  return guardedAction(
    (payload) => memberOf(slugFrom(payload), options.permission),
    options.schema,
    handler,
  );
}

/** A server action for any signed-in user (no workspace): create a workspace, accept an invite. */
export function userAction<S extends z.ZodType, R>(
  options: ActionOptions<S>,
  handler: (context: UserContext<z.infer<S>>) => Promise<R>,
): ActionFn<DataOf<R>> {
  return guardedAction(() => signedIn, options.schema, handler);
}

/**
 * A server action without a session (sign-in, sign-up, password reset, the MFA challenge):
 * input parsing and the one result type only. The handler does its own auth calls.
 */
export function publicAction<S extends z.ZodType, R>(
  options: ActionOptions<S>,
  handler: (context: PublicContext<z.infer<S>>) => Promise<R>,
): ActionFn<DataOf<R>> {
  return guardedAction(() => anyone, options.schema, handler);
}

/** The second argument Next passes to route handlers of dynamic segments. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

const MAX_JSON_BYTES = 1_000_000;

async function readInput(request: Request): Promise<Record<string, unknown>> {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "DELETE") {
    return Object.fromEntries(new URL(request.url).searchParams.entries());
  }
  const type = request.headers.get("content-type") ?? "";
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_JSON_BYTES) throw new AppError("payload_too_large");
  if (type.includes("application/json")) {
    const text = await request.text();
    if (text.length > MAX_JSON_BYTES) throw new AppError("payload_too_large");
    if (!text) return {};
    try {
      const json: unknown = JSON.parse(text);
      if (!json || typeof json !== "object" || Array.isArray(json)) {
        throw new AppError("bad_request", "The body must be a JSON object");
      }
      return json as Record<string, unknown>;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("bad_request", "The body is not valid JSON");
    }
  }
  if (type.includes("form")) return formDataToObject(await request.formData());
  return {};
}

function respond(result: unknown): Response {
  if (result instanceof Response) return result;
  return Response.json(result ?? null, { headers: { "Cache-Control": "no-store" } });
}

function routeError(error: unknown): Response {
  const appError = toAppError(error);
  if (appError.code === "internal" || appError.code === "unavailable") {
    guardLog.error({ err: appError.cause ?? appError }, "route handler failed");
  }
  return errorResponse(appError);
}

/** A route handler built on `guard`: query or body is the input, errors use the error model. */
function guardedRoute<X, S extends z.ZodType, T>(
  resolverOf: (params: Record<string, string | string[] | undefined>) => Resolve<X>,
  schema: S,
  handler: (context: X & PublicContext<z.infer<S>> & { request: Request }) => Promise<T>,
): (request: Request, routeContext: RouteContext) => Promise<Response> {
  return async (request, routeContext) => {
    try {
      const resolve = resolverOf((await routeContext?.params) ?? {});
      const context = await guard(resolve, schema, () => readInput(request));
      return respond(await handler({ ...context, request }));
    } catch (error) {
      unstable_rethrow(error);
      return routeError(error);
    }
  };
}

/**
 * A route handler for a member of the workspace in the `[org]` segment (or `orgParam`), whose role
 * allows `permission`. Input: query string for GET/DELETE, JSON or form body otherwise. Returns
 * the handler's Response, or its value as JSON; errors use the one error model (404 for
 * workspaces that are not yours).
 */
export function orgRoute<S extends z.ZodType, T>(
  options: { permission: Action; schema: S; orgParam?: string },
  handler: (context: OrgContext<z.infer<S>> & { request: Request }) => Promise<T>,
): (request: Request, routeContext: RouteContext) => Promise<Response> {
  return guardedRoute(
    (params) => {
      const slug = params[options.orgParam ?? "org"];
      return memberOf(typeof slug === "string" ? slug : "", options.permission);
    },
    options.schema,
    handler,
  );
}

/** A route handler for any signed-in user. */
export function userRoute<S extends z.ZodType, T>(
  options: { schema: S },
  handler: (context: UserContext<z.infer<S>> & { request: Request }) => Promise<T>,
): (request: Request, routeContext: RouteContext) => Promise<Response> {
  return guardedRoute(() => signedIn, options.schema, handler);
}

/**
 * A route handler anyone may call (auth returns, sign-out, webhooks verify their own signature):
 * zod-parsed query or body and the one error model, no session required.
 */
export function publicRoute<S extends z.ZodType, T>(
  options: { schema: S },
  handler: (context: PublicContext<z.infer<S>> & { request: Request }) => Promise<T>,
): (request: Request, routeContext: RouteContext) => Promise<Response> {
  return guardedRoute(() => anyone, options.schema, handler);
}

/**
 * For server components (pages, layouts) under `[org]`: the user, workspace and role, or the
 * not-found page when the workspace does not exist, is not theirs, or their role lacks `action`
 * (one answer for all three, so nothing leaks). Redirect to sign-in is middleware's job.
 */
export async function requireOrgMember(
  slug: string,
  action?: Action,
): Promise<OrgContext<undefined>> {
  const supabase = await createClient();
  try {
    return { ...(await memberOf(slug, action)(supabase)), input: undefined, supabase };
  } catch (error) {
    const { code } = toAppError(error);
    if (code === "unauthenticated" || code === "not_found" || code === "forbidden") notFound();
    throw error;
  }
}
