/**
 * Time for the simulator. The model never calls `setTimeout` or `Date.now()` itself: it asks a `SimClock`
 * for "radio time", so tests can run the same scenario at full hwsim speed (timeScale 1), a hundred times
 * faster (0.01), or on a manual clock that only moves when the test says so.
 */
export interface SimClock {
  /** Radio milliseconds since the clock started (already divided by the time scale). */
  now(): number;
  /** Run `fire` after `delayMs` radio milliseconds. */
  setTimer(delayMs: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

/**
 * Real time scaled by `timeScale`: a radio delay of 1000 ms waits 1000 × timeScale real ms.
 * timeScale 1 reproduces the timings measured on hwsim; 0.01 keeps tests fast.
 */
export class ScaledRealClock implements SimClock {
  readonly #timeScale: number;
  readonly #startedAt = performance.now();
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  #nextId = 1;

  constructor(timeScale: number) {
    if (!(timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
    this.#timeScale = timeScale;
  }

  get timeScale(): number {
    return this.#timeScale;
  }

  now(): number {
    return (performance.now() - this.#startedAt) / this.#timeScale;
  }

  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const id = this.#nextId++;
    const timer = setTimeout(
      () => {
        this.#timers.delete(id);
        fire();
      },
      Math.max(0, delayMs * this.#timeScale),
    );
    this.#timers.set(id, timer);
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const timer = this.#timers.get(handle.id);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(handle.id);
  }

  /** Cancels every pending timer (simulator stop). */
  clearAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

interface ManualTimer {
  id: number;
  at: number;
  fire: () => void;
}

/** A virtual clock for pure model tests: time moves only in `advance()`, timers fire in order. */
export class ManualClock implements SimClock {
  #now = 0;
  #nextId = 1;
  #timers: ManualTimer[] = [];

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, delayMs), fire };
    this.#timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle.id);
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in time order (ties in creation order). */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(until);
      if (!next) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#now = next.at;
      next.fire();
    }
    this.#now = until;
  }

  #nextDue(until: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.at > until) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.id < best.id)) best = timer;
    }
    return best;
  }
}
