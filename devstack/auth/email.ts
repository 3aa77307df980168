import { badRequest } from "./errors";

const EMAIL_RE =
  /^[^\s@"()<>,;:\\[\]]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** GoTrue's `validateEmail`: required, at most 255 characters, a valid format; lower-cased. */
export function validateEmail(email: string | null | undefined): string {
  const e = (email ?? "").trim();
  if (e === "") throw badRequest("validation_failed", "An email address is required");
  if (e.length > 255) throw badRequest("validation_failed", "An email address is too long");
  if (!EMAIL_RE.test(e)) {
    throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  }
  return e.toLowerCase();
}
