/**
 * The vulnerability disclosure policy that security.txt's Policy field points to. Not a route
 * guard: a static public document with no input and no session.
 */
export const dynamic = "force-static";

const POLICY = `Patchline vulnerability disclosure policy

Report suspected vulnerabilities to security@patchline.dev. Include the affected URL or
component, the steps to reproduce, and the impact you observed. We acknowledge reports within
2 business days and keep you informed until the issue is fixed.

Please test only against accounts and workspaces you own, do not access or change other
customers' data, do not degrade the service (no denial of service, no automated scanning at
volume), and give us 90 days to fix an issue before you disclose it.

We will not pursue legal action against research that follows this policy in good faith.
`;

export function GET(): Response {
  return new Response(POLICY, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "public, max-age=86400",
    },
  });
}
