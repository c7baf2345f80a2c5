/**
 * One request in flight at a time, each reply matched to the request that was sent, with a timeout and an
 * AbortSignal per request — the "waitress" of zigbee-herdsman, reduced to what a line protocol without
 * request ids needs. The control socket has no ids: a reply belongs to whichever command was sent last, so
 * sending a second command before the first is answered would make the replies ambiguous.
 */

/** wpa_ctrl.c's wpa_ctrl_request waits 10 s for a reply; so does wpa_cli. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface RequestOptions {
  /** Milliseconds to wait for the reply once the command is sent. Default 10 000. */
  timeoutMs?: number;
  /** Aborts the request, queued or in flight; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

export interface RequestQueueTransport {
  /**
   * Sends one command. A rejection (or a synchronous throw) fails that request only. A transport may hand
   * over the reply (deliverReply) before it returns; the request then never needs a timeout timer.
   */
  send(command: string): Promise<void> | void;
  /** The error for a request that got no reply in time. */
  timeoutError(command: string, timeoutMs: number): Error;
  /**
   * The in-flight request was given up (timeout or abort) but its reply may still arrive. `'next'`: the
   * transport has made sure it will not (e.g. by replacing its socket), send the next command now. `'hold'`:
   * keep the slot until the late reply comes and discard that reply.
   */
  abandoned(command: string): 'next' | 'hold';
}

interface PendingRequest {
  command: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  resolve: (reply: string) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout | undefined;
  onAbort: (() => void) | undefined;
}

export class RequestQueue {
  readonly #transport: RequestQueueTransport;
  readonly #waiting: PendingRequest[] = [];
  #inFlight: PendingRequest | null = null;
  /** An abandoned request whose late reply must be swallowed before the next command goes out. */
  #holding = false;
  /** #sendNext is running: a reply delivered during send() must not send the next command recursively. */
  #sending = false;
  #sendAgain = false;

  constructor(transport: RequestQueueTransport) {
    this.#transport = transport;
  }

  /** Requests sent or waiting to be sent. */
  get size(): number {
    return this.#waiting.length + (this.#inFlight === null ? 0 : 1);
  }

  /** True while a sent command awaits its reply (including an abandoned one being held). */
  get awaitingReply(): boolean {
    return this.#inFlight !== null || this.#holding;
  }

  enqueue(command: string, options: RequestOptions = {}): Promise<string> {
    const { timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS, signal } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise<string>((resolve, reject) => {
      const request: PendingRequest = {
        command,
        timeoutMs,
        signal,
        resolve,
        reject,
        timer: undefined,
        onAbort: undefined,
      };
      if (signal !== undefined) {
        request.onAbort = () => this.#giveUp(request, signal.reason);
        signal.addEventListener('abort', request.onAbort, { once: true });
      }
      this.#waiting.push(request);
      this.#sendNext();
    });
  }

  /** Hands a reply to the in-flight request. Returns false when nothing was waiting for one (a stray reply). */
  deliverReply(reply: string): boolean {
    return this.#complete((request) => request.resolve(reply));
  }

  /** Ends the in-flight request with an error that came instead of its reply (e.g. wpa_cli's own timeout). */
  deliverFailure(error: unknown): boolean {
    return this.#complete((request) => request.reject(error));
  }

  #complete(settle: (request: PendingRequest) => void): boolean {
    const request = this.#inFlight;
    if (request !== null) {
      this.#inFlight = null;
      this.#settle(request);
      settle(request);
    } else if (this.#holding) {
      this.#holding = false;
    } else {
      return false;
    }
    this.#sendNext();
    return true;
  }

  /** Rejects every request, sent or waiting, e.g. when the connection closes. The queue stays usable. */
  failAll(error: unknown): void {
    const requests = this.#inFlight === null ? [...this.#waiting] : [this.#inFlight, ...this.#waiting];
    this.#inFlight = null;
    this.#holding = false;
    this.#waiting.length = 0;
    for (const request of requests) {
      this.#settle(request);
      request.reject(error);
    }
  }

  #sendNext(): void {
    if (this.#sending) {
      this.#sendAgain = true;
      return;
    }
    this.#sending = true;
    try {
      do {
        this.#sendAgain = false;
        this.#sendOne();
      } while (this.#sendAgain);
    } finally {
      this.#sending = false;
    }
  }

  #sendOne(): void {
    if (this.#inFlight !== null || this.#holding) return;
    const request = this.#waiting.shift();
    if (request === undefined) return;
    this.#inFlight = request;
    let sent: Promise<void> | void;
    try {
      sent = this.#transport.send(request.command);
    } catch (error) {
      this.#sendFailed(request, error);
      return;
    }
    sent?.catch((error: unknown) => this.#sendFailed(request, error));
    // Answered during send(): no timer to set and clear.
    if (this.#inFlight !== request) return;
    request.timer = setTimeout(
      () => this.#giveUp(request, this.#transport.timeoutError(request.command, request.timeoutMs)),
      request.timeoutMs,
    );
  }

  #sendFailed(request: PendingRequest, error: unknown): void {
    if (this.#inFlight !== request) return;
    // Nothing was sent, so no reply can come: the next command may go out at once.
    this.#inFlight = null;
    this.#settle(request);
    request.reject(error);
    this.#sendNext();
  }

  #giveUp(request: PendingRequest, error: unknown): void {
    this.#settle(request);
    if (request === this.#inFlight) {
      this.#inFlight = null;
      this.#holding = this.#transport.abandoned(request.command) === 'hold';
      request.reject(error);
      this.#sendNext();
      return;
    }
    const index = this.#waiting.indexOf(request);
    if (index !== -1) {
      this.#waiting.splice(index, 1);
      request.reject(error);
    }
  }

  #settle(request: PendingRequest): void {
    clearTimeout(request.timer);
    if (request.onAbort !== undefined) request.signal?.removeEventListener('abort', request.onAbort);
  }
}
