import { describe, expect, it } from "vitest";
import { devstackEnv } from "../../helpers/devstack-env";

describe("gateway", () => {
  it("answers /health", async () => {
    const res = await fetch(`${devstackEnv().API_URL}/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("ok");
  });

  it("answers CORS preflights for the browser client", async () => {
    const res = await fetch(`${devstackEnv().API_URL}/rest/v1/anything`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "apikey, authorization, content-type, x-client-info",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(res.headers.get("access-control-allow-headers")).toContain("apikey");
  });

  it("answers unknown routes with Kong's 404", async () => {
    const res = await fetch(`${devstackEnv().API_URL}/nope/v1/x`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "no route matched with those values" });
  });
});
