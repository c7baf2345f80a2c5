import { describe, expect, it } from 'vitest';
import { CtrlPermissionError, CtrlSocketMissingError, toCtrlError } from './ctrl-errors.js';
import { toSocketError } from './socket-errors.js';

describe('socket errors', () => {
  it("recovers errno names from node-unix-socket's strerror messages", () => {
    expect(toSocketError(new Error('No such file or directory'), 'sendto', '/x').code).toBe('ENOENT');
    expect(toSocketError(new Error('Connection refused (os error 111)'), 'sendto', '/x').code).toBe(
      'ECONNREFUSED',
    );
    expect(toSocketError(Object.assign(new Error('odd'), { code: 'Unknown' }), 'bind', '/x').code).toBe(
      'UNKNOWN',
    );
  });

  it('maps them to the ctrl error that names the fix', () => {
    const path = '/var/run/wpa_supplicant/p2p-dev-wlan0';
    const missing = toCtrlError(toSocketError(new Error('No such file or directory'), 'sendto', path), path);
    expect(missing).toBeInstanceOf(CtrlSocketMissingError);
    expect(missing.message).toContain('ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev');
    const denied = toCtrlError(toSocketError(new Error('Permission denied'), 'sendto', path), path);
    expect(denied).toBeInstanceOf(CtrlPermissionError);
    // Node's own fs errors (from access()) map the same way.
    const fsError = Object.assign(new Error('EACCES: permission denied'), {
      code: 'EACCES',
      syscall: 'access',
    });
    expect(toCtrlError(fsError, path)).toBeInstanceOf(CtrlPermissionError);
  });
});
