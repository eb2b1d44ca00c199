// order: the booking saga and order lifecycle.

import Shared

await ServiceRunner.main(OrderService.definition)
