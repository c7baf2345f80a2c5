/** The one error envelope of the agent API, over HTTP and socket.io alike. */
export type ApiErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  field?: string;
}

export type ApiResult<T> = { status: 'ok'; data: T } | { status: 'error'; error: ApiErrorBody };

const httpStatus: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return httpStatus[this.code];
  }

  toBody(): ApiErrorBody {
    return this.field
      ? { code: this.code, message: this.message, field: this.field }
      : { code: this.code, message: this.message };
  }
}

/**
 * SQLite failures that are the machine's state, not a bug: the database locked by another process longer than
 * busy_timeout, the disk full, the file unwritable. They become 503 `unavailable` with a message an operator can
 * act on (instead of 500 'internal error'); anything else is null. Prisma wraps the driver's error: its code is
 * in meta.driverAdapterError.cause.originalCode (or, unwrapped, in cause.originalCode / code).
 */
export function storageFailure(error: unknown): ApiError | null {
  const code = sqliteCode(error);
  if (code === undefined) return null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new ApiError('unavailable', 'the database is locked by another process; try again');
  }
  if (code.startsWith('SQLITE_FULL')) {
    return new ApiError('unavailable', 'the disk is full: free space on the kiosk, then try again');
  }
  if (/^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PERM)/.test(code)) {
    return new ApiError('unavailable', `the database cannot be written (${code})`);
  }
  return null;
}

function sqliteCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const record = error as {
    code?: unknown;
    originalCode?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  for (const candidate of [record.originalCode, record.code]) {
    if (typeof candidate === 'string' && candidate.startsWith('SQLITE_')) return candidate;
  }
  return sqliteCode(record.meta?.driverAdapterError, depth + 1) ?? sqliteCode(record.cause, depth + 1);
}
