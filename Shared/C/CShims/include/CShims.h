// C wrappers for variadic library functions, which Swift cannot call.
#ifndef CSHIMS_H
#define CSHIMS_H
#include "../../CRabbitMQ/shim.h"

/// amqp_login with the PLAIN mechanism.
amqp_rpc_reply_t cshims_amqp_login_plain(amqp_connection_state_t state, const char *vhost, int channel_max,
                                         int frame_max, int heartbeat, const char *user, const char *password);
#endif
