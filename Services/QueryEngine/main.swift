// query-engine: search and price check across every supplier.

import Shared

await ServiceRunner.main(QueryEngineService.definition)
