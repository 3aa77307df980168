import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { control, postForm, sandbox } from "./helpers";

const run = promisify(execFile);

describe("sandbox page and CLI", () => {
  it("lists tokens masked, escapes what it shows, and its forms drive the control API", async () => {
    const sub = `page${Date.now().toString(36)}`;
    const res = await postForm(sandbox("/_page/zendesk-ticket"), {
      subdomain: sub,
      subject: "<b>bold</b> subject",
      body: "x",
      email: "p@customer.example",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/?flash=Ticket%20created.");
    const bad = await postForm(sandbox("/_page/zendesk-ticket"), {
      subdomain: "NOT VALID",
      subject: "",
      body: "",
    });
    expect(bad.status).toBe(303);
    expect(bad.headers.get("location")).toMatch(/^\/\?error=Refused%20\(422\)/);

    const page = await fetch(sandbox("/"));
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('data-testid="sandbox-deliveries"');
    expect(html).not.toContain("<b>bold</b>");
    const { json } = await control<{ tokens: Array<{ value: string }> }>("GET", "/tokens");
    for (const t of json.tokens) expect(html).not.toContain(t.value);
  });

  it("`npm run sandbox -- zendesk ticket-created` calls the running devstack and says what it did", async () => {
    const root = path.resolve(__dirname, "../../..");
    const { stdout } = await run(
      path.join(root, "node_modules/.bin/tsx"),
      [
        "scripts/sandbox.ts",
        "zendesk",
        "ticket-created",
        "--subdomain",
        "cli",
        "--subject",
        "From the CLI",
        "--body",
        "hello",
        "--no-wait",
      ],
      {
        cwd: root,
        env: { ...process.env, DEVSTACK_HOME: process.env.DEVSTACK_HOME ?? ".devstack" },
      },
    );
    expect(stdout).toMatch(/Zendesk ticket #\d+ "From the CLI" created in cli/);
    const failed = await run(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/sandbox.ts", "github", "merge", "--repo", "no/such", "--pr", "1"],
      { cwd: root, env: process.env },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain("no repository no/such");
  });
});
