// The agent's API types: the kiosk renders only typed state and events, never wpa_supplicant text.
export type {
  ApiResult,
  DomainEvent,
  EngineSettings as Settings,
  EventRecord,
  KioskState,
  Page,
  SessionRecord,
  WhitelistRecord as WhitelistEntry,
} from '@wdk/agent/api-types';
export type { ConnectionMode as KioskMode } from '@wdk/core';
