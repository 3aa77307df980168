import { withSentryConfig } from "@sentry/nextjs";
import type { NextConfig } from "next";

/**
 * Response headers for every route (the per-request CSP is set by middleware.ts, which needs
 * the nonce). HSTS is two years with subdomains and preload, as hstspreload.org requires.
 */
export const securityHeaders = [
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value:
      "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()",
  },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "X-DNS-Prefetch-Control", value: "off" },
];

const nextConfig: NextConfig = {
  // NEXT_DIST_DIR lets a second build (tests beside a developer's `next dev`) use its own folder
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `.ci/run` type-checks the whole project (tests and scripts too) before its tests and then
  // sets this, so the build it makes does not check the same types a second time (~40 s of
  // CPU). Any other build (a developer's, `npm test` alone, production) still checks them.
  typescript: { ignoreBuildErrors: process.env.BUILD_TYPES_CHECKED === "1" },
  reactStrictMode: true,
  // pino must run as a plain Node package, not bundled; so must the code index's tree-sitter
  // runtime and grammars, which load .wasm files from their package folders (bundled, every
  // grammar failed to load and the index silently counted no function)
  serverExternalPackages: ["pino", "web-tree-sitter", "tree-sitter-wasms"],
  // The mapping engine reads the shipped vocabulary bridge table from disk at run time
  // (vocabulary/shipped.ts); file tracing cannot see a path built at run time, so name it for
  // the route that runs the pipeline's functions (a serverless or standalone deploy keeps it).
  outputFileTracingIncludes: {
    "/api/inngest": ["./lib/pipeline/mapping/vocabulary/public-bridge.json.gz"],
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

// Build-time switch (next.config runs before lib/env.ts exists in the bundle): Sentry's build
// plugin wraps the app only when a DSN is configured; without one, nothing Sentry runs.
const sentryEnabled = Boolean(process.env.SENTRY_DSN || process.env.NEXT_PUBLIC_SENTRY_DSN);

export default sentryEnabled
  ? withSentryConfig(nextConfig, {
      silent: true,
      telemetry: false,
      // source maps are uploaded only when CI provides SENTRY_AUTH_TOKEN/ORG/PROJECT
      sourcemaps: { disable: !process.env.SENTRY_AUTH_TOKEN },
      widenClientFileUpload: true,
    })
  : nextConfig;
