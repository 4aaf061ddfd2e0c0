#define _GNU_SOURCE
#include "ctls.h"

#include <poll.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(char *err, size_t err_len, const char *what) {
    if (err == NULL || err_len == 0) return;
    unsigned long code = ERR_get_error();
    if (code != 0) {
        char detail[256];
        ERR_error_string_n(code, detail, sizeof(detail));
        snprintf(err, err_len, "%s: %s", what, detail);
    } else {
        snprintf(err, err_len, "%s", what);
    }
    ERR_clear_error();
}

void ctls_free_string(char *s) { free(s); }

static char *bio_to_string(BIO *bio) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    char *copy = malloc((size_t)length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, data, (size_t)length);
    copy[length] = 0;
    return copy;
}

static char *certificate_pem(X509 *cert) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return NULL;
    char *out = NULL;
    if (PEM_write_bio_X509(bio, cert) == 1) out = bio_to_string(bio);
    BIO_free(bio);
    return out;
}

static char *key_pem(EVP_PKEY *key) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return NULL;
    char *out = NULL;
    if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) == 1) out = bio_to_string(bio);
    BIO_free(bio);
    return out;
}

static X509 *parse_certificate(const char *pem) {
    BIO *bio = BIO_new_mem_buf(pem, -1);
    if (bio == NULL) return NULL;
    X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return cert;
}

static EVP_PKEY *parse_key(const char *pem) {
    BIO *bio = BIO_new_mem_buf(pem, -1);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return key;
}

static int random_serial(X509 *cert) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) return 0;
    bytes[0] &= 0x7f;  // positive
    BIGNUM *bn = BN_bin2bn(bytes, sizeof(bytes), NULL);
    if (bn == NULL) return 0;
    int ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    return ok;
}

static int add_extension(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

/// A new certificate skeleton: version 3, random serial, validity from one hour ago.
static X509 *new_certificate(EVP_PKEY *subject_key, long valid_days) {
    X509 *cert = X509_new();
    if (cert == NULL) return NULL;
    if (X509_set_version(cert, 2) != 1 || !random_serial(cert) ||
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600) == NULL ||
        X509_gmtime_adj(X509_getm_notAfter(cert), valid_days * 24L * 3600L) == NULL ||
        X509_set_pubkey(cert, subject_key) != 1) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

int ctls_generate_ca(const char *common_name, char **cert_pem, char **key_pem_out, char *err, size_t err_len) {
    *cert_pem = NULL;
    *key_pem_out = NULL;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    if (key == NULL) { set_error(err, err_len, "generating the CA key"); return -1; }
    X509 *cert = new_certificate(key, 3650);
    int rc = -1;
    if (cert == NULL) { set_error(err, err_len, "creating the CA certificate"); goto done; }
    X509_NAME *name = X509_get_subject_name(cert);
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert, name) != 1 ||
        !add_extension(cert, cert, NID_basic_constraints, "critical,CA:TRUE") ||
        !add_extension(cert, cert, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign") ||
        !add_extension(cert, cert, NID_subject_key_identifier, "hash") ||
        X509_sign(cert, key, EVP_sha256()) == 0) {
        set_error(err, err_len, "signing the CA certificate");
        goto done;
    }
    *cert_pem = certificate_pem(cert);
    *key_pem_out = key_pem(key);
    if (*cert_pem == NULL || *key_pem_out == NULL) {
        set_error(err, err_len, "encoding the CA as PEM");
        free(*cert_pem); free(*key_pem_out);
        *cert_pem = NULL; *key_pem_out = NULL;
        goto done;
    }
    rc = 0;
done:
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

int ctls_issue_certificate(const char *ca_cert_pem, const char *ca_key_pem, const char *common_name,
                           const char *const *organizations, int organization_count,
                           const char *const *dns_names, int dns_count,
                           const char *const *ip_addresses, int ip_count, int server,
                           char **cert_pem, char **key_pem_out, char *err, size_t err_len) {
    *cert_pem = NULL;
    *key_pem_out = NULL;
    int rc = -1;
    X509 *ca = parse_certificate(ca_cert_pem);
    EVP_PKEY *ca_key = parse_key(ca_key_pem);
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    if (ca == NULL || ca_key == NULL) { set_error(err, err_len, "reading the CA certificate or key"); goto done; }
    key = EVP_EC_gen("P-256");
    if (key == NULL) { set_error(err, err_len, "generating a key"); goto done; }
    cert = new_certificate(key, 365);
    if (cert == NULL) { set_error(err, err_len, "creating a certificate"); goto done; }
    X509_NAME *name = X509_get_subject_name(cert);
    for (int i = 0; i < organization_count; i++) {
        if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)organizations[i], -1, -1, 0) != 1) {
            set_error(err, err_len, "adding an organization"); goto done;
        }
    }
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert, X509_get_subject_name(ca)) != 1) {
        set_error(err, err_len, "setting the subject"); goto done;
    }
    // subjectAltName: "DNS:a,IP:1.2.3.4"
    size_t san_length = 1;
    for (int i = 0; i < dns_count; i++) san_length += strlen(dns_names[i]) + 5;
    for (int i = 0; i < ip_count; i++) san_length += strlen(ip_addresses[i]) + 4;
    char *san = calloc(san_length, 1);
    if (san == NULL) { set_error(err, err_len, "out of memory"); goto done; }
    for (int i = 0; i < dns_count; i++) {
        if (san[0]) strcat(san, ",");
        strcat(san, "DNS:"); strcat(san, dns_names[i]);
    }
    for (int i = 0; i < ip_count; i++) {
        if (san[0]) strcat(san, ",");
        strcat(san, "IP:"); strcat(san, ip_addresses[i]);
    }
    int ok = add_extension(cert, ca, NID_basic_constraints, "critical,CA:FALSE") &&
             add_extension(cert, ca, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
             add_extension(cert, ca, NID_ext_key_usage, server ? "serverAuth" : "clientAuth") &&
             add_extension(cert, ca, NID_authority_key_identifier, "keyid:always") &&
             (san[0] == 0 || add_extension(cert, ca, NID_subject_alt_name, san));
    free(san);
    if (!ok) { set_error(err, err_len, "adding certificate extensions"); goto done; }
    if (X509_sign(cert, ca_key, EVP_sha256()) == 0) { set_error(err, err_len, "signing the certificate"); goto done; }
    *cert_pem = certificate_pem(cert);
    *key_pem_out = key_pem(key);
    if (*cert_pem == NULL || *key_pem_out == NULL) {
        set_error(err, err_len, "encoding the certificate as PEM");
        free(*cert_pem); free(*key_pem_out);
        *cert_pem = NULL; *key_pem_out = NULL;
        goto done;
    }
    rc = 0;
done:
    X509_free(cert);
    EVP_PKEY_free(key);
    X509_free(ca);
    EVP_PKEY_free(ca_key);
    return rc;
}

static int select_http11(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                         const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    static const unsigned char http11[] = "http/1.1";
    unsigned int i = 0;
    while (i < inlen) {
        unsigned int len = in[i];
        if (i + 1 + len > inlen) break;
        if (len == 8 && memcmp(in + i + 1, http11, 8) == 0) {
            *out = in + i + 1;
            *outlen = 8;
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + len;
    }
    // No common protocol: continue without ALPN (the client then speaks HTTP/1.1 by default).
    return SSL_TLSEXT_ERR_NOACK;
}

static int accept_any_then_check(int preverify_ok, X509_STORE_CTX *ctx) {
    (void)ctx;
    (void)preverify_ok;
    // The handshake goes on whatever the client presents (or not: SSL_VERIFY_FAIL_IF_NO_PEER_CERT
    // is not set); the verification result is kept (SSL_get_verify_result) and checked by
    // ctls_peer_common_name, so an untrusted certificate is a 401 from the handler, not a reset.
    return 1;
}

void *ctls_server_context_new(const char *cert_pem, const char *key_pem_in, const char *client_ca_pem,
                              char *err, size_t err_len) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) { set_error(err, err_len, "creating the TLS context"); return NULL; }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
    X509 *cert = parse_certificate(cert_pem);
    EVP_PKEY *key = parse_key(key_pem_in);
    int ok = cert != NULL && key != NULL && SSL_CTX_use_certificate(ctx, cert) == 1 &&
             SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) {
        set_error(err, err_len, "loading the server certificate and key");
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_alpn_select_cb(ctx, select_http11, NULL);
    if (client_ca_pem != NULL) {
        // Every certificate of the bundle (a CA being rotated is trusted beside its successor).
        BIO *bio = BIO_new_mem_buf(client_ca_pem, -1);
        int loaded = 0;
        X509 *ca = NULL;
        while (bio != NULL && (ca = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
            int added = X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca) == 1;
            X509_free(ca);
            if (!added) { loaded = 0; break; }
            loaded++;
        }
        BIO_free(bio);
        if (loaded == 0) {
            set_error(err, err_len, "loading the client CA");
            SSL_CTX_free(ctx);
            return NULL;
        }
        ERR_clear_error();  // the end of the bundle leaves a "no start line" error behind
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_then_check);
        // No session resumption where clients are verified: every connection shows its
        // certificate to the current CA (one rotated out must not live on in a ticket), and a
        // resumption attempt must not fail the handshake ("session id context uninitialized").
        static const unsigned char session_context[] = "token-warden";
        SSL_CTX_set_session_id_context(ctx, session_context, sizeof(session_context) - 1);
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        SSL_CTX_set_num_tickets(ctx, 0);
    }
    return ctx;
}

void ctls_server_context_free(void *context) { SSL_CTX_free((SSL_CTX *)context); }

void *ctls_accept(void *context, int fd, char *err, size_t err_len) {
    SSL *ssl = SSL_new((SSL_CTX *)context);
    if (ssl == NULL) { set_error(err, err_len, "creating a TLS connection"); return NULL; }
    if (SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1) {
        set_error(err, err_len, "TLS handshake failed");
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

int ctls_read(void *connection, void *buffer, int length) {
    SSL *ssl = (SSL *)connection;
    int n = SSL_read(ssl, buffer, length);
    if (n > 0) return n;
    int reason = SSL_get_error(ssl, n);
    ERR_clear_error();
    return reason == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

int ctls_write_all(void *connection, const void *buffer, int length) {
    SSL *ssl = (SSL *)connection;
    const char *p = buffer;
    while (length > 0) {
        int n = SSL_write(ssl, p, length);
        if (n <= 0) { ERR_clear_error(); return -1; }
        p += n;
        length -= n;
    }
    return 0;
}

int ctls_pending(void *connection) { return SSL_pending((SSL *)connection); }

int ctls_peer_common_name(void *connection, char *buffer, size_t length) {
    SSL *ssl = (SSL *)connection;
    X509 *peer = SSL_get1_peer_certificate(ssl);
    if (peer == NULL) return -1;
    int rc = -1;
    if (SSL_get_verify_result(ssl) == X509_V_OK &&
        X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buffer, (int)length) > 0) {
        rc = 0;
    }
    X509_free(peer);
    return rc;
}

int ctls_peer_presented_certificate(void *connection) {
    X509 *peer = SSL_get1_peer_certificate((SSL *)connection);
    if (peer == NULL) return 0;
    X509_free(peer);
    return 1;
}

void ctls_close(void *connection, int graceful) {
    SSL *ssl = (SSL *)connection;
    if (graceful) SSL_shutdown(ssl);
    SSL_free(ssl);
    ERR_clear_error();
}

int ctls_socket_peer_gone(int fd) {
#ifdef POLLRDHUP
    short interest = POLLRDHUP;
#else
    short interest = POLLIN;
#endif
    struct pollfd entry = {.fd = fd, .events = interest, .revents = 0};
    if (poll(&entry, 1, 0) <= 0) return 0;
#ifdef POLLRDHUP
    return (entry.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
#else
    return (entry.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
#endif
}
