import { AppError, toAppError } from "@/lib/errors";

/**
 * The data of a Supabase call, or its error as an `AppError` (the RPCs raise PT403/PT404/PT409/
 * PT410/PT422 with a human message, kept as it is); no row at all is `not_found`.
 */
export function dataOrThrow<T>(result: { data: T | null; error: unknown }): T {
  if (result.error) throw toAppError(result.error);
  if (result.data === null) throw new AppError("not_found");
  return result.data;
}
