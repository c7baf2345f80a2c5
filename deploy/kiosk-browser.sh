#!/bin/sh
# Full-screen Chromium on the Pi's touchscreen, started by the desktop session (see kiosk-browser.desktop).
# It opens the kiosk over loopback, which the agent trusts: the touchscreen never has to log in.
set -eu
URL="${WDK_KIOSK_URL:-http://127.0.0.1:3000}"
# Wait for the web UI (boot order).
for _ in $(seq 1 60); do
  if wget -q -O /dev/null "$URL" 2>/dev/null || curl -fsS -o /dev/null "$URL" 2>/dev/null; then break; fi
  sleep 1
done
xset s off 2>/dev/null || true
xset -dpms 2>/dev/null || true
unclutter -idle 0.1 -root >/dev/null 2>&1 &
exec chromium --kiosk --noerrdialogs --disable-infobars --disable-session-crashed-bubble \
  --disable-pinch --overscroll-history-navigation=0 --check-for-update-interval=31536000 \
  --disable-background-networking --disable-component-update --disable-sync "$URL"
