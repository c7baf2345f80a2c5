/*
 * The practical limit for a control-interface round trip: a minimal C client doing what hostap's wpa_ctrl.c
 * does (bind a local datagram socket, connect to the daemon's socket, send "PING", read "PONG"), in a loop.
 * Usage: ping-client <ctrl socket path> <count>   → prints one round-trip time in nanoseconds per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <ctrl socket path> <count>\n", argv[0]);
    return 2;
  }
  int count = atoi(argv[2]);
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); return 1; }
  struct sockaddr_un local = { .sun_family = AF_UNIX };
  snprintf(local.sun_path, sizeof(local.sun_path), "/tmp/wdk-bench-c-%d", getpid());
  unlink(local.sun_path);
  if (bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) { perror("bind"); return 1; }
  struct sockaddr_un dest = { .sun_family = AF_UNIX };
  snprintf(dest.sun_path, sizeof(dest.sun_path), "%s", argv[1]);
  if (connect(fd, (struct sockaddr *)&dest, sizeof(dest)) < 0) { perror("connect"); unlink(local.sun_path); return 1; }
  char buf[4096];
  for (int i = 0; i < count; i++) {
    long long start = now_ns();
    if (send(fd, "PING", 4, 0) != 4) { perror("send"); break; }
    ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
    if (n < 4 || memcmp(buf, "PONG", 4) != 0) { fprintf(stderr, "unexpected reply\n"); break; }
    printf("%lld\n", now_ns() - start);
  }
  close(fd);
  unlink(local.sun_path);
  return 0;
}
