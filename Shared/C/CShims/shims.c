#include "CShims.h"
#include <malloc.h>

amqp_rpc_reply_t cshims_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                         int frame_max, int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

int cshims_malloc_arena_max(int count) { return mallopt(M_ARENA_MAX, count); }

int cshims_malloc_trim(void) { return malloc_trim(0); }

extern void *swift_task_enqueueGlobal_hook;

void **cshims_swift_task_enqueue_global_hook(void) { return &swift_task_enqueueGlobal_hook; }
