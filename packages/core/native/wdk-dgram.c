/*
 * wdk-dgram: the UNIX datagram socket under @wdk/core's control client (src/ctrl/unix-dgram-socket.ts), a
 * small N-API addon built with the system C compiler against Node's own headers (native/build.mjs; no
 * node-gyp, no download). When it cannot be built or loaded, the client falls back to node-unix-socket.
 *
 * What it does that node-unix-socket does not: it receives into one buffer allocated once per socket (no
 * 64 KiB zero-fill per datagram), hands each datagram to JavaScript from the libuv poll callback directly
 * (no process.nextTick hop), and it offers a synchronous receive with a short, bounded wait
 * (`recv(handle, spinUs, waitUs)`): wpa_supplicant answers a request in a few microseconds, so the client
 * can take the reply without a trip through the event loop. The wait is bounded (the caller passes at most
 * ~100 µs); the spin part (non-blocking recv in a loop) is shorter still, the rest sleeps in ppoll, so a
 * daemon that does not answer costs no CPU beyond the spin.
 *
 * Exports (handle = an external; errors are thrown as Error with `code` = errno name and `syscall`):
 *   open() → handle                      socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC)
 *   bind(handle, path)
 *   sendTo(handle, data, path)           one datagram (Buffer, or string sent as UTF-8); EAGAIN when the
 *                                        receiver's queue is full
 *   recv(handle, spinUs, waitUs) → string | undefined
 *                                        one datagram as UTF-8 text, or undefined when none came in time
 *   start(handle, callback)              callback(error | null, buffer, fromPath) per datagram, from libuv
 *   ref(handle, bool)                    whether an active poll keeps the event loop alive (default yes)
 *   close(handle)
 *   releaseFreedMemory() → boolean       malloc_trim(0) (glibc): hands the pages of freed heap memory back to
 *                                        the system; true when some were. Always false without glibc (musl
 *                                        and others keep no such cache to trim). Nothing to do with sockets:
 *                                        it lives here because this is the addon @wdk/core already builds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* node-unix-socket delivered datagrams up to 65 535 bytes whole; so do we (wpa_supplicant sends ≤ 4 KiB). */
#define RECV_BUFFER_SIZE 65536
/* Datagrams handled per poll wake-up before the loop gets its turn again. */
#define MAX_PER_WAKEUP 64
/* No caller should ever block the event loop longer than this, whatever it asks. */
#define MAX_WAIT_US 1000

typedef struct {
  napi_env env;
  int fd;
  int closed;
  int polling;
  int in_callback;
  uv_poll_t *poll;
  napi_ref callback;
  napi_async_context async_context;
  char *buffer;
} socket_t;

#define CHECK(call)                                                                                          \
  do {                                                                                                       \
    if ((call) != napi_ok) return NULL;                                                                      \
  } while (0)

static const char *errno_name(int error) {
  switch (error) {
  case ENOENT: return "ENOENT";
  case ECONNREFUSED: return "ECONNREFUSED";
  case EACCES: return "EACCES";
  case EPERM: return "EPERM";
  case EADDRINUSE: return "EADDRINUSE";
  case EAGAIN: return "EAGAIN";
  case ENOBUFS: return "ENOBUFS";
  case EMSGSIZE: return "EMSGSIZE";
  case ENOTDIR: return "ENOTDIR";
  case ENAMETOOLONG: return "ENAMETOOLONG";
  case EPROTOTYPE: return "EPROTOTYPE";
  case EBADF: return "EBADF";
  case EINVAL: return "EINVAL";
  case ENOTCONN: return "ENOTCONN";
  case ECONNRESET: return "ECONNRESET";
  case EINTR: return "EINTR";
  case ENOMEM: return "ENOMEM";
  case EDESTADDRREQ: return "EDESTADDRREQ";
  default: return "UNKNOWN";
  }
}

static napi_value make_error(napi_env env, int error, const char *syscall) {
  napi_value code, message, result, name;
  napi_create_string_utf8(env, errno_name(error), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, strerror(error), NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &result);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, result, "syscall", name);
  napi_value errno_value;
  napi_create_int32(env, -error, &errno_value);
  napi_set_named_property(env, result, "errno", errno_value);
  return result;
}

static napi_value throw_errno(napi_env env, int error, const char *syscall) {
  napi_throw(env, make_error(env, error, syscall));
  return NULL;
}

static void free_poll(uv_handle_t *handle) { free(handle); }

static void release_callback(socket_t *s);

/* Stops polling and closes the descriptor; the JS callback reference goes too. Idempotent. */
static void close_socket(socket_t *s) {
  if (s->closed) return;
  s->closed = 1;
  if (s->poll != NULL) {
    /* uv_close on a poll handle takes the descriptor out of epoll at once (uv__platform_invalidate_fd). */
    uv_close((uv_handle_t *)s->poll, free_poll);
    s->poll = NULL;
  }
  s->polling = 0;
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  /* Closed by the JS callback itself: the callback and its async context are still in use until it returns. */
  if (s->in_callback) return;
  release_callback(s);
}

static void release_callback(socket_t *s) {
  if (s->callback != NULL) {
    napi_delete_reference(s->env, s->callback);
    s->callback = NULL;
  }
  if (s->async_context != NULL) {
    napi_async_destroy(s->env, s->async_context);
    s->async_context = NULL;
  }
}

static void finalize_socket(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  socket_t *s = data;
  close_socket(s);
  free(s->buffer);
  free(s);
}

static socket_t *get_socket(napi_env env, napi_value value) {
  void *data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok || data == NULL) {
    napi_throw_type_error(env, NULL, "not a wdk-dgram socket");
    return NULL;
  }
  return data;
}

/* Fills `addr` from a JS string; throws and returns -1 when it does not fit sun_path. */
static int get_address(napi_env env, napi_value value, struct sockaddr_un *addr, socklen_t *length,
                       const char *syscall) {
  size_t size = 0;
  memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &size) != napi_ok) {
    napi_throw_type_error(env, NULL, "the socket path must be a string");
    return -1;
  }
  if (size == 0 || size >= sizeof(addr->sun_path)) {
    throw_errno(env, size == 0 ? ENOENT : ENAMETOOLONG, syscall);
    return -1;
  }
  napi_get_value_string_utf8(env, value, addr->sun_path, sizeof(addr->sun_path), &size);
  *length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + size + 1);
  return 0;
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  socket_t *s = calloc(1, sizeof(*s));
  char *buffer = malloc(RECV_BUFFER_SIZE);
  if (s == NULL || buffer == NULL) {
    free(s);
    free(buffer);
    close(fd);
    return throw_errno(env, ENOMEM, "socket");
  }
  s->env = env;
  s->fd = fd;
  s->buffer = buffer;
  napi_value result;
  if (napi_create_external(env, s, finalize_socket, NULL, &result) != napi_ok) {
    close(fd);
    free(buffer);
    free(s);
    return NULL;
  }
  return result;
}

static napi_value js_bind(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  socket_t *s = get_socket(env, argv[0]);
  if (s == NULL) return NULL;
  if (s->closed) return throw_errno(env, EBADF, "bind");
  struct sockaddr_un addr;
  socklen_t length;
  if (get_address(env, argv[1], &addr, &length, "bind") != 0) return NULL;
  if (bind(s->fd, (struct sockaddr *)&addr, length) != 0) return throw_errno(env, errno, "bind");
  return NULL;
}

static napi_value js_send_to(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  socket_t *s = get_socket(env, argv[0]);
  if (s == NULL) return NULL;
  if (s->closed) return throw_errno(env, EBADF, "sendto");
  struct sockaddr_un addr;
  socklen_t length;
  if (get_address(env, argv[2], &addr, &length, "sendto") != 0) return NULL;
  /* A string is sent as UTF-8 without a Buffer in between (commands are short: the stack holds them). */
  char stack[4096];
  char *text = NULL;
  void *data = NULL;
  size_t size = 0;
  napi_valuetype type;
  CHECK(napi_typeof(env, argv[1], &type));
  if (type == napi_string) {
    CHECK(napi_get_value_string_utf8(env, argv[1], NULL, 0, &size));
    text = size < sizeof(stack) ? stack : malloc(size + 1);
    if (text == NULL) return throw_errno(env, ENOMEM, "sendto");
    napi_get_value_string_utf8(env, argv[1], text, size + 1, &size);
    data = text;
  } else if (napi_get_buffer_info(env, argv[1], &data, &size) != napi_ok) {
    napi_throw_type_error(env, NULL, "the datagram must be a Buffer or a string");
    return NULL;
  }
  ssize_t sent;
  do {
    sent = sendto(s->fd, data, size, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&addr, length);
  } while (sent < 0 && errno == EINTR);
  int error = errno;
  if (text != NULL && text != stack) free(text);
  if (sent < 0) return throw_errno(env, error, "sendto");
  return NULL;
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One non-blocking recvfrom; returns its result (errno set when negative). */
static ssize_t receive_one(socket_t *s, struct sockaddr_un *from, socklen_t *from_length) {
  ssize_t n;
  do {
    *from_length = sizeof(*from);
    n = recvfrom(s->fd, s->buffer, RECV_BUFFER_SIZE, MSG_DONTWAIT, (struct sockaddr *)from, from_length);
  } while (n < 0 && errno == EINTR);
  return n;
}

/*
 * recv(handle, spinUs, waitUs): the next datagram as a string, or undefined when none arrived in time. It
 * first retries a non-blocking recv for up to spinUs, then sleeps in ppoll for the rest of waitUs; both are
 * capped at MAX_WAIT_US.
 */
static napi_value js_recv(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  socket_t *s = get_socket(env, argv[0]);
  if (s == NULL) return NULL;
  if (s->closed) return throw_errno(env, EBADF, "recvfrom");
  double spin_us = 0, wait_us = 0;
  if (argc > 1) napi_get_value_double(env, argv[1], &spin_us);
  if (argc > 2) napi_get_value_double(env, argv[2], &wait_us);
  if (!(spin_us > 0)) spin_us = 0;
  if (!(wait_us > 0)) wait_us = 0;
  if (wait_us > MAX_WAIT_US) wait_us = MAX_WAIT_US;
  if (spin_us > wait_us) spin_us = wait_us;

  struct sockaddr_un from;
  socklen_t from_length;
  ssize_t n = receive_one(s, &from, &from_length);
  if (n < 0 && errno == EAGAIN && wait_us > 0) {
    int64_t start = now_ns();
    int64_t spin_end = start + (int64_t)(spin_us * 1000);
    int64_t wait_end = start + (int64_t)(wait_us * 1000);
    while (n < 0 && errno == EAGAIN && now_ns() < spin_end) n = receive_one(s, &from, &from_length);
    while (n < 0 && errno == EAGAIN) {
      int64_t left = wait_end - now_ns();
      if (left <= 0) break;
      struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
      struct timespec timeout = {.tv_sec = left / 1000000000LL, .tv_nsec = left % 1000000000LL};
      int ready = ppoll(&pfd, 1, &timeout, NULL);
      if (ready < 0 && errno != EINTR) return throw_errno(env, errno, "ppoll");
      n = receive_one(s, &from, &from_length);
      if (ready == 0 && n < 0 && errno == EAGAIN) break;
    }
  }
  if (n < 0) {
    if (errno == EAGAIN) return NULL;
    return throw_errno(env, errno, "recvfrom");
  }
  napi_value text;
  CHECK(napi_create_string_utf8(env, s->buffer, (size_t)n, &text));
  return text;
}

static void report(socket_t *s, napi_value error, napi_value data, napi_value from) {
  napi_env env = s->env;
  napi_value callback, global, result;
  if (napi_get_reference_value(env, s->callback, &callback) != napi_ok || callback == NULL) return;
  napi_get_global(env, &global);
  napi_value argv[3] = {error, data, from};
  s->in_callback = 1;
  napi_status status = napi_make_callback(env, s->async_context, global, callback, 3, argv, &result);
  s->in_callback = 0;
  if (s->closed) release_callback(s);
  if (status == napi_pending_exception) {
    napi_value exception;
    napi_get_and_clear_last_exception(env, &exception);
    napi_fatal_exception(env, exception);
  }
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  socket_t *s = handle->data;
  if (s == NULL || s->closed) return;
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value undefined, null;
  napi_get_undefined(env, &undefined);
  napi_get_null(env, &null);
  if (status < 0) {
    report(s, make_error(env, -status, "poll"), undefined, undefined);
    napi_close_handle_scope(env, scope);
    return;
  }
  for (int i = 0; i < MAX_PER_WAKEUP && !s->closed; i++) {
    struct sockaddr_un from;
    socklen_t from_length;
    ssize_t n = receive_one(s, &from, &from_length);
    if (n < 0) {
      if (errno != EAGAIN) report(s, make_error(env, errno, "recvfrom"), undefined, undefined);
      break;
    }
    napi_handle_scope inner;
    if (napi_open_handle_scope(env, &inner) != napi_ok) break;
    napi_value data, path;
    void *copy;
    napi_create_buffer_copy(env, (size_t)n, s->buffer, &copy, &data);
    size_t path_length = 0;
    if (from_length > offsetof(struct sockaddr_un, sun_path)) {
      path_length = strnlen(from.sun_path, from_length - offsetof(struct sockaddr_un, sun_path));
    }
    napi_create_string_utf8(env, from.sun_path, path_length, &path);
    report(s, null, data, path);
    napi_close_handle_scope(env, inner);
  }
  napi_close_handle_scope(env, scope);
}

static napi_value js_start(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  socket_t *s = get_socket(env, argv[0]);
  if (s == NULL) return NULL;
  if (s->closed) return throw_errno(env, EBADF, "poll");
  if (s->polling) return NULL;
  uv_loop_t *loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  CHECK(napi_create_reference(env, argv[1], 1, &s->callback));
  napi_value resource, name;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "wdk-dgram", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_async_init(env, resource, name, &s->async_context));
  s->poll = malloc(sizeof(uv_poll_t));
  if (s->poll == NULL) return throw_errno(env, ENOMEM, "poll");
  int error = uv_poll_init(loop, s->poll, s->fd);
  if (error == 0) {
    s->poll->data = s;
    error = uv_poll_start(s->poll, UV_READABLE, on_readable);
    if (error != 0) {
      uv_close((uv_handle_t *)s->poll, free_poll);
      s->poll = NULL;
    }
  } else {
    free(s->poll);
    s->poll = NULL;
  }
  if (error != 0) return throw_errno(env, -error, "poll");
  s->polling = 1;
  return NULL;
}

static napi_value js_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  socket_t *s = get_socket(env, argv[0]);
  if (s == NULL) return NULL;
  bool ref = true;
  napi_get_value_bool(env, argv[1], &ref);
  if (s->poll != NULL) {
    if (ref) uv_ref((uv_handle_t *)s->poll);
    else uv_unref((uv_handle_t *)s->poll);
  }
  return NULL;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  socket_t *s = get_socket(env, argv[0]);
  if (s == NULL) return NULL;
  close_socket(s);
  return NULL;
}

/*
 * glibc's malloc keeps memory that was freed in its arenas (the main heap and one per thread) for reuse, and
 * gives it back to the kernel only when the top of a heap is free. malloc_trim(0) walks every arena and
 * releases (MADV_DONTNEED) each free page, wherever it lies. It holds each arena's lock while it walks it, a
 * few hundred microseconds for the agent's heaps; callers run it when idle (the agent: src/memory-release.ts).
 */
static napi_value js_release_freed_memory(napi_env env, napi_callback_info info) {
  napi_value result;
#ifdef __GLIBC__
  int released = malloc_trim(0);
#else
  int released = 0;
#endif
  CHECK(napi_get_boolean(env, released != 0, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"bind", NULL, js_bind, NULL, NULL, NULL, napi_default, NULL},
      {"sendTo", NULL, js_send_to, NULL, NULL, NULL, napi_default, NULL},
      {"recv", NULL, js_recv, NULL, NULL, NULL, napi_default, NULL},
      {"start", NULL, js_start, NULL, NULL, NULL, napi_default, NULL},
      {"ref", NULL, js_ref, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
      {"releaseFreedMemory", NULL, js_release_freed_memory, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties) != napi_ok)
    return NULL;
  return exports;
}
