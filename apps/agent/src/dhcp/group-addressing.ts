import { z } from 'zod';

/**
 * Layer-3 addressing of the Wi-Fi Direct group, as pure data and pure builders: the validated configuration,
 * the dnsmasq command line, the wpa_supplicant `SET ip_addr_*` commands and the dnsmasq log-line parser. The
 * process that runs dnsmasq lives in group-dhcp-server.ts.
 */

// ---------------------------------------------------------------------------------------------------------
// IPv4 arithmetic

/** `a.b.c.d` → unsigned 32-bit number, or null when the text is not a dotted quad without leading zeros. */
export function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function numberToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** `24` → `255.255.255.0`. */
export function prefixToNetmask(prefixLength: number): string {
  return numberToIpv4(prefixMask(prefixLength));
}

function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** Network and broadcast addresses (as numbers) of `address/prefixLength`. */
function subnetOf(address: number, prefixLength: number): { network: number; broadcast: number } {
  const mask = prefixMask(prefixLength);
  const network = (address & mask) >>> 0;
  return { network, broadcast: (network | (~mask >>> 0)) >>> 0 };
}

// ---------------------------------------------------------------------------------------------------------
// Interface names

/**
 * What the kernel accepts as a network interface name (net/core/dev.c `dev_valid_name`: 1-15 bytes, not `.` or
 * `..`, no `/`, `:` or whitespace), narrowed to the characters wpa_supplicant's group interfaces use
 * (`p2p-wlan0-0`). The name ends up in an argv, never in a shell, but dnsmasq and `ip` still must not see
 * option-looking or odd names.
 */
export const INTERFACE_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,15}$/;

export function isValidInterfaceName(name: string): boolean {
  return INTERFACE_NAME_PATTERN.test(name) && name !== '.' && name !== '..' && !name.startsWith('-');
}

export class InvalidInterfaceNameError extends Error {
  override name = 'InvalidInterfaceNameError';
}

export function assertInterfaceName(name: string): string {
  if (!isValidInterfaceName(name)) {
    throw new InvalidInterfaceNameError(
      `not a network interface name: ${JSON.stringify(name)} (1-15 of A-Z a-z 0-9 _ . -, not starting with -)`,
    );
  }
  return name;
}

// ---------------------------------------------------------------------------------------------------------
// Configuration

const ipv4 = z
  .string()
  .refine((text) => ipv4ToNumber(text) !== null, { error: 'must be an IPv4 address (a.b.c.d)' });
const range = z.object({ start: ipv4, end: ipv4 });

/**
 * The kiosk's address on the group and the two disjoint pools handed out on it.
 *
 * - `gateway` defaults to 192.168.49.1/24: Android's Wi-Fi Direct GO uses it (WifiP2pServiceImpl's
 *   SERVER_ADDRESS), so phones and users already expect it.
 * - `dhcpRange`: served by dnsmasq, used by Android (its P2P client runs a DHCP client) and most others.
 * - `eapolRange`: wpa_supplicant's own allocation in EAPOL-Key message 3 (Wi-Fi P2P spec "IP address
 *   allocation"), used by clients that request it (wpa_supplicant-based Linux clients; possibly recent
 *   Android builds). It must not overlap `dhcpRange`, because wpa_supplicant and dnsmasq do not know about
 *   each other's allocations. `null` turns it off.
 * - `enabled: false` turns the whole feature off: no address, no DHCP, no EAPOL allocation.
 */
export const groupAddressingSchema = z
  .object({
    enabled: z.boolean().default(true),
    gateway: ipv4.default('192.168.49.1'),
    prefixLength: z.number().int().min(8).max(30).default(24),
    dhcpRange: range.default({ start: '192.168.49.10', end: '192.168.49.99' }),
    /** dnsmasq's lease time syntax: seconds, or a number with s/m/h/d/w, or `infinite`. */
    leaseTime: z
      .string()
      .regex(/^(?:[1-9][0-9]*[smhdw]?|infinite)$/, 'must be a lease time like 3600, 45m, 1h, 1d or infinite')
      .default('1h'),
    eapolRange: range.nullable().default({ start: '192.168.49.100', end: '192.168.49.199' }),
  })
  .superRefine((config, ctx) => {
    const gateway = ipv4ToNumber(config.gateway);
    if (gateway === null) return; // already reported by the field rule
    const { network, broadcast } = subnetOf(gateway, config.prefixLength);
    const subnet = `${numberToIpv4(network)}/${config.prefixLength}`;
    if (gateway === network || gateway === broadcast) {
      ctx.addIssue({
        code: 'custom',
        path: ['gateway'],
        message: `${config.gateway} is the ${gateway === network ? 'network' : 'broadcast'} address of ${subnet}, not a host address`,
      });
    }
    const pools: Array<{ key: 'dhcpRange' | 'eapolRange'; start: number; end: number }> = [];
    for (const key of ['dhcpRange', 'eapolRange'] as const) {
      const pool = config[key];
      if (pool === null) continue;
      const start = ipv4ToNumber(pool.start);
      const end = ipv4ToNumber(pool.end);
      if (start === null || end === null) continue;
      let ok = true;
      for (const [edge, value, text] of [
        ['start', start, pool.start],
        ['end', end, pool.end],
      ] as const) {
        if (value <= network || value >= broadcast) {
          ok = false;
          ctx.addIssue({
            code: 'custom',
            path: [key, edge],
            message: `${text} is outside the host addresses of the gateway's subnet ${subnet}`,
          });
        }
      }
      if (start > end) {
        ok = false;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `start ${pool.start} is after end ${pool.end}`,
        });
      }
      if (ok && gateway >= start && gateway <= end) {
        ok = false;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `the gateway ${config.gateway} is inside the range ${pool.start}-${pool.end}`,
        });
      }
      if (ok) pools.push({ key, start, end });
    }
    const [a, b] = pools;
    if (a && b && a.start <= b.end && b.start <= a.end) {
      ctx.addIssue({
        code: 'custom',
        path: ['eapolRange'],
        message: `overlaps dhcpRange: dnsmasq and wpa_supplicant would hand out the same addresses`,
      });
    }
  });

export type GroupAddressingConfig = z.infer<typeof groupAddressingSchema>;
export type GroupAddressingInput = z.input<typeof groupAddressingSchema>;

export class GroupAddressingConfigError extends Error {
  override name = 'GroupAddressingConfigError';
}

/** Validate (and fill defaults of) a group addressing configuration; problems name the field and the rule. */
export function parseGroupAddressingConfig(
  input: GroupAddressingInput | undefined = {},
): GroupAddressingConfig {
  const parsed = groupAddressingSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new GroupAddressingConfigError(`invalid group addressing configuration:\n${problems.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------------------
// dnsmasq command line

export interface DnsmasqArgsInput {
  ifname: string;
  config: GroupAddressingConfig;
  leaseFile: string;
  pidFile: string;
}

/**
 * dnsmasq's argv (without the program name) for a DHCP-only server on the group interface.
 *
 * - `--conf-file=/dev/null`: ignore /etc/dnsmasq.conf (and the /etc/dnsmasq.d it may include), so a system
 *   dnsmasq's configuration never leaks into ours.
 * - `--port=0`: no DNS at all, so nothing is served to other interfaces and port 53 stays free.
 * - `--interface` + `--bind-interfaces` + `--except-interface=lo`: the DHCP socket is bound to the group
 *   interface only (SO_BINDTODEVICE, "sockets bound exclusively to interface …" in the log). With
 *   bind-interfaces dnsmasq also sets SO_REUSEADDR on port 67, so it coexists with a system dnsmasq that binds
 *   its interfaces too (Debian's default dnsmasq and NetworkManager's do).
 * - `--dhcp-option=option:router` with no value: no default route. dnsmasq otherwise offers its own address as
 *   the router; a laptop would then send its internet traffic to the kiosk, which does not forward. Android
 *   keeps the P2P interface in its local network (no default route through it) and keeps cellular or
 *   Wi-Fi for internet when the group offers no route; Linux and Windows clients do the same only when no
 *   router is offered. Phones reach the kiosk directly on the subnet.
 * - No DNS server option: with `--port=0` dnsmasq does not advertise itself as a DNS server.
 * - `--keep-in-foreground` + `--log-facility=-` + `--log-dhcp`: a child process the agent supervises, logging
 *   every lease to stderr, which GroupDhcpServer parses (parseDnsmasqLogLine).
 */
export function dnsmasqArgs({ ifname, config, leaseFile, pidFile }: DnsmasqArgsInput): string[] {
  assertInterfaceName(ifname);
  const netmask = prefixToNetmask(config.prefixLength);
  return [
    '--keep-in-foreground',
    '--log-facility=-',
    '--log-dhcp',
    '--conf-file=/dev/null',
    '--port=0',
    '--no-resolv',
    '--no-hosts',
    `--interface=${ifname}`,
    '--bind-interfaces',
    '--except-interface=lo',
    `--dhcp-range=${config.dhcpRange.start},${config.dhcpRange.end},${netmask},${config.leaseTime}`,
    '--dhcp-option=option:router',
    '--dhcp-authoritative',
    `--dhcp-leasefile=${leaseFile}`,
    `--pid-file=${pidFile}`,
  ];
}

// ---------------------------------------------------------------------------------------------------------
// wpa_supplicant's EAPOL-Key IP address allocation

/**
 * The global `SET` commands that configure wpa_supplicant's IP address allocation for groups it owns
 * (hostap wpa_supplicant/config.c `ip_addr_go`, `ip_addr_mask`, `ip_addr_start`, `ip_addr_end`). They are read
 * from the P2P device interface's configuration when a group starts (ap.c copies `p2pdev->conf->ip_addr_*`
 * into the GO's BSS), so send them to the P2P device control socket before any P2P_CONNECT / P2P_GROUP_ADD.
 * The GO advertises the "IP address allocation" group capability only when `ip_addr_start` is not 0.0.0.0, so
 * when allocation is off all four are reset to 0.0.0.0 (this also undoes an earlier configuration).
 * A client that got its address this way shows up as `AP-STA-CONNECTED <addr> p2p_dev_addr=… ip_addr=<ip>`.
 */
export function wpaIpAllocationCommands(config: GroupAddressingConfig): string[] {
  const off = '0.0.0.0';
  const pool = config.enabled ? config.eapolRange : null;
  return [
    `SET ip_addr_go ${pool ? config.gateway : off}`,
    `SET ip_addr_mask ${pool ? prefixToNetmask(config.prefixLength) : off}`,
    `SET ip_addr_start ${pool ? pool.start : off}`,
    `SET ip_addr_end ${pool ? pool.end : off}`,
  ];
}

/**
 * The address wpa_supplicant allocated to a station in EAPOL-Key message 3, from the `ip_addr=` field of its
 * AP-STA-CONNECTED event (hostap src/ap/sta_info.c `ap_sta_set_authorized`), or null.
 */
export function eapolIpAddress(fields: Readonly<Record<string, string>>): string | null {
  const ip = fields.ip_addr;
  return ip !== undefined && ipv4ToNumber(ip) !== null && ip !== '0.0.0.0' ? ip : null;
}

// ---------------------------------------------------------------------------------------------------------
// dnsmasq log lines

export type DnsmasqLogEvent =
  | { kind: 'lease'; ifname: string; ip: string; mac: string; hostname: string | null }
  | { kind: 'release'; ifname: string; ip: string; mac: string };

/*
 * What dnsmasq 2.90 prints with `--log-facility=-` (rfc2131.c log_packet), one line per message:
 *   dnsmasq-dhcp[123]: 939205888 DHCPACK(p2p-wlan0-0) 192.168.49.85 76:14:ea:f7:c6:84 phone-1
 *   dnsmasq-dhcp[123]: 3350116958 DHCPACK(p2p-wlan0-0) 192.168.49.85 76:14:ea:f7:c6:84 ␠(no host name)
 *   dnsmasq-dhcp[123]: 939205888 DHCPRELEASE(p2p-wlan0-0) 192.168.49.85 76:14:ea:f7:c6:84 ␠
 * The decimal transaction id is there only with --log-dhcp; syslog strips the `dnsmasq-dhcp[pid]: ` tag, so
 * both are optional. Non-Ethernet hardware addresses print as `<type>-<hex:…>`; a P2P client is always
 * Ethernet-like, and anything else is ignored.
 */
const LOG_LINE =
  /^(?:dnsmasq-dhcp(?:\[\d+\])?:\s+)?(?:\d+\s+)?(DHCPACK|DHCPRELEASE)\(([^)\s]+)\)\s+(\S+)\s+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})(?:\s+(\S.*?))?\s*$/;

export function parseDnsmasqLogLine(line: string): DnsmasqLogEvent | null {
  const match = LOG_LINE.exec(line);
  if (!match) return null;
  const [, message, ifname, ip, mac, rest] = match;
  if (message === undefined || ifname === undefined || ip === undefined || mac === undefined) return null;
  if (ipv4ToNumber(ip) === null) return null;
  const address = mac.toLowerCase();
  if (message === 'DHCPRELEASE') return { kind: 'release', ifname, ip, mac: address };
  // DHCPACK may end with a host name the client sent; dnsmasq sanitises it (a DNS label), keep the first word.
  const hostname = rest?.split(/\s+/)[0] ?? null;
  return { kind: 'lease', ifname, ip, mac: address, hostname: hostname || null };
}
