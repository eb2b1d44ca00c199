// C wrappers for variadic library functions, which Swift cannot call, for glibc functions the Glibc
// module does not export (malloc.h, pthread_setname_np), and the Swift runtime's global-executor hook.
#ifndef CSHIMS_H
#define CSHIMS_H
#include <stddef.h>
#include "../../CRabbitMQ/shim.h"

/// amqp_login with the PLAIN mechanism.
amqp_rpc_reply_t cshims_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                         int frame_max, int heartbeat, const char *user, const char *password);

/// mallopt(M_ARENA_MAX, count).
int cshims_malloc_arena_max(int count);

/// malloc_trim(0): 1 when memory went back to the system.
int cshims_malloc_trim(void);

/// mallopt(M_MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD): 1 when both were taken.
int cshims_malloc_keep_freed(size_t mmap_threshold, size_t trim_threshold);

/// Names the calling thread (its first 15 bytes), as `top -H`, perf and gdb show it.
void cshims_name_this_thread(const char *name);

/// Where the Swift runtime keeps its global-executor hook (`swift_task_enqueueGlobal_hook`),
/// reached through the linker: with the runtime linked statically, `dlsym` cannot find it.
void **cshims_swift_task_enqueue_global_hook(void);
#endif
