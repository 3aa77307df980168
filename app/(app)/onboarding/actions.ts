"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { type FormState, fieldErrorsOf, formValues } from "@/app/_lib/form-state";
import { requireUser } from "@/app/_lib/session";
import { slugSchema, slugSuggestions, workspaceNameSchema } from "@/app/_lib/slug";
import { getSupabase } from "@/app/_lib/supabase";

const schema = z.object({ name: workspaceNameSchema, slug: slugSchema });

/** Creates a workspace with the signed-in user as its owner, then opens it. */
export async function createWorkspace(_prev: FormState, formData: FormData): Promise<FormState> {
  await requireUser("/onboarding");
  const values = formValues(formData, ["name", "slug"]);
  const parsed = schema.safeParse({
    name: values.name ?? "",
    slug: (values.slug ?? "").toLowerCase(),
  });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return {
      status: "error",
      fieldErrors,
      values: {
        ...values,
        suggestions: fieldErrors.slug
          ? slugSuggestions(values.name || values.slug || "").join(",")
          : "",
      },
    };
  }
  const supabase = await getSupabase();
  const { error } = await supabase.rpc("create_organization", {
    p_name: parsed.data.name,
    p_slug: parsed.data.slug,
  });
  if (error) {
    if (error.code === "23505" || /slug/i.test(error.message)) {
      const suggestions = slugSuggestions(parsed.data.slug, new Set([parsed.data.slug]));
      return {
        status: "error",
        fieldErrors: { slug: ["This address is already taken."] },
        values: { ...values, suggestions: suggestions.join(",") },
      };
    }
    return {
      status: "error",
      values,
      message: "We could not create the workspace. Try again in a moment.",
    };
  }
  redirect(`/${parsed.data.slug}`);
}
