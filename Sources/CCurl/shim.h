#ifndef TOKEN_WARDEN_CCURL_SHIM_H
#define TOKEN_WARDEN_CCURL_SHIM_H

#include <curl/curl.h>

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

#endif
