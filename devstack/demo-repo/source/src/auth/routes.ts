import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Store } from "../db/store.js";
import { readBody, readCookie } from "../http/body.js";
import { UnauthorizedError, ValidationError } from "../http/errors.js";
import type { Router } from "../http/router.js";
import { hashPassword, passwordProblems, verifyPassword } from "./passwords.js";
import {
  SESSION_COOKIE,
  clearSessionCookie,
  createSession,
  requireSession,
  setSessionCookie,
} from "./session.js";

const signUp = z.object({
  email: z.string().email().max(254),
  name: z.string().min(1).max(120),
  password: z.string(),
  marketingOptIn: z.boolean().default(false),
});

const signIn = z.object({
  email: z.string().email(),
  password: z.string().min(1),
  rememberMe: z.boolean().default(false),
});

/** One hash to compare against when the email is unknown, so timing does not reveal accounts. */
const DUMMY_HASH = hashPassword("not-a-real-password-0000");

export function authRoutes(router: Router, store: Store, secureCookies: boolean): void {
  router.on("POST", "/auth/sign-up", async ({ req, res }) => {
    const body = await readBody(req, signUp);
    const problems = passwordProblems(body.password, body.email);
    if (problems.length > 0) throw new ValidationError(problems.join(". "), { field: "password" });
    if (await store.getCustomerByEmail(body.email)) {
      throw new ValidationError("An account with this email already exists", { field: "email" });
    }
    const customer = {
      id: randomUUID(),
      email: body.email.toLowerCase(),
      name: body.name,
      passwordHash: await hashPassword(body.password),
      marketingOptIn: body.marketingOptIn,
      createdAt: new Date(),
    };
    await store.saveCustomer(customer);
    const session = await createSession(store, customer.id, false, req.headers["user-agent"]);
    setSessionCookie(res, session, secureCookies);
    res.statusCode = 201;
    return { customer: { id: customer.id, email: customer.email, name: customer.name } };
  });

  router.on("POST", "/auth/sign-in", async ({ req, res }) => {
    const body = await readBody(req, signIn);
    const customer = await store.getCustomerByEmail(body.email);
    const ok = await verifyPassword(body.password, customer?.passwordHash ?? (await DUMMY_HASH));
    if (!customer || !ok) throw new UnauthorizedError("Email or password is incorrect");
    const session = await createSession(store, customer.id, body.rememberMe, req.headers["user-agent"]);
    setSessionCookie(res, session, secureCookies);
    return { customer: { id: customer.id, email: customer.email, name: customer.name } };
  });

  router.on("POST", "/auth/sign-out", async ({ req, res }) => {
    const id = readCookie(req, SESSION_COOKIE);
    if (id) await store.deleteSession(id);
    clearSessionCookie(res);
    return { ok: true };
  });

  router.on("GET", "/auth/me", async (ctx) => {
    const customerId = await requireSession(ctx, store);
    const customer = await store.getCustomer(customerId);
    if (!customer) throw new UnauthorizedError();
    return { customer: { id: customer.id, email: customer.email, name: customer.name } };
  });
}
