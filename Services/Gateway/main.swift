// gateway: the one public entry: tenants, auth, rate limits, routing, webhooks.

import Shared

await ServiceRunner.main(GatewayService.definition)
