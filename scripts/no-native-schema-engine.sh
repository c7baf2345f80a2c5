#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded here. `prisma generate` only checks
# that the file exists; migrations use the WebAssembly engine (apps/agent/src/db/).
echo "wdk: the native Prisma schema engine is not available; use 'pnpm db:migrate <name>'" >&2
exit 1
