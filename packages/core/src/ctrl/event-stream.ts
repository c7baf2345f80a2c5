/** The consumer of events() fell behind by more than `maxBuffered` events. */
export class EventBufferOverflowError extends Error {
  override name = 'EventBufferOverflowError';
  constructor(readonly maxBuffered: number) {
    super(`more than ${maxBuffered} events buffered: the events() consumer does not keep up`);
  }
}

/**
 * A push-to-pull bridge behind `client.events()`: events are buffered from the moment the iterator is created,
 * so none is lost between two `next()` calls. A consumer that falls too far behind gets an
 * EventBufferOverflowError rather than an unbounded buffer or silently missing events.
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  readonly #buffer: T[] = [];
  readonly #maxBuffered: number;
  #reader: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  #ended = false;
  #failure: { error: unknown } | null = null;
  readonly #onEnd: () => void;

  constructor(options: { maxBuffered: number; onEnd: () => void }) {
    this.#maxBuffered = options.maxBuffered;
    this.#onEnd = options.onEnd;
  }

  push(item: T): void {
    if (this.#ended) return;
    if (this.#reader !== null) {
      const reader = this.#reader;
      this.#reader = null;
      reader.resolve({ value: item, done: false });
      return;
    }
    if (this.#buffer.length >= this.#maxBuffered) {
      this.fail(new EventBufferOverflowError(this.#maxBuffered));
      return;
    }
    this.#buffer.push(item);
  }

  /** Ends the stream after the buffered events have been read. */
  end(): void {
    this.#finish(null);
  }

  /** Ends the stream with an error, thrown by `next()` once the buffered events have been read. */
  fail(error: unknown): void {
    this.#finish({ error });
  }

  #finish(failure: { error: unknown } | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd();
    const reader = this.#reader;
    this.#reader = null;
    // A waiting reader means the buffer is empty: hand it the outcome now.
    if (reader === null) this.#failure = failure;
    else if (failure === null) reader.resolve({ value: undefined, done: true });
    else reader.reject(failure.error);
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.#buffer.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.#failure !== null) {
      const { error } = this.#failure;
      this.#failure = null;
      return Promise.reject(error);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#reader = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#buffer.length = 0;
    this.#failure = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The open `events()` iterators of one transport: each gets every event pushed after it was opened. */
export class EventStreams<T> {
  readonly #streams = new Set<EventStream<T>>();
  #ended = false;

  open(options: { signal?: AbortSignal; maxBuffered?: number } = {}): AsyncIterableIterator<T> {
    const { signal, maxBuffered = 10_000 } = options;
    const onAbort = (): void => stream.fail(signal?.reason);
    const stream: EventStream<T> = new EventStream<T>({
      maxBuffered,
      onEnd: () => {
        this.#streams.delete(stream);
        signal?.removeEventListener('abort', onAbort);
      },
    });
    if (this.#ended) stream.end();
    else if (signal?.aborted === true) stream.fail(signal.reason);
    else {
      this.#streams.add(stream);
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    return stream;
  }

  push(item: T): void {
    for (const stream of this.#streams) stream.push(item);
  }

  /** Ends every iterator (after what it has buffered) and any opened later. */
  endAll(): void {
    this.#ended = true;
    for (const stream of [...this.#streams]) stream.end();
  }
}
