/* SHA256_Init/Update/Final (deprecated in OpenSSL 3 for EVP, still shipped) back the prepared
   HMAC key below: no warnings for them. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <openssl/sha.h>
#include <string.h>

/* Macros Swift cannot call, as functions. */
static inline int cshims_ssl_set_server_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }
static inline int cshims_ssl_ctx_require_tls12(SSL_CTX *context) { return (int)SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION); }

/* HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states computed once: a message then
   costs only its own blocks and two plain struct copies (EVP_MAC duplicates a whole context, with
   allocations, for each message). */
typedef struct { SHA256_CTX inner; SHA256_CTX outer; } cshims_hmac_sha256_key;

static inline void cshims_hmac_sha256_prepare(cshims_hmac_sha256_key *key, const unsigned char *secret, size_t length) {
    unsigned char block[64] = {0}, pad[64];
    if (length > 64) SHA256(secret, length, block);
    else if (length > 0) memcpy(block, secret, length);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&key->inner);
    SHA256_Update(&key->inner, pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&key->outer);
    SHA256_Update(&key->outer, pad, 64);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
}

static inline void cshims_hmac_sha256(const cshims_hmac_sha256_key *key, const unsigned char *message, size_t length, unsigned char *out) {
    unsigned char inner[32];
    SHA256_CTX context = key->inner;
    SHA256_Update(&context, message, length);
    SHA256_Final(inner, &context);
    context = key->outer;
    SHA256_Update(&context, inner, sizeof inner);
    SHA256_Final(out, &context);
    OPENSSL_cleanse(&context, sizeof context);
}
