import type { PhoneProfile } from '../../src/sim/model-types.js';

/**
 * A phone's radio profile for the P2P model's tests: an ordinary Android phone as hwsim shows it (config
 * methods 0x188, device capability 0x25, no group), its fields overridden per test.
 */
export function phoneProfile(overrides: Partial<PhoneProfile> = {}): PhoneProfile {
  return {
    deviceAddress: '42:00:00:00:01:00',
    name: 'phone',
    primaryDeviceType: '1-0050F204-1',
    configMethods: 0x188,
    deviceCapability: 0x25,
    groupCapability: 0x0,
    vendorElements: false,
    manufacturer: '',
    modelName: '',
    uuid: '572cf82f-c957-5653-9b16-b5cfb298abf1',
    goIntent: 7,
    ...overrides,
  };
}
