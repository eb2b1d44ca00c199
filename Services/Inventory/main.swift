// inventory: direct-contract room types, allotments and holds.

import Shared

await ServiceRunner.main(InventoryService.definition)
