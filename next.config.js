import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Types are checked by `npm run typecheck` over the whole repository; the build must not fail
  // on another engineer's work in progress in lib/ or pipelines/ that the dashboard never imports.
  typescript: { ignoreBuildErrors: true },
  turbopack: { root },
  // The Docker image ships .next/standalone (traced server files only), see `dqm docker init`.
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  // The dashboard is local tooling: no telemetry-like image optimisation server needed.
  images: { unoptimized: true },
  // Next would load every route's module right after start (≈ 0.2 s of the event loop here), just
  // when the browser asks for the first view; the pages, assets and hot API routes are answered
  // before Next (server/fast-path, server/start.ts), and the other routes load on first use.
  experimental: { preloadEntriesOnStart: false },
};

export default nextConfig;
