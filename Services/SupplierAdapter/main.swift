// supplier-adapter: one internal API over every supplier protocol.

import Shared

await ServiceRunner.main(SupplierAdapterService.definition)
