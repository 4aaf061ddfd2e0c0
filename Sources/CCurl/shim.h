#ifndef TOKEN_WARDEN_CCURL_SHIM_H
#define TOKEN_WARDEN_CCURL_SHIM_H

#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

// curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic macros that Swift
// cannot call; these typed wrappers are the only way Swift reaches them.

static inline CURLcode tw_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tw_easy_setopt_offt(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tw_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tw_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tw_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tw_easy_setopt_blob(CURL *h, CURLoption o, void *data, size_t len) {
    struct curl_blob blob = { data, len, CURL_BLOB_COPY };
    return curl_easy_setopt(h, o, &blob);
}

typedef size_t (*tw_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*tw_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode tw_easy_setopt_write_function(CURL *h, tw_data_callback f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode tw_easy_setopt_header_function(CURL *h, tw_data_callback f) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }
static inline CURLcode tw_easy_setopt_xferinfo_function(CURL *h, tw_xferinfo_callback f) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }

static inline CURLcode tw_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tw_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLSHcode tw_share_setopt_long(CURLSH *s, CURLSHoption o, long v) { return curl_share_setopt(s, o, v); }
static inline CURLMcode tw_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

// CURL_WRITEFUNC_PAUSE and CURLPAUSE_CONT are macros Swift imports poorly.
static inline size_t tw_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline int tw_pause_cont(void) { return CURLPAUSE_CONT; }

// The multi loop's socket interface (curl_multi_socket_action): libcurl names the sockets it
// waits on and a timer, the loop waits on them with epoll and tells libcurl which one is ready,
// so only that transfer runs. Glibc's Swift module has neither epoll nor eventfd.
typedef int (*tw_socket_callback)(CURL *easy, curl_socket_t s, int what, void *clientp, void *socketp);
typedef int (*tw_timer_callback)(CURLM *multi, long timeout_ms, void *clientp);

static inline CURLMcode tw_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode tw_multi_setopt_socket_function(CURLM *m, tw_socket_callback f) { return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, f); }
static inline CURLMcode tw_multi_setopt_timer_function(CURLM *m, tw_timer_callback f) { return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, f); }
static inline curl_socket_t tw_socket_timeout(void) { return CURL_SOCKET_TIMEOUT; }

static inline int tw_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

// Watches fd for what libcurl asked (CURL_POLL_IN/OUT/INOUT), adding it or changing it.
static inline int tw_epoll_watch(int ep, int fd, int what) {
    struct epoll_event event = {0};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.fd = fd;
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &event) == 0) return 0;
    if (errno != ENOENT) return -1;
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event);
}

// Stops watching fd (already gone when libcurl closed it first: not an error).
static inline int tw_epoll_unwatch(int ep, int fd) {
    if (epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) == 0 || errno == ENOENT || errno == EBADF) return 0;
    return -1;
}

// Waits up to timeout_ms (-1: no limit) and gives each ready fd with the CURL_CSELECT_* bits
// for it. A hang-up or an error counts as readable (and writable): libcurl's next read or
// write then finds the end or the error and completes the transfer with it.
static inline int tw_epoll_wait(int ep, int *fds, int *actions, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int n = epoll_wait(ep, events, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        uint32_t e = events[i].events;
        fds[i] = events[i].data.fd;
        actions[i] = ((e & (EPOLLIN | EPOLLHUP | EPOLLERR)) ? CURL_CSELECT_IN : 0) | ((e & (EPOLLOUT | EPOLLERR)) ? CURL_CSELECT_OUT : 0);
    }
    return n;
}

static inline int tw_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline void tw_eventfd_signal(int fd) { uint64_t one = 1; (void)!write(fd, &one, sizeof one); }
static inline void tw_eventfd_drain(int fd) { uint64_t count; (void)!read(fd, &count, sizeof count); }

#endif
