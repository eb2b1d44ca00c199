#define _GNU_SOURCE
#include "CShims.h"
#include <malloc.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <string.h>

amqp_rpc_reply_t cshims_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                         int frame_max, int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

// OpenSSL frees its global state in an atexit handler, so a thread still hashing or signing while
// the process exits (a task not yet finished when a service stops or a test run ends) reads freed
// memory and the exit crashes. Initialised here, before main and before anything else uses it
// (libpq, TLS, our digests), without that handler: the process's memory goes back at exit anyway.
__attribute__((constructor)) static void cshims_openssl_without_cleanup_at_exit(void) {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
}

int cshims_malloc_arena_max(int count) { return mallopt(M_ARENA_MAX, count); }

int cshims_malloc_trim(void) { return malloc_trim(0); }

int cshims_malloc_keep_freed(size_t mmap_threshold, size_t trim_threshold) {
    return mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) && mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
}

extern void *swift_task_enqueueGlobal_hook;

void **cshims_swift_task_enqueue_global_hook(void) { return &swift_task_enqueueGlobal_hook; }

void cshims_name_this_thread(const char *name) {
    char shortened[16];
    strncpy(shortened, name, sizeof(shortened) - 1);
    shortened[sizeof(shortened) - 1] = 0;
    pthread_setname_np(pthread_self(), shortened);
}
