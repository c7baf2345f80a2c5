// What the agent's API returns, for typed clients (the kiosk web app imports these; types only).
export type { DomainEvent, EngineSettings } from '@wdk/core';
export type { ApiErrorBody, ApiResult } from './errors.js';
export type { KioskState } from '../kiosk-service.js';
export type { WhitelistRecord } from '../store/whitelist-store.js';
export type { AuditRecord, EventRecord, Page, SessionRecord } from '../store/history-store.js';
