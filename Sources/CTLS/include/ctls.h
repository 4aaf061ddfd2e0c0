#ifndef TOKEN_WARDEN_CTLS_H
#define TOKEN_WARDEN_CTLS_H

#include <stddef.h>

// A thin C layer over OpenSSL: certificate generation (ECDSA P-256, SHA-256) and server-side TLS
// over an already accepted socket. Every function that can fail writes a message into `err`.

#ifdef __cplusplus
extern "C" {
#endif

/// Frees strings returned by this library.
void ctls_free_string(char *s);

/// A self-signed CA certificate valid for 10 years. Returns 0 on success; the caller frees both PEMs.
int ctls_generate_ca(const char *common_name, char **cert_pem, char **key_pem, char *err, size_t err_len);

/// A leaf certificate signed by the CA, valid for 1 year. `dns_names`/`ip_addresses` become SANs;
/// `organizations` become O= entries; `server` selects serverAuth (else clientAuth) usage.
int ctls_issue_certificate(const char *ca_cert_pem, const char *ca_key_pem, const char *common_name,
                           const char *const *organizations, int organization_count,
                           const char *const *dns_names, int dns_count,
                           const char *const *ip_addresses, int ip_count, int server,
                           char **cert_pem, char **key_pem, char *err, size_t err_len);

/// A server context (TLS 1.2+, ALPN "http/1.1" only). `client_ca_pem` may be NULL; when set, client
/// certificates are requested (not required) and verified against it. A certificate that does not
/// verify does not fail the handshake (as Go's RequestClientCert): the request is then answered by
/// the handler (401), see ctls_peer_common_name and ctls_peer_presented_certificate.
void *ctls_server_context_new(const char *cert_pem, const char *key_pem, const char *client_ca_pem,
                              char *err, size_t err_len);
void ctls_server_context_free(void *context);

/// Runs the server handshake on `fd` (blocking). Returns the connection or NULL.
void *ctls_accept(void *context, int fd, char *err, size_t err_len);
/// >0 bytes read, 0 on orderly close, -1 on error.
int ctls_read(void *connection, void *buffer, int length);
/// Writes everything; returns 0 on success, -1 on error.
int ctls_write_all(void *connection, const void *buffer, int length);
/// Bytes already decrypted and buffered inside OpenSSL.
int ctls_pending(void *connection);
/// The verified client certificate's common name into `buffer`; 0 if present, -1 otherwise.
int ctls_peer_common_name(void *connection, char *buffer, size_t length);
/// 1 when the peer presented a certificate (verified or not), 0 otherwise.
int ctls_peer_presented_certificate(void *connection);
/// Sends close_notify when `graceful` and frees the connection (does not close the fd).
void ctls_close(void *connection, int graceful);

/// 1 when the peer of a socket hung up (FIN/RST, POLLRDHUP) or it is in error, 0 otherwise. Does not block.
int ctls_socket_peer_gone(int fd);

#ifdef __cplusplus
}
#endif

#endif
