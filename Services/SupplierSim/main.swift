// supplier-sim: stand-in suppliers for development, demos and tests.

import Shared

await ServiceRunner.main(SupplierSimService.definition)
