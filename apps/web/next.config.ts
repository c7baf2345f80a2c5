import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The kiosk ships no telemetry and fetches nothing from the internet at run time.
  images: { unoptimized: true },
};

export default config;
