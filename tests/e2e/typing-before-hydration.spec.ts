import { expect, test } from "@playwright/test";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { persona, storageStateOf } from "./helpers/personas";
import { organizationId, seedBug } from "./helpers/pipeline-seed";

/**
 * A person who starts typing into a bug's field while the page's scripts are still loading keeps
 * what they typed: React resets a server-rendered textarea's value when it hydrates, and
 * `components/ui/typed-before-hydration.ts` puts the typed text (and the caret) back. The
 * scripts are held at the network until the typing is done, so the test sees that moment every
 * time rather than by chance.
 */

const owner = () => persona("owner").workspace;

test.use({ storageState: storageStateOf("owner") });

test("text typed into a bug's field before the page hydrates is kept and saved", async ({
  page,
}) => {
  const org = await organizationId(owner().slug);
  const bug = await seedBug(org, { title: `Typed before hydration ${Date.now().toString(36)}` });

  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/_next/static/chunks/**", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/${owner().slug}/bugs/${bug.bugId}`, { waitUntil: "domcontentloaded" });
  const form = page.getByTestId("bug-edit-form");
  await expect(form).toHaveAttribute("data-hydrated", "false");

  const steps = page.getByTestId("bug-edit-steps");
  const before = "Buy the Vortex blender\nOpen the product page of any kitchen item";
  await expect(steps).toHaveValue(before);
  await steps.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type("\nLook at the box");

  release();
  await expect(form).toHaveAttribute("data-hydrated", "true");
  await expect(steps).toHaveValue(`${before}\nLook at the box`);
  // the caret stayed where the person left it
  await page.keyboard.type(" of suggestions");
  const typed = `${before}\nLook at the box of suggestions`;
  await expect(steps).toHaveValue(typed);

  await page.getByTestId("bug-edit-save").click();
  await expect(page.getByText("Bug saved.")).toBeVisible();
  const [row] = await asSuperuser<{ steps: string[] }>(
    "select steps from public.bugs where id = $1",
    [bug.bugId],
  );
  expect(row?.steps).toEqual(typed.split("\n"));
});
