#!/usr/bin/env node
// The agent as built for the Pi: one bundle (bundle.mjs), loaded from dist/bundle.
import '../dist/bundle/wdk.js';
