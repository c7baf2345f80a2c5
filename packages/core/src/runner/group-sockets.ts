import { join } from 'node:path';
import { WpaCtrlConnection } from '../ctrl/wpa-ctrl-connection.js';
import type { InterfaceOpener } from './ports.js';

/** Opens `<ctrlDir>/<ifname>` for requests, one connection per group interface (no ATTACH: events come on
 * the P2P device socket, where wpa_supplicant copies the group's AP-STA-* and WPS-FAIL — hwsim README). */
export function groupSocketOpener(options: { ctrlDir: string; localDir?: string }): InterfaceOpener {
  return async (ifname) =>
    WpaCtrlConnection.open(
      join(options.ctrlDir, ifname),
      options.localDir ? { localDir: options.localDir } : {},
    );
}
