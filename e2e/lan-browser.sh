#!/bin/sh
# Runs Debian's chromium inside the network namespace made by lan-network.ts, so the kiosk sees a browser
# from another address (10.231.0.2), not loopback: the LAN login rules apply to it.
exec ip netns exec wdk-e2e-lan /usr/bin/chromium "$@"
