#!/bin/sh
# Installs the Wi-Fi Direct Kiosk on a Raspberry Pi OS (Debian) system from a checkout of this repository.
# Run as root from the checkout: sudo deploy/install.sh
set -eu
SRC="$(cd "$(dirname "$0")/.." && pwd)"
DEST=/opt/wdk

apt-get install -y --no-install-recommends wpasupplicant dnsmasq-base iproute2 chromium unclutter curl
id wdk >/dev/null 2>&1 || useradd --system --home /var/lib/wdk --shell /usr/sbin/nologin wdk

if [ "$SRC" != "$DEST" ]; then
  mkdir -p "$DEST"
  cp -a "$SRC/." "$DEST/"
fi
cd "$DEST"
# Installs pnpm and dependencies, generates the Prisma client, builds everything.
node scripts/build-release.mjs
chown -R wdk:wdk "$DEST"

install -m 0600 -o root -g root deploy/wpa_supplicant-wlan0.conf /etc/wpa_supplicant/wpa_supplicant-wlan0.conf.wdk-example
install -m 0644 deploy/wdk-agent.service /etc/systemd/system/wdk-agent.service
install -m 0644 deploy/wdk-web.service /etc/systemd/system/wdk-web.service
mkdir -p /etc/xdg/autostart
install -m 0644 deploy/kiosk-browser.desktop /etc/xdg/autostart/wdk-kiosk.desktop

systemctl daemon-reload
systemctl enable --now wpa_supplicant@wlan0.service || true
systemctl enable --now wdk-agent.service wdk-web.service
echo "Installed. The first admin passcode is in: journalctl -u wdk-agent | grep passcode"
echo "Review /etc/wpa_supplicant/wpa_supplicant-wlan0.conf.wdk-example (country, device_name) and merge it."
