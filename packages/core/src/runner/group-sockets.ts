import { join } from 'node:path';
import { WpaCtrlConnection } from '../ctrl/wpa-ctrl-connection.js';
import { parseEventLine } from '../protocol/event-parser.js';
import type { InterfaceOpener } from './ports.js';

/**
 * Opens `<ctrlDir>/<ifname>` for requests, one connection per group interface. With `onEvent` the connection
 * is also ATTACHed: most group events are copied to the P2P device socket (AP-STA-*, and WPS-FAIL during
 * group formation — hwsim README), but a joining peer's WPS-FAIL and the registrar's WPS-TIMEOUT are reported
 * on the group interface only (wpa_supplicant ap.c, wpas_ap_wps_event_cb).
 */
export function groupSocketOpener(options: { ctrlDir: string; localDir?: string }): InterfaceOpener {
  return async (ifname, { onEvent } = {}) => {
    const connection = await WpaCtrlConnection.open(join(options.ctrlDir, ifname), {
      ...(options.localDir ? { localDir: options.localDir } : {}),
      ...(onEvent ? { onUnsolicited: (line: string) => onEvent(parseEventLine(line)) } : {}),
    });
    if (onEvent) {
      // Requests still work without events: the setup timeout then ends a failed join, as before.
      await connection.attach().catch(() => undefined);
    }
    return connection;
  };
}
