import { describe, expect, it } from "vitest";
import {
  linkPullRequestInput,
  parsePullRequestReference,
} from "@/lib/fixes/pull-requests/reference";

/** What a person may type to link a pull request, and the form's errors beside each field. */
describe("pull request reference", () => {
  it.each([
    ["https://github.com/acme/storefront/pull/12", "acme/storefront", 12],
    ["https://github.com/acme/storefront/pull/12/files", "acme/storefront", 12],
    ["http://127.0.0.1:58330/github/web/acme/storefront/pull/7", "acme/storefront", 7],
    ["acme/store.front-2#31", "acme/store.front-2", 31],
    ["#5", null, 5],
    [" 42 ", null, 42],
  ])("%s", (text, repository, number) => {
    expect(parsePullRequestReference(text)).toEqual({ repository, number });
  });

  it.each([
    "",
    "pull 12",
    "https://github.com/acme/storefront/issues/12",
    "acme#12",
    "12a",
    "javascript:alert(1)",
  ])("refuses %j", (text) => {
    expect(parsePullRequestReference(text)).toBeNull();
  });

  const bugId = "0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b";
  it("a number needs its repository; a URL brings its own", () => {
    const missing = linkPullRequestInput.safeParse({ bugId, reference: "12", repository: "" });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(["repository"]);
    expect(linkPullRequestInput.parse({ bugId, reference: "12", repository: "acme/shop" })).toEqual(
      {
        bugId,
        repository: "acme/shop",
        number: 12,
      },
    );
    expect(
      linkPullRequestInput.parse({
        bugId,
        reference: "https://github.com/acme/web/pull/3",
        repository: "acme/shop",
      }),
    ).toEqual({ bugId, repository: "acme/web", number: 3 });
    const bad = linkPullRequestInput.safeParse({
      bugId,
      reference: "twelve",
      repository: "acme/shop",
    });
    expect(bad.error?.issues[0]?.path).toEqual(["reference"]);
  });
});
