import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Tells when the daemon's socket file is created or removed, through inotify on its directory (fs.watch),
 * so that a restart is noticed at once instead of at the next PING. wpa_supplicant unlinks its socket on
 * exit and rmdir()s the ctrl_interface directory when it is left empty (ctrl_iface_unix.c deinit); the watch
 * then dies with the directory, and start() must be called again once the directory is back.
 * Best effort: when the directory cannot be watched, the PING and the reconnect backoff still work.
 */
export class SocketFileWatch {
  readonly #directory: string;
  readonly #name: string;
  readonly #onChange: (renamed: boolean) => void;
  #watcher: FSWatcher | null = null;

  constructor(socketPath: string, onChange: (renamed: boolean) => void) {
    this.#directory = dirname(socketPath);
    this.#name = basename(socketPath);
    this.#onChange = onChange;
  }

  get active(): boolean {
    return this.#watcher !== null;
  }

  /** Starts watching if not already; returns whether the directory is being watched. */
  start(): boolean {
    if (this.#watcher !== null) return true;
    try {
      const watcher = watch(this.#directory, { persistent: false }, (event, filename) => {
        // Only creation and removal matter; 'change' fires for every datagram the socket receives.
        // filename can be null on some platforms; then any rename may be ours (`renamed` false: only a
        // changed inode counts there).
        if (event === 'rename' && (filename === null || filename === this.#name))
          this.#onChange(filename !== null);
      });
      watcher.on('error', () => {
        // The directory went away (or inotify failed): stop, the owner restarts us later.
        if (this.#watcher === watcher) this.stop();
        this.#onChange(false);
      });
      this.#watcher = watcher;
      return true;
    } catch {
      return false;
    }
  }

  stop(): void {
    this.#watcher?.close();
    this.#watcher = null;
  }
}
